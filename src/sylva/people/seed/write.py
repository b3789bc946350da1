"""Writing the plan: bulk inserts (``executemany``, no per-row query)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, models, router
from django.utils import timezone

from sylva.people.models import (
    Department,
    LearningWish,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.roles import Role, role_groups
from sylva.people.seed.catalogue import (
    BATCH,
    CEO,
    DEMO_PASSWORD,
    HEAD,
    LEAD,
    MEMBER,
    PERSONAS,
    POPULATIONS,
    SITES,
    Catalogue,
    T,
)
from sylva.people.seed.plan import Plan, _Phase
from sylva.people.text import fold, profile_text

# --- writing ----------------------------------------------------------------------------


def _chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Written:
    sites: dict[str, Site]
    departments: dict[str, Department]
    populations: dict[str, Population]
    domains: dict[str, SkillDomain]
    skills: list[Skill]
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def _write_reference(cat: Catalogue) -> Written:
    sites = Site.objects.bulk_create([Site(code=c, name=n, city=city) for c, n, city in SITES])
    departments = Department.objects.bulk_create(
        [Department(code=d.code, name_fr=d.name_fr, name_en=d.name_en) for d in cat.departments]
    )
    populations = Population.objects.bulk_create(
        [Population(code=c, name_fr=fr, name_en=en) for c, fr, en in POPULATIONS]
    )
    domains = {
        d.code: d
        for d in SkillDomain.objects.bulk_create(
            [SkillDomain(code=c, name_fr=fr, name_en=en) for c, (fr, en) in cat.domains.items()]
        )
    }
    skills = Skill.objects.bulk_create(
        [
            Skill(code=s.code, name_fr=s.name_fr, name_en=s.name_en, domain=domains[s.domain])
            for s in cat.skills
        ],
        batch_size=BATCH,
    )
    return Written(
        sites={s.code: s for s in sites},
        departments={d.code: d for d in departments},
        populations={p.code: p for p in populations},
        domains=domains,
        skills=skills,
    )


def _write_teams(plan: Plan, w: Written) -> None:
    w.teams = Team.objects.bulk_create(
        [
            Team(name=t.name, department=w.departments[t.dept], site=w.sites[t.site])
            for t in plan.teams
        ],
        batch_size=BATCH,
    )


def _insert_new(model: type[models.Model], objs: Sequence[models.Model], key: str) -> None:
    """Insert rows, then give each object its new primary key, found by a unique ``key``."""
    _insert(model, objs)
    ids: dict[Any, int] = {}
    for chunk in _chunks([getattr(obj, key) for obj in objs], 900):
        rows = model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk")
        ids.update(rows)
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]


def _write_people(plan: Plan, w: Written, tick: _Phase) -> None:
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
    users = [
        user_model(
            username=p.username,
            email=p.email,
            first_name=p.first,
            last_name=p.last,
            password=password,
            is_staff=p.persona == "admin",
            date_joined=timezone.make_aware(datetime.combine(p.hired, datetime.min.time())),
        )
        for p in plan.people
    ]
    _insert_new(user_model, users, "username")
    tick.advance(len(users) // 2)
    people: dict[int, Person] = {}
    for rank in (CEO, HEAD, LEAD, MEMBER):  # managers first, so reports can point at them
        created = [
            (
                i,
                Person(
                    user_id=users[i].pk,
                    first_name=p.first,
                    last_name=p.last,
                    job_title=p.title,
                    team_id=w.teams[p.team].pk,
                    site_id=w.teams[p.team].site_id,
                    manager_id=people[p.manager].pk if p.manager is not None else None,
                    hire_date=p.hired,
                    language="",
                    search_name=fold(f"{p.first} {p.last}"),
                    search_text=profile_text(p.title),
                ),
            )
            for i, p in enumerate(plan.people)
            if p.rank == rank
        ]
        _insert_new(Person, [obj for _i, obj in created], "user_id")
        people.update(created)
    w.people = [people[i] for i in range(len(plan.people))]
    for team, t in zip(w.teams, plan.teams, strict=True):
        team.manager_id = w.people[t.members[0]].pk
    _update_column(
        Team,
        "manager",
        [(w.people[t.members[0]].pk, team.pk) for team, t in zip(w.teams, plan.teams, strict=True)],
    )
    for code, i in plan.heads.items():
        w.departments[code].head = w.people[i]
    Department.objects.bulk_update(list(w.departments.values()), ["head"])
    _write_memberships(plan, w, users)
    tick.done()


def _write_memberships(plan: Plan, w: Written, users: Sequence[Any]) -> None:
    _insert_dicts(
        Person.populations.through,
        [
            {"person_id": w.people[i].pk, "population_id": w.populations[code].pk}
            for i, p in enumerate(plan.people)
            for code in sorted(p.populations)
        ],
    )
    groups = role_groups()
    by_persona = {persona.username: persona.roles for persona in PERSONAS}
    rows = []
    for i, p in enumerate(plan.people):
        roles = set(by_persona.get(p.persona, (Role.LEARNER,)))
        if p.rank <= LEAD:
            roles.add(Role.MANAGER)
        rows += [{"user_id": users[i].pk, "group_id": groups[r].pk} for r in sorted(roles)]
    _insert_dicts(get_user_model().groups.through, rows)


def _moment(rng: random.Random, end: datetime, hired: date, today: date) -> datetime:
    """A moment since the hire date, within the last two years."""
    days = max(1, min((today - hired).days, 720))
    return end - timedelta(seconds=rng.randrange(days * 86400))


def _write_skills(
    rng: random.Random, plan: Plan, w: Written, end: datetime, tick: _Phase
) -> tuple[int, int]:
    today = timezone.localdate()
    declared = wished = 0
    person_ids, skill_ids = [p.pk for p in w.people], [s.pk for s in w.skills]
    for chunk in _chunks(range(len(plan.people)), BATCH // 4):
        held = [
            {
                "person_id": person_ids[i],
                "skill_id": skill_ids[s],
                "level": level,
                "willing_to_share": share,
                "updated_at": _moment(rng, end, plan.people[i].hired, today),
            }
            for i in chunk
            for s, level, share in plan.people[i].skills
        ]
        wishes = [
            {
                "person_id": person_ids[i],
                "skill_id": skill_ids[s],
                "created_at": _moment(rng, end, plan.people[i].hired, today),
            }
            for i in chunk
            for s in plan.people[i].wishes
        ]
        _insert_dicts(PersonSkill, held)
        _insert_dicts(LearningWish, wishes)
        declared += len(held)
        wished += len(wishes)
        tick.advance(len(chunk))
    tick.done()
    return declared, wished


def _converter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the database (``None``: as it is). The backend's own
    adapters, without the per-value checks of ``get_db_prep_save``."""
    ops = connection.ops
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    )
    if isinstance(field, plain):
        return None
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":  # what its adapter does, without the checks
            tz = connection.timezone
            return lambda v: (
                v and str((v if v.tzinfo is tz else v.astimezone(tz)).replace(tzinfo=None))
            )
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return None if connection.features.has_native_uuid_field else (lambda v: v and v.hex)
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda v: None if v is None else ops.adapt_json_value(v, encoder)
    return partial(field.get_db_prep_save, connection=connection)


