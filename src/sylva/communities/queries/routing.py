"""Reads of the routing: who could answer a question and why, and the invitations as each
reader sees them. Nothing here writes (the services of ``services/routing.py`` do).

Who may be invited to answer a question (one rule, read by the automatic routing and by a
host's invitation by hand):

- they hold one of the question's skills at level :data:`MIN_LEVEL` (3, "mastering") or
  more, and are **willing to share** it: an open offer naming it on the exchange board (read
  through ``sylva.exchange.queries``), level 4 "can teach", or "happy to share it" ticked on
  their profile;
- they are active, may read the question, and are not its asker, nor — while
  :data:`SKIP_ASKER_MANAGER` holds — the asker's own manager (a question is not an exam);
- they have not answered it yet and are not already invited on it;
- they were invited fewer than :data:`WEEKLY_CAP` times in the last :data:`CAP_DAYS` days
  (a host may override this, with a warning).

Candidates are ranked by a score (stored on the invitation, never shown bare) and every one
carries its reasons, sentences a person reads; ties go to the least invited of the week,
then to the lowest id (the same data always gives the same invitations)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from sylva.communities.models import Community, Invitation, Membership, Post, Reply
from sylva.communities.queries import access
from sylva.core.errors import NotFound
from sylva.exchange import queries as exchange_queries
from sylva.people.models import Person, PersonSkill

#: how many colleagues Sylva invites on one question
MAX_INVITEES = 3
#: nobody is invited more than this many times in CAP_DAYS days (load spreading)
WEEKLY_CAP = 3
CAP_DAYS = 7
#: the level from which one "holds" a skill well enough to be asked ("mastering")
MIN_LEVEL = 3
#: "can teach": willing to share by definition
TEACH_LEVEL = 4
#: never invite the asker's own manager (their direct manager or their team's manager)
SKIP_ASKER_MANAGER = True

# the weights of the score (never shown: the reasons are)
_LEVEL_WEIGHT = {3: 3.0, 4: 4.0}
_EXTRA_SKILL = 1.0
_ON_BOARD = 2.0
_HAPPY = 1.0
_PER_ANSWER = 0.5
_MAX_ANSWERS = 6
_SAME_SITE = 0.5
_OTHER_DEPARTMENT = 0.75


@dataclass
class Candidate:
    """A colleague who could answer: their score, reasons and recent invitations."""

    person_id: int
    score: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    recent: int = 0  # invitations in the last CAP_DAYS days


# --- reasons ------------------------------------------------------------------------------


def _skill_reason(key: str, skill: Any, **extra: Any) -> dict[str, Any]:
    return {"key": key, "skill": skill.pk, "fr": skill.name_fr, "en": skill.name_en, **extra}


def _skill_name(reason: dict[str, Any]) -> str:
    lang = (get_language() or "fr")[:2]
    named = reason.get("en") if lang == "en" else reason.get("fr")
    return str(named or reason.get("fr") or reason.get("en") or gettext("this skill"))


def reason_text(reason: dict[str, Any]) -> str:
    """One stored reason as a sentence in the active language ("" for an unknown one)."""
    key = reason.get("key")
    skill = _skill_name(reason)
    if key == "teaches":
        return gettext("can teach %(skill)s (level 4 of 4)") % {"skill": skill}
    if key == "masters":
        return gettext("masters %(skill)s (level 3 of 4)") % {"skill": skill}
    if key == "offers":
        return gettext("offers %(skill)s on the exchange board") % {"skill": skill}
    if key == "happy":
        return gettext("is happy to share %(skill)s") % {"skill": skill}
    if key == "answered":
        n = int(reason.get("n") or 0)
        return ngettext(
            "answered %(n)d question on %(skill)s",
            "answered %(n)d questions on %(skill)s",
            n,
        ) % {"n": n, "skill": skill}
    if key == "site":
        return gettext("works on the same site (%(site)s)") % {"site": reason.get("site", "")}
    if key == "silo":
        return gettext("another department: knowledge crosses silos")
    if key == "by_host":
        return gettext("invited by %(name)s, a host of the community") % {
            "name": reason.get("name", "")
        }
    return ""


def reason_texts(reasons: Any) -> list[str]:
    return [text for text in (reason_text(r) for r in reasons or () if isinstance(r, dict)) if text]


# --- who could answer ---------------------------------------------------------------------


def managers_of(person: Person) -> set[int]:
    """The asker's own managers: their direct manager and their team's manager."""
    found = {person.manager_id} if person.manager_id else set()
    if person.team_id and person.team and person.team.manager_id:
        found.add(person.team.manager_id)
    found.discard(person.pk)
    return found


def excluded_from(post: Post) -> set[int]:
    """The people never invited on ``post``: its asker (and their managers, by default), who
    already answered it and who is already invited on it."""
    found = {post.author_id}
    if SKIP_ASKER_MANAGER:
        found |= managers_of(post.author)
    found |= set(Invitation.objects.filter(post=post).values_list("invitee_id", flat=True))
    found |= set(Reply.objects.filter(post=post).values_list("author_id", flat=True))
    return found


def recent_invitations(person_ids: Any, *, now: datetime | None = None) -> dict[int, int]:
    since = (now or timezone.now()) - timedelta(days=CAP_DAYS)
    rows = (
        Invitation.objects.filter(invitee_id__in=list(person_ids), created_at__gte=since)
        .values("invitee_id")
        .annotate(n=Count("pk"))
        .values_list("invitee_id", "n")
    )
    return dict(rows)


def _held(post: Post, skills: dict[int, Any], person_ids: Any) -> dict[int, list[Any]]:
    """Who holds which of the skills at MIN_LEVEL or more and is willing to share it:
    {person id: [(skill, level, reasons of willingness)]}."""
    rows = PersonSkill.objects.filter(
        skill_id__in=list(skills), level__gte=MIN_LEVEL, person__user__is_active=True
    ).exclude(person_id__in=excluded_from(post))
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    held = list(rows.values_list("person_id", "skill_id", "level", "willing_to_share"))
    ids = {row[0] for row in held}
    board = exchange_queries.sharing_on_board(skills, ids if len(ids) <= 500 else None)
    found: dict[int, list[Any]] = defaultdict(list)
    for person_id, skill_id, level, happy in held:
        on_board = (person_id, skill_id) in board
        if level >= TEACH_LEVEL or on_board or happy:
            found[person_id].append((skills[skill_id], level, on_board, happy))
    return found


def _answers(person_ids: Any, skills: dict[int, Any]) -> dict[tuple[int, int], int]:
    rows = (
        Reply.objects.filter(
            author_id__in=list(person_ids),
            hidden_at__isnull=True,
            post__kind=Post.Kind.QUESTION,
            post__skills__in=list(skills),
        )
        .values("author_id", "post__skills")
        .annotate(n=Count("post", distinct=True))
        .values_list("author_id", "post__skills", "n")
    )
    return {(author, skill): n for author, skill, n in rows if skill in skills}


def _score(candidate: Candidate, holds: list[Any], answers: dict[tuple[int, int], int]) -> None:
    holds = sorted(holds, key=lambda h: (-h[1], h[0].pk))
    candidate.score += _LEVEL_WEIGHT.get(holds[0][1], 0.0) + _EXTRA_SKILL * (len(holds) - 1)
    for skill, level, _on_board, _happy in holds:
        key = "teaches" if level >= TEACH_LEVEL else "masters"
        candidate.reasons.append(_skill_reason(key, skill, level=level))
    shared = [h for h in holds if h[2]]
    if shared:
        candidate.score += _ON_BOARD
        candidate.reasons.append(_skill_reason("offers", shared[0][0]))
    happy = [h for h in holds if h[3] and not h[2] and h[1] < TEACH_LEVEL]
    if happy and not shared:
        candidate.score += _HAPPY
        candidate.reasons.append(_skill_reason("happy", happy[0][0]))
    for skill, *_rest in holds:
        n = answers.get((candidate.person_id, skill.pk), 0)
        if n:
            candidate.score += _PER_ANSWER * min(n, _MAX_ANSWERS)
            candidate.reasons.append(_skill_reason("answered", skill, n=n))


def _place(candidates: dict[int, Candidate], asker: Person) -> None:
    """Same site (easy to meet) and another department (knowledge crosses silos)."""
    asker_department = asker.team.department_id if asker.team_id and asker.team else None
    rows = Person.objects.filter(pk__in=list(candidates)).values_list(
        "pk", "site_id", "site__name", "team__department_id"
    )
    for pk, site_id, site_name, department_id in rows:
        candidate = candidates[pk]
        if site_id and site_id == asker.site_id:
            candidate.score += _SAME_SITE
            candidate.reasons.append({"key": "site", "site": site_name})
        if department_id and asker_department and department_id != asker_department:
            candidate.score += _OTHER_DEPARTMENT
            candidate.reasons.append({"key": "silo"})


def _everyone_reads(post: Post) -> bool:
    community = post.community
    open_place = community is None or community.access == Community.Access.OPEN
    return post.audience == Post.Audience.EVERYONE and open_place and post.hidden_at is None


def ranked(
    post: Post,
    *,
    now: datetime | None = None,
    person_ids: Any = None,
    include_capped: bool = False,
) -> list[Candidate]:
    """Everyone who may be invited on ``post`` (of ``person_ids`` when given), best first,
    with their reasons; those at the weekly cap are left out unless ``include_capped``.
    Whether each may read the question is not checked here (see :func:`invitees`)."""
    skills = {skill.pk: skill for skill in post.skills.all()}
    if not skills or post.kind != Post.Kind.QUESTION:
        return []
    held = _held(post, skills, person_ids)
    if not held:
        return []
    recent = recent_invitations(held, now=now)
    answers = _answers(held, skills)
    candidates = {pk: Candidate(pk, recent=recent.get(pk, 0)) for pk in held}
    for pk, candidate in candidates.items():
        _score(candidate, held[pk], answers)
    _place(candidates, post.author)
    for candidate in candidates.values():
        candidate.score = round(candidate.score, 2)
    found = sorted(candidates.values(), key=lambda c: (-c.score, c.recent, c.person_id))
    return [c for c in found if include_capped or c.recent < WEEKLY_CAP]


def invitees(post: Post, *, now: datetime | None = None, limit: int = MAX_INVITEES) -> list[Any]:
    """The best ``limit`` candidates who may also read the question: [(person, candidate)]."""
    found: list[Any] = []
    candidates = ranked(post, now=now)
    everyone = _everyone_reads(post)
    people = Person.objects.select_related("user").in_bulk(
        [c.person_id for c in candidates[: max(limit * 4, 12)]]
    )
    for candidate in candidates:
        person = people.get(candidate.person_id) or Person.objects.select_related("user").get(
            pk=candidate.person_id
        )
        if everyone or access.may_read_post(person, post):
            found.append((person, candidate))
        if len(found) >= limit:
            break
    return found


def refusal(post: Post, person: Person) -> str:
    """Why ``person`` may not be invited on ``post`` by hand ("" when they may): the same
    rules as the routing's, the weekly cap aside."""
    if not person.user.is_active:
        return gettext("%(name)s no longer has an active account.") % {"name": person.full_name}
    if person.pk == post.author_id:
        return gettext("The asker cannot be invited on their own question.")
    if SKIP_ASKER_MANAGER and person.pk in managers_of(post.author):
        return gettext(
            "%(name)s is the asker's own manager: Sylva does not invite them on their team's "
            "questions."
        ) % {"name": person.full_name}
    if Reply.objects.filter(post=post, author=person).exists():
        return gettext("%(name)s has already answered this question.") % {"name": person.full_name}
    if Invitation.objects.filter(post=post, invitee=person).exists():
        return gettext("%(name)s is already invited on this question.") % {"name": person.full_name}
    if not ranked(post, person_ids=[person.pk], include_capped=True):
        return gettext(
            "%(name)s does not hold a skill of this question at level 3 or more while willing "
            "to share it (an offer on the exchange board, level 4, or happy to share it)."
        ) % {"name": person.full_name}
    if not access.may_read_post(person, post):
        return gettext(
            "%(name)s may not read this question: invite them to the community first."
        ) % {"name": person.full_name}
    return ""


