"""Pages do what they say: forms validate, errors are shown, nothing half-written."""

import pytest
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.people import services
from sylva.people.models import ApiToken, LearningEvent, PersonSkill


@pytest.mark.django_db
def test_adding_and_updating_a_skill_from_the_page(org, client: Client) -> None:
    client.force_login(org.learner.user)
    response = client.post(
        "/me/skills/",
        {
            "add_skill": "1",
            "add-skill": org.excel.pk,
            "add-level": "3",
            "add-willing_to_share": "on",
        },
    )
    assert response.status_code == 302
    held = PersonSkill.objects.get(person=org.learner, skill=org.excel)
    assert (held.level, held.willing_to_share) == (3, True)
    client.post("/me/skills/", {"update_skill": "excel", "level": "4"})
    held.refresh_from_db()
    assert held.level == 4
    assert LearningEvent.objects.filter(actor=org.learner, skill=org.excel).count() == 2


@pytest.mark.django_db
def test_a_bad_level_shows_an_error_and_changes_nothing(org, client: Client) -> None:
    client.force_login(org.learner.user)
    response = client.post(
        "/me/skills/", {"add_skill": "1", "add-skill": org.excel.pk, "add-level": "9"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert not PersonSkill.objects.filter(person=org.learner, skill=org.excel).exists()
    response = client.post(
        "/me/skills/", {"update_skill": "extrusion-setup", "level": "0"}, follow=True
    )
    assert PersonSkill.objects.get(person=org.learner, skill=org.extrude).level == 1


@pytest.mark.django_db
def test_editing_the_profile(org, client: Client) -> None:
    client.force_login(org.learner.user)
    response = client.post(
        "/me/edit/",
        {
            "job_title": "Conductrice de ligne",
            "team": org.extrusion.pk,
            "site": org.lyon.pk,
            "manager": org.manager.pk,
            "populations": [org.field.pk],
            "can_share": "Le changement de format",
            "wants_to_learn": "La maintenance",
            "language": "",
        },
    )
    assert response.status_code == 302
    org.learner.refresh_from_db()
    assert org.learner.job_title == "Conductrice de ligne"
    assert org.learner.can_share == "Le changement de format"
    page = client.get(f"/people/{org.learner.pk}/").content.decode()
    assert "Le changement de format" in page


@pytest.mark.django_db
def test_the_profile_page_shows_my_place_and_does_not_let_me_change_it(org, client: Client) -> None:
    client.force_login(org.learner.user)
    page = client.get("/me/edit/").content.decode()
    assert "Extrusion" in page and org.manager.full_name in page
    assert 'name="team"' not in page and 'name="manager"' not in page
    response = client.post(
        "/me/edit/",
        {"manager": org.expert.pk, "team": org.printing.pk, "site": org.lille.pk, "job_title": "X"},
    )
    assert response.status_code == 302
    org.learner.refresh_from_db()
    assert (org.learner.team, org.learner.manager, org.learner.site) == (
        org.extrusion,
        org.manager,
        org.lyon,
    )
    assert org.learner.job_title == "X"


@pytest.mark.django_db
def test_tokens_page_shows_the_secret_once(org, client: Client) -> None:
    client.force_login(org.learner.user)
    first = client.post("/me/tokens/", {"name": "reporting"}).content.decode()
    token = ApiToken.objects.get(person=org.learner)
    assert "sylva_" in first and token.prefix in first
    again = client.get("/me/tokens/").content.decode()
    assert token.prefix in again
    assert first.split('id="new-token">')[1].split("<")[0] not in again
    client.post(f"/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    # someone else's token cannot be revoked: 404 message, nothing changed
    other = ApiToken.objects.create(person=org.expert, name="x", prefix="p", digest="d" * 64)
    client.post(f"/me/tokens/{other.pk}/revoke/")
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.django_db
def test_directory_page_paginates_and_answers_htmx(org, client: Client, settings) -> None:
    settings.SYLVA_PAGE_SIZE = 4
    client.force_login(org.learner.user)
    page = client.get("/people/").content.decode()
    assert 'rel="next"' in page
    partial = client.get("/people/?skill=extrusion-setup", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body
    assert body.index("Karim") < body.index("Mathilde") < body.index("Hélène")
    bad = client.get("/people/?skill=juggling").content.decode()
    assert "error" in bad


@pytest.mark.django_db
def test_unknown_things_are_404_pages(org, client: Client) -> None:
    client.force_login(org.learner.user)
    for url in (
        "/people/999999/",
        "/skills/juggling/",
        "/org/departments/nope/",
        "/org/teams/999999/",
        "/team/999999/",
        "/skills/?domain=nope",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_level_out_of_range_is_refused_with_a_message_and_changes_nothing(
    org, client: Client
) -> None:
    client.force_login(org.learner.user)
    held = PersonSkill.objects.get(person=org.learner, skill=org.extrude)
    events = LearningEvent.objects.count()
    refused = client.post("/me/skills/", {"update_skill": held.skill.code, "level": "9"})
    assert (refused.status_code, refused["Location"]) == (302, "/me/skills/")
    page = client.get("/me/skills/").content.decode()
    assert "1 à 4" in page or "1 to 4" in page  # the service's own words
    held.refresh_from_db()
    assert held.level == 1 and LearningEvent.objects.count() == events


@pytest.mark.django_db
def test_a_refusal_of_a_form_s_service_lands_on_the_form(
    org, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> None:
        raise ServiceError("Not now.", field="skill")

    monkeypatch.setattr(services, "add_wish", refuse)
    client.force_login(org.learner.user)
    page = client.post("/me/skills/", {"add_wish": "1", "wish-wish": org.excel.pk})
    assert page.status_code == 200
    assert "Not now." in page.content.decode()
    assert not org.learner.wishes.filter(skill=org.excel).exists()


@pytest.mark.django_db
def test_removing_a_skill_twice_says_so_and_changes_nothing(org, client: Client) -> None:
    """A second click on Remove is a message on My skills, not a 404 page."""
    client.force_login(org.learner.user)
    assert client.post("/me/skills/extrusion-setup/remove/").status_code == 302
    events = LearningEvent.objects.count()
    again = client.post("/me/skills/extrusion-setup/remove/", follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == "/me/skills/"
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert LearningEvent.objects.count() == events
