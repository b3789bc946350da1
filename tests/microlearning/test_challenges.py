"""Duels (same questions, correctness and speed, compared when both finish, rematch) and
team challenges (a team's mean over all its members)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Badge, Card
from sylva.microlearning.queries.challenges import team_leaderboard, team_scores
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers, challenges
from sylva.people import verbs
from sylva.people.models import LearningEvent
from tests.factories import make_person


@pytest.mark.parametrize(
    ("correct", "ms", "points"),
    [
        (False, 1000, 0),
        (True, 0, 150),
        (True, 10_000, 125),
        (True, 20_000, 100),
        (True, 90_000, 100),
    ],
)
def test_duel_points_reward_correctness_then_speed(correct, ms, points) -> None:  # type: ignore[no-untyped-def]
    assert challenges.duel_points(correct=correct, duration_ms=ms) == points


def _play(duel, person, *, right: bool, ms: int) -> None:  # type: ignore[no-untyped-def]
    for card_id in duel.card_ids:
        card = Card.objects.get(pk=card_id)
        response = (
            card.correct_indexes
            if right
            else [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
        )
        challenges.answer_duel(
            person=person, duel=duel, card_id=card_id, response=response, duration_ms=ms
        )


def test_a_duel_is_decided_when_both_have_finished(org, module) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    assert len(duel.card_ids) == 3  # the module's three questions, the lesson left out
    assert LearningEvent.objects.filter(
        verb=verbs.SYLVA_VERBS + "challenged", other=org.expert
    ).exists()
    _play(duel, org.learner, right=True, ms=10_000)
    outcome = challenges.duel_outcome(duel)
    assert not outcome["finished"] and outcome["winner"] is None
    _play(duel, org.expert, right=True, ms=2_000)
    outcome = challenges.duel_outcome(duel)
    assert outcome["finished"] and outcome["winner"] == org.expert
    assert (outcome["challenger"].score, outcome["opponent"].score) == (375, 435)
    assert Badge.objects.filter(person=org.expert, code="duel-won").exists()
    rematch = challenges.rematch(person=org.learner, duel=duel)
    assert rematch.rematch_of == duel and rematch.opponent == org.expert


def test_a_duel_refuses_a_second_answer_and_strangers(org, module) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    first = duel.card_ids[0]
    card = Card.objects.get(pk=first)
    challenges.answer_duel(
        person=org.learner,
        duel=duel,
        card_id=first,
        response=card.correct_indexes,
        duration_ms=1000,
    )
    with pytest.raises(ServiceError) as caught:
        challenges.answer_duel(
            person=org.learner,
            duel=duel,
            card_id=first,
            response=card.correct_indexes,
            duration_ms=1000,
        )
    assert caught.value.status == 409
    with pytest.raises(ServiceError) as caught:
        challenges.answer_duel(
            person=org.manager,
            duel=duel,
            card_id=first,
            response=card.correct_indexes,
            duration_ms=1000,
        )
    assert caught.value.status == 403
    with pytest.raises(ServiceError):
        challenges.rematch(person=org.learner, duel=duel)  # not finished
    with pytest.raises(ServiceError):
        challenges.start_duel(challenger=org.learner, opponent=org.learner, module=module)


def test_a_team_score_is_the_mean_over_all_members(org, module, campaign) -> None:  # type: ignore[no-untyped-def]
    # extrusion: manager, learner, newcomer and three operators = 6 people, one champion
    for card in today(org.learner).cards:
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=card.correct_indexes,
            duration_ms=9000,
        )
    for i in range(5):
        make_person(f"printer{i}", team=org.printing)
    day = timezone.localdate()
    challenge = challenges.launch_team_challenge(
        creator=org.manager,
        name="Défi",
        teams=[org.extrusion, org.printing, org.people_team],
        starts_on=day - timedelta(days=1),
        module=module,
    )
    scores = {s.team.name: s for s in team_scores(challenge)}
    # three questions right: 3 x (2 + 10) points, over 6 members
    assert scores["Extrusion"].score == pytest.approx(36 / 6) and scores["Extrusion"].rank == 1
    assert scores["Impression"].score == 0 and scores["Impression"].rank == 2
    assert scores["Développement RH"].score is None  # 3 people: not ranked
    assert scores["Extrusion"].people == []  # nobody opted in to appear by name
    answers.set_leaderboard_consent(person=org.learner, visible=True)
    scores = {s.team.name: s for s in team_scores(challenge)}
    assert scores["Extrusion"].people == [(org.learner, 36)]
    assert team_leaderboard(org.extrusion, day) == [(org.learner, 36)]


def test_a_team_challenge_needs_two_teams(org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        challenges.launch_team_challenge(
            creator=org.manager, name="Défi", teams=[org.extrusion], starts_on=timezone.localdate()
        )
    assert caught.value.field == "teams"
