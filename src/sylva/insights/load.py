"""Read what insights need from the database into numpy arrays, in one pass.

Insights see only what a real company would give them: the learning-event log, the org
chart, the skills and the exchange board's requests (through ``exchange.queries``, never
their texts). Events come from :mod:`sylva.insights.eventcopy`, a compact copy of
the log's integer columns kept day by day and checked against the log before each read (no
model instance, no Python object per event).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db import connections, router
from django.utils import timezone

from sylva.exchange import queries as exchange_queries
from sylva.insights import eventcopy
from sylva.insights.eventcopy import epoch_sql
from sylva.people import verbs
from sylva.people.models import (
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Site,
    Skill,
    Team,
)

FORMS = ["exchange", "microlearning", "community", "course", "field"]
IN_THE_WORK = [FORMS.index(f.value) for f in verbs.IN_THE_WORK]
COURSE = FORMS.index("course")
Tick = Callable[[int], None]


def _ids(values: np.ndarray) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """Sorted primary keys and a function mapping keys (0 = none) to indices (-1 = none)."""
    keys = np.unique(values[values > 0]).astype(np.int64)

    top = int(keys[-1]) if len(keys) else 0
    if top <= 4 * len(keys) + 1_000_000:  # dense enough: a lookup table, no search
        table = np.full(top + 2, -1, dtype=np.int64)
        table[keys] = np.arange(len(keys))

        def lookup(v: np.ndarray) -> np.ndarray:
            v = np.asarray(v, dtype=np.int64)
            return table[np.clip(v, 0, top + 1)]  # 0 (none) and unknown keys give -1

        return keys, lookup

    def index(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.int64)
        pos = np.searchsorted(keys, v)
        pos = np.minimum(pos, max(len(keys) - 1, 0))
        found = (v > 0) & (len(keys) > 0)
        if len(keys):
            found &= keys[pos] == v
        return np.where(found, pos, -1)

    return keys, index


def at(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` where the index is a position (>= 0), -1 elsewhere; safe when
    ``values`` is empty (people but no team yet: every index is then -1)."""
    index = np.asarray(index, dtype=np.int64)
    if not len(values):
        return np.full(len(index), -1, dtype=np.int64)
    return np.where(index >= 0, values[np.maximum(index, 0)], -1)


@dataclass
class Data:
    """The organisation and its learning, as arrays indexed by position (not primary key)."""

    start: datetime
    end: datetime
    person_ids: np.ndarray
    person_team: np.ndarray  # index into team_ids, -1 without a team
    person_site: np.ndarray
    person_level: np.ndarray  # depth in the management chain (0 = nobody above)
    visible: np.ndarray  # bool: agreed to appear by name in insights
    team_ids: np.ndarray
    team_dept: np.ndarray
    team_site: np.ndarray
    team_manager: np.ndarray  # person index, -1
    dept_ids: np.ndarray
    site_ids: np.ndarray
    skill_ids: np.ndarray
    skill_domain: np.ndarray
    domain_ids: np.ndarray
    # events (two-person or not) in the window
    ev_actor: np.ndarray
    ev_other: np.ndarray
    ev_verb: np.ndarray  # index into VERB_CODES
    ev_skill: np.ndarray
    ev_team: np.ndarray
    ev_site: np.ndarray
    ev_time: np.ndarray  # seconds since the epoch
    # skills held at level ≥ 3, and wishes
    held_person: np.ndarray
    held_skill: np.ndarray
    held_level: np.ndarray
    held_since: np.ndarray
    wish_person: np.ndarray
    wish_skill: np.ndarray
    wish_time: np.ndarray
    # requests on the exchange board (exchange.queries): one row per request …
    req_person: np.ndarray
    req_time: np.ndarray
    req_first: np.ndarray  # time of its first exchange (not declined), NaN when none
    req_open: np.ndarray  # bool: still open on the board
    # … and one row per (request, skill)
    rs_request: np.ndarray
    rs_skill: np.ndarray
    course_hours: np.ndarray  # per person, in the window
    names: dict[str, dict[int, str]] = field(default_factory=dict)

    @property
    def person_dept(self) -> np.ndarray:
        return at(self.team_dept, self.person_team)

    @property
    def n(self) -> int:
        return len(self.person_ids)


VERB_CODES: list[str] = []


def verb_codes() -> list[str]:
    """Codes of every registered verb, index 0 being "unknown" (another tool's verb)."""
    return ["", *verbs.BY_CODE]


def verb_forms() -> np.ndarray:
    """Form index of each verb code (-1 for profile and unknown verbs)."""
    out = [-1]
    for code in verb_codes()[1:]:
        form = verbs.BY_CODE[code].form.value
        out.append(FORMS.index(form) if form in FORMS else -1)
    return np.asarray(out, dtype=np.int64)


