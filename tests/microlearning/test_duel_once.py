"""One duel under way between two colleagues at a time (issue 9, classes 3 and 5): a
challenge is a learning moment in the shared log, so sending it again and again, or twice at
once, must not inflate it. A second challenge while one is unfinished is refused, pointing at
the duel under way, with nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Duel, Module
from sylva.microlearning.services import challenges, content
from sylva.people import verbs
from sylva.people.models import LearningEvent
from tests.concurrency import at_once, on_postgres
from tests.factories import Org
from tests.microlearning.conftest import SAFETY

CHALLENGED = verbs.SYLVA_VERBS + "challenged"


def _published(org: Org) -> Module:
    module = content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)
    return content.publish(actor=org.designer, module=module)


def _finish(duel: Duel) -> None:
    for play in duel.plays.all():
        play.finished_at = duel.created_at
        play.save(update_fields=["finished_at"])


def test_a_second_challenge_while_one_is_under_way_is_refused_pointing_at_it(org, module) -> None:  # type: ignore[no-untyped-def]
    first = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    events = LearningEvent.objects.filter(verb=CHALLENGED).count()
    for challenger, opponent in [(org.learner, org.expert), (org.expert, org.learner)]:
        with pytest.raises(challenges.DuelUnderWay) as refused:
            challenges.start_duel(challenger=challenger, opponent=opponent, module=module)
        assert refused.value.duel == first and refused.value.status == 409
        assert f"/learn/duels/{first.pk}/" in refused.value.message
    assert Duel.objects.count() == 1
    assert LearningEvent.objects.filter(verb=CHALLENGED).count() == events
    _finish(first)  # once it is over, they may play again
    assert challenges.start_duel(challenger=org.expert, opponent=org.learner, module=module)


def test_the_page_and_the_api_say_where_the_duel_under_way_is(org, module, login) -> None:  # type: ignore[no-untyped-def]
    first = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    page = client.post(
        "/learn/challenges/", {"opponent": org.expert.pk, "module": module.pk}, follow=True
    )
    assert f"/learn/duels/{first.pk}/" in page.content.decode()
    api = client.post(
        "/api/v1/learn/duels",
        {"opponent_id": org.expert.pk, "module": module.code},
        content_type="application/json",
    )
    assert api.status_code == 409, api.content
    assert f"/learn/duels/{first.pk}/" in api.json()["detail"]
    assert Duel.objects.count() == 1


def test_someone_else_can_be_challenged_meanwhile(org, module) -> None:  # type: ignore[no-untyped-def]
    challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    with pytest.raises(ServiceError):
        challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    assert challenges.start_duel(challenger=org.learner, opponent=org.manager, module=module)


@on_postgres
def test_a_challenge_sent_four_times_at_once_makes_one_duel() -> None:
    org = Org()
    module = _published(org)
    clients = []
    for person in (org.learner, org.learner, org.expert, org.expert):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(person.user)
        clients.append((client, org.expert if person == org.learner else org.learner))
    at_once(
        [
            lambda c=c, o=o: c.post("/learn/challenges/", {"opponent": o.pk, "module": module.pk})
            for c, o in clients
        ]
    )
    assert Duel.objects.count() == 1
    assert LearningEvent.objects.filter(verb=CHALLENGED).count() == 1


def test_the_refusal_is_in_french_too(org, module) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    with translation.override("fr"), pytest.raises(challenges.DuelUnderWay) as refused:
        challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    assert "déjà un duel en cours" in refused.value.message
