"""Work situations as learning situations: a designer describes one, a manager assigns it
to a member of their team with a tutor, the learner does it at work, the learner and the
tutor debrief, and the tutor may propose a higher level on one of its skills — which the
learner's profile takes only when the learner agrees.

    assigned → done (the learner, PRACTISED) → debriefed (the learner or the tutor,
    DEBRIEFED with the tutor as actor and the learner as the other person)
    assigned, done → cancelled (the manager)

The debrief text stays between the learner and the tutor (a confidential field): events
and notifications never carry it. A refusal changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities import verbs as community_verbs
from sylva.communities.models import DESIGN, Assignment, WorkSituation
from sylva.communities.queries import situations as queries
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import activity
from sylva.notifications.services import notify
from sylva.people import verbs
from sylva.people.models import Person, Skill
from sylva.people.services import check_level, record_event, set_skill

S = Assignment.State
KIND = "communities.situation"
#: how many skills a situation develops
MAX_SKILLS = 5


def situation_iri(situation: WorkSituation) -> str:
    return activity("communities/situation", situation.pk)


def assignment_iri(assignment: Assignment) -> str:
    return activity("communities/assignment", assignment.pk)


def _page(assignment: Assignment) -> str:
    return reverse("communities:assignment", args=[assignment.pk])


def _tell(
    person: Person, assignment: Assignment, step: str, subject: str, **params: object
) -> None:
    notify(
        person,
        KIND,
        key=f"situation:{assignment.pk}:{step}",
        subject=subject,
        url=_page(assignment),
        params={"situation": assignment.situation.title, **params},
    )


def _skill(assignment: Assignment) -> Skill | None:
    return assignment.situation.skills.order_by("pk").first()


def _event(assignment: Assignment, actor: Person, verb: verbs.Verb, other: Person) -> None:
    record_event(
        actor=actor,
        verb=verb,
        object_id=assignment_iri(assignment),
        object_name=assignment.situation.title,
        skill=_skill(assignment),
        other=other,
    )


# --- the catalogue (designers) -----------------------------------------------------------


def check_designer(person: Person) -> None:
    if not person.user.has_perm(DESIGN):
        raise Forbidden(_("Only learning designers describe work situations."))


def _check_texts(title: str, task: str, debrief_questions: str, tutor_role: str) -> None:
    if not title.strip():
        raise ServiceError(_("Give the situation a title."), field="title")
    if not task.strip():
        raise ServiceError(_("Describe the task done at work."), field="task")
    check_field(WorkSituation, "title", title)
    check_field(WorkSituation, "task", task)
    check_field(WorkSituation, "debrief_questions", debrief_questions)
    check_field(WorkSituation, "tutor_role", tutor_role)


def _check_skills(skills: Iterable[Skill]) -> list[Skill]:
    chosen = list(dict.fromkeys(skills))
    if not chosen:
        raise ServiceError(_("Name at least one skill the situation develops."), field="skills")
    if len(chosen) > MAX_SKILLS:
        raise ServiceError(_("At most %(n)d skills.") % {"n": MAX_SKILLS}, field="skills")
    return chosen


def _check_language(language: str) -> str:
    if language not in ("", *Person.Language.values):
        raise ServiceError(_("The language is fr or en."), field="language")
    return language


@transaction.atomic
def save_situation(
    *,
    designer: Person,
    title: str,
    task: str,
    skills: Iterable[Skill],
    debrief_questions: str = "",
    tutor_role: str = "",
    language: str = "",
    situation: WorkSituation | None = None,
) -> WorkSituation:
    """Describe a new work situation, or change one (``situation``)."""
    check_designer(designer)
    _check_texts(title, task, debrief_questions, tutor_role)
    chosen = _check_skills(skills)
    language = _check_language(language)
    if situation is None:
        situation = WorkSituation(author=designer)
    elif situation.retired_at is not None:
        raise ServiceError(_("This situation is retired."), field="situation", status=409)
    situation.title = title.strip()
    situation.task = task.strip()
    situation.debrief_questions = debrief_questions.strip()
    situation.tutor_role = tutor_role.strip()
    situation.language = language or designer.language or ""
    situation.save()
    situation.skills.set(chosen)
    return situation


@transaction.atomic
def retire_situation(*, designer: Person, situation: WorkSituation) -> WorkSituation:
    check_designer(designer)
    if situation.retired_at is None:
        situation.retired_at = timezone.now()
        situation.save(update_fields=["retired_at"])
    return situation


# --- assigning (managers) ----------------------------------------------------------------


def check_assign(
    *,
    manager: Person,
    situation: WorkSituation,
    learner: Person,
    tutor: Person,
    due_on: date | None,
) -> None:
    if situation.retired_at is not None:
        raise ServiceError(_("This situation is retired."), field="situation", status=409)
    if not queries.in_team(manager, learner):
        raise Forbidden(
            _("You assign situations to the people of your team only."), field="learner"
        )
    if tutor.pk == learner.pk:
        raise ServiceError(_("The tutor is someone other than the learner."), field="tutor")
    if not tutor.user.is_active:
        raise ServiceError(_("This person can no longer be a tutor."), field="tutor")
    if due_on is not None and due_on < timezone.localdate():
        raise ServiceError(_("The due date is in the past."), field="due_on")
    live = Assignment.objects.filter(
        situation=situation, learner=learner, state__in=(S.ASSIGNED, S.DONE)
    )
    if live.exists():
        raise ServiceError(
            _("This situation is already under way for this person."), field="learner", status=409
        )


@transaction.atomic
def assign(
    *,
    manager: Person,
    situation: WorkSituation,
    learner: Person,
    tutor: Person,
    due_on: date | None = None,
) -> Assignment:
    """A manager gives a situation to a member of their team, with a tutor."""
    check_assign(manager=manager, situation=situation, learner=learner, tutor=tutor, due_on=due_on)
    assignment = Assignment.objects.create(
        situation=situation, learner=learner, tutor=tutor, assigned_by=manager, due_on=due_on
    )
    _event(assignment, manager, community_verbs.ASSIGNED_SITUATION, learner)
    _tell(
        learner,
        assignment,
        "assigned",
        gettext_noop("A work situation to learn from: %(situation)s (tutor: %(tutor)s)"),
        tutor=tutor.full_name,
    )
    _tell(
        tutor,
        assignment,
        "tutor",
        gettext_noop("You are the tutor of %(learner)s for: %(situation)s"),
        learner=learner.full_name,
    )
    return assignment


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("situation", "learner", "tutor", "assigned_by")
        .get(pk=assignment.pk)
    )


def _refuse(assignment: Assignment) -> ServiceError:
    return ServiceError(
        _("This situation is “%(state)s”: not now.") % {"state": assignment.get_state_display()},
        field="state",
        status=409,
    )


@transaction.atomic
def cancel(*, manager: Person, assignment: Assignment) -> Assignment:
    assignment = _locked(assignment)
    if manager.pk != assignment.assigned_by_id and not queries.in_team(manager, assignment.learner):
        raise Forbidden(_("Only the learner's manager cancels a situation."))
    if assignment.state not in (S.ASSIGNED, S.DONE):
        raise _refuse(assignment)
    assignment.state = S.CANCELLED
    assignment.save(update_fields=["state"])
    for person in (assignment.learner, assignment.tutor):
        _tell(person, assignment, "cancelled", gettext_noop("Cancelled: %(situation)s"))
    return assignment


# --- the learner and the tutor -----------------------------------------------------------


@transaction.atomic
def mark_done(*, person: Person, assignment: Assignment) -> Assignment:
    """The learner did the situation at work."""
    assignment = _locked(assignment)
    if person.pk != assignment.learner_id:
        raise Forbidden(_("Only the learner says the situation was done."))
    if assignment.state != S.ASSIGNED:
        raise _refuse(assignment)
    assignment.state = S.DONE
    assignment.done_at = timezone.now()
    assignment.save(update_fields=["state", "done_at"])
    _event(assignment, person, verbs.PRACTISED, assignment.tutor)
    _tell(
        assignment.tutor,
        assignment,
        "done",
        gettext_noop("%(learner)s did “%(situation)s”: time to debrief together"),
        learner=assignment.learner.full_name,
    )
    return assignment


@transaction.atomic
def debrief(*, person: Person, assignment: Assignment, text: str) -> Assignment:
    """The learner or the tutor writes the debrief (and may correct it afterwards)."""
    assignment = _locked(assignment)
    if not queries.reads_debrief(person, assignment):
        raise Forbidden(_("Only the learner and the tutor debrief."))
    if assignment.state not in (S.DONE, S.DEBRIEFED):
        raise _refuse(assignment)
    text = check_field(Assignment, "debrief", text.strip(), name="text")
    if not text:
        raise ServiceError(_("Write what you took from it, in a few lines."), field="text")
    first = assignment.state == S.DONE
    assignment.debrief = text
    assignment.state = S.DEBRIEFED
    if first:
        assignment.debriefed_at = timezone.now()
    assignment.save(update_fields=["debrief", "state", "debriefed_at"])
    if first:
        _event(assignment, assignment.tutor, community_verbs.DEBRIEFED, assignment.learner)
        other = assignment.tutor if person.pk == assignment.learner_id else assignment.learner
        _tell(
            other,
            assignment,
            "debriefed",
            gettext_noop("The debrief of “%(situation)s” is written"),
        )
    return assignment


@transaction.atomic
def propose_level(*, tutor: Person, assignment: Assignment, skill: Skill, level: int) -> Assignment:
    """After the debrief, the tutor proposes a higher level on one skill of the situation;
    the learner's profile changes only when the learner agrees."""
    assignment = _locked(assignment)
    if tutor.pk != assignment.tutor_id:
        raise Forbidden(_("Only the tutor proposes a level."))
    if assignment.state != S.DEBRIEFED:
        raise ServiceError(_("Debrief first, then propose a level."), field="state", status=409)
    if assignment.level_agreed_at is not None:
        raise ServiceError(_("The learner already agreed a level."), field="level", status=409)
    if not assignment.situation.skills.filter(pk=skill.pk).exists():
        raise ServiceError(_("Choose one of the situation's skills."), field="skill")
    check_level(level)
    current = queries.learner_level(assignment.learner, skill) or 0
    if level <= current:
        raise ServiceError(
            _("The learner already holds this skill at level %(n)d.") % {"n": current},
            field="level",
        )
    assignment.proposed_skill = skill
    assignment.proposed_level = level
    assignment.save(update_fields=["proposed_skill", "proposed_level"])
    _tell(
        assignment.learner,
        assignment,
        f"level:{skill.pk}:{level}",
        gettext_noop("Your tutor proposes level %(level)s in %(skill)s: do you agree?"),
        level=level,
        skill=skill.name,
    )
    return assignment