# --- invitations as people see them ----------------------------------------------------------


def question_for(person: Person, post_id: int) -> Post:
    """The question ``post_id`` if ``person`` may read it (else a 404: not theirs to see)."""
    post = (
        access.readable_posts(person)
        .filter(pk=post_id, kind=Post.Kind.QUESTION)
        .select_related("community", "author__team")
        .first()
    )
    if post is None:
        raise NotFound(gettext("No such question."))
    return post


def question_url(post: Post) -> str:
    return reverse("communities:post", args=[post.pk])


def answer_url(post: Post) -> str:
    """The question's reply form (the qa area's page, its ``reply-form``)."""
    return question_url(post) + "#reply-form"


def invitations_url(post: Post) -> str:
    return reverse("communities:invitations", args=[post.pk])


def invite_url(post: Post) -> str:
    return invitations_url(post) + "#invite"


def sees_names(person: Person, post: Post) -> bool:
    """The asker, the community's hosts and moderators see who was invited and why."""
    return person.pk == post.author_id or access.may_moderate_post(person, post)


def _replied(person_field: str = "invitee") -> Exists:
    return Exists(Reply.objects.filter(post=OuterRef("post"), author=OuterRef(person_field)))


def shown_state(invitation: Invitation) -> str:
    """An invitation's state as it is: answered once its invitee replied (whoever marked
    it), closed once the question is solved, else as stored."""
    if getattr(invitation, "replied", False):
        return Invitation.State.ANSWERED
    if invitation.state == Invitation.State.PENDING and invitation.post.solved_at:
        return Invitation.State.CLOSED
    return str(invitation.state)


