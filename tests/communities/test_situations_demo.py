"""The demo's work situations and field feedback: every page of the area is non-empty for
the personas concerned, and seeding twice adds nothing."""

from __future__ import annotations

from django.test import Client

from sylva.communities.demo import feedback, situations
from sylva.communities.models import Assignment, FieldFeedback, WorkSituation
from sylva.communities.queries import feedback as feedback_queries
from tests.factories import Org


def test_the_demo_is_alive_and_idempotent(org: Org) -> None:
    # the test organisation's accounts are named as the personas (manager, expert, designer)
    first = {**situations.seed(seed=1), **feedback.seed(seed=1)}
    assert first["work situations"] == 3 and first["assignments"] == 3
    assert first["field feedback"] >= 4
    states = set(Assignment.objects.values_list("state", flat=True))
    assert states == {"assigned", "done", "debriefed"}
    assert set(Assignment.objects.values_list("tutor", flat=True)) == {org.expert.pk}
    assert FieldFeedback.objects.filter(answered_at__isnull=False).count() == 1
    assert feedback_queries.rhythm(org.manager) is not None
    counts = (
        WorkSituation.objects.count(),
        Assignment.objects.count(),
        FieldFeedback.objects.count(),
    )
    situations.seed(seed=1)
    feedback.seed(seed=1)
    assert counts == (
        WorkSituation.objects.count(),
        Assignment.objects.count(),
        FieldFeedback.objects.count(),
    )
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for person, texts in (
        (org.manager, ["Conduire un changement", "rhythm"]),
        (org.expert, ["you tutor"]),
        (org.designer, ["Describe a work situation"]),
    ):
        c.force_login(person.user)
        page = c.get("/communities/situations/").content.decode()
        page += c.get("/communities/feedback/").content.decode()
        for text in texts:
            assert text in page, (person, text)
