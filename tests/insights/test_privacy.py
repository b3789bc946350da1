"""Who sees what: a learner their own figures, a manager their teams' aggregates, an
animator the organisation's; no aggregate over fewer than five people, on every page and
endpoint; people named only if they agreed to."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.insights import services
from sylva.insights.tables import TABLES
from sylva.people import verbs
from sylva.people.models import Person
from sylva.people.services import record_event, skill_iri
from tests.factories import make_person
from tests.insights.conftest import Activity

PAGES = (
    "/insights/",
    "/insights/spot/",
    "/insights/visible/",
    "/insights/links/",
    "/insights/structure/",
)
LEVERS = (
    "/api/v1/insights/levers/spot",
    "/api/v1/insights/levers/links",
    "/api/v1/insights/levers/structure",
)
FEW = "fewer than 5 people"


@pytest.fixture
def snapshot(activity: Activity):  # type: ignore[no-untyped-def]
    return services.compute_snapshot(window_days=90)


def test_a_learner_sees_only_their_own_figures(activity: Activity, snapshot, login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login(activity.org.learner)
    assert client.get("/insights/").url == "/insights/me/"
    mine = client.get("/insights/me/")
    assert mine.status_code == 200
    assert "Only you see these figures" in mine.content.decode()
    for url in PAGES[1:]:
        assert client.get(url).status_code == 403
    for table in TABLES:
        assert client.get(f"/insights/export/{table}.csv").status_code == 403
    for url in ("/api/v1/insights/health", "/api/v1/insights/scopes", *LEVERS):
        assert client.get(url).status_code == 403
    me = client.get("/api/v1/insights/me?window=90").json()
    # Hélène: learned from Karim, answered Léa
    assert (me["helped_people"], me["learned_from_people"]) == (1, 1)


def test_a_manager_sees_their_team_and_nothing_wider(activity: Activity, snapshot, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client: Client = login(org.manager)
    page = client.get("/insights/")
    assert page.status_code == 200 and org.extrusion.name in page.content.decode()
    for scope in ("org", f"department:{org.prod.pk}", f"team:{org.printing.pk}"):
        assert client.get(f"/insights/?scope={scope}").status_code == 403
        assert client.get(f"/api/v1/insights/health?scope={scope}").status_code == 403
    body = client.get("/api/v1/insights/health").json()
    assert body["scope"] == f"team:{org.extrusion.pk}" and body["hidden"] is False
    for url in PAGES[1:]:
        assert client.get(url).status_code == 200
    assert client.get("/insights/export/silos.csv").status_code == 403


def test_every_page_says_so_when_a_scope_is_under_five_people(
    activity: Activity, snapshot, login
) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client: Client = login(org.animator)
    for scope in (f"team:{org.printing.pk}", f"department:{org.hr.pk}"):
        page = client.get(f"/insights/?scope={scope}").content.decode()
        assert "fewer than 5 people" in page
        assert "E-I" not in page.split("scope-name")[1].split("Export")[0] or "not shown" in page
        api = client.get(f"/api/v1/insights/health?scope={scope}").json()
        assert api["hidden"] is True and api["figures"] == {} and FEW in api["reason"]
        rows = client.get(f"/insights/export/figures.csv?scope={scope}").content.decode()
        assert "fewer than 5 people: not shown" in rows
    children = client.get(f"/api/v1/insights/scopes?scope=department:{org.prod.pk}").json()
    by_name = {c["name"]: c for c in children["items"]}
    assert by_name["Impression"]["hidden"] is True and by_name["Impression"]["figures"] == {}
    assert by_name["Extrusion"]["hidden"] is False
    hot = client.get("/insights/export/hotspots.csv").content.decode()
    assert "Impression,fewer than 5 people: not shown" in hot


def test_the_trend_endpoint_withholds_small_scopes(activity: Activity, snapshot, login) -> None:  # type: ignore[no-untyped-def]
    client: Client = login(activity.org.animator)
    points = client.get(f"/api/v1/insights/trend?scope=team:{activity.org.printing.pk}").json()
    assert points and all(p["figures"] == {} for p in points)


@pytest.fixture
def quiet_expert(activity: Activity) -> Person:
    """Opérateur2 answers six colleagues on a skill they never declared."""
    org = activity.org
    helper = activity.operators[2]
    for i in range(6):
        asker = make_person(f"asker{i}", team=org.printing)
        record_event(
            actor=helper,
            verb=verbs.RESPONDED,
            object_id=skill_iri(org.safety),
            object_name="q",
            skill=org.safety,
            other=asker,
        )
    return helper


def test_people_are_named_only_if_they_agreed(
    activity: Activity, quiet_expert: Person, login
) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    page = client.get("/insights/spot/").content.decode()
    assert quiet_expert.full_name not in page
    assert "1 more person is not shown" in page
    assert client.get("/api/v1/insights/levers/spot").json()["experts_not_named"] == 1
    Person.objects.filter(pk=quiet_expert.pk).update(visible_in_insights=True)
    page = client.get("/insights/spot/").content.decode()
    assert quiet_expert.full_name in page
    experts = client.get("/api/v1/insights/levers/spot").json()["experts"]
    assert [e["person"] for e in experts] == [quiet_expert.pk]


def test_exchange_contents_never_reach_insights(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    secret = "Le code du coffre est 4512"
    record_event(
        actor=activity.org.learner,
        verb=verbs.REVIEWED,
        object_id="https://x/exchange/1",
        object_name=secret,
        result={"response": secret},
        other=activity.org.expert,
    )
    snapshot = services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    assert secret not in str(snapshot.data)
    for url in PAGES:
        assert secret not in client.get(url).content.decode()
