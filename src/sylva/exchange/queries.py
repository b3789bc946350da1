"""Reads of the exchange network that are more than a filter. Other apps (insights) call
these, never the models; nothing here returns a message or a review's texts (what was
learned, the next step). A story is different: its author wrote it for others and chose to
share it (:func:`shared_stories`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sylva.exchange.models import (
    Exchange,
    ExchangeSettings,
    Fair,
    MatchRun,
    Offer,
    Proposal,
    Request,
    Review,
)
from sylva.people.models import Department, Person, PersonSkill, Site, Skill, SkillDomain
from sylva.people.queries import MAX_WORDS, SEARCH_LENGTH
from sylva.people.text import fold

LIVE = (Offer.State.OPEN, Offer.State.PAUSED)


def joined_filter(prefix: str = "person") -> Q:
    """People who joined the network: at least one offer and one request (when the
    organisation asks for it)."""
    if not ExchangeSettings.load().joining_requires_both:
        return Q()
    return Q(
        Exists(Offer.objects.filter(person=OuterRef(prefix), state__in=LIVE)),
        Exists(Request.objects.filter(person=OuterRef(prefix), state__in=LIVE)),
    )


def has_joined(person: Person) -> bool:
    if not ExchangeSettings.load().joining_requires_both:
        return True
    return (
        Offer.objects.filter(person=person, state__in=LIVE).exists()
        and Request.objects.filter(person=person, state__in=LIVE).exists()
    )


def board_offers() -> QuerySet[Offer]:
    """Open offers of active people who joined the network."""
    return (
        Offer.objects.filter(state=Offer.State.OPEN, person__user__is_active=True)
        .filter(joined_filter())
        .select_related("person__team__department", "site")
        .prefetch_related("skills__domain")
    )


def board_requests() -> QuerySet[Request]:
    """Open, unexpired requests of active people who joined the network."""
    return (
        Request.objects.filter(
            state=Request.State.OPEN,
            expires_at__gt=timezone.now(),
            person__user__is_active=True,
        )
        .filter(joined_filter())
        .select_related("person__team__department", "site")
        .prefetch_related("skills__domain")
    )


@dataclass(frozen=True)
class BoardFilter:
    q: str = ""
    skill: Skill | None = None
    domain: SkillDomain | None = None
    site: Site | None = None
    format: str = ""
    department: Department | None = None
    language: str = ""  # "fr", "en"; empty: every language

    @property
    def active(self) -> bool:
        return bool(
            self.q
            or self.skill
            or self.domain
            or self.site
            or self.format
            or self.department
            or self.language
        )


def _matching_words(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    """The postings of ``qs`` that every word of ``q`` names, in their description or in
    one of their skills (French or English name, or code), accent- and case-blind as the
    directory's search: words, descriptions and skill names folded by ``people.text.fold``
    (the directory's own), so that « electricite » finds « Électricité » on SQLite and
    PostgreSQL alike. One query reads the candidates' texts and skill names."""
    words = tuple(dict.fromkeys(fold(q[:SEARCH_LENGTH]).split()))[:MAX_WORDS]
    if not words:
        return qs
    rows = qs.model.objects.filter(pk__in=qs.values("pk")).values_list(
        "pk", "text", "skills__name_fr", "skills__name_en", "skills__code"
    )
    texts: dict[int, list[str]] = {}
    for pk, text, name_fr, name_en, code in rows:
        parts = texts.setdefault(pk, [fold(text)])
        if code:
            parts.append(fold(f"{name_fr} {name_en} {code}"))
    found = [pk for pk, parts in texts.items() if all(any(w in p for p in parts) for w in words)]
    return qs.filter(pk__in=found)


def filter_board(qs: QuerySet[Any], f: BoardFilter) -> QuerySet[Any]:
    """The board's postings that match every filter given; words (``q``) accent- and
    case-blind (:func:`_matching_words`)."""
    if f.skill:
        qs = qs.filter(skills=f.skill)
    if f.domain:
        qs = qs.filter(skills__domain=f.domain)
    if f.site:
        qs = qs.filter(site=f.site)
    if f.format in ("in_person", "phone", "video"):
        qs = qs.filter(**{f.format: True})
    if f.department:
        qs = qs.filter(person__team__department=f.department)
    if f.language:
        qs = qs.filter(language=f.language)
    if f.q:
        qs = _matching_words(qs.distinct(), f.q)
    return qs.distinct().order_by("-created_at", "-pk")


def my_offers(person: Person) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(person=person)
        .exclude(state=Offer.State.CLOSED)
        .select_related("site")
        .prefetch_related("skills")
    )