def load(*, window_days: int, end: datetime | None = None, tick: Tick | None = None) -> Data:
    end = end or timezone.now()
    start = end - timedelta(days=window_days)
    step = tick or (lambda n: None)
    connection = connections[router.db_for_read(LearningEvent)]
    people = _columns(
        connection,
        Person,
        ["id", "team_id", "site_id", "manager_id", "CASE WHEN visible_in_insights THEN 1 END"],
    )
    person_ids, person_index = _ids(people[:, 0])
    teams = _columns(connection, Team, ["id", "department_id", "site_id", "manager_id"])
    team_ids, team_index = _ids(teams[:, 0])
    dept_ids, dept_index = _ids(np.array(list(Department.objects.values_list("pk", flat=True))))
    site_ids, site_index = _ids(np.array(list(Site.objects.values_list("pk", flat=True))))
    skills = np.array(list(Skill.objects.order_by("pk").values_list("pk", "domain_id")) or [(0, 0)])
    skill_ids, skill_index = _ids(skills[:, 0])
    domain_ids, domain_index = _ids(skills[:, 1])
    person_team = team_index(people[:, 1])
    team_site = site_index(teams[:, 2])
    person_site = site_index(people[:, 2])
    person_site = np.where(person_site < 0, at(team_site, person_team), person_site)
    manager = person_index(people[:, 3])
    level = np.zeros(len(person_ids), dtype=np.int64)
    for _ in range(30):  # depth in the management chain, cycles cut at 30
        new = np.where(manager >= 0, level[np.maximum(manager, 0)] + 1, 0)
        if np.array_equal(new, level):
            break
        level = np.minimum(new, 30)
    step(1)

    codes = verb_codes()
    # the compact day-by-day copy of the log's integer columns, brought up to date first
    ev, courses = eventcopy.read(start, end, codes, tick=step)
    step(len(ev))

    epoch = epoch_sql(connection.vendor, "{}")
    held = _columns(
        connection,
        PersonSkill,
        ["person_id", "skill_id", "level", epoch.format("updated_at")],
        sort=False,
    )
    wishes = _columns(
        connection,
        LearningWish,
        ["person_id", "skill_id", epoch.format("created_at")],
        sort=False,
    )

    hours = np.zeros(len(person_ids))
    found = person_index(courses[:, 0].astype(np.int64))
    np.add.at(hours, found[found >= 0], courses[found >= 0, 2])

    answers = exchange_queries.request_answers()
    req_person = person_index(np.asarray([a.person_id for a in answers], dtype=np.int64))
    req_time = np.asarray([a.created_at.timestamp() for a in answers], dtype=np.float64)
    req_first = np.asarray(
        [a.first_exchange_at.timestamp() if a.first_exchange_at else np.nan for a in answers],
        dtype=np.float64,
    )
    req_open = np.asarray([a.open for a in answers], dtype=bool)
    rs_request = np.asarray([i for i, a in enumerate(answers) for _ in a.skill_ids], dtype=np.int64)
    rs_skill = skill_index(np.asarray([s for a in answers for s in a.skill_ids], dtype=np.int64))
    known = req_person >= 0  # requests of people who are gone are left out
    keep = np.flatnonzero(known)
    renumber = np.cumsum(known) - 1
    rs_known = known[rs_request] & (rs_skill >= 0) if len(rs_request) else np.zeros(0, bool)

    data = Data(
        start=start,
        end=end,
        person_ids=person_ids,
        person_team=person_team,
        person_site=person_site,
        person_level=level,
        visible=people[:, 4].astype(bool) if len(people) else np.zeros(0, dtype=bool),
        team_ids=team_ids,
        team_dept=dept_index(teams[:, 1]),
        team_site=team_site,
        team_manager=person_index(teams[:, 3]),
        dept_ids=dept_ids,
        site_ids=site_ids,
        skill_ids=skill_ids,
        skill_domain=domain_index(skills[:, 1]) if len(skill_ids) else np.zeros(0, np.int64),
        domain_ids=domain_ids,
        ev_actor=person_index(ev[:, 0]),
        ev_other=person_index(ev[:, 1]),
        ev_verb=ev[:, 2],
        ev_skill=skill_index(ev[:, 3]),
        ev_team=team_index(ev[:, 4]),
        ev_site=site_index(ev[:, 5]),
        ev_time=ev[:, 6],
        held_person=person_index(held[:, 0]),
        held_skill=skill_index(held[:, 1]),
        held_level=held[:, 2],
        held_since=held[:, 3],
        wish_person=person_index(wishes[:, 0]),
        wish_skill=skill_index(wishes[:, 1]),
        wish_time=wishes[:, 2],
        req_person=req_person[keep],
        req_time=req_time[keep],
        req_first=req_first[keep],
        req_open=req_open[keep],
        rs_request=renumber[rs_request[rs_known]] if len(rs_request) else rs_request,
        rs_skill=rs_skill[rs_known] if len(rs_request) else rs_skill,
        course_hours=hours,
    )
    step(1)
    return data


def _columns(connection: Any, model: Any, columns: list[str], *, sort: bool = True) -> np.ndarray:
    """Integer columns of a whole table (NULL as 0) as an n x k array, sorted by the first
    column when ``sort``: each column aggregated into one text by the database and parsed
    by numpy, instead of one Python tuple per row."""
    table = connection.ops.quote_name(model._meta.db_table)
    aggregates = ", ".join(
        eventcopy.text_agg(connection.vendor, f"COALESCE({c}, 0)") for c in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregates} FROM {table}", [])
        texts = cursor.fetchone()
    parsed = [eventcopy.parse(t) for t in texts]
    if not len(parsed[0]):
        return np.zeros((0, len(columns)), dtype=np.int64)
    out = np.column_stack(parsed)
    return out[np.argsort(out[:, 0], kind="stable")] if sort else out
