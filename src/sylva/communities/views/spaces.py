"""The communities' home and a community's page (filled in by the spaces area)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sylva.communities.models import Community


@login_required
def home(request: HttpRequest) -> HttpResponse:
    communities = Community.objects.filter(archived_at__isnull=True)
    return render(request, "communities/home.html", {"communities": communities})
