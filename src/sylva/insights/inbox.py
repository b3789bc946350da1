"""What insights leave in people's inbox (the pillar contract's ``inbox``):

- an introduction, on each of the two people told, until they open a proposal of exchange
  to the other or put it aside ("Not now");
- an accepted structure, as a task on the designer or animator it was given to until they
  mark it done; and, on the animator who gave it to someone else, as their turn.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sylva.core.pillars import InboxAction, InboxItem
from sylva.insights import queries, services
from sylva.insights.models import Introduction, StructureDecision
from sylva.people.models import Person


def items(person: Person) -> list[InboxItem]:
    out = [
        _introduction(intro, person, other)
        for intro, other in queries.introductions_waiting_on(person)
    ]
    out += [_task(decision) for decision in queries.tasks_of(person)]
    out += [_given(decision) for decision in queries.tasks_given_by(person)]
    return out


def waiting(person: Person) -> list[QuerySet[Any]]:
    """The introductions and the tasks waiting on the person."""
    return [queries.introductions_waiting(person), queries.tasks_of(person)]


def _introduction(intro: Introduction, person: Person, other: Person) -> InboxItem:
    by = intro.proposed_by.full_name if intro.proposed_by else _("A learning animator")
    about = [other.job_title, str(other.team) if other.team else ""]
    detail = " · ".join(x for x in about if x)
    if intro.skill is not None:
        teach = queries.proposal_role(intro, person, other) == "teach"
        helps = (
            _("You could help them with %(skill)s.")
            if teach
            else _("They could help you with %(skill)s.")
        ) % {"skill": intro.skill.name}
        detail = f"{detail} — {helps}" if detail else helps
    if intro.reason and (intro.skill is None or intro.reason != intro.skill.name):
        detail += " " + _("Why: %(reason)s") % {"reason": intro.reason}
    answer = reverse("insights:answer", args=[intro.pk])
    return InboxItem(
        kind="insights.introduction",
        title=_("%(who)s introduces you to %(other)s") % {"who": by, "other": other.full_name},
        detail=detail.strip(),
        url=queries.proposal_url(intro, person, other),
        since=intro.created_at,
        mine=True,
        actions=(
            InboxAction(
                _("Let's exchange"), answer, fields=(("answer", "exchange"),), primary=True
            ),
            InboxAction(_("Not now"), answer, fields=(("answer", "dismissed"),)),
        ),
    )


def _what(decision: StructureDecision) -> str:
    topic = decision.skill or decision.domain
    return _("%(what)s on %(k)s") % {"what": decision.get_kind_display(), "k": topic or "—"}


def _task(decision: StructureDecision) -> InboxItem:
    by = decision.accepted_by.full_name if decision.accepted_by else _("A learning animator")
    when = date_format(timezone.localtime(decision.accepted_at).date())
    return InboxItem(
        kind="insights.task",
        title=_("Task: %(what)s") % {"what": _what(decision)},
        detail=_("Accepted by %(who)s on %(date)s; yours to set up.") % {"who": by, "date": when},
        url=services.task_url(decision),
        since=decision.accepted_at,
        mine=True,
        actions=(
            InboxAction(_("Done"), reverse("insights:task_done", args=[decision.pk]), primary=True),
        ),
    )


def _given(decision: StructureDecision) -> InboxItem:
    who = decision.assignee.full_name if decision.assignee else "—"
    return InboxItem(
        kind="insights.task",
        title=_("Task: %(what)s") % {"what": _what(decision)},
        detail=_("Waiting on %(who)s to set it up.") % {"who": who},
        url=reverse("insights:structure"),
        since=decision.accepted_at,
        mine=False,
    )
