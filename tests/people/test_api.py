"""The JSON API: authentication, validation errors that name the field, 404s, OpenAPI."""

import json

import pytest
from django.test import Client

from sylva.people import services


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token(org) -> str:
    return services.create_token(person=org.learner, name="tests")[1]


@pytest.mark.django_db
def test_the_openapi_document_lists_the_endpoints(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/me",
        "/api/v1/people",
        "/api/v1/skills/{code}/holders",
        "/api/v1/org/departments",
        "/api/v1/me/tokens",
    ):
        assert path in doc["paths"]


@pytest.mark.django_db
def test_without_credentials_the_api_answers_401(client: Client, org) -> None:
    response = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]
    french = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Authentification requise" in french.json()["detail"]
    assert client.get("/api/v1/me", **bearer("sylva_not-a-token")).status_code == 401


@pytest.mark.django_db
def test_a_personal_token_opens_the_api(client: Client, org, token) -> None:
    me = client.get("/api/v1/me", **bearer(token)).json()
    assert me["full_name"] == "Hélène Dupré"
    assert me["roles"] == ["learner"]
    assert me["team"]["name"] == "Extrusion"


@pytest.mark.django_db
def test_directory_search_is_paginated_and_ranked(client: Client, org, token) -> None:
    body = client.get("/api/v1/people?skill=extrusion-setup&page_size=2", **bearer(token)).json()
    assert body["count"] == 3
    assert [p["matched_level"] for p in body["items"]] == [4, 3]
    page2 = client.get(
        "/api/v1/people?skill=extrusion-setup&page_size=2&page=2", **bearer(token)
    ).json()
    assert [p["full_name"] for p in page2["items"]] == ["Hélène Dupré"]
    holders = client.get("/api/v1/skills/extrusion-setup/holders", **bearer(token)).json()
    assert [h["level"] for h in holders["items"]] == [4, 3, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/people?skill=juggling", "skill"),
        ("/api/v1/people?site=mars", "site"),
        ("/api/v1/people?min_level=9", "min_level"),
        ("/api/v1/people?page_size=1000", "page_size"),
        ("/api/v1/people?team=abc", "team"),
    ],
)
def test_bad_filters_name_the_field(client: Client, org, token, url, field) -> None:
    response = client.get(url, **bearer(token))
    assert 400 <= response.status_code < 500
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.django_db
def test_unknown_ids_are_404(client: Client, org, token) -> None:
    for url in (
        "/api/v1/people/999999",
        "/api/v1/skills/nope",
        "/api/v1/org/teams/999999",
        "/api/v1/org/departments/nope",
        "/api/v1/skills/nope/holders",
    ):
        response = client.get(url, **bearer(token))
        assert response.status_code == 404, url
        assert "detail" in response.json()


@pytest.mark.django_db
def test_editing_my_skills_through_the_api(client: Client, org, token) -> None:
    put = client.put(
        "/api/v1/me/skills/excel",
        data=json.dumps({"level": 3}),
        content_type="application/json",
        **bearer(token),
    )
    assert put.status_code == 200
    assert {"excel": 3}.items() <= {
        s["skill"]["code"]: s["level"] for s in put.json()["skills"]
    }.items()
    bad = client.put(
        "/api/v1/me/skills/excel",
        data=json.dumps({"level": 7}),
        content_type="application/json",
        **bearer(token),
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "level"
    unknown = client.put(
        "/api/v1/me/skills/juggling",
        data=json.dumps({"level": 2}),
        content_type="application/json",
        **bearer(token),
    )
    assert unknown.status_code == 404
    assert client.delete("/api/v1/me/skills/excel", **bearer(token)).status_code == 204
    assert client.delete("/api/v1/me/skills/excel", **bearer(token)).status_code == 404
    wish = client.post(
        "/api/v1/me/wishes",
        data=json.dumps({"skill": "facilitation"}),
        content_type="application/json",
        **bearer(token),
    )
    assert wish.status_code == 201
    assert [w["code"] for w in wish.json()["wishes"]] == ["facilitation"]


@pytest.mark.django_db
def test_patching_my_profile_validates_every_field(client: Client, org, token) -> None:
    def patch(body):  # type: ignore[no-untyped-def]
        return client.patch(
            "/api/v1/me", data=json.dumps(body), content_type="application/json", **bearer(token)
        )

    ok = patch(
        {"can_share": "Astuces de réglage", "job_title": "Régleuse", "populations": ["field"]}
    )
    assert ok.status_code == 200
    assert ok.json()["can_share"] == "Astuces de réglage"
    for body, field in [
        ({"populations": ["aliens"]}, "populations"),
        ({"nickname": "Léna"}, "nickname"),
        ({"language": "de"}, "language"),
        ({"job_title": "x" * 121}, "job_title"),
    ]:
        response = patch(body)
        assert response.status_code in (400, 404, 422), body
        assert response.json()["errors"][0]["field"] == field, body
    org.learner.refresh_from_db()
    assert org.learner.job_title == "Régleuse"  # the failed patches changed nothing


@pytest.mark.django_db
def test_tokens_are_created_shown_once_and_revoked(client: Client, org) -> None:
    client.force_login(org.learner.user)
    created = client.post(
        "/api/v1/me/tokens", data=json.dumps({"name": "laptop"}), content_type="application/json"
    )
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = client.get("/api/v1/me/tokens").json()
    assert "token" not in listed[0]
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    token_id = created.json()["id"]
    assert client.delete(f"/api/v1/me/tokens/{token_id}").status_code == 204
    fresh = Client()
    assert fresh.get("/api/v1/me", **bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(api_client: Client, org) -> None:
    api_client.force_login(org.learner.user)
    response = api_client.put(
        "/api/v1/me/skills/excel", data=json.dumps({"level": 2}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not org.learner.person_skills.filter(skill=org.excel).exists()


@pytest.mark.django_db
def test_organisation_endpoints(client: Client, org, token) -> None:
    departments = client.get("/api/v1/org/departments", **bearer(token)).json()
    assert {d["code"]: d["headcount"] for d in departments} == {"prod": 7, "hr": 3}
    prod = client.get("/api/v1/org/departments/prod", **bearer(token)).json()
    assert {t["name"] for t in prod["teams"]} == {"Extrusion", "Impression"}
    team = client.get(f"/api/v1/org/teams/{org.extrusion.pk}", **bearer(token)).json()
    assert team["manager"]["full_name"] == "Mathilde Roux"
    assert len(team["members"]) == 6
    sites = client.get("/api/v1/org/sites", **bearer(token)).json()
    assert {s["code"] for s in sites} == {"lyon", "lille"}
    skills = client.get("/api/v1/skills?domain=tech", **bearer(token)).json()
    assert {s["code"]: s["holder_count"] for s in skills["items"]} == {
        "extrusion-setup": 3,
        "machine-safety": 1,
    }
