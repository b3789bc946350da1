"""count_together: each queryset's count in one query, whatever the querysets (filters,
joins, distinct, annotations, empty ones); and the shell's inbox badge counts every
pillar's ``waiting`` querysets in that one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sylva.core.counting import count_together
from sylva.core.pillars import pillars
from sylva.notifications.queries import inbox_count
from sylva.people.models import LearningEvent, Person, PersonSkill, Skill
from tests.factories import Org

pytestmark = pytest.mark.django_db

SHAPES = {
    "all": lambda lo: Person.objects.all(),
    "none": lambda lo: Person.objects.none(),
    "empty in": lambda lo: Person.objects.filter(pk__in=[]),
    "level": lambda lo: PersonSkill.objects.filter(level__gte=lo),
    "joined distinct": lambda lo: Person.objects.filter(person_skills__level__gte=lo).distinct(),
    "joined": lambda lo: Person.objects.filter(person_skills__level__gte=lo),
    "annotated": lambda lo: Skill.objects.annotate(n=Count("person_skills")).filter(n__gte=lo),
    "sliced": lambda lo: Person.objects.order_by("pk")[:lo],
    "events": lambda lo: LearningEvent.objects.exclude(verb=""),
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picked=st.lists(st.sampled_from(sorted(SHAPES)), min_size=1, max_size=6),
    lo=st.integers(min_value=0, max_value=4),
)
def test_each_count_is_the_querysets_own(org: Org, picked: list[str], lo: int) -> None:
    querysets = [SHAPES[name](lo) for name in picked]
    expected = [qs.count() for qs in querysets]
    with CaptureQueriesContext(connection) as ctx:
        assert count_together(querysets) == expected
    assert len(ctx.captured_queries) == 1


def test_nothing_to_count_asks_nothing() -> None:
    with CaptureQueriesContext(connection) as ctx:
        assert count_together([]) == []
    assert not ctx.captured_queries


def test_the_inbox_badge_counts_the_waiting_pillars_in_one_query(org: Org) -> None:
    with_waiting = [c for c in pillars() if c.inbox_waiting(org.expert) is not None]
    assert len(with_waiting) >= 3, "communities, insights and microlearning count together"
    others = [c for c in pillars() if c.inbox and c.inbox_waiting(org.expert) is None]
    with CaptureQueriesContext(connection) as ctx:
        others_total = sum(c.inbox_count(org.expert) for c in others)
    others_queries = len(ctx.captured_queries)
    org.expert.user.refresh_from_db()  # permissions read afresh, as on a new request
    with CaptureQueriesContext(connection) as ctx:
        total = inbox_count(org.expert)
    assert total == others_total + sum(c.inbox_count(org.expert) for c in with_waiting)
    # the permission cache: one or two queries for the reviewers' check, then one count
    assert len(ctx.captured_queries) <= others_queries + 3, [
        q["sql"][:80] for q in ctx.captured_queries
    ]
