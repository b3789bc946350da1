"""The compact Today card on people's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from sylva.microlearning.queries import today as today_queries
from sylva.people.models import Person


def home(request: HttpRequest, person: Person) -> str:
    queue = today_queries.today(person)
    return render_to_string("microlearning/_home_panel.html", {"today": queue}, request=request)
