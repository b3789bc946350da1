"""Content in the learner's language: a module's versions are linked (``translation_of``),
campaigns and the today queue give each learner the version in their language — never two
versions of one module to one person — and content without a version in their language
still comes. Skills in front matter are named by code or by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Memory, Module
from sylva.microlearning.queries.today import all_queues, today
from sylva.microlearning.services import campaigns, content
from tests.microlearning.conftest import SAFETY

SAFETY_EN = """---
code: safety-basics-en
title: Machine safety
topic: Safety
language: en
minutes: 2
skills: [Machine Safety]
translation_of: safety-basics
---

## lesson: Before starting
Check the guards.

## single: Who removes the lockout padlock?
- [x] Whoever put it on
- [ ] The team leader
> The padlock is personal.
"""

ONLY_EN = """---
code: phishing
title: Spotting phishing
language: en
minutes: 1
skills: []
---

## truefalse: Hovering over a link shows where it leads.
- [x] True
- [ ] False
"""


def _publish(org, text: str) -> Module:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.designer, user=org.designer.user, text=text)
    return content.publish(actor=org.designer, module=module)


@pytest.fixture
def versions(org):  # type: ignore[no-untyped-def]
    return _publish(org, SAFETY), _publish(org, SAFETY_EN)


def _campaign(org, modules):  # type: ignore[no-untyped-def]
    return campaigns.save_campaign(
        creator=org.designer,
        name="Safety",
        modules=modules,
        starts_on=timezone.localdate() - timedelta(days=1),
        new_cards=10,
        teams=[org.extrusion],
    )


def _modules(person) -> set[str]:  # type: ignore[no-untyped-def]
    return {card.module.code for card in today(person).cards}


def _speaking(person, language: str):  # type: ignore[no-untyped-def]
    person.language = language
    person.save(update_fields=["language"])
    return person


def test_a_translation_is_linked_to_its_original_and_exported_with_it(org, versions) -> None:  # type: ignore[no-untyped-def]
    fr, en = versions
    assert en.translation_of == fr and en.language == "en"
    assert "translation_of: safety-basics\n" in content.export_text(en)
    assert "translation_of" not in content.export_text(fr)


@pytest.mark.parametrize("named", ["fr", "en"])
def test_each_learner_gets_the_version_in_their_language(org, versions, named) -> None:  # type: ignore[no-untyped-def]
    fr, en = versions
    _campaign(org, [fr if named == "fr" else en])
    assert _modules(_speaking(org.learner, "fr")) == {"safety-basics"}
    assert _modules(_speaking(org.manager, "en")) == {"safety-basics-en"}
    assert _modules(org.newcomer) == {"safety-basics"}  # no language chosen: the org's (fr)
    batch = all_queues()
    for person in (org.learner, org.manager, org.newcomer):
        assert batch[person.pk] == [c.pk for c in today(person).cards]


def test_a_campaign_naming_both_versions_gives_one(org, versions) -> None:  # type: ignore[no-untyped-def]
    _campaign(org, list(versions))
    assert _modules(_speaking(org.learner, "en")) == {"safety-basics-en"}
    assert _modules(_speaking(org.manager, "fr")) == {"safety-basics"}


def test_a_version_begun_is_finished_never_both(org, versions) -> None:  # type: ignore[no-untyped-def]
    fr, en = versions
    _campaign(org, [fr])
    learner = _speaking(org.learner, "fr")
    first_en = en.cards.order_by("position").first()
    Memory.objects.create(person=learner, card=first_en, due=timezone.now() + timedelta(days=3))
    assert _modules(learner) == {"safety-basics-en"}  # the English version it began
    assert all_queues()[learner.pk] == [c.pk for c in today(learner).cards]


def test_content_without_a_version_in_my_language_still_comes(org) -> None:  # type: ignore[no-untyped-def]
    _campaign(org, [_publish(org, ONLY_EN)])
    cards = today(_speaking(org.learner, "fr")).cards
    assert {c.module.code for c in cards} == {"phishing"}
    assert cards[0].module.language == "en"  # what a page shows as its label


def test_a_second_version_in_one_language_is_refused(org, versions) -> None:  # type: ignore[no-untyped-def]
    twin = SAFETY_EN.replace("code: safety-basics-en", "code: safety-twin")
    with pytest.raises(ServiceError) as caught:
        content.save_text(author=org.designer, user=org.designer.user, text=twin)
    assert "safety-basics-en" in caught.value.message
    assert not Module.objects.filter(code="safety-twin").exists()


def test_translation_of_an_unknown_module_is_refused(org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        content.save_text(author=org.designer, user=org.designer.user, text=SAFETY_EN)
    assert "safety-basics" in caught.value.message and caught.value.field == "translation_of"


@pytest.mark.parametrize(
    "named", ["machine-safety", "Sécurité machine", "securite MACHINE", "Machine Safety"]
)
def test_skills_are_named_by_code_or_name_accent_and_case_blind(org, named) -> None:  # type: ignore[no-untyped-def]
    text = SAFETY.replace("skills: [machine-safety]", f"skills: [{named}, Tableur]")
    module = content.save_text(author=org.designer, user=org.designer.user, text=text)
    assert set(module.skills.values_list("code", flat=True)) == {"machine-safety", "excel"}
    assert "skills:\n- excel\n- machine-safety\n" in content.export_text(module)


def test_an_unknown_skill_name_is_named_with_close_names(org) -> None:  # type: ignore[no-untyped-def]
    text = SAFETY.replace("skills: [machine-safety]", "skills: [Securite machines]")
    with pytest.raises(ServiceError) as caught:
        content.save_text(author=org.designer, user=org.designer.user, text=text)
    message = caught.value.message
    assert "“Securite machines”" in message and "Sécurité machine" in message
    assert not Module.objects.filter(code="safety-basics").exists()
