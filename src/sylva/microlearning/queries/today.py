"""Today's rendez-vous: at most ~5 minutes, due reviews first (failed first), then the new
cards of my campaigns, within each campaign's rhythm."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from sylva.microlearning.models import Campaign, Card, Learner, Memory, Module, Review
from sylva.microlearning.queries.audience import (
    active_campaigns,
    campaign_people,
    campaigns_for,
)
from sylva.people.models import Person

DAILY_BUDGET_SECONDS = 300  # ~5 minutes a day


def day_bounds(now: datetime) -> tuple[date, datetime, datetime]:
    """The local day of ``now``, its start and its end (aware datetimes)."""
    day = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return day, start, start + timedelta(days=1)


def period_start(campaign: Campaign, day_start: datetime) -> datetime:
    if campaign.rhythm == Campaign.Rhythm.WEEKLY:
        return day_start - timedelta(days=6)
    return day_start


@dataclass
class Slot:
    card: Card
    is_new: bool
    campaign_id: int | None = None


@dataclass
class Today:
    person: Person
    day: date
    slots: list[Slot] = field(default_factory=list)
    answered_today: int = 0
    seconds_today: int = 0
    due_total: int = 0
    paused: bool = False
    streak: int = 0
    best_streak: int = 0

    @property
    def cards(self) -> list[Card]:
        return [s.card for s in self.slots]

    @property
    def due_count(self) -> int:
        return sum(1 for s in self.slots if not s.is_new)

    @property
    def new_count(self) -> int:
        return sum(1 for s in self.slots if s.is_new)

    @property
    def done(self) -> bool:
        return not self.slots

    @property
    def minutes(self) -> int:
        return max(1, round(sum(s.card.estimated_seconds for s in self.slots) / 60))

    @property
    def progress_percent(self) -> int:
        total = self.answered_today + len(self.slots)
        return round(100 * self.answered_today / total) if total else 100


def compose(due: Iterable[Card], new: Iterable[tuple[Card, int]], spent_seconds: int) -> list[Slot]:
    """Fill the day's budget: due cards (already in order), then new ones. A first card is
    always offered while the budget is not used up, however long it is."""
    budget = DAILY_BUDGET_SECONDS - spent_seconds
    slots: list[Slot] = []
    for card, is_new, campaign_id in _chain(due, new):
        if budget <= 0:
            break
        slots.append(Slot(card, is_new, campaign_id))
        budget -= card.estimated_seconds
    return slots


def _chain(
    due: Iterable[Card], new: Iterable[tuple[Card, int]]
) -> Iterator[tuple[Card, bool, int | None]]:
    for card in due:
        yield card, False, None
    for card, campaign_id in new:
        yield card, True, campaign_id


def due_memories(person: Person, end: datetime) -> list[Memory]:
    failed_first = Case(
        When(last_rating=1, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Memory.objects.filter(
            person=person, due__lt=end, card__module__status=Module.Status.PUBLISHED
        )
        .select_related("card__module")
        .order_by(failed_first, "due", "pk")
    )


def new_cards(
    person: Person, campaigns: list[Campaign], day_start: datetime
) -> list[tuple[Card, int]]:
    """The next unseen cards of each campaign, within its rhythm (n per day or per week)."""
    if not campaigns:
        return []
    week = day_start - timedelta(days=6)
    introduced: dict[int, list[datetime]] = defaultdict(list)
    for campaign_id, first_seen in Memory.objects.filter(
        person=person, campaign_id__in=[c.pk for c in campaigns], first_seen__gte=week
    ).values_list("campaign_id", "first_seen"):
        introduced[campaign_id].append(first_seen)
    seen = Memory.objects.filter(person=person).values("card_id")
    picked: list[tuple[Card, int]] = []
    taken: set[int] = set()
    for campaign in campaigns:
        since = period_start(campaign, day_start)
        room = campaign.new_cards - sum(1 for t in introduced[campaign.pk] if t >= since)
        module_ids: list[int] = campaign.module_ids  # type: ignore[attr-defined]
        for module_id in module_ids:  # in the campaign's order, usually one query
            if room <= 0:
                break
            candidates = (
                Card.objects.filter(module_id=module_id)
                .exclude(pk__in=seen)
                .exclude(pk__in=taken)
                .select_related("module")
                .order_by("position", "pk")[:room]
            )
            for card in candidates:
                picked.append((card, campaign.pk))
                taken.add(card.pk)
                room -= 1
    return picked


def answered_today(person: Person, start: datetime) -> tuple[int, int]:
    rows = Review.objects.filter(
        person=person, context=Review.Context.TODAY, reviewed_at__gte=start
    ).select_related("card")
    cards = [r.card for r in rows]
    return len(cards), sum(c.estimated_seconds for c in cards)


def today(person: Person, now: datetime | None = None) -> Today:
    now = now or timezone.now()
    day, start, end = day_bounds(now)
    learner = Learner.objects.filter(person=person).first()
    result = Today(person=person, day=day)
    if learner is not None:
        result.streak, result.best_streak = current_streak(learner, day), learner.best_streak
        if learner.is_paused:
            result.paused = True
            return result
    result.answered_today, result.seconds_today = answered_today(person, start)
    due = due_memories(person, end)
    result.due_total = len(due)
    campaigns = campaigns_for(person, day)
    result.slots = compose(
        [m.card for m in due], new_cards(person, campaigns, start), result.seconds_today
    )
    return result


def current_streak(learner: Learner, day: date) -> int:
    """The streak still alive today: done today or yesterday (or paused)."""
    if learner.last_day is None:
        return 0
    if learner.is_paused or learner.last_day >= day - timedelta(days=1):
        return learner.streak
    return 0


def campaign_for_card(person: Person, card: Card, day: date) -> Campaign | None:
    """The campaign through which ``card`` reaches ``person`` (None: it does not)."""
    for campaign in campaigns_for(person, day):
        if card.module_id in campaign.module_ids:  # type: ignore[attr-defined]
            return campaign
    return None


# --- the whole organisation at once (the nightly batch, the benchmark) -------------------


def all_queues(now: datetime | None = None) -> dict[int, list[int]]:
    """Every learner's queue of card ids, computed in bulk: a handful of queries whatever
    the number of learners (used to prepare notifications, and measured by bench/today.py)."""
    now = now or timezone.now()
    day, start, end = day_bounds(now)
    paused = set(
        Learner.objects.filter(paused_since__isnull=False).values_list("person_id", flat=True)
    )
    cards = {
        c.pk: c
        for c in Card.objects.filter(module__status=Module.Status.PUBLISHED).only(
            "pk", "module_id", "kind", "title", "body", "options", "position"
        )
    }
    spent: dict[int, int] = defaultdict(int)
    for person_id, card_id in (
        Review.objects.filter(context=Review.Context.TODAY, reviewed_at__gte=start)
        .values_list("person_id", "card_id")
        .iterator(chunk_size=10_000)
    ):
        card = cards.get(card_id)
        spent[person_id] += card.estimated_seconds if card else 0
    due: dict[int, list[tuple[int, datetime, int]]] = defaultdict(list)
    seen: dict[int, set[int]] = defaultdict(set)
    today_count: dict[tuple[int, int], int] = defaultdict(int)
    week_count: dict[tuple[int, int], int] = defaultdict(int)
    week_ago = start - timedelta(days=6)
    rows = Memory.objects.values_list(
        "person_id", "card_id", "due", "last_rating", "campaign_id", "first_seen"
    ).iterator(chunk_size=20_000)
    for person_id, card_id, due_at, rating, campaign_id, first_seen in rows:
        seen[person_id].add(card_id)
        if due_at is not None and due_at < end and card_id in cards:
            due[person_id].append((0 if rating == 1 else 1, due_at, card_id))
        if campaign_id is not None and first_seen >= week_ago:
            week_count[(person_id, campaign_id)] += 1
            if first_seen >= start:
                today_count[(person_id, campaign_id)] += 1
    by_module: dict[int, list[Card]] = defaultdict(list)
    for card in sorted(cards.values(), key=lambda c: (c.position, c.pk)):
        by_module[card.module_id].append(card)
    reach: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in active_campaigns(day):
        for person_id in campaign_people(campaign, day).values_list("pk", flat=True):
            reach[person_id].append(campaign)
    queues: dict[int, list[int]] = {}
    for person_id in set(due) | set(reach):
        if person_id in paused:
            continue
        due_cards = [cards[c] for _r, _d, c in sorted(due.get(person_id, []))]
        fresh: list[tuple[Card, int]] = []
        mine = seen.get(person_id, set())
        for campaign in reach.get(person_id, []):
            weekly = campaign.rhythm == Campaign.Rhythm.WEEKLY
            done = (week_count if weekly else today_count).get((person_id, campaign.pk), 0)
            room = campaign.new_cards - done
            for module_id in campaign.module_ids:  # type: ignore[attr-defined]
                for card in by_module[module_id]:
                    if room <= 0:
                        break
                    if card.pk not in mine:
                        fresh.append((card, campaign.pk))
                        room -= 1
        slots = compose(due_cards, fresh, spent.get(person_id, 0))
        queues[person_id] = [s.card.pk for s in slots]
    return queues
