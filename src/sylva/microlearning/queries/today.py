"""Today's rendez-vous: at most ~5 minutes, due reviews first (failed first), then the new
cards of my campaigns, within each campaign's rhythm."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When
from django.utils import timezone

from sylva.microlearning.models import (
    Badge,
    Campaign,
    Card,
    ContentVersion,
    Learner,
    Memory,
    Review,
)
from sylva.microlearning.queries import catalogue
from sylva.microlearning.queries.audience import (
    Profile,
    active_campaigns,
    campaign_people,
    campaigns_for,
    targets,
)
from sylva.people.models import Person, Team

DAILY_BUDGET_SECONDS = 300  # ~5 minutes a day

_Row = TypeVar("_Row", bound=Model)


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
    badges: list[str] = field(default_factory=list)  # codes of the last badges
    content: catalogue.Catalogue | None = None  # the catalogue it was composed from

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


def compose(
    due: Iterable[Card],
    new: Iterable[tuple[Card, int]],
    spent_seconds: int,
    seconds: dict[int, int] | None = None,
) -> list[Slot]:
    """Fill the day's budget: due cards (already in order), then new ones. A first card is
    always offered while the budget is not used up, however long it is. ``seconds``: the
    cards' estimates by id, when they were counted already (the catalogue's)."""
    budget = DAILY_BUDGET_SECONDS - spent_seconds
    slots: list[Slot] = []
    for card, is_new, campaign_id in _chain(due, new):
        if budget <= 0:
            break
        slots.append(Slot(card, is_new, campaign_id))
        known = seconds.get(card.id) if seconds else None
        budget -= known if known is not None else card.estimated_seconds
    return slots


def _chain(
    due: Iterable[Card], new: Iterable[tuple[Card, int]]
) -> Iterator[tuple[Card, bool, int | None]]:
    for card in due:
        yield card, False, None
    for card, campaign_id in new:
        yield card, True, campaign_id


# flags of a memory row in the snapshot (LATER: first met after the day, for a past day)
DUE, FAILED, MET_TODAY, MET_THIS_WEEK, LATER = 1, 2, 4, 8, 16


@dataclass
class Snapshot:
    """Everything of one learner the today page reads, from one query."""

    token: str | None = None
    learner: tuple[int, int, bool, date | None] | None = None  # streak, best, paused, last day
    answered: list[int] = field(default_factory=list)  # card ids answered today
    memories: list[tuple[int, int, int, str]] = field(default_factory=list)  # card, campaign,
    # flags, due (as text, to order the due ones)
    population_ids: set[int] = field(default_factory=set)
    department_id: int | None = None
    badges: list[str] = field(default_factory=list)


def _snapshot_sql() -> str:
    def table(model: type) -> str:
        return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]

    populations = connection.ops.quote_name(Person.populations.through._meta.db_table)
    text = "VARCHAR(40)"
    flags = (
        f"(CASE WHEN due < %(end)s THEN {DUE} ELSE 0 END"
        f" + CASE WHEN last_rating = 1 THEN {FAILED} ELSE 0 END"
        f" + CASE WHEN first_seen >= %(start)s AND first_seen < %(end)s THEN {MET_TODAY} ELSE 0 END"
        f" + CASE WHEN first_seen >= %(week)s AND first_seen < %(end)s THEN {MET_THIS_WEEK}"
        " ELSE 0 END"
        f" + CASE WHEN first_seen >= %(end)s THEN {LATER} ELSE 0 END)"
    )
    return " UNION ALL ".join(
        [
            f"SELECT 'V', 0, 0, 0, CAST(token AS {text}) FROM {table(ContentVersion)} WHERE id = 1",
            "SELECT 'L', streak, best_streak, CASE WHEN paused_since IS NULL THEN 0 ELSE 1 END,"
            f" CAST(last_day AS {text}) FROM {table(Learner)} WHERE person_id = %(person)s",
            f"SELECT 'R', card_id, 0, 0, NULL FROM {table(Review)} WHERE person_id = %(person)s"
            " AND context = %(today)s AND reviewed_at >= %(start)s AND reviewed_at < %(end)s",
            f"SELECT 'M', card_id, COALESCE(campaign_id, 0), {flags},"
            f" CASE WHEN due < %(end)s THEN CAST(due AS {text}) END"
            f" FROM {table(Memory)} WHERE person_id = %(person)s",
            f"SELECT 'P', population_id, 0, 0, NULL FROM {populations}"
            " WHERE person_id = %(person)s",
            f"SELECT 'D', department_id, 0, 0, NULL FROM {table(Team)} WHERE id = %(team)s",
            f"SELECT 'B', 0, 0, 0, code FROM (SELECT code FROM {table(Badge)}"
            " WHERE person_id = %(person)s ORDER BY awarded_at DESC LIMIT 6) badges",
        ]
    )


def snapshot(person: Person, start: datetime, end: datetime) -> Snapshot:
    """The learner's state for today in one round trip: the content token, streak and pause,
    today's answers, every memory (with flags: due, failed, met today, met this week), the
    populations and department for targeting, the last badges."""
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "person": person.pk,
        "team": person.team_id or 0,
        "start": adapt(start),
        "end": adapt(end),
        "week": adapt(start - timedelta(days=6)),
        "today": Review.Context.TODAY,
    }
    found = Snapshot()
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(), params)
        rows = cursor.fetchall()
    for kind, a, b, c, text in rows:
        if kind == "M":
            found.memories.append((a, b, c, text))
        elif kind == "R":
            found.answered.append(a)
        elif kind == "P":
            found.population_ids.add(a)
        elif kind == "D":
            found.department_id = a
        elif kind == "B":
            found.badges.append(text)
        elif kind == "L":
            last = date.fromisoformat(str(text)[:10]) if text else None
            found.learner = (a, b, bool(c), last)
        elif kind == "V":
            found.token = text
    return found


def today(person: Person, now: datetime | None = None, *, streak: bool = True) -> Today:
    """Today's rendez-vous of ``person``: one query for the learner's state, the content and
    the campaigns from the in-memory catalogue (see queries.catalogue).

    ``now`` may be a past moment (an answer made offline): the queue of that day is then
    rebuilt from what had been met and answered by its end. ``streak=False`` leaves the
    streak out (used when checking past days for the streak itself)."""
    now = now or timezone.now()
    day, start, end = day_bounds(now)
    found = snapshot(person, start, end)
    result = Today(person=person, day=day, badges=found.badges)
    if found.learner is not None:
        count, result.best_streak, paused, _last_day = found.learner
        if paused:
            result.paused, result.streak = True, count
            return result
    known = result.content = catalogue.current(found.token)
    result.answered_today = len(found.answered)
    result.seconds_today = sum(known.seconds.get(c, 0) for c in found.answered)
    due, seen, met = _memories(found, known)
    result.due_total = len(due)
    who = Profile(
        population_ids=frozenset(found.population_ids),
        team_id=person.team_id,
        site_id=person.site_id,
        department_id=found.department_id,
        hire_date=person.hire_date,
    )
    fresh: list[tuple[Card, int]] = []
    language = reading_language(person)
    for campaign in known.campaigns(day):
        if targets(campaign, who, day):
            fresh += _new_cards(campaign, known, seen, met[campaign.pk], language)
    result.slots = compose(
        [known.cards[c] for _f, _d, c in due], fresh, result.seconds_today, known.seconds
    )
    if streak and found.learner is not None and found.learner[0]:
        result.streak = _streak_lives(person, found.learner[0], found.learner[3], due, day)
    return result


def _memories(
    found: Snapshot, known: catalogue.Catalogue
) -> tuple[list[tuple[int, str, int]], set[int], dict[int, tuple[int, int]]]:
    """From the snapshot's memories: the due cards in queue order (failed first, then by
    due date), the cards already met, and per campaign the cards met today and this week."""
    due: list[tuple[int, str, int]] = []
    seen: set[int] = set()
    met: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))  # campaign: today, week
    for card_id, campaign_id, flags, due_at in found.memories:
        if flags & LATER:  # met after this (past) day: still new on it
            continue
        seen.add(card_id)
        if flags & DUE and known.published(card_id) is not None:
            due.append((0 if flags & FAILED else 1, due_at, card_id))
        if campaign_id and flags & MET_THIS_WEEK:
            on_day, in_week = met[campaign_id]
            met[campaign_id] = (on_day + bool(flags & MET_TODAY), in_week + 1)
    due.sort()
    return due, seen, met


def reading_language(person: Person) -> str:
    """The language a learner reads: theirs, else the organisation's."""
    return person.language or settings.LANGUAGE_CODE[:2]


