"""Bad input at the edges answers a 4xx with a reason, JSON under /api/, and changes nothing
(class 6 of issue 9).

Each test walks every operation of the OpenAPI document or every route of the URL resolver,
so a new endpoint is covered without being named here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sylva.core.api import api
from sylva.people.models import Person
from sylva.people.services import create_token
from tests.factories import Org

pytestmark = [pytest.mark.usefixtures("unlimited_api"), pytest.mark.walk]

METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def body_operations() -> list[tuple[str, str]]:
    return [(m, p) for m, p, op in operations() if "requestBody" in op]


def _url(path: str) -> str:
    """A concrete URL for an operation's path: every path parameter set to 1."""
    out = path
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        out = out[:start] + "1" + out[end + 1 :]
    return out


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"people", "exchange", "microlearning", "insights"}
    }


@pytest.fixture
def token_client(org: Org) -> Client:
    _, secret = create_token(person=org.animator, name="edges")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def assert_json_error(response: Any, status: int | tuple[int, ...], where: object) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (where, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), (
        where,
        response["Content-Type"],
    )
    body = json.loads(response.content)
    assert isinstance(body["detail"], str) and body["detail"], where
    for error in body.get("errors", []):
        assert set(error) == {"field", "message"}, where
    return body


# --- unknown routes and wrong methods ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/nonexistent", "/api/v1/exchange/nope", "/api/nope", "/api/v1/me/", "/api/v2/me"],
)
def test_unknown_api_routes_answer_json_404(token_client: Client, url: str) -> None:
    for method in METHODS:
        assert_json_error(getattr(token_client, method)(url), 404, (method, url))


@pytest.mark.django_db
def test_every_wrong_method_on_every_api_route_answers_json_405(token_client: Client) -> None:
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method in set(METHODS) - set(item):
            response = getattr(token_client, method)(_url(path))
            assert_json_error(response, 405, (method, path))
            assert response["Allow"], (method, path)


# --- bodies ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_body_is_refused_with_413_on_every_operation(
    token_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = row_counts()
    big = json.dumps({"name": "x" * 20_000})
    for method, path in body_operations():
        response = getattr(token_client, method)(_url(path), big, content_type="application/json")
        assert_json_error(response, 413, (method, path))
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "text/html", "application/xml"],
)
def test_a_body_that_is_not_json_is_refused_with_415(
    token_client: Client, content_type: str
) -> None:
    before = row_counts()
    for method, path in body_operations():
        body = '{"name": "a"}' if "form" not in content_type else "name=a"
        response = getattr(token_client, method)(_url(path), body, content_type=content_type)
        assert_json_error(response, 415, (method, path, content_type))
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        '{"name": ',
        "{'name': 'a'}",
        "[1, 2",
        "\xff\xfe",
        '{"a": NaN}',
        "[" * 100_000,
        "null",
        "[]",
        "1",
    ],
)
def test_malformed_json_is_refused_with_400(token_client: Client, body: str) -> None:
    before = row_counts()
    for method, path in body_operations():
        response = getattr(token_client, method)(_url(path), body, content_type="application/json")
        assert_json_error(response, 400, (method, path, body[:20]))
    assert row_counts() == before


# --- characters no input may hold --------------------------------------------------------

BAD_STRINGS = ["a\u0000b", "\u0000", "a\u0007", "\u001b[31m", "\ud800"]


@pytest.mark.django_db
def test_a_json_string_with_an_invalid_character_is_refused_everywhere(
    token_client: Client,
) -> None:
    before = row_counts()
    for method, path in body_operations():
        for bad in BAD_STRINGS:
            for body in ({"name": bad}, {"nested": [{"text": bad}]}, {bad: 1}):
                payload = json.dumps(body)  # ensure_ascii: \\u0000 and \\ud800 as escapes
                response = getattr(token_client, method)(
                    _url(path), payload, content_type="application/json"
                )
                data = assert_json_error(response, 400, (method, path, body))
                assert "U+" in data["detail"], data
    assert row_counts() == before


