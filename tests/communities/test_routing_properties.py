"""The routing's rules hold on any small company (property-based, with hypothesis).

Companies are generated over the test organisation: its people's levels in its four skills
(and whether they said they are happy to share), open offers on the exchange board, who is
inactive, how often each was already invited this week, and a few questions (asker, skills,
replies written before the routing) asked in a random order. For every invitation made:
never the asker, never the asker's manager, every invitee active, holding a skill of the
question at level 3 or more and willing to share it, nobody who already answered, at most
three per question, at least one reason, each a sentence (no bare number, in English and
French), nobody over the weekly cap whatever the order of the questions; and the same data
routes to the same invitations. Each company lives in a transaction rolled back at its end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from sylva.communities.models import Invitation, Post, Reply
from sylva.communities.queries import routing as queries
from sylva.communities.services import routing
from sylva.exchange.models import Offer, Request
from sylva.people.models import Person, PersonSkill, Skill
from tests.factories import Org

PEOPLE = (
    "expert",
    "learner",
    "manager",
    "newcomer",
    "designer",
    "animator",
    "operator0",
    "operator1",
)
SKILLS = ("extrusion-setup", "machine-safety", "excel", "facilitation")


@dataclass(frozen=True)
class QuestionSpec:
    asker: str
    skills: frozenset[str]
    replied_by: frozenset[str]  # replies written before the question is routed


@dataclass(frozen=True)
class CompanySpec:
    levels: dict[tuple[str, str], tuple[int, bool]]  # (level 0 = undeclared, happy)
    offers: frozenset[tuple[str, str]]  # open offers on the board: (person, skill)
    inactive: frozenset[str]
    busy: dict[str, int]  # invitations already this week
    questions: list[QuestionSpec]


people = st.sampled_from(PEOPLE)
questions = st.builds(
    QuestionSpec,
    asker=people,
    skills=st.frozensets(st.sampled_from(SKILLS), min_size=1, max_size=2),
    replied_by=st.frozensets(people, max_size=2),
)
companies = st.builds(
    CompanySpec,
    levels=st.dictionaries(
        st.tuples(people, st.sampled_from(SKILLS)),
        st.tuples(st.integers(min_value=0, max_value=4), st.booleans()),
        max_size=14,
    ),
    offers=st.frozensets(st.tuples(people, st.sampled_from(SKILLS)), max_size=5),
    inactive=st.frozensets(people, max_size=2),
    busy=st.dictionaries(people, st.integers(min_value=0, max_value=4), max_size=3),
    questions=st.lists(questions, min_size=1, max_size=6),
)


def _person(name: str) -> Person:
    return Person.objects.select_related("user", "team").get(user__username=name)


def _build(spec: CompanySpec) -> dict[str, int]:
    """The company of ``spec``; returns each person's invitations of this week before."""
    for (name, code), (level, happy) in spec.levels.items():
        held = PersonSkill.objects.filter(person__user__username=name, skill__code=code)
        if level == 0:
            held.delete()
        elif not held.update(level=level, willing_to_share=happy):
            PersonSkill.objects.create(
                person=_person(name),
                skill=Skill.objects.get(code=code),
                level=level,
                willing_to_share=happy,
            )
    for name, code in sorted(spec.offers):
        skill = Skill.objects.get(code=code)
        offer = Offer.objects.create(person=_person(name))
        offer.skills.set([skill])
        wish = Request.objects.create(
            person=_person(name), expires_at=timezone.now() + timedelta(days=30)
        )
        wish.skills.set([skill])
    User.objects.filter(username__in=spec.inactive).update(is_active=False)
    for name, times in spec.busy.items():
        for i in range(times):
            other = Post.objects.create(
                kind=Post.Kind.QUESTION, author=_person("admin"), title=f"before {i}"
            )
            Invitation.objects.create(post=other, invitee=_person(name))
    return {name: spec.busy.get(name, 0) for name in PEOPLE}


def _willing(person: Person, skill: Skill, held: PersonSkill, offers: Any) -> bool:
    on_board = (person.user.username, skill.code) in offers
    return held.level >= 4 or held.willing_to_share or on_board


NUMBER_ONLY = re.compile(r"^\W*\d+\W*$")


def _sentence(text: str) -> None:
    assert text.strip(), text
    assert re.search(r"[^\W\d_]{3,}", text), text
    assert not NUMBER_ONLY.match(text), text
    for leftover in ("%(", "{", "}", "None"):
        assert leftover not in text, (leftover, text)


def _check(post: Post, spec: QuestionSpec, made: list[Invitation], offers: Any) -> None:
    asker = _person(spec.asker)
    managers = queries.managers_of(asker)
    assert len(made) <= routing.MAX_INVITEES
    skills = list(post.skills.all())
    for invitation in made:
        invitee = _person(invitation.invitee.user.username)
        assert invitee.pk != asker.pk, "the asker"
        assert invitee.pk not in managers, "the asker's manager"
        assert invitee.user.is_active, "inactive"
        assert invitee.user.username not in spec.replied_by, "already answered"
        held = {
            h.skill_id: h
            for h in PersonSkill.objects.filter(person=invitee, skill__in=skills, level__gte=3)
        }
        assert any(_willing(invitee, s, held[s.pk], offers) for s in skills if s.pk in held), (
            "holds a skill of the question at 3 or more, willing"
        )
        assert invitation.reasons, "at least one reason"
        for language in ("en", "fr"):
            with override(language):
                texts = queries.reason_texts(invitation.reasons)
            assert len(texts) == len(invitation.reasons)
            for text in texts:
                _sentence(text)


def _route_all(spec: CompanySpec, order: list[int]) -> list[tuple[int, str, float, str]]:
    """Ask and route the questions in ``order``; check each; returns what was made."""
    made_all = []
    for index in order:
        q = spec.questions[index]
        post = Post.objects.create(
            kind=Post.Kind.QUESTION,
            author=_person(q.asker),
            title=f"question {index}",
            audience=Post.Audience.EVERYONE,
        )
        post.skills.set(Skill.objects.filter(code__in=q.skills))
        for name in sorted(q.replied_by):
            Reply.objects.create(post=post, author=_person(name), body="I think…")
        made = routing.route(post=post)
        note(f"question {index} ({q}): {[i.invitee.user.username for i in made]}")
        _check(post, q, made, spec.offers)
        made_all += [(index, i.invitee.user.username, i.score, repr(i.reasons)) for i in made]
    return made_all


def _check_cap(before: dict[str, int]) -> None:
    since = timezone.now() - timedelta(days=routing.CAP_DAYS)
    for name in PEOPLE:
        now = Invitation.objects.filter(invitee__user__username=name, created_at__gte=since).count()
        if before[name] >= routing.WEEKLY_CAP:
            assert now == before[name], (name, before[name], now)  # nobody adds to a full week
        else:
            assert now <= routing.WEEKLY_CAP, (name, before[name], now)


def _run(spec: CompanySpec, order: list[int]) -> list[tuple[int, str, float, str]]:
    with transaction.atomic():
        before = _build(spec)
        made = _route_all(spec, order)
        _check_cap(before)
        transaction.set_rollback(True)
    return made


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    report_multiple_bugs=False,
)
@given(companies, st.randoms(use_true_random=False))
def test_every_invitation_follows_the_rules_whatever_the_order(
    org: Org,
    spec: CompanySpec,
    rnd: Any,
) -> None:
    note(repr(spec))
    order = list(range(len(spec.questions)))
    first = _run(spec, order)
    assert _run(spec, order) == first  # the same data, the same invitations
    rnd.shuffle(order)
    _run(spec, order)  # another order: the same rules hold (checked inside)
