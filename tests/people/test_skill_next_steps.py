"""A skill's page is no dead end: it says whether I hold it, and leads to declaring it or
to putting it on my list, with the skill already chosen in the form."""

from __future__ import annotations

import re

import pytest

from sylva.people.models import LearningWish, PersonSkill


def _page(client, code: str) -> str:
    response = client.get(f"/skills/{code}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_skill_i_do_not_hold_leads_to_declaring_it_or_wishing_it(client, login, org) -> None:
    login(org.learner)
    html = _page(client, "excel")
    assert "/me/skills/?skill=excel#add-skill" in html
    assert "/me/skills/?wish=excel#wishes" in html
    # the form the link leads to has the skill chosen already, in the right form only
    form = client.get("/me/skills/?skill=excel").content.decode()
    assert len(re.findall(r'<option value="\d+" selected data-name-fr="Tableur"', form)) == 1
    assert form.count('value="" selected') == 1  # the wish form still has nothing chosen
    wish = client.get("/me/skills/?wish=excel").content.decode()
    assert len(re.findall(r'<option value="\d+" selected data-name-fr="Tableur"', wish)) == 1


@pytest.mark.django_db
def test_a_held_skill_shows_my_level_and_a_wished_one_says_so(client, login, org) -> None:
    login(org.learner)
    assert PersonSkill.objects.filter(person=org.learner, skill=org.extrude).exists()
    held = _page(client, org.extrude.code)
    assert "?skill=" not in held and "/me/skills/" in held
    LearningWish.objects.create(person=org.learner, skill=org.excel)
    wished = _page(client, "excel")
    assert "?wish=excel" not in wished and "?skill=excel" in wished


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["nope", "", "excel'><script>", "%00"])
def test_an_unknown_code_in_the_link_chooses_nothing(client, login, org, code) -> None:
    login(org.learner)
    plain = client.get("/me/skills/").content.decode()
    response = client.get("/me/skills/", {"skill": code, "wish": code})
    assert response.status_code == 200
    assert response.content.decode().count("selected") == plain.count("selected")
    assert plain.count('value="" selected') == 2
    assert "<script>" not in response.content.decode()
