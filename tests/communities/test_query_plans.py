"""What every page's inbox count and a community's page ask of the database walk a short
index range, whatever the statistics say.

Most posts hold no ``solved_at``; an index on (kind, solved_at) made SQLite's planner,
reading the few distinct dates ``ANALYZE`` found, take "open questions" for a handful of
rows: every page's shell then walked every open question of the company (2.5 s at 200,000
posts, bench/communities.py --model skewed). Here the statistics are made that way on
purpose and the plans are read back (SQLite's ``EXPLAIN QUERY PLAN``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from sylva.communities.models import Community, Flag, Membership, Post, Reply
from sylva.communities.queries import qa as qa_queries
from sylva.communities.queries import routing as routing_queries
from sylva.communities.queries import spaces
from tests.factories import Org

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN"
)


def plan(qs: QuerySet) -> str:  # type: ignore[type-arg]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture(name="skewed")
def skewed_fixture(org: Org) -> Community:
    """Many questions in thirty communities, most unsolved, a few solved on many distinct
    dates; the expert hosts the first; statistics gathered."""
    first, *others = Community.objects.bulk_create(
        Community(slug=f"c{i}", name=f"Community {i}") for i in range(30)
    )
    Membership.objects.create(community=first, person=org.expert, role=Membership.Role.HOST)
    now = timezone.now()
    posts = [
        Post(
            kind=Post.Kind.QUESTION if i % 3 else Post.Kind.EXPERIENCE,
            community=others[i % 29] if i % 30 else first,
            author=org.learner,
            title=f"Question {i}",
            created_at=now - timedelta(minutes=i),
            last_activity_at=now - timedelta(minutes=i),
            solved_at=now - timedelta(minutes=i) if i % 10 == 0 else None,
            escalated_at=now if i % 500 == 0 else None,
        )
        for i in range(3000)
    ]
    Post.objects.bulk_create(posts, batch_size=500)
    some = list(Post.objects.order_by("pk")[:200])
    Reply.objects.bulk_create(Reply(post=p, author=org.expert, body="ok") for p in some)
    Flag.objects.bulk_create(  # many reports handled long ago, one open
        Flag(post=p, reporter=org.newcomer, reason="spam", resolved_at=now) for p in some
    )
    Flag.objects.create(post=some[0], reporter=org.manager, reason="spam")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return first


def test_the_inbox_counts_read_indexes_made_for_them(org: Org, skewed: Community) -> None:
    escalated = plan(routing_queries.escalated_to(org.expert))
    assert "post_escalated" in escalated, escalated
    flags = plan(qa_queries.open_flags(org.expert))
    assert "USING INDEX flag_open" in flags, flags  # the open reports only


def test_a_community_page_walks_its_own_posts(org: Org, skewed: Community) -> None:
    """The open questions of one community come from the (community, kind, created_at)
    index, never from an index over every community's questions."""
    questions = (
        spaces._posts(org.expert, skewed)
        .filter(kind=Post.Kind.QUESTION, solved_at__isnull=True, hidden_at__isnull=True)
        .order_by("-created_at", "-pk")
    )
    found = plan(questions[:10])
    assert "communities_communi_997c78_idx" in found, found
    assert "TEMP B-TREE FOR ORDER BY" not in found, found  # (ties on the key: sorted apart)


def test_who_answers_most_reads_the_accepted_answers_only(org: Org, skewed: Community) -> None:
    """ "Who answers most" walks the answers accepted lately, not every reply of the
    community's posts."""
    some = list(Reply.objects.order_by("pk")[:20])
    Reply.objects.filter(pk__in=[r.pk for r in some]).update(accepted_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seen: list[tuple[str, tuple]] = []  # type: ignore[type-arg]

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        found = spaces.top_answerers(skewed)
    assert found.named or found.unnamed
    [(sql, params)] = [(q, p) for q, p in seen if "communities_reply" in q and "COUNT" in q]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "reply_accepted" in steps, steps
