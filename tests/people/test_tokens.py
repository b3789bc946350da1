"""Personal API tokens: made from a signed-in session only, never by a token; they expire,
may be read-only, and die with the password they were made under."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sylva.core.api import api
from sylva.core.errors import ServiceError
from sylva.people import services
from sylva.people.models import ApiToken

SAFE = {"GET", "HEAD", "OPTIONS"}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client: Client, url: str, body: dict, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_token_cannot_make_a_token(org) -> None:
    _token, secret = services.create_token(person=org.learner, name="script")
    before = ApiToken.objects.count()
    response = post_json(Client(), "/api/v1/me/tokens", {"name": "child"}, **bearer(secret))
    assert response.status_code == 403
    assert "detail" in response.json()
    assert ApiToken.objects.count() == before


@pytest.mark.django_db
def test_a_session_makes_tokens_with_an_expiry_and_a_scope(org) -> None:
    client = Client()
    client.force_login(org.learner.user)
    response = post_json(client, "/api/v1/me/tokens", {"name": "report", "read_only": True})
    assert response.status_code == 201
    body = response.json()
    assert body["read_only"] is True and body["token"].startswith("sylva_")
    token = ApiToken.objects.get(pk=body["id"])
    lasts = token.expires_at - token.created_at
    assert timedelta(days=89) < lasts <= timedelta(days=90)
    response = post_json(client, "/api/v1/me/tokens", {"name": "week", "days": 7})
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.expires_at - token.created_at == timedelta(days=7)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -1, 366, 100000])
def test_a_lifetime_out_of_bounds_is_refused_and_nothing_is_made(org, days: int) -> None:
    client = Client()
    client.force_login(org.learner.user)
    response = post_json(client, "/api/v1/me/tokens", {"name": "x", "days": days})
    assert response.status_code == 422
    with pytest.raises(ServiceError):
        services.create_token(person=org.learner, name="x", days=days)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_opens_nothing(org) -> None:
    token, secret = services.create_token(person=org.learner, name="script", days=1)
    client = Client()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    token.refresh_from_db()
    assert not token.is_active


def _write_operations() -> list[tuple[str, str]]:
    """Every (method, path) of the API that is not a read, with path parameters filled."""
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method.upper() in SAFE or method.lower() == "parameters":
                continue
            url = path
            while "{" in url:
                start, end = url.index("{"), url.index("}")
                url = url[:start] + "1" + url[end + 1 :]
            found.append((method.upper(), url))
    return found


@pytest.mark.django_db
def test_a_read_only_token_is_refused_every_write_of_the_api(org) -> None:
    """Walks every non-GET operation of the OpenAPI document."""
    _token, secret = services.create_token(person=org.admin, name="ro", read_only=True)
    operations = _write_operations()
    assert len(operations) > 5
    client = Client()
    before = {model: model.objects.count() for model in (ApiToken,)}
    for method, url in operations:
        response = client.generic(
            method, url, data="{}", content_type="application/json", **bearer(secret)
        )
        assert response.status_code == 403, (method, url, response.status_code)
        assert (
            "read-only" in response.json()["detail"] or "lecture seule" in response.json()["detail"]
        )
    assert {model: model.objects.count() for model in before} == before
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    assert client.head("/api/v1/me", **bearer(secret)).status_code in (200, 405)


@pytest.mark.django_db
def test_a_password_change_revokes_every_token_made_before_it(org) -> None:
    token, secret = services.create_token(person=org.learner, name="script")
    client = Client()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    user = org.learner.user
    user.set_password("a-new-long-password-42")
    user.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    # one made after the change works
    _new, fresh = services.create_token(person=org.learner, name="after")
    assert client.get("/api/v1/me", **bearer(fresh)).status_code == 200


@pytest.mark.django_db
def test_the_page_lists_old_password_tokens_as_revoked(org) -> None:
    """Revoked when the password is saved (sylva.people.signals), not when a page is read."""
    token, _secret = services.create_token(person=org.learner, name="script")
    user = org.learner.user
    user.last_login = None
    user.save(update_fields=["last_login"])  # another field: the token lives on
    token.refresh_from_db()
    assert token.revoked_at is None
    user.set_password("a-new-long-password-42")
    user.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client = Client()
    client.force_login(user)
    assert "revoked" in client.get("/me/tokens/").content.decode()
    listed = client.get("/api/v1/me/tokens").json()
    assert listed[0]["revoked_at"] is not None


@pytest.mark.django_db
def test_the_tokens_page_makes_a_token_with_its_lifetime_and_scope_and_shows_them(org) -> None:
    client = Client()
    client.force_login(org.learner.user)
    page = client.post("/me/tokens/", {"name": "reporting", "days": "30", "read_only": "on"})
    assert page.status_code == 200
    token = ApiToken.objects.get(person=org.learner)
    assert token.read_only and token.expires_at - token.created_at == timedelta(days=30)
    html = client.get("/me/tokens/").content.decode()
    assert token.expires_at.strftime("%Y") in html
    assert "lecture seule" in html or "read-only" in html
    refused = client.post("/me/tokens/", {"name": "x", "days": "400"})
    assert refused.status_code == 200 and ApiToken.objects.count() == 1
