"""Editing my profile and my skills: validation, events, nothing half-written."""

import pytest

from sylva.core.errors import ServiceError
from sylva.people import services, verbs
from sylva.people.models import LearningEvent, PersonSkill


@pytest.mark.django_db
def test_declaring_a_skill_writes_one_event_with_the_level(org) -> None:
    services.set_skill(person=org.learner, skill_code="excel", level=2, willing_to_share=True)
    event = LearningEvent.objects.get(actor=org.learner)
    assert event.verb == verbs.verb("declared-skill").iri
    assert event.skill == org.excel
    assert event.result["score"]["raw"] == 2
    # the same level again is no news; a new level is
    services.set_skill(person=org.learner, skill_code="excel", level=2)
    assert LearningEvent.objects.filter(actor=org.learner).count() == 1
    services.set_skill(person=org.learner, skill_code="excel", level=3)
    latest = LearningEvent.objects.filter(actor=org.learner).order_by("-timestamp").first()
    assert latest.result["score"]["raw"] == 3
    prev = "https://sylva.education/xapi/extensions/previous-level"
    assert latest.result["extensions"][prev] == 2
    held = PersonSkill.objects.get(person=org.learner, skill=org.excel)
    assert (held.level, held.willing_to_share) == (3, True)


@pytest.mark.django_db
@pytest.mark.parametrize("level", [0, 5, -1, True])
def test_a_level_outside_1_to_4_is_refused_and_nothing_changes(org, level) -> None:
    with pytest.raises(ServiceError) as err:
        services.set_skill(person=org.learner, skill_code="excel", level=level)
    assert err.value.field == "level"
    assert not PersonSkill.objects.filter(person=org.learner, skill=org.excel).exists()
    assert not LearningEvent.objects.exists()


@pytest.mark.django_db
def test_an_unknown_skill_is_a_404_naming_the_field(org) -> None:
    with pytest.raises(ServiceError) as err:
        services.set_skill(person=org.learner, skill_code="juggling", level=2)
    assert (err.value.status, err.value.field) == (404, "skill")


@pytest.mark.django_db
def test_removing_a_skill_and_wishes(org) -> None:
    services.remove_skill(person=org.learner, skill_code="extrusion-setup")
    assert not org.learner.person_skills.exists()
    with pytest.raises(ServiceError):
        services.remove_skill(person=org.learner, skill_code="extrusion-setup")
    services.add_wish(person=org.learner, skill_code="facilitation")
    services.add_wish(person=org.learner, skill_code="facilitation")  # idempotent
    assert org.learner.wishes.count() == 1
    assert LearningEvent.objects.filter(verb=verbs.verb("wished").iri).count() == 1
    services.remove_wish(person=org.learner, skill_code="facilitation")
    assert not org.learner.wishes.exists()


@pytest.mark.django_db
def test_nobody_is_their_own_manager_even_indirectly(org) -> None:
    def place(manager):  # type: ignore[no-untyped-def]
        return services.place_person(
            person=org.manager, team=org.people_team, site=org.lille, manager=manager
        )

    with pytest.raises(ServiceError) as own:
        place(org.manager)
    assert own.value.field == "manager"
    # the learner reports to the manager: the manager cannot report to the learner
    with pytest.raises(ServiceError) as err:
        place(org.learner)
    assert err.value.field == "manager"
    org.manager.refresh_from_db()
    assert (org.manager.team, org.manager.site) == (org.extrusion, org.lyon)  # nothing written


@pytest.mark.django_db
def test_profile_fields_are_saved_and_trimmed(org) -> None:
    services.update_profile(
        person=org.learner, can_share="  Le réglage fin  ", populations=[org.field], language="en"
    )
    org.learner.refresh_from_db()
    assert org.learner.can_share == "Le réglage fin"
    assert org.learner.language == "en"
    assert list(org.learner.populations.all()) == [org.field]
    with pytest.raises(ServiceError) as err:
        services.update_profile(person=org.learner, can_share="x" * 2001)
    assert err.value.field == "can_share"
    with pytest.raises(ServiceError):
        services.update_profile(person=org.learner, language="de")


@pytest.mark.django_db
def test_tokens_authenticate_until_revoked(org) -> None:
    token, secret = services.create_token(person=org.learner, name="script")
    assert secret.startswith("sylva_") and token.digest != secret
    assert services.authenticate_token(secret) == org.learner
    assert services.authenticate_token(secret + "x") is None
    services.revoke_token(person=org.learner, token_id=token.pk)
    assert services.authenticate_token(secret) is None
    with pytest.raises(ServiceError) as err:
        services.revoke_token(person=org.expert, token_id=token.pk)  # not theirs
    assert err.value.status == 404
    with pytest.raises(ServiceError):
        services.create_token(person=org.learner, name="   ")


@pytest.mark.django_db
def test_a_deactivated_account_s_tokens_stop_working(org) -> None:
    _token, secret = services.create_token(person=org.learner, name="script")
    org.learner.user.is_active = False
    org.learner.user.save()
    assert services.authenticate_token(secret) is None