def _columns(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    ]


def _rows(model: type[models.Model], values: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """Database-ready rows from column values keyed by attribute name (``person_id``…)."""
    connection = connections[router.db_for_write(model)]
    fields = _columns(model)
    get = itemgetter(*(f.attname for f in fields))
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection))]
    rows = []
    for mapping in values:
        row = list(get(mapping))
        for i, convert in converters:
            row[i] = convert(row[i])
        rows.append(row)
    return rows


def _insert_rows(model: type[models.Model], rows: list[list[Any]]) -> None:
    connection = connections[router.db_for_write(model)]
    qn, fields = connection.ops.quote_name, _columns(model)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_column(model: type[models.Model], name: str, values: list[tuple[Any, Any]]) -> None:
    """UPDATE one foreign-key column row by row: ``values`` are (new value, primary key)."""
    connection = connections[router.db_for_write(model)]
    qn, meta = connection.ops.quote_name, model._meta
    field: Any = meta.get_field(name)
    pk: Any = meta.pk
    sql = f"UPDATE {qn(meta.db_table)} SET {qn(field.column)} = %s WHERE {qn(pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _insert_dicts(model: type[models.Model], values: Sequence[Mapping[str, Any]]) -> None:
    """INSERT rows with one ``executemany``: what ``bulk_create`` does, without building model
    instances or compiling SQL for every few dozen rows (SQLite's limit of 999 parameters)."""
    _insert_rows(model, _rows(model, values))


def _insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    _insert_rows(model, _rows(model, (obj.__dict__ for obj in objs)))