def _new_cards(
    campaign: Campaign,
    known: catalogue.Catalogue,
    seen: set[int],
    met: tuple[int, int],
    language: str = "",
) -> list[tuple[Card, int]]:
    """The campaign's new cards of the day (or of the week), given those already met."""
    on_day, in_week = met
    done = in_week if campaign.rhythm == Campaign.Rhythm.WEEKLY else on_day
    return pick_new(
        campaign,
        known.by_module,
        seen,
        campaign.new_cards - done,
        language=language,
        versions=known.versions,
    )


def _streak_lives(
    person: Person, count: int, last_day: date | None, due: list[tuple[int, str, int]], day: date
) -> int:
    """The streak lives on when every day since the last one done had nothing to do; the
    first of those days had something when a card was already due on it."""
    first_gap = last_day + timedelta(days=1) if last_day else None
    if first_gap is None:
        return 0
    if first_gap >= day:
        return count
    if _due_by(due, first_gap):
        return 0
    return count if quiet_days(person, first_gap - timedelta(days=1), day) else 0


def _due_by(due: list[tuple[int, str, int]], day: date) -> bool:
    """Whether a card (of the snapshot's due ones, due dates as text) was due on ``day``."""
    for _f, text, _c in due:
        try:
            moment = datetime.fromisoformat(str(text).replace(" ", "T"))
        except ValueError:
            return False  # unreadable: let the day-by-day check decide
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)
        if timezone.localdate(moment) <= day:
            return True
    return False


