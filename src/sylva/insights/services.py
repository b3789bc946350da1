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
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sylva.core.errors import NotFound, ServiceError
from sylva.core.validation import limit_of
from sylva.core.xapi import activity
from sylva.insights import verbs
from sylva.insights.compute import Computed, recompute
from sylva.insights.models import Introduction, ScopeFigure, Snapshot, StructureDecision
from sylva.insights.queries import DEFAULT_WINDOW as DEFAULT_WINDOW  # re-exported
from sylva.insights.queries import WINDOWS as WINDOWS
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
    (their managers are told). Each of the two is notified through a learning event. A pair
    is introduced once, whichever way round and by whomever (409 pointing at the first)."""
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
            proposed_by=proposer, person_a=a, person_b=b, skill=skill, reason=reason[:REASON_MAX]
        )
        _introduce(proposer, a, b, reason, skill)
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
        intro = _create(
            proposed_by=proposer, team_a=ta, team_b=tb, skill=skill, reason=reason[:REASON_MAX]
        )
        if ta.manager and tb.manager and ta.manager_id != tb.manager_id:
            _introduce(proposer, ta.manager, tb.manager, reason, skill)
        return intro
    raise ServiceError(_("Choose two people or two teams."), field="person_a")


@transaction.atomic
def accept_structure(
    *, person: Person, kind: str, skill_id: int | None = None, domain_id: int | None = None
) -> StructureDecision:
    """Accept a suggested structure (idempotent: accepting it twice keeps one decision)."""
    if kind not in StructureDecision.Kind.values:
        raise ServiceError(_("Unknown kind of structure."), field="kind")
    skill = domain = None
    if kind == "community":
        domain = SkillDomain.objects.filter(pk=domain_id or 0).first()
        if domain is None:
            raise NotFound(_("Unknown skill domain."), field="domain")
        key = f"community:{domain.code}"
    else:
        skill = Skill.objects.filter(pk=skill_id or 0).first()
        if skill is None:
            raise NotFound(_("Unknown skill."), field="skill")
        key = f"{kind}:{skill.code}"
    decision, _created = StructureDecision.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "skill": skill,
            "domain": domain,
            "accepted_by": person,
            "accepted_at": timezone.now(),
        },
    )
    return decision
