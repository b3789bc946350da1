"""Today's rendez-vous on people's home page: the learner does today's cards right there
(the same cards and htmx answers as /learn/), sees the streak, and "done for today"."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from sylva.microlearning.present import rendezvous
from sylva.people.models import Person


def home(request: HttpRequest, person: Person) -> str:
    return render_to_string(
        "microlearning/_home_panel.html", rendezvous(request, person), request=request
    )
