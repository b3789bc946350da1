"""What waits on a person in field feedback: answering their manager's feedback."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.queries import feedback as queries
from sylva.core.pillars import InboxAction, InboxItem

LIMIT = 20


def items(person: Any) -> list[InboxItem]:
    out = []
    for f in queries.to_answer(person)[:LIMIT]:
        page = reverse("communities:feedback_detail", args=[f.pk])
        out.append(
            InboxItem(
                kind="communities.feedback.answer",
                title=_("Answer your manager's feedback"),
                detail=_("From %(name)s, after a field situation.") % {"name": f.giver.full_name},
                url=page,
                since=f.created_at,
                actions=(InboxAction(_("Answer"), page + "#answer", method="get", primary=True),),
            )
        )
    return out


def waiting(person: Any) -> list[QuerySet[Any]]:
    return [queries.to_answer(person)]