def state_label(state: str) -> str:
    return str(dict(Invitation.State.choices).get(state, state))


def with_states(invitations: Any) -> list[Invitation]:
    """The invitations with ``shown`` (their state), ``shown_label``, ``reason_list`` and
    the question's ``question_url`` and ``answer_url``."""
    found = list(invitations)
    for invitation in found:
        invitation.shown = shown_state(invitation)
        invitation.shown_label = state_label(invitation.shown)
        invitation.reason_list = reason_texts(invitation.reasons)
        invitation.question_url = question_url(invitation.post)
        invitation.answer_url = answer_url(invitation.post)
    return found


def of_post(post: Post) -> QuerySet[Invitation]:
    """Every invitation on ``post``, best first (whoever reads them: see :func:`sees_names`)."""
    return (
        Invitation.objects.filter(post=post)
        .annotate(replied=_replied())
        .select_related("invitee", "post", "by")
        .order_by("-score", "pk")
    )


def mine(person: Person) -> QuerySet[Invitation]:
    """My invitations, the latest first, on questions I may still read (hidden ones aside)."""
    return (
        Invitation.objects.filter(invitee=person, post__hidden_at__isnull=True)
        .annotate(replied=_replied())
        .select_related("post", "post__community", "by")
        .order_by("-created_at", "-pk")
    )


