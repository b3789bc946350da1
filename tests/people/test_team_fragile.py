"""A manager's team overview ranks its fragile points by what losing them would cost:
critical skills (the department's trade) with one master first, office tools held all over
the company last; each point comes with an action, the list is capped with a "show all", and
the page links to the team's memory and challenges in microlearning."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from sylva.people.models import PersonSkill
from sylva.people.teamview import FRAGILE_SHOWN, optional_url, team_overview
from tests.factories import Org


def _plant(org: Org) -> None:
    op0, op1, op2 = (org.extrusion.members.get(first_name=f"Opérateur{i}") for i in range(3))
    # a spreadsheet: mastered by one operator, held all over the company (HR too)
    PersonSkill.objects.create(person=op0, skill=org.excel, level=3)
    for hr in (org.animator, org.designer, org.admin):
        PersonSkill.objects.create(person=hr, skill=org.excel, level=3)
    # machine safety: Production's trade, one operator alone holds and masters it
    PersonSkill.objects.create(person=op1, skill=org.safety, level=4)
    # facilitation: one beginner in the team, mostly held in HR
    PersonSkill.objects.create(person=op2, skill=org.facilitation, level=1)
    PersonSkill.objects.create(person=org.animator, skill=org.facilitation, level=4)
    PersonSkill.objects.create(person=org.designer, skill=org.facilitation, level=3)


@pytest.mark.django_db
def test_fragile_points_rank_critical_skills_with_one_master_first(org: Org) -> None:
    _plant(org)
    overview = team_overview(viewer=org.manager, user=org.manager.user, team=org.extrusion)
    order = [p.skill.code for p in overview.fragile]
    # safety (critical, its only holder masters it), extrusion (critical, the manager is its
    # one master among two holders), then the tools of everybody
    assert order == ["machine-safety", "extrusion-setup", "excel", "facilitation"]
    by_code = {p.skill.code: p for p in overview.fragile}
    assert by_code["machine-safety"].critical and by_code["extrusion-setup"].critical
    assert not by_code["excel"].critical  # 1 of its 4 holders works in Production
    assert by_code["excel"].share_percent == 25
    assert not by_code["facilitation"].critical


@pytest.mark.django_db
def test_each_fragile_point_has_an_action_that_fits(org: Org) -> None:
    _plant(org)
    with translation.override("en"):
        overview = team_overview(viewer=org.manager, user=org.manager.user, team=org.extrusion)
    by_code = {p.skill.code: p for p in overview.fragile}
    op1 = by_code["machine-safety"].masters[0]
    safety = by_code["machine-safety"].actions
    assert safety[0].label == f"Ask {op1.full_name} to offer it"
    assert safety[0].url == f"/people/{op1.pk}/"
    # the manager is extrusion's one master: they are told to offer it themselves
    assert by_code["extrusion-setup"].actions[0].url == "/exchange/offers/new/"
    # nobody masters facilitation: find a teacher elsewhere, or a team challenge
    urls = [a.url for a in by_code["facilitation"].actions]
    assert urls == ["/skills/facilitation/", "/learn/team-challenges/new/"]


@pytest.mark.django_db
def test_the_page_caps_the_list_links_the_team_elsewhere_and_never_rotates_headings(
    org: Org, client: Client
) -> None:
    _plant(org)
    client.force_login(org.manager.user)
    html = client.get(f"/team/{org.extrusion.pk}/").content.decode()
    assert html.index("Sécurité machine") < html.index("Tableur")  # ranked on the page
    assert f'href="/learn/memory/teams/{org.extrusion.pk}/"' in html
    assert 'href="/learn/challenges/"' in html
    assert "showall" not in html  # 4 points: no "show all" under the cap
    assert FRAGILE_SHOWN < 10


@pytest.mark.django_db
def test_a_long_list_is_cut_at_the_cap(org: Org) -> None:
    _plant(org)
    overview = team_overview(viewer=org.manager, user=org.manager.user, team=org.extrusion)
    overview.fragile_shown = 2
    assert [p.skill.code for p in overview.fragile_first] == ["machine-safety", "extrusion-setup"]
    assert len(overview.fragile_rest) == 2


def test_a_page_of_a_pillar_that_is_not_installed_is_no_action() -> None:
    assert optional_url("nowhere:page") is None
