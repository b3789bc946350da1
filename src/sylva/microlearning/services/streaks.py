"""The streak: days in a row with the rendez-vous done.

The rule, on a calendar of days each *done* (the rendez-vous finished), *quiet* (nothing
was due and nothing new was offered, or the rendez-vous was paused) or *missed* (something
was to do and it was not finished): the streak is the number of done days since the last
missed one. Quiet days neither break it nor add to it; today, not over yet, breaks nothing.

``streak_of`` states the rule on a whole calendar; the service keeps only the count and the
last day done (``Learner.streak``, ``Learner.last_day``) and moves them with ``complete``
when a day is done, asking whether the days in between were quiet (``queries.today``
rebuilds each day's queue as it stood). Property tests check that both agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import StrEnum


class Day(StrEnum):
    DONE = "done"
    QUIET = "quiet"  # nothing to do, or paused
    MISSED = "missed"


def streak_of(calendar: Mapping[date, Day], today: date) -> int:
    """The streak on ``today`` from the whole calendar (days absent are missed; today counts
    when done and breaks nothing otherwise)."""
    count = 0
    day = today
    if calendar.get(day) != Day.DONE:
        day -= timedelta(days=1)
    earliest = min(calendar, default=today)
    while day >= earliest:
        status = calendar.get(day, Day.MISSED)
        if status == Day.MISSED:
            break
        if status == Day.DONE:
            count += 1
        day -= timedelta(days=1)
    return count


def quiet_between(last: date | None, day: date, quiet: Callable[[date, date], bool]) -> bool:
    """Whether the streak ending on ``last`` still lives on ``day``: every day strictly
    between them was quiet (``quiet(after, before)`` answers for such a span)."""
    if last is None:
        return False
    if last >= day - timedelta(days=1):
        return True
    return quiet(last, day)


def complete(
    streak: int, last: date | None, day: date, quiet: Callable[[date, date], bool]
) -> tuple[int, date | None]:
    """The streak and the last day done after finishing the rendez-vous of ``day``. A day
    done out of order (an offline answer arriving after a later day was done) keeps both."""
    if last is not None and day <= last:
        return streak, last
    if streak and quiet_between(last, day, quiet):
        return streak + 1, day
    return 1, day


def shown(streak: int, last: date | None, day: date, quiet: Callable[[date, date], bool]) -> int:
    """The streak shown on ``day`` (before or after it is done)."""
    if not streak:
        return 0
    return streak if quiet_between(last, day, quiet) else 0