@pytest.mark.django_db
def test_numbers_no_column_holds_are_refused(token_client: Client) -> None:
    before = row_counts()
    for method, path in body_operations():
        for raw in ('{"n": 99999999999999999999}', '{"n": 1e400}', '{"n": -Infinity}'):
            response = getattr(token_client, method)(
                _url(path), raw, content_type="application/json"
            )
            assert_json_error(response, 400, (method, path, raw))
    assert row_counts() == before


@pytest.mark.django_db
def test_an_invalid_character_in_a_query_or_path_is_refused_on_every_operation(
    token_client: Client,
) -> None:
    for method, path, _operation in operations():
        for query in ("q=a%00b", "page=%00", "x=%1b"):
            response = getattr(token_client, method)(f"{_url(path)}?{query}")
            assert_json_error(response, 400, (method, path, query))
    assert_json_error(token_client.get("/api/v1/skills/a%00b"), 400, "path")


@pytest.mark.django_db
def test_a_nul_sent_to_the_profile_is_refused_and_nothing_is_stored(
    org: Org, token_client: Client
) -> None:
    """The instance of the issue: PATCH /me with a NUL stored it on SQLite."""
    _, secret = create_token(person=org.learner, name="nul")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
    before = Person.objects.values().get(pk=org.learner.pk)
    for field in ("job_title", "bio", "first_name", "language"):
        body = json.dumps({field: "Chef\u0000d'équipe"})
        response = client.patch("/api/v1/me", body, content_type="application/json")
        assert_json_error(response, 400, field)
    assert Person.objects.values().get(pk=org.learner.pk) == before


# --- pages -------------------------------------------------------------------------------


def _page_routes() -> list[str]:
    found: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin/", "api/")):
                    walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                found.append(route)

    walk(get_resolver(), "")
    return found


def _concrete(route: str, org: Org) -> str:
    url = route
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        kind = url[start + 1 : end].split(":")[0]
        value = org.extrude.code if kind in ("slug", "str") else "1"
        url = url[:start] + value + url[end + 1 :]
    return "/" + url


@pytest.mark.django_db
def test_an_invalid_character_posted_to_any_page_is_a_clear_400_page(org: Org) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.animator.user)
    before = row_counts()
    for route in _page_routes():
        if route in ("logout/", "healthz", "readyz"):
            continue
        url = _concrete(route, org)
        for data in ({"name": "a\x00b", "text": "ok"}, {"a\x00": "x"}, {"q": "\x1b"}):
            response = client.post(url, data)
            assert response.status_code == 400, (url, data, response.status_code)
            assert response["Content-Type"].startswith("text/html"), url
            assert "U+" in response.content.decode(), url
        response = client.get(url, {"q": "a\x00"})
        assert response.status_code == 400, (url, response.status_code)
    assert row_counts() == before


@pytest.mark.django_db
def test_the_refusal_page_speaks_the_persons_language(org: Org) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.learner.user)
    response = client.get("/people/", {"q": "a\x00"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Rien n’a été modifié" in text or "Rien n'a été modifié" in text, text[-800:]
    client.cookies["sylva_language"] = "en"
    response = client.get("/people/", {"q": "a\x00"})
    assert "Nothing was changed" in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_form_is_a_413_page(org: Org, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(raise_request_exception=False)
    client.force_login(org.learner.user)
    before = row_counts()
    response = client.post("/me/edit/", {"bio": "x" * 5000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert row_counts() == before


# --- the database away --------------------------------------------------------------------


def _database_down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise OperationalError("connection to server at 127.0.0.1, port 1 failed: refused")


@pytest.mark.django_db
def test_the_api_answers_a_json_503_when_the_database_is_down(token_client: Client) -> None:
    with connection.execute_wrapper(_database_down):
        for method, path, _operation in operations():
            response = getattr(token_client, method)(_url(path))
            assert_json_error(response, 503, (method, path))
            assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_pages_answer_a_503_page_when_the_database_is_down(org: Org) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.learner.user)
    with connection.execute_wrapper(_database_down):
        for url in ("/", "/people/", "/exchange/", "/learn/", "/login/"):
            response = client.get(url)
            assert response.status_code == 503, (url, response.status_code)
            assert response["Content-Type"].startswith("text/html")
            assert int(response["Retry-After"]) > 0
            assert "Sylva" in response.content.decode()
