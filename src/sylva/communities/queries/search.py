"""Full-text search over the communities' posts, in French and English, accent-blind, with
stemming, on each database's own full-text engine. Nothing here writes
(``services/indexing.py`` keeps the documents).

How a text becomes searchable words (:func:`analyse`, the same for a post and for a query):
folded (lower case, accents removed: ``sylva.people.text.fold``), cut into words, the
commonest words of both languages dropped (:data:`STOP_WORDS`), and each word replaced by
its French **and** its English Snowball stems (one when they agree). So « réglages »,
« Réglage » and « reglage » give the same stem, « maintenances préventives » the stems of
« maintenance préventive », and « changing » finds « changes ».

A post's document (``Post.search_document``, :func:`document_of`) holds the stems of its
title (:data:`TITLE_WEIGHT` times: a title match ranks before a mention in the text), its
text, its After Action Review's four parts and the text of its visible replies.

- **SQLite**: an FTS5 external-content table ``communities_post_fts`` over
  ``search_document`` (tokenizer ``unicode61 remove_diacritics 2``), kept in step by
  triggers (migration ``0002_search_fulltext``); ranked by ``bm25``.
- **PostgreSQL**: a GIN index on ``to_tsvector('simple', search_document)`` (the stems are
  already made: the ``simple`` configuration only splits them), ``@@`` a ``to_tsquery``,
  ranked by ``ts_rank``.

A search asks for every word (each word: either of its stems); the similar questions ask
for any of the title's words. Results rank by the engine's relevance, then recency. Only
what the reader may read (``access.readable_posts``) and never a hidden post comes back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from sylva.communities.models import Community, Post, Reply
from sylva.communities.queries import access
from sylva.people.models import Person
from sylva.people.text import fold

#: the FTS5 table over ``communities_post.search_document`` (SQLite only)
FTS_TABLE = "communities_post_fts"
#: how many times a title's words are written in the document (its weight in the ranking)
TITLE_WEIGHT = 3
#: the longest query read (characters), and the most words asked for
MAX_QUERY = 200
MAX_WORDS = 12
#: the shortest title that asks for similar questions (letters typed)
SIMILAR_MIN = 3
SIMILAR_LIMIT = 5

#: words too common to search on, in both languages (folded): a query of them alone finds
#: nothing rather than everything
_STOP = """
    a au aux avec ce ces cet cette comment dans de des du elle en est et eux il ils je la le
    les leur lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui
    quoi sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y l d j n s t c m
    faire fait peut quel quelle quels quelles avoir etre tout tous plus tres bien
    an and are as at be by can do does for from has have how i if in into is it its me my no
    not of on or our so than that the their them then there these they this to was we what
    when where which who why will with you your
"""
STOP_WORDS = frozenset(_STOP.split())

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def stems(word: str) -> tuple[str, ...]:
    """The French and English stems of a folded word (one when they agree)."""
    french = _stemmer("french").stemWord(word)
    english = _stemmer("english").stemWord(word)
    return (french,) if french == english else (french, english)


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` worth searching on, in order (stop words dropped)."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def analyse(text: str) -> str:
    """The stems of ``text``, space-separated (what the full-text index reads)."""
    return " ".join(s for word in words_of(text) for s in stems(word))


def document_of(post: Post, replies: list[str]) -> str:
    """A post's search document: its title's stems (weighted), its texts', its replies'."""
    title = analyse(post.title)
    texts = [post.body, post.intended, post.happened, post.why, post.next_time, *replies]
    parts = [title] * TITLE_WEIGHT + [analyse(t) for t in texts if t]
    return "\n".join(p for p in parts if p)


def query_stems(q: str) -> list[tuple[str, ...]]:
    """Each word of a query as the stems it may match (duplicates dropped, at most
    :data:`MAX_WORDS`)."""
    seen: list[tuple[str, ...]] = []
    for word in words_of((q or "")[:MAX_QUERY]):
        found = stems(word)
        if found not in seen:
            seen.append(found)
    return seen[:MAX_WORDS]


def match_expression(groups: list[tuple[str, ...]], *, every: bool = True) -> str:
    """The engine's query: every word (or any, ``every=False``), each word one of its stems.
    Stems are letters and digits only, so nothing in them is the engine's syntax."""
    if connection.vendor == "postgresql":
        inner, outer = " | ", " & " if every else " | "
        return outer.join("(" + inner.join(g) + ")" for g in groups)
    inner, outer = " OR ", " AND " if every else " OR "
    return outer.join("(" + inner.join(f'"{s}"' for s in g) + ")" for g in groups)


# --- the engines ------------------------------------------------------------------------


