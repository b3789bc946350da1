"""Declaring skills and wishes earns nothing: declaring, removing and declaring again (or a
level 4 "can teach" set and unset) writes the person's true acts in the log, but none of
them counts as learning anywhere insights count it, and repeating the same act writes
nothing more."""

from __future__ import annotations

from sylva.core.errors import ServiceError
from sylva.insights import load, queries
from sylva.people import services, verbs
from sylva.people.models import LearningEvent, LearningWish, PersonSkill
from tests.factories import Org


def test_every_profile_verb_is_left_out_of_the_learning_counts() -> None:
    """Walks the whole verb registry: a verb of the profile form (declaring a skill, a wish,
    an introduction, an animator's act) is never one of the forms of learning counted."""
    forms = load.verb_forms()
    codes = load.verb_codes()
    profile = [c for c in codes[1:] if verbs.BY_CODE[c].form == verbs.Form.PROFILE]
    assert {"declared-skill", "removed-skill", "wished"} <= set(profile)
    for code in profile:
        assert forms[codes.index(code)] == -1, code


def test_toggling_skills_and_wishes_counts_nothing_as_learning(org: Org) -> None:
    person = org.learner
    before = queries.my_figures(person, window_days=30)
    for _ in range(10):
        services.set_skill(person=person, skill_code="excel", level=4)
        services.set_skill(person=person, skill_code="excel", level=1)
        services.remove_skill(person=person, skill_code="excel")
        services.add_wish(person=person, skill_code="facilitation")
        services.remove_wish(person=person, skill_code="facilitation")
    after = queries.my_figures(person, window_days=30)
    assert after["form_mix"] == before["form_mix"] and after["events"] == before["events"]


def test_repeating_the_same_declaration_writes_nothing_more(org: Org) -> None:
    person = org.learner
    services.set_skill(person=person, skill_code="excel", level=4)
    services.add_wish(person=person, skill_code="facilitation")
    logged = LearningEvent.objects.filter(actor=person).count()
    for _ in range(5):
        services.set_skill(person=person, skill_code="excel", level=4)
        services.add_wish(person=person, skill_code="facilitation")
    assert LearningEvent.objects.filter(actor=person).count() == logged
    assert PersonSkill.objects.filter(person=person, skill__code="excel").count() == 1
    assert LearningWish.objects.filter(person=person, skill__code="facilitation").count() == 1
    services.remove_skill(person=person, skill_code="excel")
    try:
        services.remove_skill(person=person, skill_code="excel")
    except ServiceError as exc:
        assert exc.status == 404
    else:  # pragma: no cover - the test fails here
        raise AssertionError("removing twice was accepted")
    assert LearningEvent.objects.filter(actor=person).count() == logged + 1


def test_nobody_declares_or_removes_someone_elses_skills_through_the_api(org: Org, client) -> None:  # type: ignore[no-untyped-def]
    """The skill and wish routes act on the signed-in person only: an id of someone else in
    the path or the body changes nothing of theirs."""
    services.set_skill(person=org.expert, skill_code="excel", level=2)
    client.force_login(org.learner.user)
    theirs = list(PersonSkill.objects.filter(person=org.expert).values_list("skill__code", "level"))
    mine = client.put(
        "/api/v1/me/skills/excel",
        {"level": 4, "person": org.expert.pk, "person_id": org.expert.pk},
        content_type="application/json",
    )
    assert mine.status_code == 200  # it was the learner's own skill that changed
    assert PersonSkill.objects.get(person=org.learner, skill__code="excel").level == 4
    assert client.delete(f"/api/v1/me/skills/excel?person={org.expert.pk}").status_code == 204
    wished = client.post(
        "/api/v1/me/wishes",
        {"skill": "facilitation", "person": org.expert.pk},
        content_type="application/json",
    )
    assert wished.status_code == 201
    assert (
        list(PersonSkill.objects.filter(person=org.expert).values_list("skill__code", "level"))
        == theirs
    )
    assert not LearningWish.objects.filter(person=org.expert).exists()
