"""What waits on a person in work situations: one to do at work (the learner), one to
debrief (the tutor), a proposed level to agree to (the learner)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.models import Assignment
from sylva.communities.queries import situations as queries
from sylva.core.pillars import InboxAction, InboxItem

S = Assignment.State
LIMIT = 20


def _item(a: Assignment, person: Any) -> InboxItem:
    page = reverse("communities:assignment", args=[a.pk])
    if a.state == S.ASSIGNED:
        detail = _("To do at work with your tutor, %(name)s.") % {"name": a.tutor.full_name}
        if a.due_on:
            detail += " " + _("By %(date)s.") % {"date": a.due_on.isoformat()}
        actions: tuple[InboxAction, ...] = (
            InboxAction(
                _("I did it at work"),
                reverse("communities:assignment_done", args=[a.pk]),
                primary=True,
            ),
        )
        kind, since = "communities.situation.todo", a.assigned_at
    elif a.state == S.DONE:
        detail = _("%(name)s did it at work: debrief together.") % {"name": a.learner.full_name}
        actions = (InboxAction(_("Debrief"), page + "#debrief", method="get", primary=True),)
        kind, since = "communities.situation.debrief", a.done_at or a.assigned_at
    else:
        detail = _("Your tutor proposes level %(level)s in %(skill)s.") % {
            "level": a.proposed_level,
            "skill": a.proposed_skill.name if a.proposed_skill else "",
        }
        actions = (InboxAction(_("Decide"), page + "#level", method="get", primary=True),)
        kind, since = "communities.situation.level", a.debriefed_at or a.assigned_at
    return InboxItem(
        kind=kind, title=a.situation.title, detail=detail, url=page, since=since, actions=actions
    )


def items(person: Any) -> list[InboxItem]:
    return [_item(a, person) for a in queries.waiting_on(person)[:LIMIT]]


def waiting(person: Any) -> list[QuerySet[Any]]:
    return [queries.waiting_on(person)]
