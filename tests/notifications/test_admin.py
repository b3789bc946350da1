"""The administrator's side: chat channels saved through ``services.save_hook`` (a bad URL
is a form error, nothing saved), their last failure shown read-only; the log, preferences
and push subscriptions read-only (nothing to add, change or delete)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from sylva.notifications.models import Delivery, Hook, Notification, PushSubscription
from sylva.notifications.services import notify
from tests.factories import Org


@pytest.fixture
def admin_client(org: Org) -> Client:
    User.objects.filter(pk=org.admin.user_id).update(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(User.objects.get(pk=org.admin.user_id))
    return client


def _hook_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Atelier extrusion",
        "service": "slack",
        "url": "https://hooks.slack.com/services/T000/B000/XXXX",
        "team": "",
        "kinds": ["test.proposed"],
        "active": "on",
    }
    data.update(changes)
    return data


def test_a_chat_channel_is_saved_through_its_service(admin_client: Client) -> None:
    response = admin_client.post("/admin/notifications/hook/add/", _hook_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    hook = Hook.objects.get()
    assert hook.kinds == ["test.proposed"] and hook.url.startswith("https://hooks.slack.com/")


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"url": "http://hooks.example.org/x"}, "must be an https:// address"),
        ({"url": "not a url"}, "Enter a valid URL"),
        ({"kinds": ["no.such.kind"]}, "Select a valid choice"),
    ],
)
def test_a_bad_webhook_is_a_form_error_and_saves_nothing(
    admin_client: Client, changes: dict[str, object], message: str
) -> None:
    response = admin_client.post(
        "/admin/notifications/hook/add/", _hook_form(**changes), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Hook.objects.exists()


def test_the_last_failure_of_a_webhook_is_shown_and_cannot_be_edited(admin_client: Client) -> None:
    hook = Hook.objects.create(
        name="Teams", service="teams", url="https://example.org/wf", kinds=["test.proposed"]
    )
    Hook.objects.filter(pk=hook.pk).update(
        last_error="the webhook answered 404: not found", last_error_at=timezone.now()
    )
    page = admin_client.get(f"/admin/notifications/hook/{hook.pk}/change/").content.decode()
    assert "the webhook answered 404: not found" in page
    assert 'name="last_error"' not in page
    admin_client.post(
        f"/admin/notifications/hook/{hook.pk}/change/",
        _hook_form(name="Teams", service="teams", url="https://example.org/wf", last_error=""),
    )
    assert Hook.objects.get(pk=hook.pk).last_error == "the webhook answered 404: not found"


def test_the_log_is_read_only_and_filterable(org: Org, admin_client: Client) -> None:
    org.learner.user.email = "helene@example.org"
    org.learner.user.save()
    notification = notify(
        org.learner,
        "test.proposed",
        key="k",
        subject="Karim proposes",
        url="/x/",
        lines=("When: Tuesday",),
    )
    assert notification is not None
    delivery = Delivery.objects.get(notification=notification)
    change = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    page = change.content.decode()
    # the body is the recipient's (an exchange's place, an introduction's reason): the
    # admin shows what was told to whom, never what it said
    assert "Karim proposes" in page and "When: Tuesday" not in page
    assert 'name="body"' not in page and 'name="subject"' not in page
    admin_client.post(
        f"/admin/notifications/notification/{notification.pk}/change/", {"subject": "edited"}
    )
    assert Notification.objects.get(pk=notification.pk).subject == "Karim proposes"
    for url in (
        "/admin/notifications/notification/?kind=test.proposed",
        "/admin/notifications/notification/?q=Karim",
        "/admin/notifications/delivery/?state__exact=queued&channel__exact=email",
        "/admin/notifications/delivery/?q=Karim",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Karim proposes" in response.content.decode(), url
    assert admin_client.get("/admin/notifications/delivery/?q=nothing-like-it").status_code == 200
    for model, pk in (("notification", notification.pk), ("delivery", delivery.pk)):
        assert admin_client.get(f"/admin/notifications/{model}/add/").status_code == 403
        admin_client.post(f"/admin/notifications/{model}/{pk}/delete/", {"post": "yes"})
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert Delivery.objects.filter(pk=delivery.pk).exists()


def test_push_subscriptions_are_listed_without_their_keys(org: Org, admin_client: Client) -> None:
    endpoint = "https://push.example.org/" + "e" * 200
    subscription = PushSubscription.objects.create(
        person=org.learner, endpoint=endpoint, p256dh="PUBLIC-KEY-SECRET", auth="AUTH-SECRET"
    )
    listing = admin_client.get("/admin/notifications/pushsubscription/").content.decode()
    assert endpoint not in listing and endpoint[:57] + "…" in listing
    page = admin_client.get(
        f"/admin/notifications/pushsubscription/{subscription.pk}/change/"
    ).content.decode()
    assert "PUBLIC-KEY-SECRET" not in page and "AUTH-SECRET" not in page


def test_preferences_are_read_only_in_the_admin(org: Org, admin_client: Client) -> None:
    assert admin_client.get("/admin/notifications/preference/add/").status_code == 403
