"""Every write of the insights app: snapshots, introductions, accepted structures.

Insights write into no other pillar. An introduction is a row here plus a learning event
(verb ``introduced``) for each of the two people, which shows on their page.

The background recomputation is a django-task declared here, beside the service it runs
(:func:`recompute_insights`): :func:`queue_recompute` enqueues it without reaching up to
the ``tasks`` layer, which lists it for ``sylva enqueue``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sylva.core.errors import NotFound, ServiceError
from sylva.core.validation import limit_of
from sylva.core.xapi import activity
from sylva.insights import queries, verbs
from sylva.insights.compute import Computed, recompute
from sylva.insights.models import Introduction, ScopeFigure, Snapshot, StructureDecision
from sylva.insights.queries import DEFAULT_WINDOW as DEFAULT_WINDOW  # re-exported
from sylva.insights.queries import WINDOWS as WINDOWS
from sylva.notifications.services import notify
from sylva.people.models import Person, Skill, SkillDomain, Team
from sylva.people.services import record_event

REASON_MAX = limit_of(Introduction, "reason")


def check_window(window_days: int) -> int:
    if window_days not in WINDOWS:
        raise ServiceError(
            _("The window must be one of %(windows)s days.")
            % {"windows": ", ".join(str(w) for w in WINDOWS)},
            field="window",
        )
    return window_days


def queue_recompute(*, window_days: int) -> bool:
    """Queue the recomputation of a window, unless one for that window is already waiting
    (not started): a recomputation takes half a minute and most of a gigabyte, so a double
    click or two animators queue one. Returns whether a task was queued now. One at a time
    per window (a transaction-scoped lock on PostgreSQL; SQLite serialises writers)."""
    return _queue(window_days, unless=("READY",))


def queue_first_snapshot(*, window_days: int) -> bool:
    """What a page read before a window's first snapshot does: queue its computation,
    unless one is already waiting or under way (a page read by many queues one)."""
    return _queue(window_days, unless=("READY", "RUNNING"))


def _queue(window_days: int, *, unless: tuple[str, ...]) -> bool:
    check_window(window_days)
    with transaction.atomic():
        if _queued_in_the_database():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7310, window_days])
            waiting = DBTaskResult.objects.filter(
                task_path=recompute_insights.module_path,
                status__in=unless,
                args_kwargs__kwargs__window_days=window_days,
            )
            if waiting.exists():
                return False
        recompute_insights.enqueue(window_days=window_days)
    return True


def _queued_in_the_database() -> bool:
    return "django_tasks_db" in str(getattr(settings, "TASKS", {}).get("default", {}))


@task()
def recompute_insights(window_days: int = DEFAULT_WINDOW) -> int:
    """Recompute every figure over the window and store a snapshot; returns its id.
    Recomputing twice only adds a snapshot."""
    return compute_snapshot(window_days=window_days).pk


@task()
def recompute_all_windows() -> list[int]:
    """Recompute every window (the nightly run); returns the new snapshots' ids."""
    return [compute_snapshot(window_days=w).pk for w in WINDOWS]


def compute_snapshot(
    *, window_days: int, seed: int = 0, step: Callable[[str, int], None] | None = None
) -> Snapshot:
    """Recompute every figure over the last ``window_days`` and store it as a new snapshot
    (older snapshots stay: they are the trends). Reading and computing happen outside the
    write transaction; the snapshot and its figures are written all at once."""
    check_window(window_days)
    data, result, seconds = recompute(window_days=window_days, seed=seed, step=step)
    return _store(data=data, result=result, seconds=seconds, window_days=window_days)


@transaction.atomic
def _store(*, data: Any, result: Computed, seconds: float, window_days: int) -> Snapshot:
    snapshot = Snapshot.objects.create(
        window_days=window_days,
        window_start=data.start,
        window_end=data.end,
        people=data.n,
        events=len(data.ev_actor),
        seconds=round(seconds, 3),
        data=result.findings.to_json(),
    )
    org = result.org
    rows = [ScopeFigure(snapshot=snapshot, kind="org", key=0, headcount=org["headcount"], data=org)]
    for kind, figures in result.scopes.items():
        rows += [
            ScopeFigure(snapshot=snapshot, kind=kind, key=key, headcount=row["headcount"], data=row)
            for key, row in figures.items()
        ]
    ScopeFigure.objects.bulk_create(rows, batch_size=500)
    return snapshot


