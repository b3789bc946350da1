"""The communities' search page, the similar-questions fragment, the API and the search
across Sylva (the contract's ``search`` module)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sylva.communities import search as contract
from sylva.communities.models import Community, Membership, Post, Reply
from sylva.communities.services.indexing import index_post
from sylva.core.search import gather
from tests.factories import Org

pytestmark = pytest.mark.django_db


def _post(org: Org, place: Community, title: str, body: str = "", **fields: object) -> Post:
    fields.setdefault("kind", Post.Kind.QUESTION)
    fields.setdefault("author", org.expert)
    fields.setdefault("audience", Post.Audience.EVERYONE)
    made = Post.objects.create(community=place, title=title, body=body, **fields)
    index_post(made)
    return made


@pytest.fixture
def org(db: None) -> Org:
    return Org()


@pytest.fixture
def spaces(org: Org) -> dict[str, Community]:
    open_space = Community.objects.create(slug="extrusion", name="Extrusion")
    closed = Community.objects.create(
        slug="labo", name="Laboratoire", access=Community.Access.REQUEST
    )
    Membership.objects.create(community=closed, person=org.expert)
    _post(org, open_space, "Réglage de la filière", "Quelle **température** pour le PE ?")
    _post(org, open_space, "Die settings on line 2", "Which settings for LDPE?", language="en")
    _post(
        org,
        open_space,
        "Retour sur le réglage à chaud",
        "",
        kind=Post.Kind.EXPERIENCE,
        happened="Le réglage a tenu",
    )
    _post(org, open_space, "Fiche réglage", "", kind=Post.Kind.RESOURCE)
    _post(org, closed, "Réglage secret du labo", "")
    hidden = _post(org, open_space, "Réglage injurieux", "")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    return {"open": open_space, "closed": closed}


def test_the_page_finds_and_paginates(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    page = client.get(reverse("communities:search"), {"q": "reglages"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Réglage de la filière" in html
    assert "Retour sur le réglage à chaud" in html
    assert "Fiche réglage" in html
    assert "secret" not in html and "injurieux" not in html
    assert "**" not in html  # Markdown's marks left out of the excerpt
    assert page.context["page"].paginator.count == 3


def test_the_page_filters_by_kind_and_community(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    page = client.get(reverse("communities:search"), {"q": "réglage", "kind": "experience"})
    assert [p.title for p in page.context["page"].object_list] == ["Retour sur le réglage à chaud"]
    assert client.get(reverse("communities:search"), {"q": "x", "kind": "nope"}).status_code == 400
    assert (
        client.get(reverse("communities:search"), {"q": "réglage", "community": "labo"}).status_code
        == 404
    )
    mine = login(org.expert).get(
        reverse("communities:search"), {"q": "réglage", "community": "labo"}
    )
    assert [p.title for p in mine.context["page"].object_list] == ["Réglage secret du labo"]


def test_empty_states(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    first = client.get(reverse("communities:search")).content.decode()
    assert "Type a few words" in first
    nothing = client.get(reverse("communities:search"), {"q": "zzqxw"}).content.decode()
    assert "Nothing you may read matches" in nothing
    common = client.get(reverse("communities:search"), {"q": "the of le la"}).content.decode()
    assert "too common" in common


def test_htmx_gives_the_results_alone(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    part = client.get(reverse("communities:search"), {"q": "die"}, HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert "<html" not in html and "Die settings on line 2" in html


def test_the_page_needs_sign_in(client, spaces) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("communities:search"), {"q": "réglage"}).status_code == 302


def test_similar_questions_fragment(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    answered = Post.objects.get(title="Réglage de la filière")
    Reply.objects.create(post=answered, author=org.manager, body="200 °C")
    index_post(answered)
    client = login(org.learner)
    url = reverse("communities:similar")
    html = client.get(url, {"title": "réglage filière"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Already answered:" in html and "Réglage de la filière" in html
    assert "secret" not in html and "injurieux" not in html
    assert "Retour sur" not in html  # questions only
    assert client.get(url, {"title": "ré"}, HTTP_HX_REQUEST="true").content.strip() == b""
    direct = client.get(url, {"title": "réglage"})
    assert direct.status_code == 302 and reverse("communities:search") in direct["Location"]


def test_the_slot_asks_while_typing() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("communities/slots/similar.html")
    assert f'hx-get="{reverse("communities:similar")}"' in html
    assert 'hx-trigger="input changed delay:400ms from:#id_title"' in html
    assert 'hx-include="#id_title"' in html
    assert "<script" not in html


def test_the_api_searches_with_pages(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    url = "/api/v1/communities/search"
    answer = client.get(url, {"q": "réglages", "page_size": 2})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 3 and len(body["items"]) == 2
    item = body["items"][0]
    assert {"id", "kind", "title", "excerpt", "url", "relevance", "community"} <= set(item)
    assert client.get(url, {"q": "réglage", "kind": "resource"}).json()["count"] == 1
    assert client.get(url, {"q": "réglage", "kind": "nope"}).status_code == 400
    assert client.get(url, {"q": "réglage", "community": "labo"}).status_code == 404
    assert client.get(url, {"q": "x" * 500}).status_code in (400, 422)
    as_member = login(org.expert).get(url, {"q": "réglage", "community": "labo"}).json()
    assert [i["title"] for i in as_member["items"]] == ["Réglage secret du labo"]


def test_the_api_similar(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    url = "/api/v1/communities/search/similar"
    found = client.get(url, {"title": "réglage de filière"}).json()
    assert [f["title"] for f in found][:1] == ["Réglage de la filière"]
    assert client.get(url, {"title": "ré"}).json() == []


def test_the_api_needs_sign_in(spaces) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(
        "/api/v1/communities/search", {"q": "réglage"}
    ).status_code in (401, 403)


def test_the_contract_groups_and_respects_access(org: Org, spaces) -> None:  # type: ignore[no-untyped-def]
    found = contract.results(org.learner, "réglage", 5)
    by_kind: dict[str, list[str]] = {}
    for r in found:
        by_kind.setdefault(r.kind, []).append(r.title)
    assert by_kind == {
        contract.QUESTIONS: ["Réglage de la filière"],
        contract.EXPERIENCE: ["Retour sur le réglage à chaud"],
        contract.RESOURCES: ["Fiche réglage"],
    }
    assert {k.key for k in contract.KINDS} == set(by_kind)
    assert contract.results(org.learner, "", 5) == []
    member = [r.title for r in contract.results(org.expert, "réglage", 5)]
    assert "Réglage secret du labo" in member
    assert all(r.url.startswith("/") for r in found)


def test_the_contract_costs_the_same_with_more_posts(org: Org, spaces) -> None:  # type: ignore[no-untyped-def]
    contract.results(org.learner, "réglage", 5)  # permissions cached on the user
    with CaptureQueriesContext(connection) as few:
        contract.results(org.learner, "réglage", 5)
    for i in range(15):
        _post(org, spaces["open"], f"Réglage numéro {i}", "")
    with CaptureQueriesContext(connection) as many:
        assert len(contract.results(org.learner, "réglage", 5)) == 5 + 1 + 1
    assert len(many) == len(few) <= 4


def test_the_search_across_sylva_shows_the_groups(org: Org, spaces, login) -> None:  # type: ignore[no-untyped-def]
    groups = gather(org.learner, org.learner.user, "réglage", 5)
    keys = [g.kind.key for g in groups]
    assert contract.QUESTIONS in keys and contract.EXPERIENCE in keys
    page = login(org.learner).get(reverse("search"), {"q": "réglage"}).content.decode()
    assert "Réglage de la filière" in page and "secret" not in page
