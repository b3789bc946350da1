"""Every paginated list, API and pages, survives any page number (class 6 of issue 9).

The API's paginated operations are found in the OpenAPI document (an operation with a
``page`` query parameter), the pages by walking the URL resolver: a new list anywhere is
covered without being named here. This module runs on SQLite and, in the PostgreSQL pass
of the suite, on PostgreSQL (``page * page_size`` past 2**63 overflowed both).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from sylva.communities.models import Community, Post
from sylva.core.api import api
from sylva.core.pagination import MAX_PAGE, MAX_PAGE_SIZE
from sylva.people.services import create_token
from tests.factories import Org

pytestmark = [pytest.mark.usefixtures("unlimited_api"), pytest.mark.walk]

HUGE_PAGES = [
    {"page": 2**62},
    {"page": 10**17, "page_size": 100},
    {"page": 2**63},
    {"page": 2**64 + 1, "page_size": 100},
    {"page": 10**30},
    {"page": -(2**63)},
    {"page": 0},
    {"page_size": 2**62},
    {"page_size": 0},
    {"page": "abc"},
    {"page": "1e400"},
    {"page": 1, "page_size": 10**20},
]


def paginated_operations() -> list[tuple[str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if "page" in names:
                assert method == "get", f"{method} {path} is paginated"
                found.append((path, operation))
    return found


def test_the_api_has_paginated_operations() -> None:
    assert len(paginated_operations()) >= 10


@pytest.mark.parametrize("path,operation", paginated_operations(), ids=lambda v: str(v)[:60])
def test_every_paginated_operation_declares_its_bounds(path: str, operation: dict) -> None:
    params = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert params["page"].get("minimum") == 1, path
    assert params["page"].get("maximum") == MAX_PAGE, path
    assert params["page_size"].get("minimum") == 1, path
    assert params["page_size"].get("maximum") == MAX_PAGE_SIZE, path
    assert (MAX_PAGE - 1) * MAX_PAGE_SIZE < 2**53  # far inside every database's offsets
    assert "422" in {str(code) for code in operation["responses"]}, path


@pytest.fixture
def animator_api(org: Org) -> Client:
    _, secret = create_token(person=org.animator, name="pagination")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def _path_values(org: Org, client: Client) -> dict[str, Any]:
    """What the paginated operations need to answer 200: real path values, a snapshot."""
    from sylva.insights.services import compute_snapshot

    compute_snapshot(window_days=90)
    run = client.post("/api/v1/exchange/runs")
    assert run.status_code == 201, run.content
    return {
        "code": org.extrude.code,
        "run_id": run.json()["id"],
        **_community_values(org),
    }


def _community_values(org: Org) -> dict[str, Any]:
    """A community, a question, a circle with a session and a project of the animator's."""
    from sylva.communities.services import circles, projects

    space = _community()
    post = Post.objects.create(
        kind=Post.Kind.QUESTION, community=space, author=org.animator, title="T", body="B"
    )
    post.skills.set([org.extrude])
    circle = circles.create_circle(
        person=org.animator, title="Circle", purpose="P", skills=[org.extrude]
    )
    circles.open_circle(person=org.animator, circle=circle)
    for person in (org.learner, org.newcomer, org.expert):
        circles.join(person=person, circle=circle)
    session = circles.schedule_session(
        person=org.animator, circle=circle, starts_at=timezone.now() + timedelta(days=2)
    )
    project = projects.create_project(
        person=org.animator, title="Project", purpose="P", learning_goals="G", skills=[]
    )
    return {
        "slug": space.slug,
        "post_id": post.pk,
        "question_id": post.pk,
        "circle_id": circle.pk,
        "session_id": session.pk,
        "project_id": project.pk,
    }


def _community() -> Community:
    """An open community of practice (its pages and members are paginated)."""
    return Community.objects.get_or_create(slug="pagination", defaults={"name": "Pagination"})[0]


@pytest.mark.django_db
def test_every_paginated_operation_refuses_huge_pages_with_json(
    org: Org, animator_api: Client
) -> None:
    values = _path_values(org, animator_api)
    for path, operation in paginated_operations():
        path_names = [p["name"] for p in operation["parameters"] if p["in"] == "path"]
        missing = [name for name in path_names if name not in values]
        assert not missing, f"{path}: give a real value for {missing} in _path_values"
        url = path.format(**{name: values[name] for name in path_names})
        first = animator_api.get(url, {"page": 1, "page_size": 5})
        assert first.status_code == 200, (url, first.content)
        last = animator_api.get(url, {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE})
        assert last.status_code == 200, (url, last.content)
        assert last.json()["items"] == []
        for query in HUGE_PAGES:
            response = animator_api.get(url, query)
            assert 400 <= response.status_code < 500, (url, query, response.status_code)
            assert response["Content-Type"].startswith("application/json"), (url, query)
            body = response.json()
            assert body["detail"], (url, query)
            assert body["errors"][0]["field"] in {"page", "page_size"}, (url, query, body)


# --- pages -------------------------------------------------------------------------------


def _page_patterns() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin/", "api/")):
                    walk(pattern, route)
            else:
                found.append((route, pattern))

    walk(get_resolver(), "")
    return found


PAGE_GARBAGE = ["999999999999999999999999", "-1", "1e400"]


def _page_url(route: str, org: Org, token_id: int) -> str:
    values = {
        "code": org.extrude.code,
        "slug:code": org.extrude.code,
        "int:person_id": org.learner.pk,
        "int:team_id": org.extrusion.pk,
        "int:token_id": token_id,
        "slug:table": "scopes",
        "slug:slug": _community().slug,
        "str:kind": "offer",
        "str:token": "not-a-signed-token",
    }
    url = route
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        key = url[start + 1 : end]
        if key not in values:
            key_type = key.split(":")[0]
            assert key_type == "int", f"{route}: give a value for <{key}> in _page_url"
            value: Any = 1
        else:
            value = values[key]
        url = url[:start] + str(value) + url[end + 1 :]
    return "/" + url


@pytest.mark.django_db
def test_every_page_survives_any_page_number(org: Org) -> None:
    token, _ = create_token(person=org.animator, name="pages")
    for person in (org.animator, org.learner):
        client = Client(raise_request_exception=False)
        client.force_login(person.user)
        for route, _pattern in _page_patterns():
            if route in ("logout/",):
                continue
            url = _page_url(route, org, token.pk)
            for page in PAGE_GARBAGE:
                response = client.get(url, {"page": page})
                assert response.status_code < 500, (person, url, page, response.status_code)


@pytest.mark.django_db
def test_a_page_past_the_end_shows_the_last_page(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.animator)
    response = client.get("/people/", {"page": "999999999999999999999999"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages >= 1
