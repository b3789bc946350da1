"""Full-text search over the communities' posts, on SQLite and PostgreSQL alike (the same
tests run on both: SYLVA_DATABASE_URL=postgres://… for the second)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sylva.communities.models import Community, Membership, Post, Reply
from sylva.communities.queries.search import (
    analyse,
    query_stems,
    raw_search,
    search_posts,
    similar_questions,
)
from sylva.communities.services.indexing import index_post
from tests.factories import Org

pytestmark = pytest.mark.django_db


def community(slug: str, access: str = Community.Access.OPEN) -> Community:
    return Community.objects.create(slug=slug, name=slug.title(), access=access)


def post(org: Org, place: Community, title: str, body: str = "", **fields: object) -> Post:
    fields.setdefault("kind", Post.Kind.QUESTION)
    fields.setdefault("author", org.expert)
    fields.setdefault("audience", Post.Audience.EVERYONE)
    made = Post.objects.create(community=place, title=title, body=body, **fields)
    index_post(made)
    return made


def titles(person, q: str, **kwargs: object) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for p in search_posts(person, q, **kwargs)]


@pytest.fixture
def org(db: None) -> Org:
    return Org()


@pytest.fixture
def open_space(org: Org) -> Community:
    return community("extrusion")


def test_accents_either_way(org: Org, open_space: Community) -> None:
    post(org, open_space, "Les reglages de la filiere", "sans accents ici")
    post(org, open_space, "Un réglage fin", "avec accent")
    post(org, open_space, "Autre chose", "rien à voir")
    assert sorted(titles(org.learner, "réglage")) == [
        "Les reglages de la filiere",
        "Un réglage fin",
    ]
    assert sorted(titles(org.learner, "Réglages")) == [
        "Les reglages de la filiere",
        "Un réglage fin",
    ]
    assert sorted(titles(org.learner, "REGLAGE")) == [
        "Les reglages de la filiere",
        "Un réglage fin",
    ]


def test_french_stemming(org: Org, open_space: Community) -> None:
    post(org, open_space, "Plan de maintenance préventive", "sur la ligne 3")
    post(org, open_space, "Maintenance curative", "quand ça casse")
    assert titles(org.learner, "maintenances préventives") == ["Plan de maintenance préventive"]


def test_english_stemming(org: Org, open_space: Community) -> None:
    post(org, open_space, "Die changes on the press", "how we plan them")
    post(org, open_space, "Safety first", "gloves")
    assert titles(org.learner, "changing") == ["Die changes on the press"]
    assert titles(org.learner, "change dies") == ["Die changes on the press"]


def test_both_languages_in_one_corpus(org: Org, open_space: Community) -> None:
    post(org, open_space, "Sécurité machine : les consignes", "", language="fr")
    post(org, open_space, "Machine safety rules", "lockout before cleaning", language="en")
    assert set(titles(org.learner, "machine")) == {
        "Sécurité machine : les consignes",
        "Machine safety rules",
    }
    assert titles(org.learner, "sécurité") == ["Sécurité machine : les consignes"]
    assert titles(org.learner, "lockout cleaning") == ["Machine safety rules"]
    # a French plural finds the English stem's word, an English word the French one
    assert titles(org.learner, "consigne") == ["Sécurité machine : les consignes"]


def test_every_word_is_asked_for_and_stop_words_are_not(org: Org, open_space: Community) -> None:
    post(org, open_space, "Réglage de la presse", "")
    post(org, open_space, "Réglage de l'extrudeuse", "")
    assert titles(org.learner, "comment faire le réglage de la presse") == ["Réglage de la presse"]
    assert titles(org.learner, "the of and") == []
    assert titles(org.learner, "") == []
    assert titles(org.learner, "  ;;; ") == []


def test_engine_syntax_is_only_words(org: Org, open_space: Community) -> None:
    post(org, open_space, "Réglage presse", "")
    for q in ['"', "réglage OR", "NEAR(a b)", "a* b:c", "presse -réglage", "(", "') ; --"]:
        titles(org.learner, q)  # never an error from the engine
    assert titles(org.learner, 'réglage" OR "presse') == ["Réglage presse"]


def test_a_title_match_ranks_before_a_body_mention(org: Org, open_space: Community) -> None:
    now = timezone.now()
    older = now - timedelta(days=30)
    post(
        org,
        open_space,
        "Le four de séchage",
        "On parle aussi de soudure ici, en passant, parmi d'autres sujets.",
        last_activity_at=now,
    )
    post(org, open_space, "Soudure des films", "Quelle température ?", last_activity_at=older)
    assert titles(org.learner, "soudure") == ["Soudure des films", "Le four de séchage"]


def test_equal_relevance_most_recent_first(org: Org, open_space: Community) -> None:
    now = timezone.now()
    post(org, open_space, "Bobine d'avril", "", last_activity_at=now - timedelta(days=3))
    post(org, open_space, "Bobine de mai", "", last_activity_at=now)
    assert titles(org.learner, "bobine") == ["Bobine de mai", "Bobine d'avril"]


def test_members_only_community_is_never_found_by_a_non_member(org: Org) -> None:
    closed = community("secret-lab", Community.Access.REQUEST)
    Membership.objects.create(community=closed, person=org.expert)
    post(org, closed, "Formulation confidentielle", "", author=org.manager)
    assert titles(org.learner, "formulation") == []
    assert titles(org.expert, "formulation") == ["Formulation confidentielle"]
    Membership.objects.create(community=closed, person=org.learner, state=Membership.State.PENDING)
    assert titles(org.learner, "formulation") == []  # asked to join is not a member


def test_a_moderator_finds_a_members_only_post(org: Org) -> None:
    closed = community("secret-lab", Community.Access.REQUEST)
    post(org, closed, "Formulation confidentielle", "")
    assert titles(org.animator, "formulation") == ["Formulation confidentielle"]


def test_team_only_report_is_found_by_the_team_only(org: Org, open_space: Community) -> None:
    post(
        org,
        open_space,
        "Retour sur le redémarrage",
        "",
        kind=Post.Kind.EXPERIENCE,
        author=org.learner,
        audience=Post.Audience.TEAM,
        audience_team=org.extrusion,
    )
    assert titles(org.newcomer, "redémarrage") == ["Retour sur le redémarrage"]
    assert titles(org.expert, "redémarrage") == []  # another team


def test_a_hidden_post_is_never_found(org: Org, open_space: Community) -> None:
    hidden = post(org, open_space, "Message insultant sur la filière", "")
    hidden.hidden_at = timezone.now()
    hidden.hidden_by = org.animator
    hidden.save()
    for reader in (org.learner, org.expert, org.animator):
        assert titles(reader, "filière") == []


def test_a_hidden_reply_is_not_searchable(org: Org, open_space: Community) -> None:
    question = post(org, open_space, "Question sur la bobineuse", "")
    Reply.objects.create(post=question, author=org.manager, body="propos déplacé zorglub")
    index_post(question)
    assert titles(org.learner, "zorglub") == ["Question sur la bobineuse"]
    Reply.objects.filter(post=question).update(hidden_at=timezone.now())
    index_post(question)
    assert titles(org.learner, "zorglub") == []


def test_the_index_follows_an_edit_and_a_reply(org: Org, open_space: Community) -> None:
    question = post(org, open_space, "Calibrage du capteur", "")
    assert titles(org.learner, "calibrage") == ["Calibrage du capteur"]
    question.title = "Étalonnage du capteur"
    question.save()
    index_post(question)
    assert titles(org.learner, "calibrage") == []
    assert titles(org.learner, "étalonnage") == ["Étalonnage du capteur"]
    Reply.objects.create(post=question, author=org.manager, body="Use the torque wrench")
    index_post(question)
    assert titles(org.learner, "wrenches") == ["Étalonnage du capteur"]
    question.delete()
    assert titles(org.learner, "étalonnage") == []


def test_aar_fields_are_searched(org: Org, open_space: Community) -> None:
    post(
        org,
        open_space,
        "Retour d'expérience",
        "",
        kind=Post.Kind.EXPERIENCE,
        intended="livrer",
        happened="panne",
        why="roulement usé",
        next_time="graisser chaque semaine",
    )
    assert titles(org.learner, "roulements graisser") == ["Retour d'expérience"]


def test_filters_by_community_and_kind(org: Org, open_space: Community) -> None:
    other = community("impression")
    post(org, open_space, "Encre et extrusion", "")
    post(org, other, "Encre sur film", "")
    post(org, other, "Encre : notre retour", "", kind=Post.Kind.EXPERIENCE)
    assert titles(org.learner, "encre", community=open_space) == ["Encre et extrusion"]
    assert titles(org.learner, "encre", kind=Post.Kind.EXPERIENCE) == ["Encre : notre retour"]
    assert len(titles(org.learner, "encre")) == 3


def test_pagination_counts_and_slices(org: Org, open_space: Community) -> None:
    for i in range(7):
        post(org, open_space, f"Palette {i}", "")
    found = search_posts(org.learner, "palettes")
    assert found.count() == 7
    assert len(list(found[:3])) == 3
    assert len(list(found[6:10])) == 1
    assert all(hasattr(p, "relevance") for p in found[:3])


def test_similar_questions_answered_first(org: Org, open_space: Community) -> None:
    open_q = post(org, open_space, "Comment régler la tension de la bobineuse ?", "")
    answered = post(org, open_space, "Tension bobineuse trop forte", "")
    Reply.objects.create(post=answered, author=org.manager, body="Réduire le frein")
    solved = post(org, open_space, "Réglage de la tension film", "", solved_at=timezone.now())
    post(org, open_space, "Tension de bobine : retour", "", kind=Post.Kind.EXPERIENCE)
    found = similar_questions(org.learner, "tension bobineuse")
    assert [p.title for p in found[:2]] == [answered.title, solved.title] or [
        p.title for p in found[:2]
    ] == [solved.title, answered.title]
    assert found[-1] == open_q
    assert [p.answered for p in found] == [True, True, False]
    assert similar_questions(org.learner, "te") == []
    assert similar_questions(org.learner, "la le") == []
    assert len(similar_questions(org.learner, "tension", limit=1)) == 1


def test_similar_questions_respect_access(org: Org) -> None:
    closed = community("secret-lab", Community.Access.REQUEST)
    post(org, closed, "Formulation du mélange maître", "", solved_at=timezone.now())
    assert similar_questions(org.learner, "formulation mélange") == []


def test_analysis_is_the_same_for_documents_and_queries() -> None:
    assert analyse("Réglages") == analyse("reglage")
    assert query_stems("Réglages préventifs") == query_stems("reglage preventif")
    assert analyse("le la les") == ""


def test_raw_search_is_the_engine_alone(org: Org, open_space: Community) -> None:
    made = post(org, open_space, "Extrudeuse bloquée", "")
    assert raw_search("extrudeuses", 10) == [made.pk]
    assert raw_search("", 10) == []


def test_the_engine_is_the_database_s_own() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                "'communities_post_fts_%' ORDER BY name"
            )
            assert [r[0] for r in cursor.fetchall()] == [
                "communities_post_fts_delete",
                "communities_post_fts_insert",
                "communities_post_fts_update",
            ]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'communities_post_search_gin'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "to_tsvector" in definition
