"""The demo's circles and project space: a running circle with the newcomer and the field
worker, past sessions with attendance and reflections, the next one scheduled; a circle
open to join; a project space with a reviewed milestone and an open one; idempotent; every
page answers for the personas."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sylva.communities.demo import circles as demo
from sylva.communities.demo import projects as project_demo
from sylva.communities.models import Circle, CircleSession, Milestone, Project, Reflection
from sylva.communities.queries import circles as queries
from sylva.notifications.queries import inbox_items
from sylva.people import seed
from sylva.people.models import Person


@pytest.fixture
def company(db: None) -> None:
    seed.generate_company(people=120, seed=5, events_per_person=2)
    demo.seed(seed=5)
    project_demo.seed(seed=5)


def _p(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_the_demo_has_a_running_circle_and_one_open_to_join(company) -> None:  # type: ignore[no-untyped-def]
    running = Circle.objects.get(title=demo.RUNNING)
    members = {p.user.username for p in queries.active_members(running)}
    assert {"expert", "newcomer", "field"} <= members and len(members) >= 4
    assert running.facilitator == _p("expert") and running.state == "running"
    assert queries.next_session(running) is not None
    past = list(queries.past_sessions(running))
    assert len(past) == 2 and past[-1].attendance.filter(present=True).count() == len(members)
    assert Reflection.objects.filter(session__circle=running).count() >= len(members) + 1
    assert running in queries.open_to_join(_p("animator"))
    opened = Circle.objects.get(title=demo.OPEN)
    assert opened in queries.open_to_join(_p("newcomer"))
    expert_inbox = [i.kind for i in inbox_items(_p("expert"))]
    assert "communities.session" in expert_inbox  # the attendance of session 2 to mark
    project = Project.objects.get(title=project_demo.TITLE)
    assert Milestone.objects.filter(project=project, closed_at__isnull=False).count() == 1
    assert Milestone.objects.filter(project=project, closed_at__isnull=True).count() == 1


def test_seeding_twice_doubles_nothing(company) -> None:  # type: ignore[no-untyped-def]
    before = (Circle.objects.count(), CircleSession.objects.count(), Project.objects.count())
    assert demo.seed(seed=5) == {"learning circles": 0}
    assert project_demo.seed(seed=5) == {"project spaces": 0}
    after = (Circle.objects.count(), CircleSession.objects.count(), Project.objects.count())
    assert after == before


@pytest.mark.parametrize("persona", ["newcomer", "expert", "field", "manager", "animator"])
def test_every_page_answers_for_the_personas_on_the_demo(company, persona) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(_p(persona).user)
    running = Circle.objects.get(title=demo.RUNNING)
    project = Project.objects.get(title=project_demo.TITLE)
    pages = [
        reverse("communities:circles"),
        reverse("communities:new_circle"),
        reverse("communities:circle", args=[running.pk]),
        reverse("communities:circle", args=[Circle.objects.get(title=demo.OPEN).pk]),
        reverse("communities:projects"),
        reverse("communities:new_project"),
        reverse("communities:project", args=[project.pk]),
    ]
    for session in running.sessions.all():
        pages.append(reverse("communities:circle_session", args=[session.pk]))
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    listing = client.get(reverse("communities:circles")).content.decode()
    assert 'class="empty"' not in listing.split('id="to-join"')[0]