def _introduce(by: Person, a: Person, b: Person, reason: str, skill: Skill | None) -> None:
    for actor, other in ((a, b), (b, a)):
        record_event(
            actor=actor,
            verb=verbs.INTRODUCED,
            object_id=activity("introduction", f"{by.pk}-{a.pk}-{b.pk}"),
            object_name=reason[:REASON_MAX],
            skill=skill,
            other=other,
        )


def _already(existing: Introduction) -> ServiceError:
    return ServiceError(
        _(
            "These two were already introduced on %(date)s (introduction %(id)s): "
            "it is theirs to follow up now."
        )
        % {"date": date_format(timezone.localtime(existing.created_at).date()), "id": existing.pk},
        field="person_b" if existing.person_a_id else "team_b",
        status=409,
    )


def _check_not_introduced(pair: Q) -> None:
    existing = Introduction.objects.filter(pair).order_by("created_at").first()
    if existing is not None:
        raise _already(existing)


def _create(**fields: Any) -> Introduction:
    """Create the row; the same pair introduced at the same moment by someone else meets
    the table's constraint (one introduction per pair, either way round): a 409."""
    try:
        with transaction.atomic():
            return Introduction.objects.create(**fields)
    except IntegrityError:
        a, b = (fields["person_a"], fields["person_b"]) if "person_a" in fields else (None, None)
        if a is not None:
            _check_not_introduced(Q(person_a=a, person_b=b) | Q(person_a=b, person_b=a))
        else:
            ta, tb = fields["team_a"], fields["team_b"]
            _check_not_introduced(Q(team_a=ta, team_b=tb) | Q(team_a=tb, team_b=ta))
        raise


@transaction.atomic
def propose_introduction(
    *,
    proposer: Person,
    person_a_id: int | None = None,
    person_b_id: int | None = None,
    team_a_id: int | None = None,
    team_b_id: int | None = None,
    skill_id: int | None = None,
    reason: str = "",
) -> Introduction:
    """Introduce two people (both must have agreed to appear in insights) or two teams
    (their managers are told). Each of the two is told: a learning event on their page, a
    notification (who introduces them, to whom, why, on what, and a one-click proposal of
    exchange to the other), and an item in their inbox until they answer. A pair is
    introduced once, whichever way round and by whomever (409 pointing at the first)."""
    skill = Skill.objects.filter(pk=skill_id).first() if skill_id else None
    if skill_id and skill is None:
        raise NotFound(_("Unknown skill."), field="skill")
    if person_a_id and person_b_id:
        people = {p.pk: p for p in Person.objects.filter(pk__in=[person_a_id, person_b_id])}
        if person_a_id == person_b_id:
            raise ServiceError(_("Choose two different people."), field="person_b")
        if len(people) != 2:
            raise NotFound(_("Unknown person."), field="person_b")
        a, b = people[person_a_id], people[person_b_id]
        if not (a.visible_in_insights and b.visible_in_insights):
            raise ServiceError(
                _("Both people must have agreed to appear by name in insights."),
                field="person_a",
                status=403,
            )
        _check_not_introduced(Q(person_a=a, person_b=b) | Q(person_a=b, person_b=a))
        intro = _create(
            proposed_by=proposer,
            person_a=a,
            person_b=b,
            skill=skill,
            reason=reason[:REASON_MAX],
            recipient_a=a,
            recipient_b=b,
        )
        _introduce(proposer, a, b, reason, skill)
        _deliver(intro)
        return intro
    if team_a_id and team_b_id:
        teams = {
            t.pk: t
            for t in Team.objects.select_related("manager").filter(pk__in=[team_a_id, team_b_id])
        }
        if team_a_id == team_b_id:
            raise ServiceError(_("Choose two different teams."), field="team_b")
        if len(teams) != 2:
            raise NotFound(_("Unknown team."), field="team_b")
        ta, tb = teams[team_a_id], teams[team_b_id]
        _check_not_introduced(Q(team_a=ta, team_b=tb) | Q(team_a=tb, team_b=ta))
        told = ta.manager and tb.manager and ta.manager_id != tb.manager_id
        intro = _create(
            proposed_by=proposer,
            team_a=ta,
            team_b=tb,
            skill=skill,
            reason=reason[:REASON_MAX],
            recipient_a=ta.manager if told else None,
            recipient_b=tb.manager if told else None,
        )
        if told:
            assert ta.manager is not None and tb.manager is not None
            _introduce(proposer, ta.manager, tb.manager, reason, skill)
            _deliver(intro)
        return intro
    raise ServiceError(_("Choose two people or two teams."), field="person_a")


