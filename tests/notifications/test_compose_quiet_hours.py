"""Quiet hours, as a property: whatever the zone, the window (overnight too) and the day
(clock changes included), a message is held to the first moment out of the window, never
earlier than now and within a day."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sylva.notifications.models import Preference
from sylva.notifications.services.compose import after_quiet_hours

#: zones with clock changes of every shape (1 h, 30 min at Lord Howe, the southern
#: hemisphere, none), far offsets, and a zone that changed its rules
ZONES = [
    "Europe/Paris",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "Asia/Tehran",
    "Africa/Casablanca",
    "America/St_Johns",
    "UTC",
]

#: instants around the clock changes of Paris and New York in 2026, and plain ones
DST_DAYS = [
    datetime(2026, 3, 29, tzinfo=UTC),  # Europe springs forward (01:00 UTC)
    datetime(2026, 10, 25, tzinfo=UTC),  # Europe falls back
    datetime(2026, 3, 8, tzinfo=UTC),  # the United States spring forward
    datetime(2026, 11, 1, tzinfo=UTC),  # and fall back
    datetime(2026, 4, 5, tzinfo=UTC),  # Sydney and Lord Howe fall back
    datetime(2026, 10, 4, tzinfo=UTC),  # and spring forward
    datetime(2026, 7, 14, tzinfo=UTC),
]

times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
instants = st.builds(
    lambda day, minutes, seconds: day + timedelta(minutes=minutes, seconds=seconds),
    st.sampled_from(DST_DAYS),
    st.integers(-24 * 60, 48 * 60),
    st.integers(0, 59),
)


def quiet(instant: datetime, zone: zoneinfo.ZoneInfo, start: time, end: time) -> bool:
    moment = instant.astimezone(zone).time()
    return start <= moment < end if start < end else (moment >= start or moment < end)


def length(start: time, end: time) -> timedelta:
    """The window's length on an ordinary day."""
    base = datetime(2000, 1, 1)
    span = datetime.combine(base, end) - datetime.combine(base, start)
    return span if span > timedelta(0) else span + timedelta(days=1)


@settings(max_examples=1500, deadline=None)
@given(now=instants, zone_name=st.sampled_from(ZONES), start=times, end=times)
@example(  # 02:10 the second time round in Paris, quiet 01:00-02:30: not the first 02:30
    now=datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
    zone_name="Europe/Paris",
    start=time(1, 0),
    end=time(2, 30),
)
@example(  # an end that the spring-forward skips
    now=datetime(2026, 3, 29, 0, 50, tzinfo=UTC),
    zone_name="Europe/Paris",
    start=time(1, 0),
    end=time(2, 30),
)
@example(  # overnight, now before midnight
    now=datetime(2026, 7, 14, 21, 30, tzinfo=UTC),
    zone_name="Europe/Paris",
    start=time(22, 0),
    end=time(7, 0),
)
@example(  # quiet 03:00-02:00: the one open hour, 02:00-03:00, is skipped in spring
    now=datetime(2026, 3, 28, 23, 59, tzinfo=UTC),
    zone_name="Europe/Paris",
    start=time(3, 0),
    end=time(2, 0),
)
def test_a_message_waits_for_the_first_moment_out_of_the_quiet_hours(
    now: datetime, zone_name: str, start: time, end: time
) -> None:
    zone = zoneinfo.ZoneInfo(zone_name)
    preference = Preference(quiet_from=start, quiet_until=end)
    due = after_quiet_hours(now, preference, zone)

    assert due >= now
    if start != end:
        assert not quiet(due, zone, start, end)
    if not quiet(now, zone, start, end) or start == end:
        assert due == now
        return
    # at most the window's length later, give or take the clock change of that night; an
    # open gap of an hour or less can vanish in the spring-forward, and then the next day's
    # end is the first moment out of the window
    bound = length(start, end) + timedelta(hours=1)
    if timedelta(days=1) - length(start, end) <= timedelta(hours=1):
        bound += timedelta(days=1)
    assert due - now <= bound
    if length(start, end) <= timedelta(hours=22):
        assert due < now + timedelta(hours=24)
    # the end of the window: a minute earlier (when later than now) is still quiet, unless
    # the clock changed in the hour before (an end the spring-forward skips is reckoned on
    # the clock of before the change)
    earlier = due - timedelta(minutes=1)
    changed = (due - timedelta(hours=1)).astimezone(zone).utcoffset() != (
        due.astimezone(zone).utcoffset()
    )
    if earlier >= now and not changed:
        assert quiet(earlier, zone, start, end)


def test_no_quiet_hours_or_an_empty_window_send_now() -> None:
    now = datetime(2026, 7, 14, 3, 0, tzinfo=UTC)
    zone = zoneinfo.ZoneInfo("Europe/Paris")
    assert after_quiet_hours(now, Preference(), zone) == now
    same = Preference(quiet_from=time(5), quiet_until=time(5))
    assert after_quiet_hours(now, same, zone) == now


def test_a_message_at_night_waits_for_the_morning_in_the_persons_zone() -> None:
    preference = Preference(quiet_from=time(21, 0), quiet_until=time(7, 30))
    now = datetime(2026, 7, 14, 20, 0, tzinfo=UTC)  # 22:00 in Paris, 16:00 in New York
    paris = after_quiet_hours(now, preference, zoneinfo.ZoneInfo("Europe/Paris"))
    assert paris == datetime(2026, 7, 15, 5, 30, tzinfo=UTC)  # 07:30 in Paris
    assert after_quiet_hours(now, preference, zoneinfo.ZoneInfo("America/New_York")) == now
