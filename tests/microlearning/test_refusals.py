"""How the microlearning pages show a business rule's refusal, now that no view catches it by
hand (sylva.core.web.refusals_go_to, core.web.attempt): an action's refusal is a message on
the page it came from, "not yours" is the 403 page (as in the API), and nothing changes."""

from __future__ import annotations

from django.test import Client

from sylva.microlearning.models import Learner, Module
from sylva.microlearning.services import answers, content
from tests.microlearning.conftest import SAFETY

TIP = SAFETY.replace("code: safety-basics", "code: mon-astuce")


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person.user)
    return client


def test_pausing_a_paused_rendezvous_says_so_on_the_today_page(org) -> None:  # type: ignore[no-untyped-def]
    answers.pause(person=org.learner)
    since = Learner.objects.get(person=org.learner).paused_since
    client = _client(org.learner)
    response = client.post("/learn/pause/", follow=True)
    assert response.redirect_chain[-1][0] == "/learn/"
    assert "Your rendez-vous is already paused." in response.content.decode()
    assert Learner.objects.get(person=org.learner).paused_since == since


def test_submitting_a_resource_twice_is_a_message_on_the_module(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    content.submit_resource(author=org.learner, module=module)
    response = _client(org.learner).post(f"/learn/modules/{module.code}/submit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/learn/modules/{module.code}/"
    assert "This resource is already" in response.content.decode()


def test_a_colleagues_resource_is_not_yours_to_submit_or_to_review(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    submit = _client(org.expert).post(f"/learn/modules/{module.code}/submit/")
    assert submit.status_code == 403
    module.refresh_from_db()
    assert module.status == Module.Status.DRAFT
    own = content.save_text(
        author=org.designer,
        user=org.designer.user,
        text=TIP.replace("mon-astuce", "mon-autre-astuce"),
        light=True,
    )
    content.submit_resource(author=org.designer, module=own)
    review = _client(org.designer).post(
        f"/learn/modules/{own.code}/review/", {"decision": "approve"}
    )
    assert review.status_code == 403
    own.refresh_from_db()
    assert own.status == Module.Status.SUBMITTED


def test_a_faulty_preview_shows_its_line_in_the_phone_frame(org) -> None:  # type: ignore[no-untyped-def]
    response = _client(org.designer).post(
        "/learn/modules/preview/", {"text": SAFETY.replace("- [x] Celui", "- [ ] Celui")}
    )
    assert response.status_code == 200
    assert "Line " in response.content.decode() and "no correct option" in (
        response.content.decode()
    )
