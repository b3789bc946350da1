"""Field feedback on pages, in the API and in the admin, for every role. The texts are read
by the manager who gave it and the person who received it — never by a third person:
another manager (even one who gave the same person feedback), a colleague, an animator, a
designer, an administrator — unless the person shares it with their team."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin import AdminSite
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from sylva.communities.models import FieldFeedback
from sylva.communities.services import feedback as services
from sylva.core.admin import SylvaModelAdmin
from sylva.notifications.queries import inbox_items
from tests.factories import Org, make_person

SECRET = "5ecret-went-well"
API = "/api/v1/communities/feedback"
THIRD = ("other_manager", "colleague", "expert", "animator", "designer", "admin")


@pytest.fixture
def world(org: Org) -> dict[str, Any]:
    other = make_person("chef", first="Olivier", last="Chef", team=org.printing, roles=("manager",))
    org.printing.manager = other
    org.printing.save()
    User.objects.filter(pk=org.admin.user_id).update(is_superuser=True, is_staff=True)
    mine = services.give(
        manager=org.manager, person=org.learner, situation="Série du mardi", went_well=SECRET
    )
    # another manager's feedback to someone of their own team
    theirs = services.give(
        manager=other, person=org.expert, situation="Chez eux", went_well="5ecret-theirs"
    )
    people = {
        "manager": org.manager,
        "person": org.learner,
        "other_manager": other,
        "colleague": org.newcomer,
        "expert": org.expert,
        "animator": org.animator,
        "designer": org.designer,
        "admin": org.admin,
    }
    return {"org": org, "mine": mine, "theirs": theirs, "people": people}


def client_of(world: dict[str, Any], role: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world["people"][role].user)
    return c


def _everything(c: Client, pk: int) -> str:
    urls = [
        "/communities/feedback/",
        f"/communities/feedback/{pk}/",
        API,
        f"{API}/given",
        f"{API}/shared",
        f"{API}/rhythm",
        f"{API}/{pk}",
        "/inbox/",
    ]
    return " ".join(c.get(u).content.decode() for u in urls)


@pytest.mark.parametrize("role", ["manager", "person"])
def test_the_two_people_read_it(world: dict[str, Any], role: str) -> None:
    c = client_of(world, role)
    pk = world["mine"].pk
    assert c.get(f"/communities/feedback/{pk}/").status_code == 200
    assert c.get(f"{API}/{pk}").json()["went_well"] == SECRET
    assert f"/communities/feedback/{pk}/" in c.get("/communities/feedback/").content.decode()
    assert "5ecret-theirs" not in _everything(c, world["theirs"].pk)


@pytest.mark.parametrize("role", THIRD)
def test_a_third_person_reads_nothing(world: dict[str, Any], role: str) -> None:
    c = client_of(world, role)
    pk = world["mine"].pk
    assert c.get(f"/communities/feedback/{pk}/").status_code == 404
    assert c.get(f"{API}/{pk}").status_code == 404
    assert SECRET not in _everything(c, pk)
    for post in (
        (f"/communities/feedback/{pk}/answer/", {"answer": "x"}),
        (f"/communities/feedback/{pk}/share/", {"shared": "1"}),
    ):
        assert c.post(*post).status_code in (403, 404)
    for url, body in (
        (f"{API}/{pk}/answer", {"answer": "x"}),
        (f"{API}/{pk}/share", {"shared": True}),
    ):
        assert c.post(url, body, content_type="application/json").status_code in (403, 404)
    f = FieldFeedback.objects.get(pk=pk)
    assert f.answer == "" and not f.shared


def test_shared_feedback_reaches_the_persons_team_and_says_who(world: dict[str, Any]) -> None:
    person = client_of(world, "person")
    pk = world["mine"].pk
    page = person.get(f"/communities/feedback/{pk}/").content.decode()
    org = world["org"]
    assert org.newcomer.full_name in page  # the page names who would read it
    assert person.post(f"/communities/feedback/{pk}/share/", {"shared": "1"}).status_code == 302
    colleague = client_of(world, "colleague")
    assert SECRET in colleague.get(f"/communities/feedback/{pk}/").content.decode()
    assert colleague.get(f"{API}/shared").json()["count"] == 1
    for role in ("other_manager", "expert", "animator", "admin"):
        assert SECRET not in _everything(client_of(world, role), pk), role
    assert (
        client_of(world, "colleague")
        .post(f"{API}/{pk}/answer", {"answer": "moi"}, content_type="application/json")
        .status_code
        == 403
    )


def test_give_answer_and_read_the_answer(world: dict[str, Any]) -> None:
    org = world["org"]
    manager = client_of(world, "manager")
    assert manager.get("/communities/feedback/new/").status_code == 200
    bad = manager.post(
        "/communities/feedback/new/",
        {"person": org.expert.pk, "situation": "s", "went_well": "w"},
    )
    assert bad.status_code == 200  # not offered: the form refuses
    count = FieldFeedback.objects.count()
    response = manager.post(
        "/communities/feedback/new/",
        {
            "person": org.newcomer.pk,
            "situation": "Accueil",
            "went_well": "Bien",
            "skill": org.safety.pk,
        },
    )
    assert response.status_code == 302 and FieldFeedback.objects.count() == count + 1
    made = FieldFeedback.objects.latest("pk")
    assert made.skill == org.safety
    newcomer = Client(HTTP_ACCEPT_LANGUAGE="en")
    newcomer.force_login(org.newcomer.user)
    assert any(i.kind == "communities.feedback.answer" for i in inbox_items(org.newcomer))
    assert (
        newcomer.post(f"/communities/feedback/{made.pk}/answer/", {"answer": ""}).status_code == 200
    )
    ok = newcomer.post(f"/communities/feedback/{made.pk}/answer/", {"answer": "Merci !"})
    assert ok.status_code == 302
    assert "Merci !" in manager.get(f"/communities/feedback/{made.pk}/").content.decode()
    assert not any(i.kind == "communities.feedback.answer" for i in inbox_items(org.newcomer))


def test_the_api_gives_to_the_team_only(world: dict[str, Any]) -> None:
    org = world["org"]
    manager = client_of(world, "manager")
    count = FieldFeedback.objects.count()
    for body in (
        {"person": org.expert.pk, "situation": "s", "went_well": "w"},
        {"person": 999999, "situation": "s", "went_well": "w"},
        {"person": org.learner.pk, "situation": "s", "went_well": "w", "skill": "nope"},
        {"person": org.learner.pk, "situation": "s", "went_well": "  "},
        {"person": org.learner.pk, "situation": "s" * 5000, "went_well": "w"},
        {"person": org.learner.pk},
    ):
        response = manager.post(API, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code)
    assert FieldFeedback.objects.count() == count
    ok = manager.post(
        API,
        {"person": org.learner.pk, "situation": "s", "went_well": "w", "skill": org.excel.code},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["skill"] == "excel"


def test_the_rhythm_shows_for_five_and_hides_under(world: dict[str, Any]) -> None:
    manager = client_of(world, "manager")
    rhythm = manager.get(f"{API}/rhythm").json()
    assert rhythm["shown"] and rhythm["team_size"] == 5 and rhythm["people_reached"] == 1
    assert 'class="chart"' in manager.get("/communities/feedback/").content.decode()
    other = client_of(world, "other_manager")  # a team of one
    assert other.get(f"{API}/rhythm").json() == {
        "shown": False,
        "team_size": None,
        "people_reached": None,
        "months": [],
    }
    page = other.get("/communities/feedback/").content.decode()
    assert 'class="chart"' not in page and "5 people or more" in page


def test_admin_lookups_on_the_texts_are_refused(world: dict[str, Any]) -> None:
    """The admin guard covers the feedback's and the debrief's texts, whatever the admin."""
    from sylva.communities.models import Assignment

    site = AdminSite(name="probe")
    site.register(FieldFeedback, SylvaModelAdmin)
    site.register(Assignment, SylvaModelAdmin)
    superuser = User.objects.get(pk=world["org"].admin.user_id)
    for model, lookup in (
        (FieldFeedback, "went_well__startswith"),
        (FieldFeedback, "answer__icontains"),
        (FieldFeedback, "assignment__debrief__regex"),
        (Assignment, "debrief__exact"),
        (Assignment, "feedback__situation__startswith"),
    ):
        request = RequestFactory().get("/", {lookup: "5ec"})
        request.user = superuser
        with pytest.raises(DisallowedModelAdminLookup):
            site._registry[model].changelist_view(request)
    c = client_of(world, "admin")
    for url, lookup in (
        ("/admin/communities/fieldfeedback/", "went_well__startswith"),
        ("/admin/communities/assignment/", "debrief__startswith"),
    ):
        listed = c.get(url)
        if listed.status_code == 200:  # the pillar's own admin, when registered
            assert SECRET not in listed.content.decode()
            assert c.get(url, {lookup: "5ec"}).status_code == 400
    assert (
        c.get(f"/admin/communities/fieldfeedback/{world['mine'].pk}/change/")
        .content.decode()
        .count(SECRET)
        == 0
    )