MAX_QUIET_DAYS = 120  # a longer gap is taken as broken (not rebuilt day by day)


def quiet_days(person: Person, after: date, before: date) -> bool:
    """Whether every day strictly between ``after`` and ``before`` had nothing to do for
    ``person``: nothing answered, nothing due and no new card offered (each day's queue is
    rebuilt as it stood then). Such days, like paused ones, do not break a streak."""
    days = (before - after).days - 1
    if days <= 0:
        return True
    if days > MAX_QUIET_DAYS:
        return False
    _d, gap_start, _e = day_bounds(_noon(after + timedelta(days=1)))
    _d, gap_end, _e = day_bounds(_noon(before))
    if Review.objects.filter(
        person=person,
        context=Review.Context.TODAY,
        reviewed_at__gte=gap_start,
        reviewed_at__lt=gap_end,
    ).exists():
        return False  # something was done, so something was to do, and the day not finished
    # nothing was answered in the gap, so the cards stand as they did: rebuilding its days
    # gives the same answer until the content changes (kept a day, not redone on every page)
    key = f"learn-quiet:{person.pk}:{after}:{before}:{catalogue.token_now()}"
    kept = cache.get(key)
    if kept is None:
        kept = not any(
            today(person, _noon(after + timedelta(days=n)), streak=False).slots
            for n in range(1, days + 1)
        )
        cache.set(key, kept, 86400)
    return bool(kept)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def pick_new(
    campaign: Campaign,
    by_module: dict[int, list[Card]],
    seen: set[int],
    room: int,
    *,
    language: str = "",
    versions: dict[int, dict[str, int]] | None = None,
) -> list[tuple[Card, int]]:
    """The next ``room`` cards of the campaign (its modules in order) not met yet; the
    cards picked are added to ``seen`` so that two campaigns never offer the same card.
    A module with versions in other languages gives the learner's version (``language``;
    the one begun, if they began one: ``catalogue.version_for``), one version per module."""
    picked: list[tuple[Card, int]] = []
    if room <= 0:
        return picked
    campaign_id = campaign.id  # .id, not .pk: read for every learner of the batch
    chosen: set[int] = set()
    for named in campaign.module_ids:  # type: ignore[attr-defined]
        module_id = named
        if versions and named in versions:
            module_id = catalogue.version_for(named, language, versions, by_module, seen)
            if module_id in chosen:  # the campaign names two versions of one module
                continue
        chosen.add(module_id)
        for card in by_module.get(module_id, ()):
            if room <= 0:
                return picked
            if card.id not in seen:
                picked.append((card, campaign_id))
                seen.add(card.id)
                room -= 1
    return picked


def campaign_for_card(person: Person, card: Card, day: date) -> Campaign | None:
    """The campaign through which ``card`` reaches ``person`` (None: it does not): one
    naming its module, or another version of its module."""
    versions = catalogue.current(catalogue.token_now()).versions.get(card.module_id, {})
    modules = {card.module_id, *versions.values()}
    for campaign in campaigns_for(person, day):
        if modules.intersection(campaign.module_ids):  # type: ignore[attr-defined]
            return campaign
    return None


# --- the whole organisation at once (the nightly batch, the benchmark) -------------------


#: up to this many learners, ``all_queues(among=…)`` filters every query by them; beyond,
#: reading everyone once and keeping theirs is cheaper than a long ``IN`` list
AMONG_FILTER_MAX = 5000


