"""Duels to show and whose turn it is, team challenge scores and leaderboards (opt-in for
individuals)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sylva.microlearning.models import Card, Duel, DuelPlay, Learner, Review, TeamChallenge
from sylva.people.models import Person, Team
from sylva.people.queries import DirectoryFilter, search_people

#: the longest name search of the duel form
MAX_WHO = 120

POINTS_CORRECT = 10
POINTS_ANSWER = 2


def find_colleagues(person: Person, text: str, limit: int = 8) -> list[Person]:
    """Colleagues to challenge, anywhere in the company: the directory's accent-blind name
    search (active accounts), oneself left out."""
    if not text.strip():
        return []
    found = search_people(DirectoryFilter(q=text)).exclude(pk=person.pk)
    return list(found[:limit])


#: whose turn it is in a challenge, as seen by one person
YOUR_TURN, THEIR_TURN, OVER = "mine", "theirs", "over"


def is_expired(duel: Duel, now: datetime) -> bool:
    """An open duel past its expiry (closed by the task, or about to be)."""
    return duel.state in Duel.OPEN and duel.expires_at is not None and duel.expires_at <= now


def duel_turn(duel: Duel, person: Person, now: datetime | None = None) -> str:
    """Whose turn it is in ``duel`` for ``person`` (the pages, the API and the inbox all
    ask this): YOUR_TURN to answer the invitation or to play one's side, THEIR_TURN while
    the other one must, OVER when it is decided or closed (or not theirs at all)."""
    if duel.side(person) is None or is_expired(duel, now or timezone.now()):
        return OVER
    if duel.state not in Duel.OPEN:
        return OVER
    if duel.state == Duel.State.INVITED and person.pk == duel.opponent_id:
        return YOUR_TURN
    finished = {play.person_id: play.finished_at is not None for play in duel.plays.all()}
    if not finished.get(person.pk, True):
        return YOUR_TURN
    if not finished.get(duel.other_than(person).pk, True):
        return THEIR_TURN
    return OVER


def team_challenge_turn(challenge: TeamChallenge, person: Person, day: date) -> str:
    """YOUR_TURN while the challenge runs and ``person``'s team is in it (every answer of
    their rendez-vous counts), else OVER. Its teams must be prefetched."""
    running = challenge.starts_on <= day <= challenge.ends_on
    if running and any(team.pk == person.team_id for team in challenge.teams.all()):
        return YOUR_TURN
    return OVER


def open_plays(person: Person, now: datetime) -> QuerySet[DuelPlay]:
    """The person's sides of open duels not finished yet: each one waits on them (an
    invitation to answer, or questions to play)."""
    return DuelPlay.objects.filter(
        person=person,
        finished_at__isnull=True,
        duel__state__in=Duel.OPEN,
    ).filter(Q(duel__expires_at__isnull=True) | Q(duel__expires_at__gt=now))


def waiting_duels(person: Person, now: datetime) -> QuerySet[Duel]:
    """The open duels of ``person`` where someone has still to play (them or the other)."""
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    return (
        my_duels(person)
        .filter(live, state__in=Duel.OPEN, plays__finished_at__isnull=True)
        .distinct()
    )


def my_duels(person: Person) -> QuerySet[Duel]:
    return (
        Duel.objects.filter(Q(challenger=person) | Q(opponent=person))
        .select_related("module", "challenger", "opponent")
        .prefetch_related("plays")
        .order_by("-created_at")
    )


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def points_by_person(
    people: list[int], start: date, end: date, module_id: int | None = None
) -> dict[int, int]:
    """Points earned in the daily rendez-vous between two days: 2 per answer to a question,
    10 more when right."""
    since, until = _window(start, end)
    qs = Review.objects.filter(
        person_id__in=people,
        reviewed_at__gte=since,
        reviewed_at__lt=until,
        correct__isnull=False,
    )
    if module_id is not None:
        qs = qs.filter(card__module_id=module_id)
    points: dict[int, int] = defaultdict(int)
    for person_id, correct in qs.values_list("person_id", "correct").iterator():
        points[person_id] += POINTS_ANSWER + (POINTS_CORRECT if correct else 0)
    return points


@dataclass
class TeamScore:
    team: Team
    members: int
    score: float | None  # None: fewer than SYLVA_MIN_AGGREGATE members, not ranked
    people: list[tuple[Person, int]] = field(default_factory=list)  # opted in only
    rank: int | None = None


def team_scores(challenge: TeamChallenge) -> list[TeamScore]:
    """A team's score is the mean of its members' points, every member counted (zeros
    included), so a few champions cannot carry a team."""
    rows: list[TeamScore] = []
    threshold = settings.SYLVA_MIN_AGGREGATE
    for team in challenge.teams.all().order_by("name"):
        members = list(Person.objects.filter(team=team, user__is_active=True))
        points = points_by_person(
            [m.pk for m in members], challenge.starts_on, challenge.ends_on, challenge.module_id
        )
        score = None
        if len(members) >= threshold:
            score = sum(points.get(m.pk, 0) for m in members) / len(members)
        visible = set(
            Learner.objects.filter(person__in=members, on_leaderboards=True).values_list(
                "person_id", flat=True
            )
        )
        people = sorted(
            ((m, points.get(m.pk, 0)) for m in members if m.pk in visible),
            key=lambda pair: (-pair[1], pair[0].last_name),
        )
        rows.append(TeamScore(team, len(members), score, people))
    ranked = sorted((r for r in rows if r.score is not None), key=lambda r: -(r.score or 0))
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    return ranked + [r for r in rows if r.score is None]


def challenges_for(person: Person, day: date) -> QuerySet[TeamChallenge]:
    qs = TeamChallenge.objects.filter(ends_on__gte=day - timedelta(days=14))
    return qs.prefetch_related("teams").select_related("module").order_by("-starts_on")


def team_leaderboard(team: Team, day: date) -> list[tuple[Person, int]]:
    """This week's points of the team's members who chose to appear on leaderboards."""
    members = list(
        Person.objects.filter(team=team, user__is_active=True, learner__on_leaderboards=True)
    )
    points = points_by_person([m.pk for m in members], day - timedelta(days=6), day)
    return sorted(
        ((m, points.get(m.pk, 0)) for m in members), key=lambda p: (-p[1], p[0].last_name)
    )


@dataclass
class RecapLine:
    """One question of a duel as one player sees it at the end: their answer, and the other
    player's once both have finished (never before: it would tell the answer)."""

    card: Card
    mine: dict[str, Any]
    theirs: dict[str, Any] | None


