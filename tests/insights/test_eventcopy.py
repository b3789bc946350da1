"""The compact copy of the event log: what it returns is what the log holds, and it follows
the log when events are added, backdated or deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from django.utils import timezone

from sylva.insights import eventcopy
from sylva.insights.load import verb_codes
from sylva.insights.models import EventDay
from sylva.people import verbs
from sylva.people.models import LearningEvent
from sylva.people.services import record_event, skill_iri
from sylva.people.verbs import Verb
from tests.insights.conftest import Activity

WINDOW = timedelta(days=30)


def _straight_from_the_log(start: datetime, end: datetime) -> np.ndarray:
    """The same columns through the ORM, row by row: what the copy must agree with."""
    index = {verbs.BY_CODE[c].iri: i for i, c in enumerate(verb_codes()) if c}
    rows = [
        (a or 0, o or 0, index.get(v, 0), s or 0, t or 0, si or 0)
        for a, o, v, s, t, si in LearningEvent.objects.filter(
            timestamp__gte=start, timestamp__lt=end
        ).values_list("actor_id", "other_id", "verb", "skill_id", "team_id", "site_id")
    ]
    return np.array(sorted(rows), dtype=np.int64).reshape(-1, 6)


def _copied(start: datetime, end: datetime) -> tuple[np.ndarray, np.ndarray]:
    ev, courses = eventcopy.read(start, end, verb_codes())
    return np.array(sorted(map(tuple, ev[:, :6].tolist())), dtype=np.int64).reshape(-1, 6), courses


def _event(activity: Activity, when: datetime | None = None, verb: Verb = verbs.TAUGHT) -> None:
    org = activity.org
    record_event(
        actor=org.expert,
        verb=verb,
        object_id=skill_iri(org.extrude),
        skill=org.extrude,
        other=activity.operators[0],
        timestamp=when,
    )


def test_the_copy_returns_what_the_log_holds(activity: Activity) -> None:
    end = timezone.now() + timedelta(seconds=2)
    start = end - WINDOW
    _event(activity, when=end - timedelta(days=10))
    ev, courses = _copied(start, end)
    assert ev.tolist() == _straight_from_the_log(start, end).tolist()
    assert len(ev) == 8
    assert courses[:, 2].tolist() == [3.0]  # the three-hour course, in hours
    assert EventDay.objects.count() == 2  # today and ten days ago; empty days not stored


def test_the_copy_follows_added_backdated_and_deleted_events(activity: Activity) -> None:
    end = timezone.now() + timedelta(seconds=2)
    start = end - WINDOW
    assert len(_copied(start, end)[0]) == 7
    _event(activity, when=end - timedelta(days=3))  # backdated: an old day changes
    _event(activity)
    assert len(_copied(start, end)[0]) == 9
    # delete one event and add another on the same day: same count, still seen
    old = LearningEvent.objects.filter(verb=verbs.verb("gave-feedback").iri).get()
    old.delete()
    _event(activity, verb=verbs.RESPONDED)
    ev, _ = _copied(start, end)
    assert ev.tolist() == _straight_from_the_log(start, end).tolist()
    feedback = verb_codes().index("gave-feedback")
    assert feedback not in ev[:, 2].tolist()
    LearningEvent.objects.all().delete()
    assert len(_copied(start, end)[0]) == 0
    assert not EventDay.objects.exists()


def test_a_day_is_read_again_only_when_it_changed(activity: Activity) -> None:
    end = timezone.now() + timedelta(seconds=2)
    start = end - WINDOW
    _event(activity, when=end - timedelta(days=5))
    assert eventcopy.sync(start, end) == 2
    assert eventcopy.sync(start, end) == 0
    _event(activity, when=end - timedelta(days=5))
    assert eventcopy.sync(start, end) == 1


def test_the_window_cuts_inside_a_day(activity: Activity) -> None:
    day = datetime(2026, 3, 10, tzinfo=UTC)
    for hour in (8, 12, 16):
        _event(activity, when=day + timedelta(hours=hour))
    ev, _ = eventcopy.read(day + timedelta(hours=10), day + timedelta(hours=20), verb_codes())
    assert len(ev) == 2
    assert EventDay.objects.get(day=day.date()).rows == 3  # the whole day is copied


def test_deleting_the_copy_only_makes_the_next_read_rebuild_it(activity: Activity) -> None:
    end = timezone.now() + timedelta(seconds=2)
    start = end - WINDOW
    first = _copied(start, end)[0]
    EventDay.objects.all().delete()
    assert _copied(start, end)[0].tolist() == first.tolist()
