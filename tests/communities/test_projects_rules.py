"""Project spaces: anyone creates one and owns it; the owner adds members; members add
milestones and close them with the group's review (all four parts of an After Action
Review), written as REVIEWED_MILESTONE by the member; overdue milestones wait in the
members' inbox; pages and API refuse third persons with nothing changed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sylva.communities import verbs as cverbs
from sylva.communities.models import Milestone, Project, ProjectMember
from sylva.communities.services import projects as services
from sylva.core.errors import ServiceError
from sylva.notifications.queries import inbox_items
from sylva.people.models import LearningEvent
from tests.factories import Org

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/projects"
REVIEW = {"intended": "A", "happened": "B", "why": "C", "next_time": "D"}


def space(org: Org) -> Project:
    project = services.create_project(
        person=org.manager,
        title="Line 3 retrofit",
        purpose="Retrofit",
        learning_goals="Learn the new controller",
        skills=[org.extrude],
    )
    services.add_member(person=org.manager, project=project, member=org.learner)
    return project


def _state() -> list[Any]:
    return [
        sorted(Project.objects.values_list("pk", "title", "closed_at")),
        sorted(ProjectMember.objects.values_list("project_id", "person_id")),
        sorted(Milestone.objects.values_list("pk", "title", "closed_at", "happened")),
    ]


def test_the_owner_adds_members_and_members_add_and_review_milestones(org: Org) -> None:
    project = space(org)
    with pytest.raises(ServiceError) as refused:
        services.add_member(person=org.learner, project=project, member=org.newcomer)
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.add_member(person=org.manager, project=project, member=org.learner)
    assert refused.value.status == 409
    milestone = services.add_milestone(
        person=org.learner, project=project, title="Trial run", due_on=date.today()
    )
    with pytest.raises(ServiceError) as refused:
        services.add_milestone(person=org.expert, project=project, title="Not mine")
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.close_milestone(person=org.expert, milestone=milestone, **REVIEW)
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.close_milestone(person=org.learner, milestone=milestone, **{**REVIEW, "why": " "})
    assert refused.value.field == "why"
    services.close_milestone(person=org.learner, milestone=milestone, **REVIEW)
    milestone.refresh_from_db()
    assert milestone.closed_by == org.learner and milestone.happened == "B"
    event = LearningEvent.objects.get(verb=cverbs.REVIEWED_MILESTONE.iri)
    assert event.actor == org.learner and event.skill == org.extrude
    with pytest.raises(ServiceError) as refused:
        services.close_milestone(person=org.manager, milestone=milestone, **REVIEW)
    assert refused.value.status == 409
    assert LearningEvent.objects.filter(verb=cverbs.REVIEWED_MILESTONE.iri).count() == 1


def test_bad_input_is_refused_with_nothing_made(org: Org) -> None:
    for kwargs, field in (({"title": ""}, "title"), ({"learning_goals": ""}, "learning_goals")):
        with pytest.raises(ServiceError) as refused:
            services.create_project(
                person=org.learner, **{"title": "T", "learning_goals": "G", **kwargs}
            )
        assert refused.value.field == field
    assert not Project.objects.exists()


def test_overdue_milestones_wait_in_the_members_inbox(org: Org) -> None:
    project = space(org)
    late = services.add_milestone(
        person=org.manager, project=project, title="Late one", due_on=date.today() - timedelta(1)
    )
    services.add_milestone(
        person=org.manager, project=project, title="Later", due_on=date.today() + timedelta(9)
    )
    for who in (org.manager, org.learner):
        items = [i for i in inbox_items(who) if i.kind == "communities.milestone"]
        assert [i.title for i in items] == ["Milestone to review: Late one"]
        assert items[0].url.endswith(f"#milestone-{late.pk}")
    assert not [i for i in inbox_items(org.expert) if i.kind == "communities.milestone"]
    services.close_milestone(person=org.learner, milestone=late, **REVIEW)
    assert not [i for i in inbox_items(org.learner) if i.kind == "communities.milestone"]


def test_pages_read_by_everyone_written_by_members(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    project = space(org)
    milestone = services.add_milestone(person=org.manager, project=project, title="M1")
    services.close_milestone(person=org.learner, milestone=milestone, **REVIEW)
    open_one = services.add_milestone(person=org.manager, project=project, title="M2")
    client = login(org.learner)
    page = client.get(reverse("communities:project", args=[project.pk])).content.decode()
    assert "Line 3 retrofit" in page and "Learn the new controller" in page
    assert f'action="{reverse("communities:milestone_close", args=[open_one.pk])}"' in page
    listing = client.get(reverse("communities:projects")).content.decode()
    assert "Line 3 retrofit" in listing
    other = login(org.expert)
    page = other.get(reverse("communities:project", args=[project.pk])).content.decode()
    assert "Line 3 retrofit" in page
    assert reverse("communities:milestone_close", args=[open_one.pk]) not in page
    assert other.get(reverse("communities:project", args=[99999])).status_code == 404
    made = login(org.newcomer).post(
        reverse("communities:new_project"), {"title": "Mine", "learning_goals": "Learn"}
    )
    created = Project.objects.get(title="Mine")
    assert made.status_code == 302 and created.owner == org.newcomer


def test_a_member_closes_a_milestone_from_the_page(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    project = space(org)
    milestone = services.add_milestone(person=org.manager, project=project, title="M1")
    client = login(org.learner)
    data = {f"m{milestone.pk}-{k}": v for k, v in REVIEW.items()}
    response = client.post(reverse("communities:milestone_close", args=[milestone.pk]), data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.closed_at is not None and milestone.next_time == "D"


def test_a_third_person_with_others_ids_is_refused_and_nothing_changes(org: Org) -> None:
    project = space(org)
    milestone = services.add_milestone(person=org.manager, project=project, title="M1")
    p, m = project.pk, milestone.pk
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.expert.user)
    before = _state()
    for method, url, body in (
        ("POST", f"{API}/{p}/members", {"person": org.expert.pk}),
        ("DELETE", f"{API}/{p}/members/{org.learner.pk}", {}),
        ("POST", f"{API}/{p}/milestones", {"title": "x"}),
        ("POST", f"{API}/milestones/{m}/review", REVIEW),
        ("POST", f"{API}/{p}/close", {}),
        ("POST", f"{API}/999/milestones", {"title": "x"}),
        ("POST", f"{API}/milestones/999/review", REVIEW),
    ):
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code in (403, 404), (url, response.status_code)
        assert _state() == before, url
    for name, kwargs, data in (
        ("project_add_member", {"pk": p}, {"member": "expert"}),
        ("project_remove_member", {"pk": p, "person_id": org.learner.pk}, {}),
        ("project_add_milestone", {"pk": p}, {"title": "x"}),
        ("milestone_close", {"mid": m}, {f"m{m}-{k}": v for k, v in REVIEW.items()}),
        ("project_close", {"pk": p}, {}),
    ):
        response = client.post(reverse(f"communities:{name}", kwargs=kwargs), data)
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        assert _state() == before, name


def test_the_api_runs_a_project(org: Org) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.manager.user)
    made = client.post(
        API,
        {"title": "API project", "learning_goals": "G", "skills": ["extrusion-setup"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    added = client.post(
        f"{API}/{pk}/members", {"person": org.learner.pk}, content_type="application/json"
    )
    assert added.status_code == 201 and len(added.json()) == 2
    milestone = client.post(
        f"{API}/{pk}/milestones",
        {"title": "M", "due_on": "2026-01-01"},
        content_type="application/json",
    )
    assert milestone.status_code == 201
    reviewed = client.post(
        f"{API}/milestones/{milestone.json()['id']}/review", REVIEW, content_type="application/json"
    )
    assert reviewed.status_code == 200 and reviewed.json()["closed_by"]["id"] == org.manager.pk
    assert client.get(f"{API}?mine=true").json()["count"] == 1
    bad = client.post(
        API,
        {"title": "x", "learning_goals": "g", "skills": ["nope"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