INTRODUCTION = "insights.introduction"
TASK = "insights.task"


def _deliver(intro: Introduction) -> None:
    """Tell both sides of a new introduction (each in their own language)."""
    a, b = intro.recipient_a, intro.recipient_b
    if a is None or b is None:
        return
    for person, other in ((a, b), (b, a)):
        _tell_introduction(intro, person, other)


def _tell_introduction(intro: Introduction, person: Person, other: Person) -> None:
    by = intro.proposed_by
    params: dict[str, object] = {"who": by.full_name if by else "Sylva", "other": other.full_name}
    lines = [gettext_noop("%(who)s thinks you and %(other)s should talk, and told you both.")]
    if other.job_title:
        lines.append(gettext_noop("Job: %(job)s"))
        params["job"] = other.job_title
    if other.team is not None:
        lines.append(gettext_noop("Team: %(team)s"))
        params["team"] = other.team
    if intro.team_a is not None and intro.team_b is not None:
        lines.append(gettext_noop("Teams introduced: %(team_a)s and %(team_b)s"))
        params.update(team_a=intro.team_a, team_b=intro.team_b)
    if intro.reason:
        lines.append(gettext_noop("Why: %(reason)s"))
        params["reason"] = intro.reason
    if intro.skill is not None:
        teach = queries.proposal_role(intro, person, other) == "teach"
        lines.append(
            gettext_noop("You could help them with %(skill)s.")
            if teach
            else gettext_noop("They could help you with %(skill)s.")
        )
        params["skill"] = intro.skill
    notify(
        person,
        INTRODUCTION,
        key=f"insights:introduction:{intro.pk}",
        subject=gettext_noop("%(who)s introduces you to %(other)s"),
        lines=lines,
        params=params,
        url=queries.proposal_url(intro, person, other),
        action=gettext_noop("Let's exchange"),
    )


@transaction.atomic
def answer_introduction(*, person: Person, introduction_id: int, answer: str) -> Introduction:
    """Record a side's answer to an introduction they were told of: they open a proposal
    of exchange (``exchange``) or put it aside (``dismissed``, "not now"); either takes it
    out of their inbox. Only the two people told may answer (anyone else: 404, nothing
    changed); answering again records the new answer."""
    if answer not in (Introduction.Answer.EXCHANGE, Introduction.Answer.DISMISSED):
        raise ServiceError(_("Unknown answer."), field="answer")
    intro = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("recipient_a", "recipient_b")
        .filter(pk=introduction_id)
        .first()
    )
    side = queries.side_of(intro, person) if intro is not None else None
    if intro is None or side is None:
        raise NotFound(_("No introduction of yours has this number."))
    setattr(intro, f"answer_{side}", answer)
    setattr(intro, f"answered_{side}_at", timezone.now())
    intro.save(update_fields=[f"answer_{side}", f"answered_{side}_at"])
    return intro


def _structure_key(
    kind: str, skill_id: int | None, domain_id: int | None
) -> tuple[str, Skill | None, SkillDomain | None]:
    if kind not in StructureDecision.Kind.values:
        raise ServiceError(_("Unknown kind of structure."), field="kind")
    if kind == "community":
        domain = SkillDomain.objects.filter(pk=domain_id or 0).first()
        if domain is None:
            raise NotFound(_("Unknown skill domain."), field="domain")
        return f"community:{domain.code}", None, domain
    skill = Skill.objects.filter(pk=skill_id or 0).first()
    if skill is None:
        raise NotFound(_("Unknown skill."), field="skill")
    return f"{kind}:{skill.code}", skill, None


