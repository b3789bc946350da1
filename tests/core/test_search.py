"""The search across Sylva (/search/): every pillar contributes what the reader may see,
grouped by kind and capped, with a "more" link that keeps the words; each pillar answers in
a bounded number of queries whatever the size of the company."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sylva.core import search
from sylva.core.pillars import SearchResult, pillars
from sylva.exchange.models import Offer
from sylva.exchange.services import board, exchanges
from sylva.microlearning.models import Module
from sylva.people.models import Person, PersonSkill
from tests.factories import Org, make_person


@pytest.fixture
def posted(org: Org) -> Org:
    """The expert offers extruder setup; the learner asks for it (and offers spreadsheets,
    so that both joined the network); modules in every state."""
    board.publish_offer(
        person=org.expert,
        skill_codes=["extrusion-setup"],
        text="Réglage de l'extrudeuse, profils et températures",
        formats=["video"],
    )
    board.publish_request(
        person=org.learner, skill_codes=["extrusion-setup"], text="Apprendre la filière"
    )
    board.publish_offer(
        person=org.learner, skill_codes=["excel"], formats=["video"], levels={"excel": 3}
    )
    board.publish_request(person=org.expert, skill_codes=["facilitation"], formats=["video"])
    published = Module.objects.create(
        code="extru-basics", title="Les bases de l'extrusion", status="published"
    )
    published.skills.add(org.extrude)
    Module.objects.create(code="extru-draft", title="Extrusion : brouillon", status="draft")
    Module.objects.create(
        code="extru-mine",
        title="Mon astuce d'extrusion",
        status="draft",
        is_light=True,
        author=org.learner,
    )
    Module.objects.create(
        code="extru-review",
        title="Astuce extrusion à relire",
        status="submitted",
        is_light=True,
        author=org.expert,
    )
    return org


def _titles(person: Person, q: str, kind: str) -> list[str]:
    groups = search.gather(person, person.user, q, 50)
    return [r.title for g in groups if g.kind.key == kind for r in g.results]


@pytest.mark.django_db
def test_signed_out_visitors_go_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/search/?q=extrusion").status_code == 302


@pytest.mark.django_db
def test_a_colleague_a_skill_an_offer_and_a_module_are_found_by_one_word(posted, login) -> None:  # type: ignore[no-untyped-def]
    page = login(posted.newcomer).get("/search/?q=EXTRUDEUSE", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="EXTRUDEUSE"' in html  # the words stay in the box
    for heading in ("Colleagues", "Skills", "Offers on the board", "Requests on the board"):
        assert f">{heading}</h2>" in html, heading
    assert "Karim Benali" in html and "level 4" in html  # why he matched
    assert "Extruder setup" in html
    assert "Offered by Karim Benali" in html
    # accent- and case-blind, in French or English, for modules too
    assert _titles(posted.newcomer, "extrusion", "microlearning.module") == [
        "Les bases de l'extrusion"
    ]


@pytest.mark.django_db
def test_drafts_are_found_by_their_author_and_designers_only(posted) -> None:
    assert _titles(posted.newcomer, "extrusion", "microlearning.module") == [
        "Les bases de l'extrusion"
    ]
    mine = _titles(posted.learner, "extrusion", "microlearning.module")
    assert sorted(mine) == ["Les bases de l'extrusion", "Mon astuce d'extrusion"]
    reviewer = _titles(posted.animator, "extrusion", "microlearning.module")
    assert "Astuce extrusion à relire" in reviewer and "Extrusion : brouillon" not in reviewer
    assert len(_titles(posted.designer, "extrusion", "microlearning.module")) == 4


@pytest.mark.django_db
def test_insights_scopes_follow_the_readers_rights_and_the_aggregate_rule(org) -> None:
    kind = "insights.scope"
    assert _titles(org.newcomer, "extrusion", kind) == []  # a learner: none
    assert _titles(org.manager, "extrusion", kind) == ["Extrusion"]  # the team they manage
    assert _titles(org.manager, "impression", kind) == []  # not theirs
    assert _titles(org.animator, "production", kind) == ["Production"]
    # Impression has one person: fewer than SYLVA_MIN_AGGREGATE, no figures, not offered
    assert _titles(org.animator, "impression", kind) == []


@pytest.mark.django_db
def test_only_open_board_postings_and_never_what_is_said_in_an_exchange(posted) -> None:
    offer = Offer.objects.get(person=posted.expert)
    request = posted.learner.exchange_requests.get()
    x = exchanges.propose(by=posted.learner, offer=offer, request=request, learner=posted.learner)
    exchanges.post_message(person=posted.learner, exchange=x, body="zorglub-secret-word")
    for person in (posted.newcomer, posted.learner, posted.animator, posted.admin):
        assert search.gather(person, person.user, "zorglub-secret-word", 5) == []
    Offer.objects.filter(pk=offer.pk).update(state=Offer.State.PAUSED)
    assert _titles(posted.newcomer, "extrudeuse", "exchange.offer") == []


@pytest.mark.django_db
def test_groups_are_capped_and_more_keeps_the_words(org, login) -> None:  # type: ignore[no-untyped-def]
    for i in range(search.GROUP_LIMIT + 2):
        make_person(f"extra{i}", first=f"Extra{i}", last="Tableur", team=org.printing)
    groups = search.gather(org.newcomer, org.newcomer.user, "tableur", search.GROUP_LIMIT)
    people = next(g for g in groups if g.kind.key == "people.person")
    assert len(people.results) == search.GROUP_LIMIT
    more = urlsplit(people.more or "")
    assert more.path == "/people/" and parse_qs(more.query)["q"] == ["tableur"]
    skills = next(g for g in groups if g.kind.key == "people.skill")
    assert skills.more is None  # one skill: nothing more
    page = login(org.newcomer).get("/people/?q=tableur")
    assert page.context["page"].paginator.count == search.GROUP_LIMIT + 2


@pytest.mark.django_db
def test_a_kind_alone_is_paginated(org, login) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        Module.objects.create(code=f"tab-{i}", title=f"Tableur {i}", status="published")
    page = login(org.newcomer).get("/search/?q=tableur&kind=microlearning.module")
    html = page.content.decode()
    assert page.status_code == 200 and "Tableur 2" in html
    assert 'name="kind" value="microlearning.module"' in html  # kept when searching again


@pytest.mark.django_db
def test_nothing_found_says_what_to_try_and_short_words_are_refused(org, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.newcomer)
    html = client.get("/search/?q=qwxyz", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing matches “qwxyz”" in html and "Try:" in html
    assert 'href="/people/"' in html  # the sections one may browse instead
    html = client.get("/search/?q=a", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Type at least two letters." in html
    french = client.get("/search/?q=qwxyz", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rien ne correspond à « qwxyz »" in french
    long = client.get("/search/?q=" + "x" * 5000)
    assert long.status_code == 200 and long.context["q"] == "x" * search.MAX_LENGTH


@pytest.mark.django_db
def test_an_account_without_a_role_sees_no_kind_it_may_not_open(org) -> None:
    org.newcomer.user.groups.clear()  # no role at all: not even the directory
    assert search.gather(org.newcomer, org.newcomer.user, "extrusion", 5) == []


def _grow(org: Org, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        person = make_person(f"grown{i}", first=f"Grown{i}", last="Extrusion", team=org.extrusion)
        PersonSkill.objects.create(person=person, skill=org.extrude, level=1 + i % 4)


@pytest.mark.django_db
@pytest.mark.parametrize("config", [c for c in pillars() if c.search], ids=lambda c: c.label)
def test_each_pillar_answers_in_a_bounded_number_of_queries(posted, config) -> None:  # type: ignore[no-untyped-def]
    """The same number of queries for a company of 10 or of 50 matching people, at most
    twelve per pillar."""
    posted.animator.user.has_perm("people.view_person")  # the permissions, once per request
    counts = []
    for n, offset in ((3, 0), (40, 3)):
        _grow(posted, n, offset)
        with CaptureQueriesContext(connection) as ctx:
            found = config.search_results(posted.animator, "extrusion", search.GROUP_LIMIT + 1)
        assert all(isinstance(r, SearchResult) for r in found)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts


@pytest.mark.django_db
def test_the_page_keeps_its_queries_whatever_the_size(
    posted, login, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(posted.animator)
    client.get("/search/?q=extrusion")  # warm the session and permission caches
    _grow(posted, 60, 0)
    with django_assert_max_num_queries(60):
        assert client.get("/search/?q=extrusion").status_code == 200