def duel_recap(duel: Duel, person: Person) -> list[RecapLine]:
    """Per question, in the duel's order, ``person``'s result (right or wrong, points) and,
    when both have finished, the other player's. Empty until ``person`` has finished."""
    plays = {play.person_id: play for play in duel.plays.all()}
    mine = plays.get(person.pk)
    if mine is None or mine.finished_at is None:
        return []
    return answered_recap(duel, person)


def answered_recap(duel: Duel, person: Person) -> list[RecapLine]:
    """Per question ``person`` has answered, in the duel's order, their result and, only
    when both have finished, the other player's (the API's result, also of a duel closed
    before the end). A question not answered yet is left out: its right answer, its
    explanation, even its text (read before it is served, its clock would not run)."""
    plays = {play.person_id: play for play in duel.plays.all()}
    mine, theirs = plays.get(person.pk), plays.get(duel.other_than(person).pk)
    if mine is None:
        return []
    both = mine.finished_at is not None and theirs is not None and theirs.finished_at is not None
    done = {k for k, v in mine.answers.items() if "points" in v}
    wanted = [card_id for card_id in duel.card_ids if str(card_id) in done]
    cards = Card.everything.select_related("module").in_bulk(wanted)
    return [
        RecapLine(
            card=cards[card_id],
            mine=mine.answers[str(card_id)],
            theirs=theirs.answers.get(str(card_id), {}) if both and theirs else None,
        )
        for card_id in wanted
        if card_id in cards
    ]