def _pending(person: Person, assignment: Assignment) -> Assignment:
    assignment = _locked(assignment)
    if person.pk != assignment.learner_id:
        raise Forbidden(_("Only the learner agrees to a level on their profile."))
    if assignment.proposed_level is None or assignment.proposed_skill is None:
        raise NotFound(_("No level is proposed."), field="level")
    if assignment.level_agreed_at is not None:
        raise ServiceError(_("You already agreed."), field="level", status=409)
    return assignment


@transaction.atomic
def agree_level(*, learner: Person, assignment: Assignment) -> Assignment:
    """The learner agrees: their profile takes the proposed level (the people's service)."""
    assignment = _pending(learner, assignment)
    skill = assignment.proposed_skill
    assert skill is not None and assignment.proposed_level is not None
    set_skill(person=learner, skill_code=skill.code, level=assignment.proposed_level)
    assignment.level_agreed_at = timezone.now()
    assignment.save(update_fields=["level_agreed_at"])
    _tell(
        assignment.tutor,
        assignment,
        "agreed",
        gettext_noop("%(learner)s agreed the level you proposed (%(situation)s)"),
        learner=learner.full_name,
    )
    return assignment


@transaction.atomic
def decline_level(*, learner: Person, assignment: Assignment) -> Assignment:
    """The learner does not take the proposed level: the proposal is withdrawn."""
    assignment = _pending(learner, assignment)
    assignment.proposed_skill = None
    assignment.proposed_level = None
    assignment.save(update_fields=["proposed_skill", "proposed_level"])
    return assignment
