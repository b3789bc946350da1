"""The entry points: generate the company, remove it, list the demo accounts."""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.progress import Progress

from sylva.core.errors import ServiceError
from sylva.people.models import (
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.seed.catalogue import (
    DEMO_PASSWORD,
    MIN_PEOPLE,
    PERSONAS,
    Catalogue,
    SeedSummary,
    load_catalogue,
)
from sylva.people.seed.events import _History, _workers, _write_events
from sylva.people.seed.plan import (
    Plan,
    _assign_usernames,
    _hire,
    _name_people,
    _Phase,
    _pick_personas,
    plan_organisation,
    plan_skills,
)
from sylva.people.seed.write import _write_people, _write_reference, _write_skills, _write_teams

# --- the entry points -------------------------------------------------------------------


def _refuse_if_populated() -> None:
    people = Person.objects.count()
    if people:
        raise ServiceError(
            _(
                "The database already has %(count)d people; reset it first "
                "(sylva seed --reset) to replace them with the demo company."
            )
            % {"count": people},
            field="people",
            status=409,
        )
    org: list[type[models.Model]] = [Department, Site, Team, Skill, SkillDomain, Population]
    if any(model._default_manager.exists() for model in org):
        raise ServiceError(
            _(
                "The database already has an organisation (departments, sites or skills); "
                "reset it first (sylva seed --reset)."
            ),
            field="people",
            status=409,
        )


@contextmanager
def _sqlite_bulk_load(progress: Progress | None, *bulk: type[models.Model]) -> Iterator[None]:
    """On SQLite, a 1 GiB page cache, and the ``bulk`` tables' secondary indexes dropped and
    built again at the end from their own SQL: for inserting or deleting millions of rows,
    sorting once is far faster than updating a dozen indexes row by row. All inside the
    caller's transaction, so the schema is never seen without them."""
    connection = connections[router.db_for_write(LearningEvent)]
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in bulk]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -1048576")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({})".format(
                ", ".join(["%s"] * len(tables))
            ),
            tables,
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
        tick = _Phase(progress, "Building indexes", len(indexes))
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
                tick.advance(1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The company is millions of acyclic objects that reference counting frees: the cyclic
    collector would only rescan them, again and again (and, frozen, forked workers share
    them without copying)."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _window_end(today: date) -> datetime:
    """Midnight at the start of today: events stay in the past and do not depend on the hour."""
    return timezone.make_aware(datetime.combine(today, datetime.min.time())).astimezone(UTC)


def _plan(
    rng: random.Random, people: int, cat: Catalogue, today: date, progress: Progress | None
) -> Plan:
    tick = _Phase(progress, "Planning the organisation", 1)
    plan = plan_organisation(rng, people, cat)
    _name_people(rng, plan, cat)
    _pick_personas(rng, plan)
    _hire(rng, plan, today)
    _assign_usernames(plan)
    tick.done()
    plan_skills(rng, plan, cat, _Phase(progress, "Planning skills", len(plan.people)))
    return plan


@transaction.atomic
def generate_company(
    *,
    people: int,
    seed: int,
    events_per_person: int = 20,
    progress: Progress | None = None,
    workers: int | None = None,
) -> SeedSummary:
    """Create Boréal Emballages: ``people`` people, their organisation, skills and history.

    ``workers`` forked processes draw the learning events (default: one per CPU for a large
    history on SQLite); the company is the same whatever their number.
    """
    if people < MIN_PEOPLE:
        raise ServiceError(
            _("A demo company needs at least %(min)d people.") % {"min": MIN_PEOPLE}, field="people"
        )
    if events_per_person < 0:
        raise ServiceError(
            _("The number of events per person cannot be negative."), field="events_per_person"
        )
    _refuse_if_populated()
    started = time.perf_counter()
    rng, cat, today = random.Random(seed), load_catalogue(), timezone.localdate()
    with _cyclic_gc_paused(), _sqlite_bulk_load(progress, LearningEvent, PersonSkill, LearningWish):
        plan = _plan(rng, people, cat, today, progress)
        written = _write_reference(cat)
        _write_teams(plan, written)
        _write_people(plan, written, _Phase(progress, "Writing people", people))
        declared, wished = _write_skills(
            rng, plan, written, _window_end(today), _Phase(progress, "Writing skills", people)
        )
        total = people * events_per_person
        history = _History(rng, plan, written, cat, total, today)
        tick = _Phase(progress, "Writing learning events", total)
        events = _write_events(history, tick, _workers(total) if workers is None else workers)
    return SeedSummary(
        departments=len(written.departments),
        teams=len(written.teams),
        sites=len(written.sites),
        people=len(written.people),
        newcomers=sum(p.newcomer for p in plan.people),
        skills=len(written.skills),
        domains=len(written.domains),
        skill_declarations=declared,
        learning_wishes=wished,
        learning_events=events,
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def reset_company() -> None:
    """Delete the organisation: people and their accounts, teams, departments, sites, skills,
    domains, populations and the learning events. Accounts without a person are kept."""
    _release_the_company()
    bulk: list[type[models.Model]] = [LearningEvent, PersonSkill, LearningWish]
    with _cyclic_gc_paused(), _sqlite_bulk_load(None, *bulk):
        for model in [*bulk, Person.populations.through]:
            model._default_manager.all().delete()
        Team.objects.update(manager=None)
        Department.objects.update(head=None)
        Person.objects.update(manager=None)
        get_user_model().objects.filter(person__isnull=False).delete()  # and their people
        org: list[type[models.Model]] = [Team, Department, Site, Skill, SkillDomain, Population]
        for model in org:
            model._default_manager.all().delete()


#: what reset_company deletes (an account only when it has a person)
_COMPANY: tuple[type[models.Model], ...] = (
    Person,
    Team,
    Department,
    Site,
    Skill,
    SkillDomain,
    Population,
)


def _release_the_company() -> None:
    """Delete, in every other app, the rows that keep the company from going: those holding
    a person, a team, a skill… through a foreign key ``on_delete=PROTECT`` (what the people
    wrote in each pillar: posts, projects, feedback…), with what cascades from them. Apps in
    the reverse order of INSTALLED_APPS, models in the reverse order of their definition
    (a later model may protect an earlier one)."""
    company = set(_COMPANY) | {get_user_model()}
    for config in reversed(list(apps.get_app_configs())):
        if config.label == Person._meta.app_label:
            continue
        for model in reversed(list(config.get_models())):
            holds = Q()
            for field in model._meta.concrete_fields:
                rel = field.remote_field if field.many_to_one else None
                if rel is not None and rel.on_delete is models.PROTECT and rel.model in company:
                    holds |= Q(**{f"{field.name}__isnull": False})
            if holds:
                model._default_manager.filter(holds).delete()


def demo_accounts() -> list[dict[str, str]]:
    """The persona accounts of the demo company, in a fixed order (those that exist)."""
    found = {
        p.user.username: p
        for p in Person.objects.select_related("user", "team").filter(
            user__username__in=[persona.username for persona in PERSONAS]
        )
    }
    accounts = []
    for persona in PERSONAS:
        person = found.get(persona.username)
        if person is None:
            continue
        accounts.append(
            {
                "username": persona.username,
                "password": DEMO_PASSWORD,
                "persona_en": persona.label_en,
                "persona_fr": persona.label_fr,
                "full_name": person.full_name,
                "team": person.team.name if person.team else "",
            }
        )
    return accounts