def my_requests(person: Person) -> QuerySet[Request]:
    return (
        Request.objects.filter(person=person)
        .exclude(state=Request.State.CLOSED)
        .select_related("site")
        .prefetch_related("skills")
    )


def members() -> QuerySet[Person]:
    """The network's members: active people with an offer or a request open or paused."""
    return Person.objects.filter(user__is_active=True).filter(
        Q(Exists(Offer.objects.filter(person=OuterRef("pk"), state__in=LIVE)))
        | Q(Exists(Request.objects.filter(person=OuterRef("pk"), state__in=LIVE)))
    )


def _review_authors() -> Prefetch:
    """Who reviewed each exchange (for whose turn it is): the authors only, never the texts."""
    return Prefetch("reviews", queryset=Review.objects.only("pk", "exchange_id", "author_id"))


def my_exchanges(person: Person) -> QuerySet[Exchange]:
    return with_offer_places(
        Exchange.objects.filter(Q(teacher=person) | Q(learner=person))
        .select_related("teacher__team__department", "learner__team__department", "skill__domain")
        .prefetch_related(_review_authors())
        .order_by("-updated_at", "-pk")
    )


def with_offer_places(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Each exchange with what its offer's capacity needs for :func:`whose_turn`, in the same
    query (a list of exchanges costs no query per row): ``offer_capacity``, ``offer_used``
    (acceptances counted over the last 30 days) and ``offer_first_counted`` (the oldest of
    them, whose place frees first)."""
    counted = Exchange.objects.filter(
        offer_id=OuterRef("offer_id"), state__in=ACTIVE, accepted_at__gte=capacity_window_start()
    )
    return exchanges.annotate(
        offer_capacity=F("offer__capacity"),
        offer_used=Subquery(
            counted.order_by().values("offer_id").annotate(n=Count("pk")).values("n")[:1]
        ),
        offer_first_counted=Subquery(counted.order_by("accepted_at").values("accepted_at")[:1]),
    )


# --- whose turn it is -------------------------------------------------------------------

MINE, THEIRS = "mine", "theirs"


class Turn(NamedTuple):
    """Whose move it is in an exchange, for one of its two people: ``side`` is "mine" (they
    must act), "theirs" (they wait on the other) or None (nobody's, or it is over);
    ``action`` the next step ("accept", "schedule", "confirm", "held", "review", or
    "no_place": proposed on an offer full this month, whose next steps replace the Accept
    that cannot work), ``label`` what the page says, in the active language."""

    side: str | None
    action: str
    label: str


NOBODY = Turn(None, "", "")


def _mine(action: str) -> Turn:
    labels = {
        "accept": _("Your turn: accept or decline"),
        "schedule": _("Your turn: agree the date"),
        "confirm": _("Your turn: confirm or reschedule"),
        "held": _("Your turn: say whether it took place"),
        "review": _("Your turn: write your review"),
    }
    return Turn(MINE, action, labels[action])


def _theirs(action: str, other: Person) -> Turn:
    labels = {
        "accept": _("Their turn: waiting on %(name)s to accept"),
        "confirm": _("Their turn: waiting on %(name)s to confirm"),
        "held": _("Their turn: waiting on %(name)s to say it took place"),
        "review": _("Their turn: waiting on %(name)s's review"),
    }
    return Turn(THEIRS, action, labels[action] % {"name": other.full_name})


def no_place_label(next_place: datetime | None) -> str:
    """The turn line of an exchange proposed on a full offer: until when, and where to go."""
    if next_place:
        day = date_format(timezone.localtime(next_place), "DATE_FORMAT")
        return _("No place on this offer until %(date)s: see the next steps") % {"date": day}
    return _("No place on this offer this month: see the next steps")


def _full_offer_turn(exchange: Exchange, turn: Turn) -> Turn:
    """``turn`` (someone's "accept"), or its "no_place" form when the offer is full."""
    if turn.side is None or exchange.offer_id is None:
        return turn
    if hasattr(exchange, "offer_used"):  # read with its list (with_offer_places)
        capacity, used = getattr(exchange, "offer_capacity", 0), exchange.offer_used or 0
        if capacity - used > 0:
            return turn
        first = getattr(exchange, "offer_first_counted", None)
        return Turn(
            turn.side, "no_place", no_place_label(first + timedelta(days=30) if first else None)
        )
    offer = Offer.objects.filter(pk=exchange.offer_id).first()
    if offer is None or places_left(offer) > 0:
        return turn
    return Turn(turn.side, "no_place", no_place_label(next_place_at(offer)))


def _mine_or_theirs(action: str, mine: bool, theirs: bool, other: Person) -> Turn:
    """My move when I have not done ``action``, theirs when only they have not."""
    if not mine:
        return _mine(action)
    return _theirs(action, other) if not theirs else NOBODY


def _scheduled_turn(exchange: Exchange, person: Person, now: datetime) -> Turn:
    is_teacher = person.pk == exchange.teacher_id
    other = exchange.other(person)
    if exchange.starts_at is None or exchange.ends_at is None:
        return NOBODY
    if exchange.starts_at > now:
        mine, theirs = exchange.teacher_confirmed, exchange.learner_confirmed
        if not is_teacher:
            mine, theirs = theirs, mine
        return _mine_or_theirs("confirm", mine, theirs, other)
    if exchange.ends_at > now:
        return NOBODY  # under way
    return _mine_or_theirs("held", exchange.held_by(person), exchange.held_by(other), other)


def whose_turn(exchange: Exchange, person: Person, *, now: datetime | None = None) -> Turn:
    """Whose move it is in ``exchange`` for ``person`` (one of its two people), and the next
    action's label: the one rule the pages, the API and the inbox read."""
    now = now or timezone.now()
    other = exchange.other(person)
    state = exchange.state
    if state == Exchange.State.PROPOSED:
        mine, theirs = exchange.teacher_accepted, exchange.learner_accepted
        if person.pk != exchange.teacher_id:
            mine, theirs = theirs, mine
        return _full_offer_turn(exchange, _mine_or_theirs("accept", mine, theirs, other))
    if state == Exchange.State.ACCEPTED:
        return _mine("schedule")  # either of the two agrees the date
    if state == Exchange.State.SCHEDULED:
        return _scheduled_turn(exchange, person, now)
    if state == Exchange.State.HELD:
        authors = {review.author_id for review in exchange.reviews.all()}
        return _mine_or_theirs("review", person.pk in authors, other.pk in authors, other)
    return NOBODY


def with_turns(exchanges: Any, person: Person) -> list[Exchange]:
    """The exchanges, each with ``turn`` (its :func:`whose_turn` for ``person``)."""
    now = timezone.now()
    found = list(exchanges)
    for exchange in found:
        exchange.turn = whose_turn(exchange, person, now=now)
    return found


def waiting_exchanges(person: Person) -> QuerySet[Exchange]:
    """My exchanges where somebody still has a move: under way, or held and not reviewed."""
    return my_exchanges(person).filter(state__in=(*LIVE_STATES, Exchange.State.HELD))


LIVE_STATES = (Exchange.State.PROPOSED, Exchange.State.ACCEPTED, Exchange.State.SCHEDULED)


def my_turn_count(person: Person) -> int:
    """How many of my exchanges wait on my move (what :func:`whose_turn` says "mine" for),
    in two indexed queries: a count of the moves that do not depend on the time, and the
    few scheduled exchanges of mine to weigh against the clock."""
    mine = Q(teacher=person) | Q(learner=person)
    steady = Exchange.objects.filter(mine).filter(
        Q(state=Exchange.State.ACCEPTED)
        | Q(state=Exchange.State.PROPOSED)
        & (Q(teacher=person, teacher_accepted=False) | Q(learner=person, learner_accepted=False))
        | Q(state=Exchange.State.HELD)
        & ~Exists(Review.objects.filter(exchange=OuterRef("pk"), author=person))
    )
    now = timezone.now()
    timed = 0
    rows = Exchange.objects.filter(mine, state=Exchange.State.SCHEDULED).values_list(
        "teacher_id",
        "starts_at",
        "duration_minutes",
        "teacher_confirmed",
        "learner_confirmed",
        "teacher_held_at",
        "learner_held_at",
    )
    for teacher_id, starts, minutes, t_conf, l_conf, t_held, l_held in rows:
        if starts is None:
            continue
        i_teach = teacher_id == person.pk
        if starts > now:
            timed += not (t_conf if i_teach else l_conf)
        elif starts + timedelta(minutes=minutes) <= now:
            timed += (t_held if i_teach else l_held) is None
    return steady.count() + timed


def open_fairs(person: Person | None = None) -> QuerySet[Fair]:
    """The fairs open now (for ``person``: online ones and those on their site)."""
    now = timezone.now()
    fairs = Fair.objects.filter(closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now)
    if person is not None:
        fairs = fairs.filter(Q(site__isnull=True) | Q(site_id=person.site_id))
    return fairs.select_related("site").order_by("closes_at", "pk")


def upcoming_fairs(person: Person | None = None) -> QuerySet[Fair]:
    """Fairs announced ahead, not open yet (for ``person``: online or on their site)."""
    fairs = Fair.objects.filter(closed_at__isnull=True, opens_at__gt=timezone.now())
    if person is not None:
        fairs = fairs.filter(Q(site__isnull=True) | Q(site_id=person.site_id))
    return fairs.select_related("site").order_by("opens_at", "pk")


def runs_to_review() -> QuerySet[MatchRun]:
    """Matching runs an animator still has to review: under review, with proposals pending."""
    pending = Proposal.objects.filter(run=OuterRef("pk"), state=Proposal.State.PENDING)
    return (
        MatchRun.objects.filter(state=MatchRun.State.REVIEW)
        .filter(Exists(pending))
        .annotate(pending=Count("proposals", filter=Q(proposals__state=Proposal.State.PENDING)))
        .order_by("created_at", "pk")
    )


def exchange_for(person: Person, exchange_id: int) -> Exchange:
    """An exchange its participant may open; anyone else gets DoesNotExist (404)."""
    return my_exchanges(person).get(pk=exchange_id)


# --- an offer's monthly capacity --------------------------------------------------------

# exchanges that use a slot of an offer's monthly capacity
ACTIVE = (
    Exchange.State.ACCEPTED,
    Exchange.State.SCHEDULED,
    Exchange.State.HELD,
    Exchange.State.REVIEWED,
)


def capacity_window_start() -> Any:
    return timezone.now() - timedelta(days=30)


def used_capacity(offers: QuerySet[Offer]) -> dict[int, int]:
    """Exchanges accepted on each of these offers over the last 30 days."""
    rows = (
        Exchange.objects.filter(
            offer_id__in=offers.values("pk"),
            state__in=ACTIVE,
            accepted_at__gte=capacity_window_start(),
        )
        .values("offer_id")
        .annotate(n=Count("pk"))
    )
    return {r["offer_id"]: r["n"] for r in rows}


def next_place_at(offer: Offer) -> Any:
    """When the offer's next place frees: 30 days after the oldest acceptance still counted
    (None when no acceptance counts)."""
    first = (
        Exchange.objects.filter(
            offer=offer, state__in=ACTIVE, accepted_at__gte=capacity_window_start()
        )
        .order_by("accepted_at")
        .values_list("accepted_at", flat=True)
        .first()
    )
    return first + timedelta(days=30) if first is not None else None


def places_left(offer: Offer) -> int:
    return max(
        0, offer.capacity - used_capacity(Offer.objects.filter(pk=offer.pk)).get(offer.pk, 0)
    )


def asking(offer: Offer, person: Person) -> dict[str, Any]:
    """What the offer's page shows someone who could ask for it, instead of a button that
    cannot work: their exchange already under way on it, or when a place frees."""
    live = (
        Exchange.objects.live()
        .filter(teacher_id=offer.person_id, learner=person)
        .filter(Q(offer=offer) | Q(skill__in=offer.skills.all()))
        .first()
    )
    if live is not None:
        return {"under_way": live}
    if places_left(offer) <= 0:
        return {"full": True, "next_place": next_place_at(offer)}
    return {}


def answerable_requests(person: Person, *, limit: int = 5) -> QuerySet[Request]:
    """Open requests on skills I hold at level 3 or more, from other people."""
    mine = PersonSkill.objects.filter(person=person, level__gte=3).values("skill_id")
    return (
        board_requests()
        .exclude(person=person)
        .filter(skills__in=mine)
        .distinct()
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Balance:
    given: int
    received: int
    given_minutes: int
    received_minutes: int

    @property
    def given_hours(self) -> float:
        return round(self.given_minutes / 60, 1)

    @property
    def received_hours(self) -> float:
        return round(self.received_minutes / 60, 1)

    @property
    def only_receives(self) -> bool:
        return self.received > 0 and self.given == 0


def balance(person: Person) -> Balance:
    """Reciprocity: exchanges held (and reviewed) as teacher and as learner, with their
    minutes, counted only when both participants said it took place after its scheduled end
    (``Exchange.objects.confirmed``): one person alone cannot grow the record."""
    done = Exchange.objects.confirmed()
    taught = done.filter(teacher=person).aggregate(n=Count("pk"), m=Sum("duration_minutes"))
    learned = done.filter(learner=person).aggregate(n=Count("pk"), m=Sum("duration_minutes"))
    return Balance(
        given=taught["n"] or 0,
        received=learned["n"] or 0,
        given_minutes=taught["m"] or 0,
        received_minutes=learned["m"] or 0,
    )


def exchange_counts() -> dict[str, int | None]:
    """How many exchanges are in each state (an aggregate: no person, no content).

    A state's count is ``None`` when fewer than ``SYLVA_MIN_AGGREGATE`` people take part in
    its exchanges: no aggregate is shown over fewer people.
    """
    threshold = settings.SYLVA_MIN_AGGREGATE
    rows = Exchange.objects.values("state").annotate(
        n=Count("pk"),
        teachers=Count("teacher", distinct=True),
        learners=Count("learner", distinct=True),
    )
    counts: dict[str, int | None] = {}
    for row in rows.order_by("state"):
        people = max(row["teachers"], row["learners"])
        if people < threshold <= row["teachers"] + row["learners"]:
            # few enough to count the people themselves (someone may teach and learn)
            pairs = Exchange.objects.filter(state=row["state"]).values_list("teacher", "learner")
            people = len({person for pair in pairs for person in pair})
        counts[row["state"]] = row["n"] if people >= threshold else None
    return counts


def open_request_count() -> int:
    return board_requests().count()


def open_request_authors(skill: Skill) -> QuerySet[Person]:
    """The active people with an open request on ``skill`` that no exchange answered yet
    (the requests the insights' structure lever counts; its one-click circle invites them):
    people only, nothing of the requests' texts."""
    answered = [s for s in Exchange.State.values if s != Exchange.State.DECLINED]
    authors = (
        Request.objects.filter(state=Request.State.OPEN, skills=skill)
        .exclude(Exists(Exchange.objects.filter(request=OuterRef("pk"), state__in=answered)))
        .values("person_id")
    )
    return Person.objects.filter(pk__in=authors, user__is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


@dataclass(frozen=True)
class SharedStory:
    """A story an exchange's participant wrote for others and agreed to share, with their
    name. Nothing else of the review or the exchange comes with it."""

    story: str
    author: Person
    skill: Skill | None
    date: Any  # when the review was written (datetime)
    role: str  # "teacher" or "learner"


def shared_stories(
    *, limit: int = 50, skill_id: int | None = None, author: Person | None = None
) -> list[SharedStory]:
    """Stories whose authors ticked "share in the showcase", newest first. Only the story
    column is read from the review: its confidential texts are never loaded."""
    qs = (
        Review.objects.filter(story_shared=True)
        .exclude(story="")
        .filter(author__user__is_active=True)
        .order_by("-created_at", "-pk")
    )
    if skill_id is not None:
        qs = qs.filter(exchange__skill_id=skill_id)
    if author is not None:
        qs = qs.filter(author=author)
    rows = list(
        qs.values_list(
            "story", "created_at", "author_id", "exchange__skill_id", "exchange__teacher_id"
        )[: max(0, limit)]
    )
    people = Person.objects.in_bulk({r[2] for r in rows})
    skills = Skill.objects.in_bulk({r[3] for r in rows if r[3]})
    return [
        SharedStory(
            story=story,
            author=people[author_id],
            skill=skills.get(skill) if skill else None,
            date=created,
            role="teacher" if author_id == teacher else "learner",
        )
        for story, created, author_id, skill, teacher in rows
        if author_id in people
    ]


@dataclass(frozen=True)
class RequestAnswer:
    """A request on the board and when it was first answered: the first exchange proposed
    for it that was not declined (None when there is none yet)."""

    request_id: int
    person_id: int
    skill_ids: tuple[int, ...]
    created_at: Any
    first_exchange_at: Any
    open: bool  # still open on the board (not paused, closed or expired)


def request_answers(*, since: Any = None) -> list[RequestAnswer]:
    """Every request created since ``since`` (all when None) with its skills and the time of
    its first exchange that was not declined (proposed, accepted, scheduled, held, reviewed,
    or cancelled/no-show after being accepted). No text of the request is returned."""
    answered = [s for s in Exchange.State.values if s != Exchange.State.DECLINED]
    qs = Request.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    first = (
        Exchange.objects.filter(request=OuterRef("pk"), state__in=answered)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = list(
        qs.annotate(first_at=Subquery(first)).values_list(
            "pk", "person_id", "created_at", "first_at", "state"
        )
    )
    skills: dict[int, list[int]] = {}
    through = Request.skills.through
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 5000):
        for request_id, skill_id in through.objects.filter(
            request_id__in=ids[start : start + 5000]
        ).values_list("request_id", "skill_id"):
            skills.setdefault(request_id, []).append(skill_id)
    return [
        RequestAnswer(
            request_id=pk,
            person_id=person,
            skill_ids=tuple(sorted(skills.get(pk, []))),
            created_at=created,
            first_exchange_at=first_at,
            open=state == Request.State.OPEN,
        )
        for pk, person, created, first_at, state in rows
    ]


def sharing_on_board(skill_ids: Any, person_ids: Any = None) -> set[tuple[int, int]]:
    """The (person id, skill id) pairs of the open offers on the board (active people who
    joined the network) naming one of ``skill_ids``, for ``person_ids`` when given: who
    says they are willing to share what (the communities' routing reads it). One query."""
    through = Offer.skills.through
    offers = board_offers().filter(skills__in=list(skill_ids))
    if person_ids is not None:
        offers = offers.filter(person_id__in=list(person_ids))
    rows = through.objects.filter(
        offer_id__in=offers.values("pk"), skill_id__in=list(skill_ids)
    ).values_list("offer__person_id", "skill_id")
    return {(person_id, skill_id) for person_id, skill_id in rows}
