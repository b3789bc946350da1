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


def _play(duel, person, *, right: bool, ms: int, clock=None) -> None:  # type: ignore[no-untyped-def]
    """Play every question as a person would: it is served, ``ms`` pass, the answer comes."""
    for card_id in duel.card_ids:
        _state, served = challenges.serve_question(duel=duel, person=person)
        assert served is not None and served.pk == card_id
        if clock is not None:
            clock.advance(milliseconds=ms)
        card = Card.objects.get(pk=card_id)
        response = (
            card.correct_indexes
            if right
            else [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
        )
        challenges.answer_duel(
            person=person, duel=duel, card_id=card_id, response=response, duration_ms=ms
        )


def test_a_duel_is_decided_when_both_have_finished(org, module, clock) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    assert len(duel.card_ids) == 3  # the module's three questions, the lesson left out
    assert LearningEvent.objects.filter(
        verb=verbs.SYLVA_VERBS + "challenged", other=org.expert
    ).exists()
    _play(duel, org.learner, right=True, ms=10_000, clock=clock)
    outcome = challenges.duel_outcome(duel)
    assert not outcome["finished"] and outcome["winner"] is None
    # a challenge is an invitation (issue 11): the challenged colleague accepts, then plays
    challenges.accept_duel(person=org.expert, duel=duel)
    _play(duel, org.expert, right=True, ms=2_000, clock=clock)
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
    with pytest.raises(ServiceError) as caught:  # not served yet: its time has not started
        challenges.answer_duel(
            person=org.learner, duel=duel, card_id=first, response=[0], duration_ms=1000
        )
    assert caught.value.status == 409
    challenges.serve_question(duel=duel, person=org.learner)
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
    with pytest.raises(ServiceError) as caught:
        challenges.serve_question(duel=duel, person=org.manager)
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
            response=answers.public_correct(card),
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


def test_a_client_claiming_no_time_does_not_get_full_points(org, module, clock, login) -> None:  # type: ignore[no-untyped-def]
    """The server times the question from when it served it; the client's claim is used only
    within a network allowance below that time."""
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    shown = client.get(f"/api/v1/learn/duels/{duel.pk}").json()["next_card"]
    clock.advance(seconds=12)  # the learner thinks for 12 s, then claims 0 ms
    card = Card.objects.get(pk=shown["id"])
    body = client.post(
        f"/api/v1/learn/duels/{duel.pk}/answers",
        {"card_id": card.pk, "response": card.correct_indexes, "duration_ms": 0},
        content_type="application/json",
    ).json()
    expected = challenges.duel_points(
        correct=True, duration_ms=12_000 - challenges.NETWORK_ALLOWANCE_MS
    )
    assert body["my_score"] == expected < 150
    # the answer's feedback serves no question; the next one is served when asked for,
    # and opening the page again does not restart its clock
    assert body["next_card"] is None and body["answer"]["correct"] is True
    following = client.get(f"/api/v1/learn/duels/{duel.pk}").json()["next_card"]["id"]
    clock.advance(seconds=30)
    assert client.get(f"/learn/duels/{duel.pk}/").status_code == 200
    answer = client.post(
        f"/api/v1/learn/duels/{duel.pk}/answers",
        {"card_id": following, "response": [0], "duration_ms": 0},
        content_type="application/json",
    )
    play = challenges.play_of(duel, org.learner)
    assert play.answers[str(following)]["ms"] == 30_000 - challenges.NETWORK_ALLOWANCE_MS
    assert answer.status_code == 200
    # a fast, honest client keeps its own measure
    assert (
        challenges.measured_ms(
            served=clock.now, arrived=clock.now + timedelta(seconds=3), claimed=2_400
        )
        == 2_400
    )


def test_the_duel_pages_answer_403_to_someone_else(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.manager)
    card = duel.card_ids[0]
    for method, url in (
        ("get", f"/learn/duels/{duel.pk}/"),
        ("post", f"/learn/duels/{duel.pk}/answer/{card}/"),
        ("post", f"/learn/duels/{duel.pk}/rematch/"),
        ("get", f"/api/v1/learn/duels/{duel.pk}"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
    assert not any(p.answers for p in duel.plays.all())
