"""Who knows what: search by name (accent-blind), skill (best level first), team, site."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sylva.people import queries
from sylva.people.models import PersonSkill
from sylva.people.text import fold
from tests.factories import make_person


@pytest.mark.django_db
def test_names_are_found_without_accents_or_case(org) -> None:
    found = queries.search_people(queries.DirectoryFilter(q="helene dupre"))
    assert list(found) == [org.learner]
    assert list(queries.search_people(queries.DirectoryFilter(q="HÉLÈNE"))) == [org.learner]
    assert not queries.search_people(queries.DirectoryFilter(q="zzz")).exists()


@pytest.mark.django_db
def test_skill_holders_are_ranked_by_level(org) -> None:
    found = list(queries.search_people(queries.DirectoryFilter(skill=org.extrude)))
    assert found == [org.expert, org.manager, org.learner]
    assert [p.matched_level for p in found] == [4, 3, 1]
    at_least_3 = queries.search_people(queries.DirectoryFilter(skill=org.extrude, min_level=3))
    assert list(at_least_3) == [org.expert, org.manager]


@pytest.mark.django_db
def test_filters_combine(org) -> None:
    in_lille = queries.search_people(queries.DirectoryFilter(site=org.lille))
    assert list(in_lille) == [org.expert]
    prod_extruders = queries.search_people(
        queries.DirectoryFilter(skill=org.extrude, department=org.prod, team=org.extrusion)
    )
    assert list(prod_extruders) == [org.manager, org.learner]
    by_domain = list(queries.search_people(queries.DirectoryFilter(domain=org.tech)))
    assert by_domain[0] == org.expert and by_domain[0].matched_level == 4


@pytest.mark.django_db
def test_inactive_people_are_not_listed(org) -> None:
    org.expert.user.is_active = False
    org.expert.user.save()
    assert org.expert not in queries.search_people(queries.DirectoryFilter())


@given(st.text(max_size=30))
def test_folding_is_idempotent_and_accent_free(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert all(c not in "éèêàçôöüÉ" for c in once)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(levels=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=8))
def test_ranking_never_puts_a_lower_level_first(django_db_blocker, levels) -> None:
    from django.db import transaction

    from tests.factories import Org

    with transaction.atomic():
        org = Org()
        for i, level in enumerate(levels):
            person = make_person(f"holder{i}", last=f"H{i:02d}", team=org.printing)
            PersonSkill.objects.create(person=person, skill=org.excel, level=level)
        found = [
            p.matched_level for p in queries.search_people(queries.DirectoryFilter(skill=org.excel))
        ]
        assert found == sorted(levels, reverse=True)
        transaction.set_rollback(True)
