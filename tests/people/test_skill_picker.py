"""The skills picker's select (people/widgets.py): grouped by domain in the reader's language,
sorted accent-blind, both names on each option, cheap to render, and it posts as before.

What the script does with it is tested in Chromium (tests/browser/test_skill_picker.py).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import translation

from sylva.exchange.forms import RequestForm
from sylva.exchange.models import MAX_SKILLS, Request
from sylva.people.forms import DirectoryForm, SkillForm, SkillsField, WishForm
from sylva.people.models import PersonSkill, Skill, SkillDomain
from sylva.people.widgets import fold


class _Select(HTMLParser):
    """The select's attributes, and its groups in order, each with its options (the options
    outside any group are under ``None``)."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, Any] = {}
        self.groups: list[tuple[str | None, list[dict[str, Any]]]] = []
        self._group: str | None = None
        self._option: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, Any] = dict(attrs)
        if tag == "select":
            self.attrs = found
        elif tag == "optgroup":
            self._group = found["label"]
            self.groups.append((self._group, []))
        elif tag == "option":
            if not self.groups or self.groups[-1][0] != self._group:
                self.groups.append((self._group, []))
            found["text"] = ""
            self._option = found
            self.groups[-1][1].append(found)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "optgroup":
            self._group = None
        elif tag == "option":
            self._option = None

    def named(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(label, options) for label, options in self.groups if label]


def _parse(html: str) -> _Select:
    parser = _Select()
    parser.feed(html)
    return parser


@pytest.fixture
def skills(org):  # type: ignore[no-untyped-def]
    """The org's skills plus names that sort differently with and without accents."""
    hr = SkillDomain.objects.create(code="hr", name_fr="Écoute", name_en="Listening")
    Skill.objects.create(code="zeta", domain=org.soft, name_fr="zèbre", name_en="Zebra")
    Skill.objects.create(code="eth", domain=org.soft, name_fr="Éthique", name_en="Ethics")
    Skill.objects.create(code="empathy", domain=hr, name_fr="Empathie", name_en="Empathy")
    return org


def test_options_are_grouped_by_domain_sorted_accent_blind_in_french(skills) -> None:
    with translation.override("fr"):
        select = _parse(str(SkillForm(prefix="add")["skill"]))
    groups = select.named()
    # "Écoute" sorts with the e's, between "Technique"'s neighbours, not after "Z"
    assert [label for label, _ in groups] == ["Écoute", "Technique", "Transverse"]
    soft = dict(groups)["Transverse"]
    names = [o["data-name-fr"] for o in soft]
    assert names == ["Animation d'atelier", "Éthique", "Tableur", "zèbre"]
    assert names == sorted(names, key=fold)
    # the empty choice comes first, alone, outside any group
    assert select.groups[0][0] is None and select.groups[0][1][0]["value"] == ""


def test_in_english_the_groups_and_order_follow_the_english_names(skills) -> None:
    with translation.override("en"):
        select = _parse(str(SkillForm(prefix="add")["skill"]))
    groups = select.named()
    assert [label for label, _ in groups] == ["Listening", "Technical", "Transversal"]
    soft = [o["data-name-en"] for o in dict(groups)["Transversal"]]
    assert soft == ["Ethics", "Spreadsheets", "Workshop facilitation", "Zebra"]


def test_each_option_carries_both_names_its_code_and_domain(skills) -> None:
    with translation.override("en"):
        select = _parse(str(WishForm(prefix="wish")["wish"]))
    options = {o["data-code"]: o for _label, group in select.named() for o in group}
    assert len(options) == Skill.objects.count()
    excel = options["excel"]
    assert excel["value"] == str(skills.excel.pk)
    assert (excel["data-name-fr"], excel["data-name-en"]) == ("Tableur", "Spreadsheets")
    assert excel["data-domain"] == "Transversal"
    assert "Spreadsheets" in excel["text"]
    assert select.attrs["data-skill-picker"] == "one"
    assert "data-max" not in select.attrs


