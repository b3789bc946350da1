"""Every page, given garbage, answers a form error or a clear page — never a 500 (class 6 of
issue 9).

The routes come from the URL resolver (a new page is covered without being named here); each
is read with garbage in the query string and posted garbage in every field name pages use,
as a learner and as an animator. Every failure is reported at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import Org

pytestmark = pytest.mark.walk

HUGE = str(10**30)
GARBAGE_VALUES = [HUGE, "abc", "x" * 3000]
# Field names the pages' forms and query strings use, across every pillar.
FIELDS = [
    "page", "q", "skill", "domain", "team", "department", "site", "level", "min_level",
    "format", "state", "window", "scope", "kind", "language", "next", "name", "code",
    "title", "text", "body", "reason", "minutes", "duration", "starts_at", "date", "time",
    "offer", "offer_id", "request", "request_id", "person", "person_id", "manager",
    "manager_id", "team_id", "capacity", "rating", "answer", "choice", "option", "card",
    "card_id", "module", "elapsed_ms", "answered_at", "days", "read_only", "audience",
    "population", "weeks", "per_day", "target", "a", "b", "members", "file", "content",
]  # fmt: skip


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
    return [r for r in found if r not in ("logout/", "healthz", "readyz")]


def _urls(route: str, org: Org) -> list[str]:
    """The route with real values (a person's, a skill's) and with unknown ones."""
    real = {"slug": org.extrude.code, "str": "offer", "int": str(org.learner.pk)}
    unknown = {"slug": "no-such-thing", "str": "nothing", "int": "999999"}
    urls = []
    for values in (real, unknown):
        url = route
        while "<" in url:
            start, end = url.index("<"), url.index(">")
            kind = url[start + 1 : end].split(":")[0] if ":" in url[start:end] else "str"
            url = url[:start] + values.get(kind, values["str"]) + url[end + 1 :]
        urls.append("/" + url)
    return list(dict.fromkeys(urls))


def _walk(client: Client, org: Org, who: str) -> list[str]:
    failures = []
    for route in _page_routes():
        for url in _urls(route, org):
            for value in GARBAGE_VALUES:
                data: dict[str, Any] = dict.fromkeys(FIELDS, value)
                for method in ("get", "post"):
                    response = getattr(client, method)(url, data)
                    if response.status_code >= 500:
                        failures.append(f"{who} {method.upper()} {url} {value[:20]!r}")
                        break
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["learner", "animator"])  # one walk each: xdist shares them
def test_no_page_answers_500_to_garbage(org: Org, who: str) -> None:
    person = getattr(org, who)
    client = Client(raise_request_exception=False)
    client.force_login(person.user)
    failures = _walk(client, org, person.user.username)
    assert not failures, f"{len(failures)} pages answer 500:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_no_page_redirects_off_site_or_fails_on_next(org: Org) -> None:
    failures = []
    client = Client(raise_request_exception=False)
    client.force_login(org.learner.user)
    for route in _page_routes():
        for url in _urls(route, org)[:1]:
            for target in ("https://evil.example/x", "//evil.example/x", "abc", "/\\evil.example"):
                response = client.post(url, {"next": target})
                location = response.get("Location", "")
                if response.status_code >= 500 or "evil.example" in location:
                    failures.append(
                        f"POST {url} next={target!r}: {response.status_code} {location}"
                    )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_wrong_method_on_any_page_is_a_clear_page(org: Org) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(org.learner.user)
    seen = 0
    for route in _page_routes():
        url = _urls(route, org)[0]
        for method in ("get", "post", "put", "delete"):
            response = getattr(client, method)(url)
            if response.status_code != 405:
                continue
            seen += 1
            text = response.content.decode()
            assert response["Content-Type"].startswith("text/html"), (method, url)
            assert "<html" in text and response["Allow"] in text, (method, url, text[:200])
    assert seen > 10
