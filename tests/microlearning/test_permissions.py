"""Who may open which page and call which API."""

from __future__ import annotations

import pytest
from django.urls import reverse

ROLES = ["learner", "manager", "animator", "designer", "admin"]

MATRIX = {
    "microlearning:today": {"learner", "manager", "animator", "designer", "admin"},
    "microlearning:memory": {"learner", "manager", "animator", "designer", "admin"},
    "microlearning:challenges": {"learner", "manager", "animator", "designer", "admin"},
    "microlearning:share": {"learner", "manager", "animator", "designer", "admin"},
    "microlearning:studio": {"designer", "admin"},
    "microlearning:import": {"designer", "admin"},
    "microlearning:campaigns": {"designer", "admin"},
    "microlearning:reviews": {"animator", "designer", "admin"},
    "microlearning:analytics": {"animator", "designer", "admin"},
    "microlearning:settings": {"animator", "designer", "admin"},
    "microlearning:new_team_challenge": {"manager", "animator", "designer", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(org, login, module, role) -> None:  # type: ignore[no-untyped-def]
    client = login(org.person(role))
    for name, allowed in sorted(MATRIX.items()):
        response = client.get(reverse(name))
        assert response.status_code == (200 if role in allowed else 403), (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_live_colleague_search_is_for_everyone_signed_in(org, login, role) -> None:  # type: ignore[no-untyped-def]
    response = login(org.person(role)).get(
        reverse("microlearning:colleagues"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200, role


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("microlearning:today"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_team_memory_is_for_its_manager_and_animators(org, login) -> None:  # type: ignore[no-untyped-def]
    url = reverse("microlearning:team_memory", args=[org.extrusion.pk])
    assert login(org.manager).get(url).status_code == 200
    assert login(org.animator).get(url).status_code == 200
    assert login(org.learner).get(url).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("learner", 403), ("designer", 200)])
def test_importing_through_the_api_needs_the_author_permission(org, login, role, status) -> None:  # type: ignore[no-untyped-def]
    from tests.microlearning.conftest import SAFETY

    response = login(org.person(role)).post(
        "/api/v1/learn/modules/import", {"text": SAFETY}, content_type="application/json"
    )
    assert response.status_code == status


def test_analytics_api_needs_the_permission(org, login, module) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/learn/analytics/modules/{module.code}"
    assert login(org.learner).get(url).status_code == 403
    body = login(org.designer).get(url).json()
    assert body["hidden"] is True  # nobody took it yet: fewer than 5 people
