"""A manager's feedback after a field situation: given to a member of their team,
structured (the situation, what went well, what to improve, the next step), private
between the two of them unless the person shares it with their team; the person answers
(once, then may edit their answer).

The event ``gave-feedback`` names the manager (actor), the person (other) and the skill —
never the texts, which are confidential fields. A refusal changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities.models import Assignment, FieldFeedback
from sylva.communities.queries import situations as situation_queries
from sylva.core.errors import Forbidden, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import activity
from sylva.notifications.services import notify
from sylva.people import verbs
from sylva.people.models import Person, Skill
from sylva.people.services import record_event

KIND = "communities.feedback"


def feedback_iri(feedback: FieldFeedback) -> str:
    return activity("communities/feedback", feedback.pk)


def _url(feedback: FieldFeedback) -> str:
    return reverse("communities:feedback_detail", args=[feedback.pk])


def _texts(**texts: str) -> dict[str, str]:
    out = {}
    for name, value in texts.items():
        out[name] = check_field(FieldFeedback, name, (value or "").strip())
    if not out["situation"]:
        raise ServiceError(_("Say which situation you saw."), field="situation")
    if not out["went_well"]:
        raise ServiceError(_("Say what went well: start there."), field="went_well")
    return out


def check_give(*, manager: Person, person: Person, assignment: Assignment | None) -> None:
    if person.pk == manager.pk:
        raise ServiceError(_("Feedback goes to someone of your team."), field="person")
    if not situation_queries.in_team(manager, person):
        raise Forbidden(_("You give feedback to the people of your team only."), field="person")
    if assignment is not None and assignment.learner_id != person.pk:
        raise ServiceError(_("This work situation is not this person's."), field="assignment")


@transaction.atomic
def give(
    *,
    manager: Person,
    person: Person,
    situation: str,
    went_well: str,
    to_improve: str = "",
    next_step: str = "",
    skill: Skill | None = None,
    assignment: Assignment | None = None,
) -> FieldFeedback:
    check_give(manager=manager, person=person, assignment=assignment)
    texts = _texts(
        situation=situation, went_well=went_well, to_improve=to_improve, next_step=next_step
    )
    feedback = FieldFeedback.objects.create(
        giver=manager, person=person, skill=skill, assignment=assignment, **texts
    )
    record_event(
        actor=manager,
        verb=verbs.GAVE_FEEDBACK,
        object_id=feedback_iri(feedback),
        skill=skill,
        other=person,
    )
    notify(
        person,
        KIND,
        key=f"feedback:{feedback.pk}:given",
        subject=gettext_noop("%(manager)s gave you feedback after a field situation"),
        url=_url(feedback),
        params={"manager": manager.full_name},
        action=gettext_noop("Read and answer"),
    )
    return feedback


def _own(person: Person, feedback: FieldFeedback) -> FieldFeedback:
    locked = (
        FieldFeedback.objects.select_for_update(of=("self",))
        .select_related("giver", "person")
        .get(pk=feedback.pk)
    )
    if person.pk != locked.person_id:
        raise Forbidden(_("Only the person who received this feedback may do this."))
    return locked


@transaction.atomic
def answer(*, person: Person, feedback: FieldFeedback, text: str) -> FieldFeedback:
    """The person answers their manager's feedback (the first answer tells the manager;
    later edits do not)."""
    feedback = _own(person, feedback)
    text = check_field(FieldFeedback, "answer", (text or "").strip(), name="answer")
    if not text:
        raise ServiceError(_("Write your answer."), field="answer")
    first = feedback.answered_at is None
    feedback.answer = text
    if first:
        feedback.answered_at = timezone.now()
    feedback.save(update_fields=["answer", "answered_at"])
    if first:
        notify(
            feedback.giver,
            KIND,
            key=f"feedback:{feedback.pk}:answered",
            subject=gettext_noop("%(person)s answered your feedback"),
            url=_url(feedback),
            params={"person": person.full_name},
        )
    return feedback


@transaction.atomic
def share(*, person: Person, feedback: FieldFeedback, shared: bool) -> FieldFeedback:
    """The person shares the feedback with their team (or takes it back)."""
    feedback = _own(person, feedback)
    if not isinstance(shared, bool):
        raise ServiceError(_("Shared is true or false."), field="shared")
    if shared and person.team_id is None:
        raise ServiceError(_("You have no team to share it with."), field="shared")
    feedback.shared = shared
    feedback.save(update_fields=["shared"])
    return feedback