def pending(person: Person) -> QuerySet[Invitation]:
    """Invitations waiting on ``person``: not passed, not answered, the question unsolved."""
    return (
        mine(person)
        .filter(state=Invitation.State.PENDING, post__solved_at__isnull=True)
        .exclude(_replied())
        .order_by("-created_at", "-pk")
    )


def invitation_of(person: Person, invitation_id: int) -> Invitation | None:
    """``person``'s own invitation ``invitation_id`` (None when it is not theirs)."""
    return mine(person).filter(pk=invitation_id).first()


def unanswered() -> Q:
    return ~Q(Exists(Reply.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)))


def escalated_to(person: Person) -> QuerySet[Post]:
    """Escalated questions, still without an answer, in the communities ``person`` hosts."""
    hosted = Membership.objects.filter(
        person=person, state=Membership.State.ACTIVE, role=Membership.Role.HOST
    ).values("community_id")
    return (
        Post.objects.filter(
            kind=Post.Kind.QUESTION,
            community_id__in=hosted,
            escalated_at__isnull=False,
            solved_at__isnull=True,
            hidden_at__isnull=True,
        )
        .filter(unanswered())
        .select_related("community", "author")
        .order_by("escalated_at", "pk")
    )


def due_for_escalation(now: datetime, hours: int) -> QuerySet[Post]:
    """Questions of a community, unsolved, never escalated and without an answer ``hours``
    after they were asked."""
    return (
        Post.objects.filter(
            kind=Post.Kind.QUESTION,
            community__isnull=False,
            community__archived_at__isnull=True,
            solved_at__isnull=True,
            escalated_at__isnull=True,
            hidden_at__isnull=True,
            created_at__lte=now - timedelta(hours=hours),
        )
        .filter(unanswered())
        .select_related("community", "author")
        .order_by("created_at", "pk")
    )


def hosts_of(community: Community) -> QuerySet[Person]:
    return Person.objects.filter(
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role=Membership.Role.HOST,
        user__is_active=True,
    ).select_related("user")


def who_could_be_invited(post: Post, *, limit: int = 20) -> list[Any]:
    """For a host's form: colleagues who may be invited by hand, best first, with those at
    the weekly cap (flagged by their ``recent`` count): [(person, candidate)]."""
    candidates = ranked(post, include_capped=True)[:limit]
    people = Person.objects.in_bulk([c.person_id for c in candidates])
    return [(people[c.person_id], c) for c in candidates if c.person_id in people]