def test_the_texts_the_script_shows_come_translated(skills) -> None:
    with translation.override("fr"):
        french = _parse(str(RequestForm()["skills"])).attrs
    with translation.override("en"):
        english = _parse(str(RequestForm()["skills"])).attrs
    assert french["data-text-remove"] == "Retirer %s"
    assert english["data-text-remove"] == "Remove %s"
    assert french["data-text-many"] == "%d compétences"
    assert french["data-text-placeholder"] != english["data-text-placeholder"]


def test_an_offer_or_request_picks_one_to_max_skills(skills) -> None:
    select = _parse(str(RequestForm()["skills"]))
    assert select.attrs["data-skill-picker"] == "multiple"
    assert "multiple" in select.attrs
    # people may not import exchange: SkillsField's default must stay the exchange's limit
    assert select.attrs["data-max"] == str(MAX_SKILLS)
    field = SkillsField(queryset=Skill.objects.all(), max_choices=None)
    assert "data-max" not in _parse(field.widget.render("skills", [])).attrs


def test_rendering_costs_one_query_whatever_the_number_of_skills(
    skills, django_assert_max_num_queries
) -> None:
    for n in range(60):
        domain = skills.tech if n % 2 else skills.soft
        Skill.objects.create(code=f"s{n}", domain=domain, name_fr=f"Savoir {n}", name_en=f"K{n}")
    for form in (SkillForm(prefix="add"), WishForm(prefix="wish"), DirectoryForm(), RequestForm()):
        name = next(iter(n for n in form.fields if n in ("skill", "wish", "skills")))
        with django_assert_max_num_queries(1):
            html = str(form[name])
        assert html.count("<option") >= 64


def test_a_bound_form_shows_its_choices_selected(skills) -> None:
    form = RequestForm(data={"skills": [skills.excel.pk, skills.safety.pk]})
    select = _parse(str(form["skills"]))
    chosen = {o["data-code"] for _l, g in select.named() for o in g if "selected" in o}
    assert chosen == {"excel", "machine-safety"}
    directory = _parse(str(DirectoryForm(data={"skill": "excel"})["skill"]))
    values = [o["value"] for _l, g in directory.named() for o in g if "selected" in o]
    assert values == ["excel"]  # the directory filters by code, as its links do


def test_the_forms_post_as_before(skills, login) -> None:
    client = login(skills.newcomer)
    response = client.post(
        "/me/skills/",
        {"add-skill": skills.excel.pk, "add-level": 2, "add_skill": ""},
    )
    assert response.status_code == 302
    assert PersonSkill.objects.filter(person=skills.newcomer, skill=skills.excel).exists()
    response = client.post(
        "/exchange/requests/new/",
        {
            "skills": [skills.safety.pk, skills.facilitation.pk],
            "formats": ["video"],
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302
    posted = Request.objects.get(person=skills.newcomer)
    assert {s.code for s in posted.skills.all()} == {"machine-safety", "facilitation"}


def test_server_validation_is_unchanged(skills, login) -> None:
    client = login(skills.newcomer)
    six = list(Skill.objects.values_list("pk", flat=True)[:6])
    assert len(six) == 6
    response = client.post(
        "/exchange/requests/new/",
        {"skills": six, "formats": ["video"], "duration_minutes": 60},
    )
    assert response.status_code == 200
    assert not Request.objects.filter(person=skills.newcomer).exists()
    response = client.post("/me/skills/", {"add-skill": "", "add-level": 2, "add_skill": ""})
    assert response.status_code == 200
    assert not PersonSkill.objects.filter(person=skills.newcomer).exists()


def test_fold_drops_accents_and_case() -> None:
    assert fold("Réunion ÉQUIPE") == fold("reunion equipe") == "reunion equipe"
    assert fold("Œuvre") == "œuvre"