def check_assignee(person: Person, assignee_id: int | None) -> Person:
    """Who the task goes to: the person accepting when nobody is named, else a designer or
    a learning animator (anyone else is refused)."""
    if not assignee_id:
        return person
    if assignee_id == person.pk:
        return person
    assignee = queries.task_assignees().filter(pk=assignee_id).first()
    if assignee is None:
        if not Person.objects.filter(pk=assignee_id).exists():
            raise NotFound(_("Unknown person."), field="assignee")
        raise ServiceError(
            _("A structure is given to a designer or a learning animator."), field="assignee"
        )
    return assignee


@transaction.atomic
def accept_structure(
    *,
    person: Person,
    kind: str,
    skill_id: int | None = None,
    domain_id: int | None = None,
    assignee_id: int | None = None,
    window_days: int = DEFAULT_WINDOW,
) -> StructureDecision:
    """Accept a suggested structure: it becomes a task for the designer or animator named
    (the person accepting when nobody is), told by a notification and waiting in their
    inbox until they mark it done. Idempotent: accepting it twice keeps one decision and
    its first assignee."""
    key, skill, domain = _structure_key(kind, skill_id, domain_id)
    assignee = check_assignee(person, assignee_id)
    decision, created = StructureDecision.objects.select_for_update().get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "skill": skill,
            "domain": domain,
            "accepted_by": person,
            "accepted_at": timezone.now(),
            "assignee": assignee,
        },
    )
    if not created and decision.assignee_id is None and decision.done_at is None:
        decision.assignee = assignee  # accepted before tasks had an assignee
        decision.save(update_fields=["assignee"])
        created = True
    if created and decision.assignee_id != person.pk:
        _tell_task(decision, window_days)
    return decision


#: why a structure is called for, as its suggestion says it (the same messages as the page)
WHY = {
    "circle": gettext_noop(
        "%(n)s people in %(t)s teams want to learn %(k)s and have had no exchange on it yet."
    ),
    "module": gettext_noop("%(n)s people asked questions on %(k)s."),
    "community": gettext_noop(
        "%(n)s people in %(t)s teams already help each other across teams on %(k)s."
    ),
}


def task_url(decision: StructureDecision) -> str:
    """Where the task's next step is done: a new module in the studio for a module, the
    inbox (where it is marked done) otherwise."""
    names = ("microlearning:new_module",) if decision.kind == "module" else ()
    for name in (*names, "notifications:inbox"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("insights:me")


def _tell_task(decision: StructureDecision, window_days: int) -> None:
    assignee, by = decision.assignee, decision.accepted_by
    if assignee is None:
        return
    params: dict[str, object] = {
        "who": by.full_name if by else "Sylva",
        "what": StructureDecision.Kind(decision.kind).label,
        "k": decision.skill or decision.domain or "",
        "when": decision.accepted_at,
    }
    lines = [gettext_noop("Suggestion accepted by %(who)s on %(when)s: %(what)s, %(k)s.")]
    row = queries.structure_row(
        queries.latest(window_days),
        decision.kind,
        skill=decision.skill_id,
        domain=decision.domain_id,
    )
    if row is not None:
        lines.append(WHY[decision.kind])
        params.update(n=row["people"], t=row["teams"])
    lines.append(gettext_noop("It is yours to set up: mark it done in your inbox once it is."))
    notify(
        assignee,
        TASK,
        key=f"insights:task:{decision.pk}",
        subject=gettext_noop("A task for you: %(what)s on %(k)s"),
        lines=lines,
        params=params,
        url=task_url(decision),
        action=gettext_noop("Start the module")
        if decision.kind == "module"
        else gettext_noop("Open my inbox"),
    )


@transaction.atomic
def mark_task_done(*, person: Person, decision_id: int) -> StructureDecision:
    """The assignee says the accepted structure is set up. Only they may (anyone else:
    404, nothing changed); saying it twice keeps the first moment."""
    decision = StructureDecision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None or decision.assignee_id != person.pk:
        raise NotFound(_("No task of yours has this number."))
    if decision.done_at is None:
        decision.done_at = timezone.now()
        decision.save(update_fields=["done_at"])
    return decision
