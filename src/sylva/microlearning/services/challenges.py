"""Duels between two colleagues and week-long team challenges.

Duel points for one question: 0 when wrong; when right, 100 plus a speed bonus of up to 50
(50 x (1 - seconds / 20), never negative). The duel is decided when both have finished.

A challenge is an invitation (``Duel.State``): the challenged colleague is told
(``microlearning.duel``, urgent: it expires) and accepts or declines it within
``Duel.EXPIRY``; the challenger may play their side at once and is told of the answer and
of the result. An open duel past its expiry is closed by ``close_expired`` (a task).

The server times each question: it notes when it first served the question to that person
(``serve_question``, in the play's answers: ``{"served": …}`` until answered) and measures
the time until the answer arrives. The client's own measure (closer to the truth on a slow
network) is used only within ``[server time - NETWORK_ALLOWANCE_MS, server time]``: a
client claiming 0 ms gets the server's time less the allowance, never more speed.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.core import xapi
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import limit_of
from sylva.microlearning.models import Card, Duel, DuelPlay, Module, TeamChallenge
from sylva.microlearning.queries.challenges import is_expired
from sylva.microlearning.services import badges
from sylva.microlearning.services.answers import grade
from sylva.microlearning.services.content import card_iri
from sylva.notifications.services import notify, notify_team
from sylva.people import verbs
from sylva.people.models import Person, Team
from sylva.people.roles import Role, roles_of
from sylva.people.services import record_event

DUEL_QUESTIONS = 5
SPEED_BONUS = 50
SPEED_WINDOW_S = 20.0
NETWORK_ALLOWANCE_MS = 1500  # what the network may add to a phone's own measure


def duel_points(*, correct: bool, duration_ms: int) -> int:
    if not correct:
        return 0
    seconds = max(0.0, duration_ms / 1000)
    return 100 + round(SPEED_BONUS * max(0.0, 1 - seconds / SPEED_WINDOW_S))


def duel_iri(duel: Duel) -> str:
    return xapi.activity("learn/duel", duel.pk)


class DuelUnderWay(ServiceError):
    """A second challenge between two colleagues while one is unfinished: refused, pointing
    at the duel under way (``duel``). A challenge is a learning moment in the log: sent again
    and again it would only inflate it."""

    def __init__(self, *, duel: Duel, other: Person) -> None:
        url = reverse("microlearning:duel", args=[duel.pk])
        message = _(
            "You already have a duel under way with %(name)s: %(url)s — finish it before"
            " challenging them again."
        ) % {"name": other.full_name, "url": url}
        super().__init__(message, field="opponent", status=409)
        self.duel = duel


def _duel_under_way(a: Person, b: Person) -> Duel | None:
    """The unfinished duel between two people, either way round, after locking both rows in
    a fixed order (two challenges sent at once make one duel)."""
    list(Person.objects.select_for_update().filter(pk__in=[a.pk, b.pk]).order_by("pk"))
    pair = Q(challenger=a, opponent=b) | Q(challenger=b, opponent=a)
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    return (
        Duel.objects.filter(pair, live, state__in=Duel.OPEN, plays__finished_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def _duel_url(duel: Duel) -> str:
    return reverse("microlearning:duel", args=[duel.pk])


def _tell_invited(duel: Duel) -> None:
    """The challenged colleague's invitation: who, on what, until when, and where to answer."""
    notify(
        duel.opponent,
        "microlearning.duel",
        key=f"duel:{duel.pk}:invited",
        subject=gettext_noop("%(who)s challenges you to a duel on %(module)s"),
        lines=(
            gettext_noop(
                "%(questions)s questions, the same for both of you: points for right"
                " answers and for speed."
            ),
            gettext_noop("Accept before %(expires)s, or the invitation expires."),
        ),
        params={
            "who": duel.challenger.full_name,
            "module": duel.module.title,
            "questions": len(duel.card_ids),
            "expires": duel.expires_at,
        },
        url=_duel_url(duel),
        action=gettext_noop("Accept or decline"),
    )


