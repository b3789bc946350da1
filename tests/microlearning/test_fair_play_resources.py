"""Fair play around modules and light resources, and team challenges: an ``authored``
learning moment (counted as learning by insights) is earned once per module, not per click
on Publish nor per reviewer; a manager's team challenge involves a team of theirs."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from sylva.microlearning.models import Module, TeamChallenge
from sylva.microlearning.services import content
from sylva.people import verbs
from sylva.people.models import LearningEvent
from tests.concurrency import at_once, on_postgres
from tests.factories import Org, make_person
from tests.microlearning.conftest import SAFETY

AUTHORED = verbs.ADL_VERBS + "authored"
TIP = SAFETY.replace("code: safety-basics", "code: mon-astuce")


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person.user)
    return client


def test_publishing_again_earns_no_new_authored_moment(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)
    client = _client(org.designer)
    url = f"/learn/modules/{module.code}/publish/"
    for data in ({}, {}, {"unpublish": "1"}, {}, {"unpublish": "1"}, {}):
        assert client.post(url, data).status_code == 302
    module.refresh_from_db()
    assert module.status == Module.Status.PUBLISHED
    assert LearningEvent.objects.filter(verb=AUTHORED).count() == 1


def test_a_resource_approved_is_credited_once_even_if_approved_again(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    content.submit_resource(author=org.learner, module=module)
    client = _client(org.designer)
    for _ in range(2):
        client.post(f"/learn/modules/{module.code}/review/", {"decision": "approve"})
    # a designer unpublishes and publishes it again: still one moment for its author
    client.post(f"/learn/modules/{module.code}/publish/", {"unpublish": "1"})
    client.post(f"/learn/modules/{module.code}/publish/", {})
    events = LearningEvent.objects.filter(verb=AUTHORED)
    assert list(events.values_list("actor_id", flat=True)) == [org.learner.pk]


@on_postgres
def test_two_reviewers_deciding_at_once_one_decision_counts() -> None:
    org = Org()
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    content.submit_resource(author=org.learner, module=module)
    reviewers = [org.designer, org.animator] + [
        make_person(f"reviewer{i}", team=org.people_team, roles=("designer",)) for i in range(4)
    ]
    clients = [_client(p) for p in reviewers]
    decisions = ["approve", "decline"] * 3
    path = f"/learn/modules/{module.code}/review/"
    at_once(
        [
            lambda c=c, d=d: c.post(path, {"decision": d, "note": "Non."})
            for c, d in zip(clients, decisions, strict=True)
        ]
    )
    module.refresh_from_db()
    authored = LearningEvent.objects.filter(verb=AUTHORED).count()
    # exactly one decision was taken: published with one moment, or declined with none
    assert (module.status, authored) in ((Module.Status.PUBLISHED, 1), (Module.Status.DECLINED, 0))


def test_a_manager_challenges_with_a_team_of_theirs_only(org) -> None:  # type: ignore[no-untyped-def]
    client = _client(org.manager)  # manages Extrusion only
    start = timezone.localdate() + timedelta(days=1)
    others = client.post(
        "/learn/team-challenges/new/",
        {
            "name": "Défi",
            "teams": [org.printing.pk, org.people_team.pk],
            "starts_on": start.isoformat(),
            "days": 7,
        },
    )
    assert others.status_code == 200  # the form again, with the reason
    assert "a team you manage" in others.content.decode()
    assert not TeamChallenge.objects.exists()
    assert not LearningEvent.objects.filter(verb=verbs.SYLVA_VERBS + "challenged").exists()
    own = client.post(
        "/learn/team-challenges/new/",
        {
            "name": "Défi",
            "teams": [org.extrusion.pk, org.printing.pk],
            "starts_on": start.isoformat(),
            "days": 7,
        },
    )
    assert own.status_code == 302 and TeamChallenge.objects.count() == 1
    # an animator runs challenges between any teams
    animator = _client(org.animator).post(
        "/learn/team-challenges/new/",
        {
            "name": "Défi RH",
            "teams": [org.printing.pk, org.people_team.pk],
            "starts_on": start.isoformat(),
            "days": 7,
        },
    )
    assert animator.status_code == 302 and TeamChallenge.objects.count() == 2


def test_a_learner_launches_no_team_challenge(org) -> None:  # type: ignore[no-untyped-def]
    response = _client(org.learner).post(
        "/learn/team-challenges/new/",
        {
            "name": "Défi",
            "teams": [org.extrusion.pk, org.printing.pk],
            "starts_on": timezone.localdate().isoformat(),
            "days": 7,
        },
    )
    assert response.status_code == 403 and not TeamChallenge.objects.exists()


def _challenge_form(org) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "name": "Défi sécurité",
        "teams": [org.extrusion.pk, org.printing.pk],
        "starts_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "days": 7,
    }


def test_the_same_team_challenge_launched_twice_is_refused_pointing_at_the_first(org) -> None:  # type: ignore[no-untyped-def]
    client = _client(org.manager)
    first = client.post("/learn/team-challenges/new/", _challenge_form(org))
    assert first.status_code == 302
    again = client.post("/learn/team-challenges/new/", _challenge_form(org))
    assert again.status_code == 200
    assert first["Location"] in again.content.decode()
    assert TeamChallenge.objects.count() == 1
    assert LearningEvent.objects.filter(verb=verbs.SYLVA_VERBS + "challenged").count() == 1


@on_postgres
def test_a_team_challenge_double_tapped_is_launched_once() -> None:
    org = Org()
    clients = [_client(org.manager) for _ in range(4)]
    form = _challenge_form(org)
    at_once([lambda c=c: c.post("/learn/team-challenges/new/", form) for c in clients])
    assert TeamChallenge.objects.count() == 1
    assert LearningEvent.objects.filter(verb=verbs.SYLVA_VERBS + "challenged").count() == 1
