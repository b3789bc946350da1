"""The Django admin of every communities model: each changelist and change page answers to
an administrator, nothing is added, changed or deleted there (the services own the rules),
the private words of a field feedback or a debrief are never shown, and every lookup,
search or ordering that would reach them is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from sylva.communities import models as m
from sylva.communities.services import spaces as services
from tests.factories import Org

SECRET = "zq-secret-words-7731"


@pytest.fixture
def rows(org: Org) -> dict[str, object]:
    now = timezone.now()
    space = services.create_community(person=org.expert, name="Extrusion", skills=[org.extrude])
    services.join(person=org.learner, community=space)
    follow = services.follow(person=org.learner, skill=org.extrude)
    post = m.Post.objects.create(kind="question", community=space, author=org.learner, title="Q")
    reply = m.Reply.objects.create(post=post, author=org.expert, body="A")
    project = m.Project.objects.create(title="Ligne 4", owner=org.manager)
    situation = m.WorkSituation.objects.create(
        title="Changer une filière", task="T", author=org.designer
    )
    assignment = m.Assignment.objects.create(
        situation=situation,
        learner=org.learner,
        tutor=org.expert,
        assigned_by=org.manager,
        debrief=SECRET,
    )
    circle = m.Circle.objects.create(
        title="Cercle", purpose="P", facilitator=org.expert, created_by=org.animator
    )
    session = m.CircleSession.objects.create(circle=circle, starts_at=now + timedelta(days=2))
    made = {
        "community": space,
        "membership": m.Membership.objects.filter(community=space).first(),
        "follow": follow,
        "post": post,
        "reply": reply,
        "thanks": m.Thanks.objects.create(reply=reply, person=org.learner),
        "revision": m.Revision.objects.create(post=post, editor=org.learner, title="Q0"),
        "flag": m.Flag.objects.create(post=post, reporter=org.manager, reason="off topic"),
        "invitation": m.Invitation.objects.create(post=post, invitee=org.expert),
        "project": project,
        "projectmember": m.ProjectMember.objects.create(project=project, person=org.learner),
        "milestone": m.Milestone.objects.create(project=project, title="Jalon"),
        "worksituation": situation,
        "assignment": assignment,
        "circle": circle,
        "circlemember": m.CircleMember.objects.create(circle=circle, person=org.learner),
        "circlesession": session,
        "attendance": m.Attendance.objects.create(
            session=session, person=org.learner, marked_by=org.expert
        ),
        "reflection": m.Reflection.objects.create(session=session, person=org.learner, text="R"),
        "fieldfeedback": m.FieldFeedback.objects.create(
            giver=org.manager,
            person=org.learner,
            situation=SECRET,
            went_well=SECRET,
            to_improve=SECRET,
            next_step=SECRET,
            answer=SECRET,
        ),
    }
    return made


def _admin(org: Org) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.admin.user)
    return client


def test_every_communities_model_is_registered_with_the_guard() -> None:
    from sylva.core.admin import ConfidentialMixin

    for model in apps.get_app_config("communities").get_models():
        assert model in admin.site._registry, model.__name__
        assert isinstance(admin.site._registry[model], ConfidentialMixin)


@pytest.mark.django_db
def test_every_changelist_and_change_page_answers_and_shows_no_private_words(
    org: Org, rows
) -> None:
    client = _admin(org)
    for name, obj in rows.items():
        listing = client.get(f"/admin/communities/{name}/")
        assert listing.status_code == 200, name
        change = client.get(f"/admin/communities/{name}/{obj.pk}/change/")  # type: ignore[attr-defined]
        assert change.status_code == 200, name
        assert SECRET not in listing.content.decode() + change.content.decode(), name
        # read-only: nothing added, changed or deleted here
        assert client.get(f"/admin/communities/{name}/add/").status_code == 403, name
        assert client.post(f"/admin/communities/{name}/{obj.pk}/delete/").status_code == 403  # type: ignore[attr-defined]
    assert m.Community.objects.count() == 1 and m.FieldFeedback.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/communities/fieldfeedback/?went_well__startswith=zq",
        "/admin/communities/fieldfeedback/?answer__contains=zq",
        "/admin/communities/assignment/?debrief__startswith=zq",
        "/admin/communities/worksituation/?assignments__debrief__contains=zq",
        "/admin/communities/community/?memberships__person__feedback_received__answer__regex=z",
        "/admin/communities/membership/?person__situations__debrief__startswith=zq",
    ],
)
def test_lookups_reaching_private_words_are_refused(org: Org, rows, url: str) -> None:
    assert _admin(org).get(url).status_code == 400


@pytest.mark.django_db
def test_safe_filters_and_searches_answer(org: Org, rows) -> None:
    client = _admin(org)
    assert client.get("/admin/communities/community/?q=extru").status_code == 200
    assert client.get("/admin/communities/community/?access__exact=open").status_code == 200
    assert client.get("/admin/communities/membership/?state__exact=pending").status_code == 200
    assert client.get("/admin/communities/post/?q=Q&kind__exact=question").status_code == 200


@pytest.mark.django_db
def test_the_archive_action_goes_through_the_service(org: Org, rows) -> None:
    space = rows["community"]
    response = _admin(org).post(
        "/admin/communities/community/",
        {"action": "archive", "_selected_action": [space.pk]},  # type: ignore[attr-defined]
    )
    assert response.status_code == 302
    space.refresh_from_db()  # type: ignore[attr-defined]
    assert space.archived_at is not None  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_learner_has_no_admin(org: Org, rows) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.learner.user)
    assert client.get("/admin/communities/community/").status_code == 302
