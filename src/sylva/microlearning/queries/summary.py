"""The summary at the end of a day's rendez-vous: each card answered today with the
learner's result, when FSRS brings it back (in words: "tomorrow", "in 4 days"), and where
to go next (a duel waiting, a module to go over, the memory page).

Only what the learner answered is read: the right answer and the explanation of a card
are shown here because the server graded the learner's answer to it today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sylva.microlearning.models import Card, Duel, Memory, Module, Review
from sylva.microlearning.queries.challenges import open_plays
from sylva.microlearning.queries.today import day_bounds
from sylva.people.models import Person


@dataclass
class Line:
    """One card met today: ``correct`` is None for a card that is not graded (a lesson, a
    poll, a reflection); ``due`` the day FSRS brings it back (None: not scheduled)."""

    card: Card
    correct: bool | None
    due: date | None
    when: str


@dataclass
class DaySummary:
    day: date
    lines: list[Line] = field(default_factory=list)
    duel: Duel | None = None  # a duel waiting on the learner, the first next step
    duel_with: str = ""  # the other player's first name
    module: Module | None = None  # a module of a card answered wrong, to go over

    @property
    def right(self) -> int:
        return sum(1 for line in self.lines if line.correct is True)

    @property
    def wrong(self) -> int:
        return sum(1 for line in self.lines if line.correct is False)

    @property
    def graded(self) -> int:
        return self.right + self.wrong

    @property
    def next_due(self) -> Line | None:
        """The card that comes back first."""
        dated = [line for line in self.lines if line.due is not None]
        return min(dated, key=lambda line: line.due or self.day) if dated else None


def due_in_words(due: date | None, day: date) -> str:
    """When a card comes back, as a person says it, from ``day``."""
    if due is None:
        return ""
    days = (due - day).days
    if days <= 0:
        return _("later today")
    if days == 1:
        return _("tomorrow")
    if days < 14:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    if days < 60:
        weeks = round(days / 7)
        return ngettext("in %(n)d week", "in %(n)d weeks", weeks) % {"n": weeks}
    months = round(days / 30)
    return ngettext("in %(n)d month", "in %(n)d months", months) % {"n": months}


def day_summary(person: Person, now: datetime | None = None) -> DaySummary:
    """What ``person`` answered in the rendez-vous of ``now``'s local day, in the order
    answered (a card answered twice counts by its last answer), and the next steps."""
    now = now or timezone.now()
    day, start, end = day_bounds(now)
    summary = DaySummary(day=day)
    latest: dict[int, Review] = {}
    reviews = (
        Review.objects.filter(
            person=person,
            context=Review.Context.TODAY,
            reviewed_at__gte=start,
            reviewed_at__lt=end,
        )
        .select_related("card__module")
        .order_by("reviewed_at", "pk")
    )
    for review in reviews:
        latest.pop(review.card_id, None)
        latest[review.card_id] = review
    due = dict(
        Memory.objects.filter(person=person, card_id__in=list(latest)).values_list("card_id", "due")
    )
    for card_id, review in latest.items():
        back = timezone.localdate(due[card_id]) if due.get(card_id) else None
        summary.lines.append(Line(review.card, review.correct, back, due_in_words(back, day)))
    wrong = [line.card.module for line in summary.lines if line.correct is False]
    summary.module = wrong[0] if wrong else None
    play = open_plays(person, now).select_related("duel__challenger", "duel__opponent").first()
    if play is not None:
        summary.duel, summary.duel_with = play.duel, play.duel.other_than(person).first_name
    return summary
