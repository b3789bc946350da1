"""Light resources in review: what waits on reviewers and on authors."""

from __future__ import annotations

from django.db.models import QuerySet

from sylva.microlearning.models import Module
from sylva.people.models import Person


def to_review(person: Person) -> QuerySet[Module]:
    """The resources waiting for a review that ``person`` may give (never their own), the
    longest waiting first. Whether they are a reviewer is the caller's to check."""
    return (
        Module.objects.filter(status=Module.Status.SUBMITTED)
        .exclude(author=person)
        .select_related("author")
        .order_by("updated_at", "pk")
    )


def authored_in_review(person: Person) -> QuerySet[Module]:
    """The person's resources sent for review or sent back for changes."""
    return (
        Module.objects.filter(
            author=person, status__in=(Module.Status.SUBMITTED, Module.Status.CHANGES)
        )
        .select_related("reviewed_by")
        .order_by("updated_at", "pk")
    )