def all_queues(
    now: datetime | None = None, among: Collection[int] | None = None
) -> dict[int, list[int]]:
    """Every learner's queue of card ids (those with something to do today; paused
    learners left out), computed in bulk: a handful of queries whatever the number of
    learners. The daily nudge (``services.nudges``) asks it who has something to do and
    how much, for the learners whose reminder time has come (``among``: only their
    queues); bench/today.py measures it. The database filters, orders and counts (due
    cards in queue order, cards met this day and week per campaign); Python reads only
    integers, never a model per memory."""
    now = now or timezone.now()
    day, start, end = day_bounds(now)
    wanted = set(among) if among is not None else None
    if wanted is not None and not wanted:
        return {}
    only = wanted if wanted is not None and len(wanted) <= AMONG_FILTER_MAX else None
    known = catalogue.load(None)
    paused = set(
        _of(Learner.objects.filter(paused_since__isnull=False), only).values_list(
            "person_id", flat=True
        )
    )
    spent = _spent_today(known, start, only)
    due = _due_cards(known, end, only)
    met = _met_by_campaign(start, only)
    reach: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in active_campaigns(day):
        people = campaign_people(campaign, day)
        if only is not None:
            people = people.filter(pk__in=only)
        for person_id in people.values_list("pk", flat=True):
            reach[person_id].append(campaign)
    seen = _seen_by(reach, only)
    languages = _languages(reach, only) if known.versions else {}
    queues: dict[int, list[int]] = {}
    learners = (set(due) | set(reach)) - paused
    for person_id in learners if wanted is None else learners & wanted:
        mine = seen.get(person_id, set())
        fresh: list[tuple[Card, int]] = []
        language = languages.get(person_id) or settings.LANGUAGE_CODE[:2]
        for campaign in reach.get(person_id, ()):
            counts = met.get((person_id, campaign.pk), (0, 0))
            fresh += _new_cards(campaign, known, mine, counts, language)
        slots = compose(due.get(person_id, ()), fresh, spent.get(person_id, 0), known.seconds)
        queues[person_id] = [s.card.id for s in slots]
    return queues


def _languages(reach: dict[int, list[Campaign]], only: set[int] | None) -> dict[int, str]:
    """The language of each learner who chose one (read only when modules have versions)."""
    people = Person.objects.exclude(language="")
    if only is not None:
        people = people.filter(pk__in=only)
    return {pk: lang for pk, lang in people.values_list("pk", "language") if pk in reach}


def _of(qs: QuerySet[_Row], only: set[int] | None) -> QuerySet[_Row]:
    """``qs`` (rows with a ``person``), kept to the learners ``only`` when it is given."""
    return qs if only is None else qs.filter(person_id__in=only)


def _spent_today(
    known: catalogue.Catalogue, start: datetime, only: set[int] | None = None
) -> dict[int, int]:
    """Per learner, the estimated seconds of the cards answered since ``start``."""
    spent: dict[int, int] = defaultdict(int)
    answered = Review.objects.filter(context=Review.Context.TODAY, reviewed_at__gte=start)
    for person_id, card_id in _of(answered, only).values_list("person_id", "card_id"):
        spent[person_id] += known.seconds.get(card_id, 0)
    return spent


def _due_cards(
    known: catalogue.Catalogue, end: datetime, only: set[int] | None = None
) -> dict[int, list[Card]]:
    """Per learner, the published cards due before ``end``, in queue order."""
    failed_first = Case(
        When(last_rating=1, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    due: dict[int, list[Card]] = defaultdict(list)
    for person_id, card_id in (
        _of(Memory.objects.filter(due__lt=end), only)
        .order_by("person_id", failed_first, "due", "card_id")
        .values_list("person_id", "card_id")
        .iterator(chunk_size=50_000)
    ):
        card = known.published(card_id)
        if card is not None:
            due[person_id].append(card)
    return due


def _met_by_campaign(
    start: datetime, only: set[int] | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """Per (learner, campaign), the cards first met on the day and in the week."""
    week = Memory.objects.filter(campaign__isnull=False, first_seen__gte=start - timedelta(days=6))
    return {
        (person_id, campaign_id): (on_day, in_week)
        for person_id, campaign_id, on_day, in_week in _of(week, only)
        .values("person_id", "campaign_id")
        .annotate(on_day=Count("pk", filter=Q(first_seen__gte=start)), in_week=Count("pk"))
        .values_list("person_id", "campaign_id", "on_day", "in_week")
        .order_by()
    }


def _seen_by(reach: dict[int, list[Campaign]], only: set[int] | None = None) -> dict[int, set[int]]:
    """The cards each reached learner has met, read in the (person, card) index order."""
    seen: dict[int, set[int]] = {}
    if reach:
        rows = (
            _of(Memory.objects.all(), only)
            .order_by("person_id")
            .values_list("person_id", "card_id")
        )
        for person_id, cards in groupby(rows.iterator(chunk_size=50_000), key=itemgetter(0)):
            if person_id in reach:
                seen[person_id] = {card_id for _p, card_id in cards}
    return seen
