"""The one-click unsubscribe of an email's link (RFC 8058): the GET only asks (mail
scanners prefetch links), the POST acts — from the page's button or from the mail client,
signed out, with no CSRF cookie; a forged token is a clear 400 and changes nothing. And
the email the link comes in: its HTML and text parts carry the full content, the button,
why it was sent, the preferences and the unsubscribe links, in the recipient's language."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from sylva.notifications.channels import (
    CHANNELS,
    message_for,
    read_unsubscribe_token,
    unsubscribe_token,
)
from sylva.notifications.models import Delivery, Preference
from sylva.notifications.services import notify, sending
from tests.factories import Org


@pytest.fixture(autouse=True)
def _learner_has_an_address(org: Org) -> None:
    org.learner.user.email = "helene@example.org"
    org.learner.user.save(update_fields=["email"])


def _url(token: str) -> str:
    return f"/inbox/unsubscribe/{token}/"


def test_the_get_asks_and_changes_nothing(org: Org) -> None:
    token = unsubscribe_token(org.learner.pk, "test.proposed")
    response = Client().get(_url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these emails?" in page and "Someone proposes something" in page
    assert '<form method="post"' in page
    assert not Preference.objects.exists()


def test_the_mail_client_s_one_click_post_unsubscribes_signed_out(org: Org) -> None:
    token = unsubscribe_token(org.learner.pk, "test.proposed")
    client = Client(enforce_csrf_checks=True)  # no cookie, no token: as a mail client posts
    response = client.post(
        _url(token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    preference = Preference.objects.get(person=org.learner)
    assert preference.channels == {"test.proposed": []}
    again = client.post(
        _url(token), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200  # a second click is no error
    assert Preference.objects.get(person=org.learner).channels == {"test.proposed": []}


def test_unsubscribing_keeps_the_kind_s_other_channels(org: Org) -> None:
    Preference.objects.create(person=org.learner, channels={"test.proposed": ["email", "push"]})
    Client().post(_url(unsubscribe_token(org.learner.pk, "test.proposed")))
    assert Preference.objects.get(person=org.learner).channels == {"test.proposed": ["push"]}


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "eyJwIjoxLCJrIjoidGVzdC5wcm9wb3NlZCJ9:1xYbmr:" + "A" * 43,  # a signature made up
        "eyJwIjoxLCJrIjoidGVzdC5wcm9wb3NlZCJ9:1abc:xyz",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_a_400_and_changes_nothing(org: Org, token: str, method: str) -> None:
    response = getattr(Client(), method)(_url(token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_to_no_one_or_no_kind_is_a_400(org: Org, method: str) -> None:
    for token in (
        unsubscribe_token(10**9, "test.proposed"),
        unsubscribe_token(org.learner.pk, "gone.kind"),
    ):
        assert getattr(Client(), method)(_url(token)).status_code == 400
    assert not Preference.objects.exists()


def _email(org: Org, language: str) -> mail.EmailMultiAlternatives:
    org.learner.language = language
    org.learner.save()
    notification = notify(
        org.learner,
        "test.proposed",
        key=f"k-{language}",
        subject="Karim proposes to teach you extruder setup",
        lines=("When: Tuesday 10:00", "How: video"),
        url="/exchange/exchanges/1/",
        action="Answer Karim now",
    )
    assert notification is not None
    delivery = Delivery.objects.get(notification=notification, channel="email")
    channel = CHANNELS["email"]
    return channel.build(message_for(notification, delivery.pk))  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    "language,why,prefs,stop",
    [
        (
            "en",
            "You receive this email because",
            "My notification preferences",
            "Stop emails of this kind",
        ),
        (
            "fr",
            "Vous recevez ce message car",
            "Mes préférences de notification",
            "Ne plus recevoir ces messages par e-mail",
        ),
    ],
)
def test_the_email_says_everything_in_the_recipient_s_language(
    org: Org, language: str, why: str, prefs: str, stop: str
) -> None:
    email = _email(org, language)
    html = str(email.alternatives[0][0])  # type: ignore[index]
    text = str(email.body)
    found = re.search(r"https://sylva.example.org/inbox/unsubscribe/([^/]+)/", text)
    assert found and read_unsubscribe_token(found.group(1)) == (org.learner.pk, "test.proposed")
    token = found.group(1)
    for part in (html, text):
        assert "Karim proposes to teach you extruder setup" in part
        assert "When: Tuesday 10:00" in part and "How: video" in part
        assert "https://sylva.example.org/exchange/exchanges/1/" in part
        assert f"https://sylva.example.org/inbox/unsubscribe/{token}/" in part
        assert "https://sylva.example.org/inbox/preferences/" in part
        assert why in part and prefs in part and stop in part
        assert "Hélène" in part
        assert "Someone proposes something" in part  # why: the kind, by its label
    assert 'href="https://sylva.example.org/exchange/exchanges/1/"' in html
    assert ">Answer Karim now</a>" in html
    assert f'lang="{language}"' in html
    assert "&lt;" not in text and "&#x27;" not in text  # plain text, not escaped HTML


def test_the_link_of_a_sent_email_unsubscribes(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        _email(org, "en")
    sending.send_due()
    (sent,) = mail.outbox
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://sylva.example.org")
    assert (
        Client()
        .post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        .status_code
        == 200
    )
    assert Preference.objects.get(person=org.learner).channels["test.proposed"] == []
