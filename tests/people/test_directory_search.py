"""Who knows what, by words: a name, a job title, a team, a department, a site, a skill (in
French or English, or its code), what one can share or wants to learn — accent- and
case-blind, names first, then holders by level, with why each person matched."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sylva.people import queries, services
from sylva.people.models import LearningWish, Person, PersonSkill
from tests.factories import Org, make_person


def _found(q: str) -> list[Person]:
    return list(queries.search_people(queries.DirectoryFilter(q=q)))


@pytest.mark.django_db
def test_a_skill_is_found_in_either_language_without_accents(org: Org) -> None:
    assert _found("securite machine") == [org.expert]
    assert _found("MACHINE SAFETY") == [org.expert]
    assert _found("machine-safety") == [org.expert]  # its code


@pytest.mark.django_db
def test_names_first_then_holders_by_level_then_the_rest(org: Org) -> None:
    named = make_person("named", first="Sam", last="Extrumann", team=org.printing)
    found = _found("extru")
    # the name, then levels 4, 3, 1, then the team Extrusion's other members by name
    assert found[:4] == [named, org.expert, org.manager, org.learner]
    rest = found[4:]
    assert org.newcomer in rest and [p.last_name for p in rest] == sorted(p.last_name for p in rest)


@pytest.mark.django_db
def test_job_title_profile_texts_department_and_site_match(org: Org) -> None:
    services.update_profile(
        person=org.newcomer,
        job_title="Technicienne de maintenance",
        can_share="Je peux expliquer la soudure à l'arc",
        wants_to_learn="Apprendre l'électricité",
    )
    assert _found("Maintenance") == [org.newcomer]
    assert _found("soudure") == [org.newcomer]
    assert _found("electricite") == [org.newcomer]
    assert set(_found("ressources humaines")) == {org.animator, org.designer, org.admin}
    assert _found("lille") == [org.expert]
    assert _found("lille extru") == [org.expert]  # every word, somewhere
    assert _found("lille maintenance") == []


@pytest.mark.django_db
def test_why_each_person_matched(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    LearningWish.objects.create(person=org.newcomer, skill=org.extrude)
    found = _found("extruder")
    with translation.override("en"):
        reasons = queries.why_matched(found, "extruder")
        said = str(reasons[org.expert.pk][0])
    assert said == "Extruder setup · level 4 · can teach · happy to share it"
    assert [r.kind for r in reasons[org.newcomer.pk]] == ["wish"]
    page = login(org.newcomer).get("/people/?q=extrudeuse", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "extrudeuse · niveau 4" in html
    assert 'value="extrudeuse"' in html


@pytest.mark.django_db
def test_the_profile_text_follows_every_edit(org: Org) -> None:
    services.update_profile(person=org.learner, job_title="Régleuse")
    assert Person.objects.get(pk=org.learner.pk).search_text == "regleuse"
    services.update_profile(person=org.learner, job_title="")
    assert _found("regleuse") == []


def _crowd(org: Org, n: int, offset: int) -> None:
    for i in range(offset, offset + n):
        p = make_person(f"crowd{i}", first=f"Crowd{i}", last="Extrusion", team=org.printing)
        PersonSkill.objects.create(person=p, skill=org.extrude, level=1 + i % 4)
        LearningWish.objects.create(person=p, skill=org.safety)


@pytest.mark.django_db
def test_the_directory_page_keeps_its_queries_whatever_the_size(  # type: ignore[no-untyped-def]
    org: Org, login, django_assert_max_num_queries
) -> None:
    client = login(org.newcomer)
    counts = []
    for n, offset in ((3, 0), (60, 3)):
        _crowd(org, n, offset)
        client.get("/people/?q=extru")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/people/?q=extru securite").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # the words are read once, for the search and for its reasons (28 when read twice)
    with django_assert_max_num_queries(24):
        client.get("/people/?q=extru securite")
