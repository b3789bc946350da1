"""A compact copy of the event columns insights read, one row per UTC day.

Reading two million events from the log means visiting two million wide rows (each carries
its xAPI statement): about 10 s on SQLite even when only integer columns are asked for. The
copy keeps, per day, the seven integer columns insights need (actor, other, verb, skill,
team, site, time in seconds) and the hours of course events, packed as numpy arrays in one
binary column: reading 180 days is then reading 180 blobs.

It is kept honest rather than trusted: before each read, :func:`sync` asks the log for each
day's fingerprint — the number of events and a sum the database reads from the time index
alone (SQLite: of the row ids, so a deletion followed by an insertion changes it; other
databases: of the timestamps to the microsecond) — and reads again the days whose
fingerprint changed (today, always; any day that got backdated, deleted or planted events).
The copy is never a source of truth: deleting every ``EventDay`` only makes the next
recomputation read the log again.
Identifiers are primary keys, mapped to positions at load time, so people, teams or skills
deleted since are simply unknown (as they are in the log, where they become NULL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connections, router, transaction

from sylva.insights.models import EventDay
from sylva.people import verbs
from sylva.people.models import LearningEvent

WIDTH = 7  # actor, other, verb, skill, team, site, time
Tick = Callable[[int], None]

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$")


def duration_hours(text: str | None) -> float:
    """Hours of an ISO 8601 duration such as ``PT3H`` or ``PT1H30M`` (0 if unreadable)."""
    match = _DURATION.match(text or "")
    if not match:
        return 0.0
    days, hours, minutes, seconds = (float(x) if x else 0.0 for x in match.groups())
    return days * 24 + hours + minutes / 60 + seconds / 3600


def epoch_sql(vendor: str, column: str) -> str:
    if vendor == "sqlite":  # julianday is three times faster than strftime('%s')
        return f"CAST(ROUND((julianday({column}) - 2440587.5) * 86400) AS INTEGER)"
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"


def _fingerprint_sql(vendor: str) -> str:
    if vendor == "sqlite":  # rowid is in every index: the time index covers the query
        return "COUNT(*), COALESCE(SUM(rowid), 0)"
    # to the microsecond, so that a deletion and an insertion on the same day are seen
    return "COUNT(*), COALESCE(SUM(EXTRACT(EPOCH FROM timestamp) * 1000000), 0)"


def text_agg(vendor: str, expression: str) -> str:
    if vendor == "sqlite":  # every aggregate of one query sees the rows in the same order
        return f"group_concat({expression}, ',')"
    return f"string_agg(CAST({expression} AS TEXT), ',' ORDER BY id)"


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _days(start: datetime, end: datetime) -> list[date]:
    first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def parse(text: str | None, dtype: Any = np.int64) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=dtype)
    return np.fromstring(text, dtype=dtype, sep=",")  # C speed, no Python object per value


class _Log:
    """SQL on the event log, for one database connection."""

    def __init__(self) -> None:
        self.connection = connections[router.db_for_read(LearningEvent)]
        self.vendor = self.connection.vendor
        self.table = self.connection.ops.quote_name(LearningEvent._meta.db_table)
        self.course = [v.iri for v in verbs.BY_CODE.values() if v.form == verbs.Form.COURSE]

    def bounds(self, day: date) -> list[Any]:
        a, b = _day_bounds(day)
        adapt = self.connection.ops.adapt_datetimefield_value
        return [adapt(a), adapt(b)]

    def fingerprint(self, day: date) -> str:
        sql = (
            f"SELECT {_fingerprint_sql(self.vendor)} FROM {self.table}"
            " WHERE timestamp >= %s AND timestamp < %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, self.bounds(day))
            count, total = cursor.fetchone()
        return f"{int(count)}:{int(total)}"

    def read(self, day: date) -> tuple[str, list[str], np.ndarray, np.ndarray]:
        """The day's fingerprint, verb list, event columns (n x 7) and courses (m x 3:
        actor, time, hours), the columns read in one statement so that they agree."""
        where = "timestamp >= %s AND timestamp < %s"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT verb FROM {self.table} WHERE {where}", self.bounds(day)
            )
            verb_list = sorted(row[0] for row in cursor.fetchall())
            case = " ".join(f"WHEN %s THEN {i}" for i in range(len(verb_list)))
            columns = [
                "COALESCE(actor_id, 0)",
                "COALESCE(other_id, 0)",
                f"CASE verb {case} ELSE -1 END" if verb_list else "-1",
                "COALESCE(skill_id, 0)",
                "COALESCE(team_id, 0)",
                "COALESCE(site_id, 0)",
                epoch_sql(self.vendor, "timestamp"),
            ]
            cursor.execute(
                "SELECT {}, {} FROM {} WHERE {}".format(
                    _fingerprint_sql(self.vendor),
                    ", ".join(text_agg(self.vendor, c) for c in columns),
                    self.table,
                    where,
                ),
                [*verb_list, *self.bounds(day)],
            )
            count, total, *texts = cursor.fetchone()
            courses = np.zeros((0, 3))
            if self.course:
                marks = ", ".join(["%s"] * len(self.course))
                cursor.execute(
                    f"SELECT actor_id, {epoch_sql(self.vendor, 'timestamp')}, result"
                    f" FROM {self.table} WHERE verb IN ({marks}) AND {where}"
                    " AND actor_id IS NOT NULL",
                    [*self.course, *self.bounds(day)],
                )
                rows = []
                for actor, when, result in cursor.fetchall():
                    if isinstance(result, str):
                        result = json.loads(result)
                    duration = result.get("duration") if isinstance(result, dict) else None
                    rows.append((actor, when, duration_hours(duration)))
                if rows:
                    courses = np.asarray(rows, dtype=np.float64)
        parsed = [parse(t) for t in texts]
        n = len(parsed[0])
        if any(len(c) != n for c in parsed) or (n and parsed[2].min() < 0):
            raise RuntimeError(f"events of {day} changed while being read")  # a new verb
        ev = np.column_stack(parsed) if n else np.zeros((0, WIDTH))
        return f"{int(count)}:{int(total)}", verb_list, ev.astype(np.int64), courses


def _pack(ev: np.ndarray, courses: np.ndarray) -> bytes:
    return ev.astype("<i8").tobytes() + courses.astype("<f8").tobytes()


def _unpack(data: bytes | memoryview, rows: int, courses: int) -> tuple[np.ndarray, np.ndarray]:
    raw = bytes(data) if isinstance(data, memoryview) else data
    ev = np.frombuffer(raw, dtype="<i8", count=rows * WIDTH).reshape(rows, WIDTH)
    co = np.frombuffer(raw, dtype="<f8", count=courses * 3, offset=rows * WIDTH * 8)
    return ev, co.reshape(courses, 3)


def sync(start: datetime, end: datetime, tick: Tick | None = None) -> int:
    """Bring the copy of every day touching [start, end) up to date; returns how many days
    were read again from the log."""
    log = _Log()
    days = _days(start, end)
    known = dict(EventDay.objects.filter(day__in=days).values_list("day", "fingerprint"))
    read = 0
    for day in days:
        fingerprint = log.fingerprint(day)
        if known.get(day) == fingerprint:
            continue
        if fingerprint.startswith("0:"):
            EventDay.objects.filter(day=day).delete()
            continue
        for _attempt in range(3):
            try:
                fingerprint, verb_list, ev, courses = log.read(day)
                break
            except RuntimeError:  # written to while read: read again
                continue
        else:
            continue  # still moving (new verbs while read): the stale copy waits for next time
        with transaction.atomic():
            EventDay.objects.update_or_create(
                day=day,
                defaults={
                    "rows": len(ev),
                    "courses": len(courses),
                    "fingerprint": fingerprint,
                    "verbs": verb_list,
                    "data": _pack(ev, courses),
                },
            )
        read += 1
        if tick:
            tick(len(ev))
    return read


def read(
    start: datetime, end: datetime, codes: list[str], tick: Tick | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Events in [start, end) as an n x 7 array (actor, other, verb, skill, team, site by
    primary key, 0 for none; verb as an index into ``codes``' IRIs, 0 for unknown; time in
    seconds) and courses as m x 3 (actor, time, hours). Syncs the copy first."""
    sync(start, end, tick)
    iri_index = {verbs.BY_CODE[c].iri: i for i, c in enumerate(codes) if c}
    # times are whole seconds (rounded): the window's ends are compared at that precision
    lo, hi = round(start.timestamp()), round(end.timestamp())
    events, courses = [], []
    days = _days(start, end)
    for verb_list, rows, n_courses, data in EventDay.objects.filter(day__in=days).values_list(
        "verbs", "rows", "courses", "data"
    ):
        ev, co = _unpack(data, rows, n_courses)
        mapping = np.asarray([iri_index.get(iri, 0) for iri in verb_list], dtype=np.int64)
        ev = ev.copy()
        ev[:, 2] = mapping[ev[:, 2]]
        events.append(ev[(ev[:, 6] >= lo) & (ev[:, 6] <= hi)])
        courses.append(co[(co[:, 1] >= lo) & (co[:, 1] <= hi)])
    ev_all = np.concatenate(events) if events else np.zeros((0, WIDTH), dtype=np.int64)
    co_all = np.concatenate(courses) if courses else np.zeros((0, 3))
    return ev_all, co_all
