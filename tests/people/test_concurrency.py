"""Two edits of one profile at once both land: the service locks the row and writes only
the fields each edit changed; the page writes only what its form changed since it was
shown. The concurrent test needs PostgreSQL's row locks (SQLite serialises writers)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sylva.people import services
from sylva.people.models import Person
from tests.concurrency import at_once, on_postgres
from tests.factories import Org


def _at_once(person: Person, edits: list[dict[str, str]]) -> list[int]:
    """PATCH /me with each edit from its own client and thread (its own connection), all at
    the same moment."""
    clients = []
    for _ in edits:
        client = Client()
        client.force_login(person.user)
        clients.append(client)
    responses = at_once(
        [
            lambda c=c, body=body: c.patch(
                "/api/v1/me", data=json.dumps(body), content_type="application/json"
            )
            for c, body in zip(clients, edits, strict=True)
        ]
    )
    return [r.status_code for r in responses]  # type: ignore[attr-defined]


@on_postgres
def test_twenty_pairs_of_concurrent_profile_edits_lose_nothing(monkeypatch: Any) -> None:
    assert connection.vendor == "postgresql"
    org = Org()
    person = org.learner
    # widen the race: each edit pauses after its view has read the person, before writing
    real = services.update_profile

    def slow(**kwargs: Any) -> Any:
        time.sleep(0.05)
        return real(**kwargs)

    monkeypatch.setattr(services, "update_profile", slow)
    lost: list[str] = []
    for round_ in range(20):
        edits = [{"job_title": f"Titre {round_}"}, {"can_share": f"Astuce {round_}"}]
        assert _at_once(person, edits) == [200, 200]
        row = Person.objects.get(pk=person.pk)
        if (row.job_title, row.can_share) != (f"Titre {round_}", f"Astuce {round_}"):
            lost.append(f"round {round_}: {row.job_title!r}, {row.can_share!r}")
    assert not lost, f"{len(lost)} of 20 edits lost: {lost}"


@pytest.mark.django_db
def test_a_form_opened_earlier_does_not_undo_a_change_made_meanwhile(org: Org) -> None:
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        client.force_login(org.learner.user)
    shown = laptop.get("/me/edit/").context["form"]  # the laptop's tab, opened first
    phone.patch(
        "/api/v1/me",
        data=json.dumps({"job_title": "Régleuse", "visible_in_insights": True}),
        content_type="application/json",
    )
    data: dict[str, Any] = {}
    for name, field in shown.fields.items():
        value = shown.initial.get(name, field.initial)
        if name == "populations":
            value = [p.pk for p in value]
        if value in (None, False):
            data[f"initial-{name}"] = "False" if value is False else ""
            continue
        data[name] = data[f"initial-{name}"] = value
    data["can_share"] = "Le changement de format"
    assert laptop.post("/me/edit/", data).status_code == 302
    org.learner.refresh_from_db()
    assert org.learner.can_share == "Le changement de format"
    assert org.learner.job_title == "Régleuse" and org.learner.visible_in_insights
