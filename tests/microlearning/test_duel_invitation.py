"""A duel challenge is an invitation (issue 11): the challenged colleague is told, in their
language, and accepts or declines it before it expires; the challenger is told of the
answer and of the result; an expired duel is closed by a task, once; a third person's ids
change nothing, from the pages as from the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.core.errors import Forbidden, ServiceError
from sylva.microlearning.models import Card, Duel, TeamChallenge
from sylva.microlearning.queries.challenges import (
    OVER,
    THEIR_TURN,
    YOUR_TURN,
    duel_turn,
    team_challenge_turn,
)
from sylva.microlearning.services import challenges
from sylva.microlearning.tasks import close_expired_duels
from sylva.notifications.models import Hook, Notification


@pytest.fixture(autouse=True)
def _english_speakers(org) -> None:  # type: ignore[no-untyped-def]
    """Everyone reads English here, unless a test says otherwise (the default is French)."""
    for role in ("learner", "expert", "manager", "animator", "designer"):
        person = org.person(role)
        person.language = "en"
        person.save(update_fields=["language"])


def _notices(person, kind):  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(person=person, kind=kind).order_by("pk"))


def _play(duel, person, *, right: bool = True) -> None:  # type: ignore[no-untyped-def]
    for card_id in duel.card_ids:
        challenges.serve_question(duel=duel, person=person)
        card = Card.objects.get(pk=card_id)
        response = (
            card.correct_indexes
            if right
            else [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
        )
        challenges.answer_duel(
            person=person, duel=duel, card_id=card_id, response=response, duration_ms=3000
        )


def test_the_challenged_colleague_is_invited_in_their_language_with_the_next_step(
    org, module
) -> None:  # type: ignore[no-untyped-def]
    org.expert.language = "fr"
    org.expert.save()
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    assert duel.state == Duel.State.INVITED
    assert duel.expires_at == duel.created_at + Duel.EXPIRY
    [invitation] = _notices(org.expert, "microlearning.duel")
    assert invitation.subject == "Hélène Dupré vous défie en duel sur Sécurité machine"
    assert "3 questions" in invitation.body and "Acceptez avant le" in invitation.body
    assert invitation.url == f"/learn/duels/{duel.pk}/"
    assert invitation.action == "Accepter ou décliner"
    assert not Notification.objects.filter(person=org.learner).exists()  # nobody else
    assert duel_turn(duel, org.expert) == YOUR_TURN
    assert duel_turn(duel, org.learner) == YOUR_TURN  # the challenger may play at once
    assert duel_turn(duel, org.manager) == OVER


def test_accepting_lets_the_opponent_play_and_tells_the_challenger_then_the_result(
    org, module
) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    _play(duel, org.learner, right=False)
    assert duel_turn(duel, org.learner) == THEIR_TURN
    # not accepted yet: nothing is served, an answer is refused
    assert challenges.serve_question(duel=duel, person=org.expert)[1] is None
    with pytest.raises(ServiceError) as refused:
        challenges.answer_duel(
            person=org.expert, duel=duel, card_id=duel.card_ids[0], response=[0], duration_ms=1
        )
    assert refused.value.status == 409 and "Accept" in refused.value.message
    challenges.accept_duel(person=org.expert, duel=duel)
    duel.refresh_from_db()
    assert duel.state == Duel.State.ACCEPTED and duel.answered_at is not None
    [reply] = _notices(org.learner, "microlearning.duel_reply")
    assert reply.subject == "Karim Benali accepted your duel on Sécurité machine"
    assert "result as soon as they have played" in reply.body
    _play(duel, org.expert, right=True)
    [result] = _notices(org.learner, "microlearning.duel_result")
    assert result.subject == "Karim Benali won your duel on Sécurité machine"
    assert "Your score: 0 points" in result.body
    assert not _notices(org.expert, "microlearning.duel_result")  # saw it on the page
    assert duel_turn(duel, org.learner) == OVER == duel_turn(duel, org.expert)


def test_declining_closes_the_duel_and_tells_the_challenger(org, module) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    challenges.decline_duel(person=org.expert, duel=duel)
    duel.refresh_from_db()
    assert duel.state == Duel.State.DECLINED
    [reply] = _notices(org.learner, "microlearning.duel_reply")
    assert reply.subject == "Karim Benali declined your duel on Sécurité machine"
    assert reply.url == "/learn/challenges/"
    with pytest.raises(ServiceError):  # answered already
        challenges.accept_duel(person=org.expert, duel=duel)
    assert challenges.serve_question(duel=duel, person=org.learner)[1] is None
    assert duel_turn(duel, org.learner) == OVER
    # a declined duel is not under way: they may duel again
    assert challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)


def test_only_the_challenged_colleague_answers_an_invitation(org, module) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    for person in (org.manager, org.learner):  # a third person, the challenger
        for answer in (challenges.accept_duel, challenges.decline_duel):
            with pytest.raises(Forbidden):
                answer(person=person, duel=duel)
    duel.refresh_from_db()
    assert duel.state == Duel.State.INVITED and duel.answered_at is None
    assert not _notices(org.learner, "microlearning.duel_reply")


def test_a_third_persons_posts_change_nothing_pages_and_api(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.manager)
    for verb in ("accept", "decline"):
        assert client.post(f"/learn/duels/{duel.pk}/{verb}/").status_code == 403
        api = client.post(f"/api/v1/learn/duels/{duel.pk}/{verb}")
        assert api.status_code == 403, api.content
    page = client.post(f"/learn/duels/{duel.pk}/answer/{duel.card_ids[0]}/", {"choice": "0"})
    assert page.status_code == 403
    api = client.post(
        f"/api/v1/learn/duels/{duel.pk}/answers",
        {"card_id": duel.card_ids[0], "response": [0], "duration_ms": 10},
        content_type="application/json",
    )
    assert api.status_code == 403
    duel.refresh_from_db()
    assert duel.state == Duel.State.INVITED
    assert all(not play.answers for play in duel.plays.all())
    assert not Notification.objects.filter(kind="microlearning.duel_reply").exists()


def test_the_inbox_actions_come_back_to_a_safe_next(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.expert)
    response = client.post(f"/learn/duels/{duel.pk}/accept/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == f"/learn/duels/{duel.pk}/"
    again = client.post(f"/learn/duels/{duel.pk}/accept/", {"next": "/inbox/"})
    assert again["Location"] == "/inbox/"  # the refusal (already accepted) goes back there too
    other = challenges.start_duel(challenger=org.manager, opponent=org.expert, module=module)
    declined = client.post(f"/learn/duels/{other.pk}/decline/", {"next": "/inbox/"})
    assert declined["Location"] == "/inbox/"
    other.refresh_from_db()
    assert other.state == Duel.State.DECLINED


def test_the_api_accepts_and_says_whose_turn(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.expert)
    before = client.get(f"/api/v1/learn/duels/{duel.pk}").json()
    assert (before["state"], before["turn"], before["next_card"]) == ("invited", "mine", None)
    after = client.post(f"/api/v1/learn/duels/{duel.pk}/accept").json()
    assert after["state"] == "accepted" and after["next_card"]["id"] == duel.card_ids[0]


def test_the_duel_page_offers_accept_and_decline_to_the_challenged_only(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    page = login(org.expert).get(f"/learn/duels/{duel.pk}/").content.decode()
    assert f"/learn/duels/{duel.pk}/accept/" in page and "duelcard" not in page
    mine = login(org.learner).get(f"/learn/duels/{duel.pk}/").content.decode()
    assert "/accept/" not in mine and "duelcard" in mine
    listing = login(org.learner).get("/learn/challenges/").content.decode()
    assert 'class="duel-mine"' in listing and ("your turn" in listing or "à vous" in listing)


def test_expired_invitations_are_closed_once_and_the_challenger_told(org, module, clock) -> None:  # type: ignore[no-untyped-def]
    waiting = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    started = challenges.start_duel(challenger=org.manager, opponent=org.expert, module=module)
    clock.advance(days=1)
    challenges.accept_duel(person=org.expert, duel=started)  # three more days to play
    clock.advance(days=1)
    assert challenges.close_expired() == 0
    clock.advance(days=1, seconds=1)
    with pytest.raises(ServiceError) as late:
        challenges.accept_duel(person=org.expert, duel=waiting)
    assert late.value.status == 409 and "expired" in late.value.message
    assert duel_turn(waiting, org.expert) == OVER  # expired, even before the task ran
    assert close_expired_duels.call() == 1  # the accepted one has a day left
    assert close_expired_duels.call() == 0  # idempotent
    waiting.refresh_from_db()
    assert waiting.state == Duel.State.EXPIRED
    [told] = _notices(org.learner, "microlearning.duel_reply")
    assert "expired" in told.subject and "did not answer" in told.body
    # an expired duel is not under way: they may duel again
    assert challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    clock.advance(days=1)
    assert challenges.close_expired() == 1  # the accepted duel, never finished
    assert "not finished in time" in _notices(org.manager, "microlearning.duel_reply")[-1].body


def test_a_team_challenge_is_posted_to_each_teams_channel(org, module) -> None:  # type: ignore[no-untyped-def]
    hook = Hook.objects.create(
        name="Extrusion",
        service="slack",
        url="https://hooks.slack.com/services/T/B/x",
        team=org.extrusion,
        kinds=["microlearning.team_challenge"],
    )
    Hook.objects.create(
        name="Other kinds",
        service="slack",
        url="https://hooks.slack.com/services/T/B/y",
        team=org.printing,
        kinds=["exchange.proposed"],
    )
    challenge = challenges.launch_team_challenge(
        creator=org.manager,
        name="Semaine sécurité",
        teams=[org.extrusion, org.printing],
        starts_on=timezone.localdate(),
        days=7,
        module=module,
    )
    [posted] = Notification.objects.filter(kind="microlearning.team_challenge")
    assert posted.hook == hook and "Semaine sécurité" in posted.subject
    assert "Extrusion, Impression" in posted.body and "Sécurité machine" in posted.body
    assert posted.url == f"/learn/team-challenges/{challenge.pk}/"
    challenge = TeamChallenge.objects.prefetch_related("teams").get(pk=challenge.pk)
    assert team_challenge_turn(challenge, org.learner, timezone.localdate()) == YOUR_TURN
    assert team_challenge_turn(challenge, org.animator, timezone.localdate()) == OVER
    later = timezone.localdate() + timedelta(days=8)
    assert team_challenge_turn(challenge, org.learner, later) == OVER