@transaction.atomic
def start_duel(
    *, challenger: Person, opponent: Person, module: Module, rematch_of: Duel | None = None
) -> Duel:
    if opponent.pk == challenger.pk:
        raise ServiceError(_("Challenge a colleague, not yourself."), field="opponent")
    if not opponent.user.is_active:
        raise ServiceError(_("This colleague can no longer play."), field="opponent")
    if not module.is_published:
        raise ServiceError(_("Choose a published module."), field="module")
    questions = list(
        module.cards.filter(kind__in=Card.GRADED)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    if not questions:
        raise ServiceError(_("This module has no question to duel on."), field="module")
    under_way = _duel_under_way(challenger, opponent)
    if under_way is not None:
        raise DuelUnderWay(duel=under_way, other=opponent)
    rng = random.Random(secrets.randbits(64))
    picked = rng.sample(questions, min(DUEL_QUESTIONS, len(questions)))
    now = timezone.now()
    duel = Duel.objects.create(
        module=module,
        challenger=challenger,
        opponent=opponent,
        card_ids=picked,
        rematch_of=rematch_of,
        created_at=now,
        state=Duel.State.INVITED,
        expires_at=now + Duel.EXPIRY,
    )
    DuelPlay.objects.bulk_create(
        [DuelPlay(duel=duel, person=challenger), DuelPlay(duel=duel, person=opponent)]
    )
    record_event(
        actor=challenger,
        verb=verbs.CHALLENGED,
        object_id=duel_iri(duel),
        object_name=module.title,
        skill=module.skills.first(),
        other=opponent,
    )
    _tell_invited(duel)
    return duel


def _invitation(*, person: Person, duel: Duel) -> Duel:
    """The duel, locked, if ``person`` may answer its invitation now (else a refusal)."""
    if duel.side(person) is None:
        raise Forbidden(_("This duel is between two other colleagues."))
    duel = (
        Duel.objects.select_for_update()
        .select_related("module", "challenger", "opponent")
        .get(pk=duel.pk)
    )
    if person.pk == duel.challenger_id:
        raise Forbidden(
            _("You sent this challenge: %(name)s answers it.") % {"name": duel.opponent.full_name}
        )
    if duel.state != Duel.State.INVITED:
        raise ServiceError(
            _("This invitation was already answered (%(state)s).")
            % {"state": duel.get_state_display()},
            field="duel",
            status=409,
        )
    if is_expired(duel, timezone.now()):
        raise ServiceError(_("This invitation has expired."), field="duel", status=409)
    return duel


@transaction.atomic
def accept_duel(*, person: Person, duel: Duel) -> Duel:
    """The challenged colleague takes up the duel: both may now play, within ``EXPIRY``."""
    duel = _invitation(person=person, duel=duel)
    now = timezone.now()
    duel.state, duel.answered_at, duel.expires_at = Duel.State.ACCEPTED, now, now + Duel.EXPIRY
    duel.save(update_fields=["state", "answered_at", "expires_at"])
    played = DuelPlay.objects.filter(
        duel=duel, person=duel.challenger, finished_at__isnull=False
    ).exists()
    notify(
        duel.challenger,
        "microlearning.duel_reply",
        key=f"duel:{duel.pk}:accepted",
        subject=gettext_noop("%(who)s accepted your duel on %(module)s"),
        lines=(
            gettext_noop("You will see the result as soon as they have played.")
            if played
            else gettext_noop("Play your side before %(expires)s."),
        ),
        params={
            "who": duel.opponent.full_name,
            "module": duel.module.title,
            "expires": duel.expires_at,
        },
        url=_duel_url(duel),
        action=gettext_noop("See the duel") if played else gettext_noop("Play"),
    )
    return duel


@transaction.atomic
def decline_duel(*, person: Person, duel: Duel) -> Duel:
    """The challenged colleague declines: the duel is closed, the challenger told."""
    duel = _invitation(person=person, duel=duel)
    duel.state, duel.answered_at = Duel.State.DECLINED, timezone.now()
    duel.save(update_fields=["state", "answered_at"])
    notify(
        duel.challenger,
        "microlearning.duel_reply",
        key=f"duel:{duel.pk}:declined",
        subject=gettext_noop("%(who)s declined your duel on %(module)s"),
        lines=(gettext_noop("Challenge another colleague, or them again later."),),
        params={"who": duel.opponent.full_name, "module": duel.module.title},
        url=reverse("microlearning:challenges"),
        action=gettext_noop("Challenge a colleague"),
    )
    return duel


def close_expired(now: datetime | None = None) -> int:
    """Close every open duel past its expiry (an unanswered invitation, an unfinished
    duel) and tell the challenger; returns how many were closed. Idempotent: a closed
    duel is not open any more, and each notice has its key."""
    now = now or timezone.now()
    ids = list(
        Duel.objects.filter(state__in=Duel.OPEN, expires_at__lte=now).values_list("pk", flat=True)
    )
    return sum(_close(pk, now) for pk in ids)


@transaction.atomic
def _close(pk: int, now: datetime) -> int:
    duel = (
        Duel.objects.select_for_update()
        .select_related("module", "challenger", "opponent")
        .filter(pk=pk, state__in=Duel.OPEN, expires_at__lte=now)
        .first()
    )
    if duel is None:  # answered or closed meanwhile
        return 0
    invited = duel.state == Duel.State.INVITED
    duel.state = Duel.State.EXPIRED
    duel.save(update_fields=["state"])
    notify(
        duel.challenger,
        "microlearning.duel_reply",
        key=f"duel:{duel.pk}:expired",
        subject=gettext_noop("Your duel with %(who)s on %(module)s has expired"),
        lines=(
            gettext_noop("They did not answer your invitation in time.")
            if invited
            else gettext_noop("The duel was not finished in time."),
        ),
        params={"who": duel.opponent.full_name, "module": duel.module.title},
        url=reverse("microlearning:challenges"),
        action=gettext_noop("Challenge a colleague"),
    )
    return 1


def may_play(duel: Duel, person: Person, now: datetime | None = None) -> bool:
    """Whether ``person`` may play the duel now: accepted (the challenger also while the
    invitation waits), and not expired."""
    if is_expired(duel, now or timezone.now()):
        return False
    if duel.state == Duel.State.ACCEPTED:
        return True
    return duel.state == Duel.State.INVITED and person.pk == duel.challenger_id


def _check_playable(duel: Duel, person: Person) -> None:
    if may_play(duel, person):
        return
    if duel.state == Duel.State.INVITED and not is_expired(duel, timezone.now()):
        raise ServiceError(_("Accept the duel before playing."), field="duel", status=409)
    raise ServiceError(_("This duel is closed."), field="duel", status=409)


def play_of(duel: Duel, person: Person, *, lock: bool = False) -> DuelPlay:
    if duel.side(person) is None:
        raise Forbidden(_("This duel is between two other colleagues."))
    qs = DuelPlay.objects.select_for_update() if lock else DuelPlay.objects
    return qs.get(duel=duel, person=person)


def answered(play: DuelPlay) -> dict[str, dict[str, Any]]:
    """The questions answered (card id as text: the answer), in the play's answers."""
    return {k: v for k, v in play.answers.items() if "points" in v}


def next_question(duel: Duel, play: DuelPlay) -> Card | None:
    for card_id in duel.card_ids:
        if "points" not in play.answers.get(str(card_id), {}):
            return Card.everything.get(pk=card_id)  # retired meanwhile: the duel goes on
    return None


@transaction.atomic
def serve_question(*, duel: Duel, person: Person) -> tuple[DuelPlay, Card | None]:
    """The next question of ``person``'s play, noting when it was first served to them (the
    start of its time; serving it again does not restart it)."""
    play = play_of(duel, person, lock=True)
    duel.refresh_from_db(fields=["state", "expires_at"])  # accepted meanwhile, maybe
    if not may_play(duel, person):  # an invitation to answer first, or a closed duel
        return play, None
    card = next_question(duel, play)
    if card is not None and str(card.pk) not in play.answers:
        play.answers[str(card.pk)] = {"served": timezone.now().isoformat()}
        play.save(update_fields=["answers"])
    return play, card


def measured_ms(*, served: datetime, arrived: datetime, claimed: int) -> int:
    """The time an answer took: the server's, or the client's claim within the network
    allowance below it."""
    server = max(0, int((arrived - served).total_seconds() * 1000))
    return min(server, max(claimed, server - NETWORK_ALLOWANCE_MS))


@transaction.atomic
def answer_duel(
    *, person: Person, duel: Duel, card_id: int, response: Any, duration_ms: int
) -> DuelPlay:
    """Grade one duel answer. Only the question served to ``person`` (the next one) may be
    answered; its time is measured by the server (see the module's docstring)."""
    play = play_of(duel, person, lock=True)
    if play.finished_at is not None:
        raise ServiceError(_("You have finished this duel."), field="card", status=409)
    duel.refresh_from_db(fields=["state", "expires_at"])
    _check_playable(duel, person)
    if card_id not in duel.card_ids:
        raise NotFound(_("This question is not part of the duel."), field="card")
    entry = play.answers.get(str(card_id), {})
    if "points" in entry:
        raise ServiceError(_("You have already answered this question."), field="card", status=409)
    if "served" not in entry:
        raise ServiceError(_("Open this question before answering it."), field="card", status=409)
    if type(duration_ms) is not int or not 0 <= duration_ms <= 30 * 60 * 1000:
        raise ServiceError(
            _("The answer time must be between 0 and 30 minutes."), field="duration_ms"
        )
    card = Card.everything.select_related("module").get(pk=card_id)
    normalised, correct = grade(card, response)
    now = timezone.now()
    ms = measured_ms(
        served=datetime.fromisoformat(entry["served"]), arrived=now, claimed=duration_ms
    )
    points = duel_points(correct=bool(correct), duration_ms=ms)
    play.answers[str(card_id)] = {
        "correct": bool(correct),
        "ms": ms,
        "claimed_ms": duration_ms,
        "points": points,
        "response": normalised,
    }
    play.score += points
    record_event(
        actor=person,
        verb=verbs.ANSWERED,
        object_id=card_iri(card),
        object_name=card.title,
        skill=card.module.skills.first(),
        result={
            "success": bool(correct),
            "duration": f"PT{ms / 1000:.1f}S",
            "score": {"raw": points, "min": 0, "max": 100 + SPEED_BONUS},
        },
    )
    if len(answered(play)) == len(duel.card_ids):
        play.finished_at = now
        top = (100 + SPEED_BONUS) * len(duel.card_ids)
        record_event(
            actor=person,
            verb=verbs.COMPLETED,
            object_id=duel_iri(duel),
            object_name=duel.module.title,
            skill=duel.module.skills.first(),
            other=duel.opponent if person.pk == duel.challenger_id else duel.challenger,
            result={"score": {"raw": play.score, "min": 0, "max": top}, "completion": True},
        )
    play.save()
    if play.finished_at is not None:
        outcome = duel_outcome(duel)
        if outcome["winner"] is not None:
            badges.award(person=outcome["winner"], code="duel-won")
        if outcome["finished"]:
            _tell_result(duel, outcome, last=person)
    return play


def _tell_result(duel: Duel, outcome: dict[str, Any], *, last: Person) -> None:
    """The result, to the player who finished first (the last one sees it on the page)."""
    other = duel.other_than(last)
    mine = outcome["challenger"] if other.pk == duel.challenger_id else outcome["opponent"]
    theirs = outcome["opponent"] if other.pk == duel.challenger_id else outcome["challenger"]
    if outcome["winner"] is None:
        subject = gettext_noop("Your duel with %(who)s on %(module)s is a draw")
    elif outcome["winner"].pk == other.pk:
        subject = gettext_noop("You won your duel against %(who)s on %(module)s")
    else:
        subject = gettext_noop("%(who)s won your duel on %(module)s")
    notify(
        other,
        "microlearning.duel_result",
        key=f"duel:{duel.pk}:result",
        subject=subject,
        lines=(gettext_noop("Your score: %(mine)s points; %(who)s: %(theirs)s points."),),
        params={
            "who": last.full_name,
            "module": duel.module.title,
            "mine": mine.score,
            "theirs": theirs.score,
        },
        url=_duel_url(duel),
        action=gettext_noop("See the result"),
    )


def duel_outcome(duel: Duel) -> dict[str, Any]:
    """Both scores once both have finished; ``winner`` is None for a draw or while waiting."""
    plays = {p.person_id: p for p in duel.plays.select_related("person")}
    mine, theirs = plays[duel.challenger_id], plays[duel.opponent_id]
    finished = mine.finished_at is not None and theirs.finished_at is not None
    winner = None
    if finished and mine.score != theirs.score:
        winner = mine.person if mine.score > theirs.score else theirs.person
    return {"finished": finished, "winner": winner, "challenger": mine, "opponent": theirs}


@transaction.atomic
def rematch(*, person: Person, duel: Duel) -> Duel:
    if duel.side(person) is None:
        raise Forbidden(_("This duel is between two other colleagues."))
    if not duel_outcome(duel)["finished"]:
        raise ServiceError(_("Finish this duel before a rematch."), field="duel", status=409)
    other = duel.opponent if person.pk == duel.challenger_id else duel.challenger
    return start_duel(challenger=person, opponent=other, module=duel.module, rematch_of=duel)


@transaction.atomic
def launch_team_challenge(
    *,
    creator: Person,
    name: str,
    teams: list[Team],
    starts_on: date,
    days: int = 7,
    module: Module | None = None,
) -> TeamChallenge:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the challenge a name."), field="name")
    if len({t.pk for t in teams}) < 2:
        raise ServiceError(_("A challenge needs at least two teams."), field="teams")
    org_wide = creator.user.is_superuser or roles_of(creator.user) & {
        Role.ANIMATOR,
        Role.DESIGNER,
        Role.ADMINISTRATOR,
    }
    if not org_wide and not any(t.manager_id == creator.pk for t in teams):
        raise Forbidden(_("Your team challenge must include a team you manage."), field="teams")
    if not 1 <= days <= 31:
        raise ServiceError(_("A challenge lasts from 1 to 31 days."), field="days")
    if module is not None and not module.is_published:
        raise ServiceError(_("Choose a published module."), field="module")
    ends_on = starts_on + timedelta(days=days - 1)
    # the same challenge launched twice (a double click, a second tab) is refused, pointing
    # at the first; the creator's row serialises their launches
    Person.objects.select_for_update().filter(pk=creator.pk).first()
    wanted = sorted({t.pk for t in teams})
    for same in TeamChallenge.objects.filter(
        starts_on=starts_on, ends_on=ends_on, module=module
    ).prefetch_related("teams"):
        if sorted(t.pk for t in same.teams.all()) == wanted:
            raise ServiceError(
                _("This challenge already exists: “%(name)s”, at %(url)s.")
                % {"name": same.name, "url": f"/learn/team-challenges/{same.pk}/"},
                field="teams",
                status=409,
            )
    challenge = TeamChallenge.objects.create(
        name=name[: limit_of(TeamChallenge, "name")],
        module=module,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=creator,
    )
    challenge.teams.set(teams)
    _announce(challenge, teams)
    record_event(
        actor=creator,
        verb=verbs.CHALLENGED,
        object_id=xapi.activity("learn/team-challenge", challenge.pk),
        object_name=challenge.name,
        skill=module.skills.first() if module else None,
    )
    return challenge


def _announce(challenge: TeamChallenge, teams: list[Team]) -> None:
    """Post the challenge to each team's chat channels (Slack, Teams), once per team."""
    names = ", ".join(sorted(t.name for t in teams))
    lines = [
        gettext_noop("%(teams)s, from %(start)s to %(end)s."),
        gettext_noop("Points come from the daily rendez-vous: 2 per answer, 10 more when right."),
    ]
    if challenge.module is not None:
        lines.append(gettext_noop("On the module %(module)s."))
    for team in {t.pk: t for t in teams}.values():
        notify_team(
            team,
            "microlearning.team_challenge",
            key=f"team-challenge:{challenge.pk}",
            subject=gettext_noop("A team challenge starts: %(name)s"),
            lines=tuple(lines),
            params={
                "name": challenge.name,
                "teams": names,
                "start": challenge.starts_on,
                "end": challenge.ends_on,
                "module": challenge.module.title if challenge.module else "",
            },
            url=reverse("microlearning:team_challenge", args=[challenge.pk]),
            action=gettext_noop("See the scores"),
        )