class _TsVector(Func):
    """``to_tsvector('simple', search_document)``, exactly the GIN index's expression."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"


class _TsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _matching(base: QuerySet[Post], match: str) -> QuerySet[Post]:
    """``base`` narrowed to the posts whose document matches (before the access filter,
    so that it only ever looks at what matched). On SQLite, :func:`_ranked`'s join on the
    FTS table is the match itself: matching here too would run the full-text query twice."""
    if connection.vendor == "postgresql":
        return base.filter(_Matches(_TsVector(F("search_document")), _TsQuery(Value(match))))
    return base


def _ranked(qs: QuerySet[Post], match: str) -> QuerySet[Post]:
    """``qs`` (the outer query, readable posts) with its ``relevance``, best first.

    On SQLite the FTS table joins the outer query for ``bm25``: the result is a queryset
    to show, slice or count, not to use inside another query."""
    if connection.vendor == "postgresql":
        rank = Func(
            _TsVector(F("search_document")),
            _TsQuery(Value(match)),
            function="ts_rank",
            output_field=FloatField(),
        )
        qs = qs.annotate(relevance=rank)
    else:
        # the FTS table joins the outer query (bm25 needs its cursor); no user text in the
        # SQL: the match is a parameter
        qs = qs.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = communities_post.id", f"{FTS_TABLE} MATCH %s"],
            params=[match],
            select={"relevance": f"-bm25({FTS_TABLE})"},
        )
    return qs.order_by("-relevance", "-last_activity_at", "-pk")


def raw_search(q: str, limit: int) -> list[int]:
    """The database's own full-text query for ``q``'s words, best first, nothing else (no
    access rule, no join): the benchmark's baseline."""
    match = match_expression(query_stems(q))
    if not match:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM communities_post WHERE to_tsvector('simple'::regconfig, "
                "search_document) @@ to_tsquery('simple'::regconfig, %s) ORDER BY ts_rank("
                "to_tsvector('simple'::regconfig, search_document), to_tsquery("
                "'simple'::regconfig, %s)) DESC LIMIT %s",
                [match, match, limit],
            )
        else:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s",
                [match, limit],
            )
        return [row[0] for row in cursor.fetchall()]


# --- what pages, the API and the search across Sylva read ------------------------------


def _readable_matches(
    person: Person,
    match: str,
    *,
    community: Community | None = None,
    kind: str | Sequence[str] | None = None,
) -> QuerySet[Post]:
    """The readable, visible posts matching ``match``, ranked (``relevance``, best first)."""
    base = Post.objects.filter(hidden_at__isnull=True)
    if community is not None:
        base = base.filter(community=community)
    if isinstance(kind, str) and kind:
        base = base.filter(kind=kind)
    elif kind:
        base = base.filter(kind__in=list(kind))
    return _ranked(access.readable_posts(person, _matching(base, match)), match)


def search_posts(
    person: Person,
    q: str,
    *,
    community: Community | None = None,
    kind: str | Sequence[str] | None = None,
) -> QuerySet[Post]:
    """The posts ``person`` may read whose document holds every word of ``q`` (each word:
    either of its stems), best first then most recent; hidden posts never. ``kind``: one of
    ``Post.Kind`` or several. A queryset to paginate (``page_of``, ``Pages``), with
    ``relevance`` on each post, its community, project and author selected. An empty or
    stop-words-only query finds nothing."""
    match = match_expression(query_stems(q))
    if not match:
        return Post.objects.none()
    found = _readable_matches(person, match, community=community, kind=kind)
    return found.select_related("community", "project", "author")


def _answered() -> Q:
    visible = Reply.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)
    return Q(solved_at__isnull=False) | Q(Exists(visible))


def similar_questions(person: Person, title: str, limit: int = SIMILAR_LIMIT) -> list[Post]:
    """Questions ``person`` may read sharing words with ``title`` (any of them), the
    answered ones first (solved, or with a visible answer), then by relevance and recency;
    each with ``answered`` set. Nothing for fewer than :data:`SIMILAR_MIN` letters."""
    if len("".join(_WORD.findall(title or ""))) < SIMILAR_MIN:
        return []
    match = match_expression(query_stems(title), every=False)
    if not match:
        return []
    found = _readable_matches(person, match, kind=Post.Kind.QUESTION)
    ranked = found.annotate(answered=ExpressionWrapper(_answered(), output_field=BooleanField()))
    ordered = ranked.order_by("-answered", "-relevance", "-last_activity_at", "-pk")
    return list(ordered.select_related("community")[: max(0, min(limit, 20))])


def post_url(post: Post) -> str:
    """A post's page (the questions area's ``communities:post``); until that page exists,
    its community's page."""
    try:
        return reverse("communities:post", args=[post.pk])
    except NoReverseMatch:
        if post.community is not None:
            return reverse("communities:community", args=[post.community.slug])
        return reverse("communities:home")


_MARKUP = re.compile(r"[#*_`>\[\]()!|~]+|https?://\S+")


def excerpt(post: Post, words: int = 14) -> str:
    """A few words of a post's text, Markdown's marks left out (for a list of results)."""
    text = post.body or post.happened or post.intended or ""
    return Truncator(" ".join(_MARKUP.sub(" ", text).split())).words(words)
