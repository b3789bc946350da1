"""Each role on each page and endpoint: what it may open, what it may not."""

import pytest
from django.test import Client

ROLES = ["learner", "manager", "animator", "designer", "admin"]
EVERYONE = dict.fromkeys(ROLES, 200)


def pages(org) -> list[tuple[str, dict[str, int]]]:
    extrusion, printing = org.extrusion.pk, org.printing.pk
    return [
        ("/", EVERYONE),
        ("/me/edit/", EVERYONE),
        ("/me/skills/", EVERYONE),
        ("/me/tokens/", EVERYONE),
        ("/people/", EVERYONE),
        (f"/people/{org.expert.pk}/", EVERYONE),
        ("/org/", EVERYONE),
        ("/org/departments/prod/", EVERYONE),
        (f"/org/teams/{extrusion}/", EVERYONE),
        ("/skills/", EVERYONE),
        ("/skills/extrusion-setup/", EVERYONE),
        (
            "/team/",
            {"learner": 403, "manager": 302, "animator": 403, "designer": 403, "admin": 200},
        ),
        (
            f"/team/{extrusion}/",
            {"learner": 403, "manager": 200, "animator": 200, "designer": 403, "admin": 200},
        ),
        (
            f"/team/{printing}/",
            {"learner": 403, "manager": 403, "animator": 200, "designer": 403, "admin": 200},
        ),
        (
            "/admin/",
            {"learner": 302, "manager": 302, "animator": 302, "designer": 302, "admin": 200},
        ),
        (
            "/admin/people/person/",
            {"learner": 302, "manager": 302, "animator": 302, "designer": 302, "admin": 200},
        ),
        ("/api/v1/people", EVERYONE),
        ("/api/v1/me", EVERYONE),
        ("/api/v1/skills/extrusion-setup/holders", EVERYONE),
        (
            f"/api/v1/org/teams/{extrusion}/overview",
            {"learner": 403, "manager": 200, "animator": 200, "designer": 403, "admin": 200},
        ),
        (
            f"/api/v1/org/teams/{printing}/overview",
            {"learner": 403, "manager": 403, "animator": 200, "designer": 403, "admin": 200},
        ),
    ]


@pytest.mark.django_db
def test_the_permission_matrix(client: Client, org) -> None:
    failures = []
    for url, expected in pages(org):
        for role in ROLES:
            client.force_login(org.person(role).user)
            status = client.get(url).status_code
            if status != expected[role]:
                failures.append(f"{role} {url}: {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, org) -> None:
    for url, _expected in pages(org):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, url
            assert "login" in response["Location"], url


@pytest.mark.django_db
def test_a_user_stripped_of_every_role_sees_no_directory(client: Client, org) -> None:
    org.learner.user.groups.clear()
    client.force_login(org.learner.user)
    assert client.get("/people/").status_code == 403
    assert client.get("/api/v1/people").status_code == 403
    assert client.get("/").status_code == 200  # their own home stays open


@pytest.mark.django_db
def test_navigation_shows_only_what_a_role_may_open(client: Client, org) -> None:
    client.force_login(org.learner.user)
    home = client.get("/").content.decode()
    assert 'href="/team/"' not in home and 'href="/admin/"' not in home
    client.force_login(org.manager.user)
    assert 'href="/team/"' in client.get("/").content.decode()
    client.force_login(org.admin.user)
    assert 'href="/admin/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_team_activity_is_hidden_under_five_people(client: Client, org) -> None:
    client.force_login(org.animator.user)
    small = client.get(f"/api/v1/org/teams/{org.printing.pk}/overview").json()
    assert small["activity"] is None
    big = client.get(f"/api/v1/org/teams/{org.extrusion.pk}/overview").json()
    assert set(big["activity"]) == {"exchange", "microlearning", "community", "course", "field"}
    page = client.get(f"/team/{org.printing.pk}/").content.decode()
    assert "fewer than 5 people" in page or "moins de 5" in page
