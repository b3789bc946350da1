"""The one way a page or an API operation finds who is asking: :func:`current_person`.

A signed-in account always has a person (one is made on first use, with the learner role:
an account from `createsuperuser` or single sign-on gets a profile it can fill in); the
person is looked up once per request.
"""

from __future__ import annotations

from django.http import HttpRequest

from sylva.people.models import Person
from sylva.people.services import ensure_person

_ATTRIBUTE = "_sylva_person"


def current_person(request: HttpRequest) -> Person:
    """The person of the signed-in user of ``request`` (views require sign-in first)."""
    person = getattr(request, _ATTRIBUTE, None)
    if person is None or person.user_id != request.user.pk:
        # already there for nearly every request: no transaction to open
        person = getattr(request.user, "person", None) or ensure_person(request.user)
        setattr(request, _ATTRIBUTE, person)
    return person
