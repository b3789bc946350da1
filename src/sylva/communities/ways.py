"""What the communities contribute to "Where can I learn this?" (their contract's
``ways``): the communities on the skill (open, or on request), the learning circles on it
that the reader may see (open to join, or running, with their next session), the work
situations that develop it, and how many answered questions on it the reader may read
(with a link to them). Reads through ``queries.ways`` only, which follows the area's
access rules: a private circle, a members-only community's posts, a hidden post never
reach someone who may not read them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sylva.communities.models import FORMATS, Circle, Community, WorkSituation
from sylva.communities.queries import ways as queries
from sylva.core.pillars import Way
from sylva.people.models import Person, Skill

COMMUNITIES = "communities.community"
CIRCLES = "communities.circle"
SITUATIONS = "communities.situation"
QUESTIONS = "communities.questions"
LABELS = {
    COMMUNITIES: gettext_lazy("Communities of practice"),
    CIRCLES: gettext_lazy("Learning circles"),
    SITUATIONS: gettext_lazy("Work situations that develop it"),
    QUESTIONS: gettext_lazy("Questions already answered"),
}


def _url(name: str, *args: object, query: dict[str, str] | None = None) -> str:
    """The page ``name``; the communities' home while an area's page is not there yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        url, query = reverse("communities:home"), None
    return f"{url}?{urlencode(query)}" if query else url


def _language(code: str) -> str:
    return str(dict(Person.Language.choices).get(code, "")) if code else ""


def _community(c: Community, i: int) -> Way:
    if getattr(c, "is_member", False):
        access = _("you are a member")
    elif getattr(c, "is_pending", False):
        access = _("you asked to join")
    elif c.access == Community.Access.OPEN:
        access = _("open to everyone: join in one click")
    else:
        access = _("on request: a host accepts")
    n = getattr(c, "member_count", 0)
    conditions = (
        access,
        ngettext("%(n)s member", "%(n)s members", n) % {"n": n},
        "" if getattr(c, "on_skill", False) else _("on its domain"),
        _language(c.language),
    )
    return Way(
        COMMUNITIES,
        LABELS[COMMUNITIES],
        c.name,
        _url("communities:community", c.slug),
        tuple(x for x in conditions if x),
        rank=(2 if getattr(c, "on_skill", False) else 0) - i / 100,
    )


def _circle_access(c: Circle) -> str:
    left = max(0, c.max_members - getattr(c, "active_count", 0))
    if getattr(c, "seated", False) or c.facilitator_id == getattr(c, "reader_id", None):
        return _("you are in it")
    if c.state == Circle.State.OPEN and left:
        return ngettext(
            "open to join: %(n)s place left", "open to join: %(n)s places left", left
        ) % {"n": left}
    if not left:
        return _("full")
    return _("running: ask its facilitator to join")


def _circle(c: Circle, i: int) -> Way:
    upcoming = getattr(c, "next_session", None)
    when = (
        _("next session %(when)s")
        % {"when": formats.date_format(timezone.localtime(upcoming), "DATETIME_FORMAT")}
        if upcoming
        else _("no session planned yet")
    )
    conditions = (
        _circle_access(c),
        str(dict(FORMATS).get(c.format, "")),
        _("facilitated by %(name)s") % {"name": c.facilitator.full_name},
        when,
    )
    return Way(
        CIRCLES,
        LABELS[CIRCLES],
        c.title,
        _url("communities:circle", c.pk),
        tuple(x for x in conditions if x),
        when=upcoming,
        rank=(1 if c.state == Circle.State.OPEN else 0) - i / 100,
    )


def _situation(s: WorkSituation, i: int) -> Way:
    conditions = (
        _("assigned to you") if getattr(s, "assigned", False) else _("your manager assigns it"),
        _("at work, with a tutor, then a debrief"),
        _language(s.language),
    )
    return Way(
        SITUATIONS,
        LABELS[SITUATIONS],
        s.title,
        _url("communities:situation", s.pk),
        tuple(x for x in conditions if x),
        rank=(1 if getattr(s, "assigned", False) else 0) - i / 100,
    )


def _questions(person: Person, skill: Skill) -> list[Way]:
    n = queries.answered_questions(person, skill)
    if not n:
        return []
    title = ngettext("%(n)s question answered on it", "%(n)s questions answered on it", n) % {
        "n": n
    }
    return [
        Way(
            QUESTIONS,
            LABELS[QUESTIONS],
            title,
            _url("communities:search", query={"skill": skill.code}),
            (_("read the accepted answers, or ask your own"),),
        )
    ]


def ways(person: Person, skill: Skill) -> list[Way]:
    circles = queries.circles_on(person, skill)
    for c in circles:
        c.reader_id = person.pk  # type: ignore[attr-defined]
    return [
        *(_community(c, i) for i, c in enumerate(queries.communities_on(person, skill))),
        *(_circle(c, i) for i, c in enumerate(circles)),
        *(_situation(s, i) for i, s in enumerate(queries.situations_on(person, skill))),
        *_questions(person, skill),
    ]


def asks(person: Person, skill: Skill) -> list[Way]:
    """Nobody answers yet: ask the question in the communities (it reaches who knows)."""
    return [
        Way(
            "communities.ask",
            gettext_lazy("Ask a question"),
            _("Ask a question in the communities"),
            _url("communities:ask", query={"skill": skill.code}),
            (_("colleagues who know it are invited to answer"),),
        )
    ]
