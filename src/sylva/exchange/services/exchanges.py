"""The life of an exchange, a state machine:

    proposed → accepted (both sides) | declined (with a reason)
    accepted → scheduled (modalities agreed; rescheduling stays scheduled)
    scheduled → held (once it has ended, on both sides' word) | no_show
    held → reviewed (once both sides wrote their review)
    proposed, accepted, scheduled → cancelled

Every transition writes a learning event whose actor is the person who acted (``taught``
and ``learned-from`` carry each side's own word that it took place); any other move is
refused (409) with nothing changed. Acceptance locks the offer's row, so that its last place
goes to exactly one; a unique index keeps one exchange under way per teacher, learner and
skill, whatever the concurrency.

Consent: an offer engages its author only, a request its author only; board and fair
proposals come from one of the two people; matching runs, the newcomers' welcome and
animators propose, and both people still accept or decline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import EXT_RESCHEDULED, Verb, activity
from sylva.exchange import verbs as exchange_verbs
from sylva.exchange.ics import invite
from sylva.exchange.models import USEFULNESS, Exchange, Fair, Message, Offer, Request, Review
from sylva.exchange.queries import ACTIVE, capacity_window_start, exchange_for, next_place_at
from sylva.exchange.services import notify
from sylva.exchange.services.board import check_duration
from sylva.exchange.services.notify import both, tell
from sylva.people import verbs
from sylva.people.models import Person, PersonSkill, Skill
from sylva.people.services import record_event, set_skill

S = Exchange.State


def exchange_iri(exchange: Exchange) -> str:
    return activity("exchange", exchange.pk)


def _event(exchange: Exchange, actor: Person, verb: Verb, **kwargs: Any) -> None:
    record_event(
        actor=actor,
        verb=verb,
        object_id=exchange_iri(exchange),
        object_name=exchange.skill.name_fr if exchange.skill else "",
        skill=exchange.skill,
        other=kwargs.pop("other", exchange.other(actor)),
        **kwargs,
    )


def _locked(exchange: Exchange) -> Exchange:
    return (
        Exchange.objects.select_for_update(of=("self",))
        .select_related("teacher", "learner", "skill")
        .get(pk=exchange.pk)
    )


def _participant(exchange: Exchange, person: Person) -> None:
    if not exchange.is_participant(person):
        raise Forbidden(_("Only the two people of this exchange may do this."))


def _refuse(exchange: Exchange, action: str) -> ServiceError:
    return ServiceError(
        _("This exchange is %(state)s: it cannot be %(action)s now.")
        % {"state": exchange.get_state_display(), "action": action},
        field="state",
        status=409,
    )


def _common_skill(offer: Offer | None, request: Request | None) -> Skill | None:
    offered = set(offer.skills.all()) if offer else set()
    asked = list(request.skills.all()) if request else []
    for s in asked:
        if s in offered:
            return s
    if asked:
        return asked[0]
    return next(iter(sorted(offered, key=lambda s: s.pk)), None)


class AlreadyUnderWay(ServiceError):
    """A second exchange between the same two people on the same skill: refused, pointing at
    the one under way (``exchange``)."""

    def __init__(self, message: str, *, exchange: Exchange) -> None:
        super().__init__(message, field="offer", status=409)
        self.exchange = exchange


def under_way(
    *, teacher: Person, learner: Person, skill: Skill | None, offer: Offer | None = None
) -> Exchange | None:
    """The exchange already under way between these two on this skill (or this offer)."""
    live = Exchange.objects.live().filter(teacher=teacher, learner=learner)
    same = Q(skill=skill) if skill is not None else Q(skill__isnull=True)
    if offer is not None:
        same |= Q(offer=offer)
    return live.filter(same).select_related("teacher", "learner", "skill").first()


def _already(existing: Exchange, viewer: Person | None) -> AlreadyUnderWay:
    skill = existing.skill.name if existing.skill else _("this")
    if viewer is not None and existing.is_participant(viewer):
        message = _(
            "You already have an exchange with %(name)s on %(skill)s under way (%(state)s): %(url)s"
        ) % {
            "name": existing.other(viewer).full_name,
            "skill": skill,
            "state": existing.get_state_display(),
            "url": reverse("exchange:exchange", args=[existing.pk]),
        }
    else:
        message = _(
            "%(teacher)s and %(learner)s already have an exchange on %(skill)s under way"
            " (%(state)s)."
        ) % {
            "teacher": existing.teacher.full_name,
            "learner": existing.learner.full_name,
            "skill": skill,
            "state": existing.get_state_display(),
        }
    return AlreadyUnderWay(message, exchange=existing)


def _sides(
    by: Person | None,
    offer: Offer | None,
    request: Request | None,
    teacher: Person | None,
    learner: Person | None,
) -> tuple[Person, Person]:
    """Who teaches and who learns: an offer's author teaches, a request's author learns,
    and the one proposing takes the side left."""
    teacher = teacher or (offer.person if offer else by)
    learner = learner or (request.person if request else by)
    if teacher is None or learner is None:
        raise ServiceError(_("Choose an offer or a request."), field="offer")
    return teacher, learner


def _check_postings(
    offer: Offer | None, request: Request | None, teacher: Person, learner: Person
) -> None:
    """Nobody else's posting can be used, and only open ones."""
    if offer is not None and offer.person_id != teacher.pk:
        raise Forbidden(
            _("This offer is someone else's: only its author can teach with it."), field="offer"
        )
    if request is not None and request.person_id != learner.pk:
        raise Forbidden(
            _("This request is someone else's: only its author can learn with it."),
            field="request",
        )
    for posting, name in ((offer, "offer"), (request, "request")):
        if posting is not None and posting.state != Offer.State.OPEN:
            raise ServiceError(_("This is no longer open."), field=name, status=409)


def _from_board(origin: str) -> bool:
    """Proposed by one of the two people (the board, a fair), not for them."""
    return origin in (Exchange.Origin.BOARD, Exchange.Origin.FAIR)


def check_propose(
    *,
    by: Person | None,
    offer: Offer | None,
    request: Request | None,
    teacher: Person | None,
    learner: Person | None,
    origin: str,
) -> tuple[Person, Person]:
    """The teacher and the learner of a proposal, or the refusal (nothing written)."""
    teacher, learner = _sides(by, offer, request, teacher, learner)
    _check_postings(offer, request, teacher, learner)
    if _from_board(origin) and (by is None or by.pk not in (teacher.pk, learner.pk)):
        raise Forbidden(_("Only the two people of this exchange may do this."))
    if teacher.pk == learner.pk:
        raise ServiceError(_("You cannot exchange with yourself."), field="offer")
    return teacher, learner


def do_propose(
    *,
    by: Person | None,
    offer: Offer | None,
    request: Request | None,
    teacher: Person,
    learner: Person,
    skill: Skill | None,
    origin: str,
    fair: Fair | None,
    mode: str = "",
    duration_minutes: int | None = None,
) -> Exchange:
    """Write the checked proposal (a concurrent twin meets the unique index), its events,
    and notify on commit."""
    from_board = _from_board(origin)
    source: Offer | Request | None = request or offer
    try:
        with transaction.atomic():
            exchange = Exchange.objects.create(
                teacher=teacher,
                learner=learner,
                offer=offer,
                request=request,
                skill=skill,
                origin=origin,
                fair=fair,
                teacher_accepted=from_board and by is not None and by.pk == teacher.pk,
                learner_accepted=from_board and by is not None and by.pk == learner.pk,
                duration_minutes=duration_minutes
                or (source.duration_minutes if source is not None else 60),
                mode=mode,
            )
    except IntegrityError:
        existing = under_way(teacher=teacher, learner=learner, skill=skill, offer=offer)
        if existing is None:
            raise
        raise _already(existing, by) from None
    if from_board and by is not None:
        _event(exchange, by, verbs.PROPOSED)  # the proposer's act, the other person named
    elif by is not None:
        for person in (teacher, learner):  # an animator put them in touch
            _event(exchange, by, exchange_verbs.PUT_IN_TOUCH, other=person)
    if from_board and by is not None:
        tell(exchange, notify.PROPOSED, to=[exchange.other(by)])
    else:  # put in touch: both are asked
        tell(exchange, notify.PROPOSED_FOR_YOU, to=both(exchange))
    return exchange


@transaction.atomic
def propose(
    *,
    by: Person | None,
    offer: Offer | None = None,
    request: Request | None = None,
    teacher: Person | None = None,
    learner: Person | None = None,
    skill: Skill | None = None,
    origin: str = Exchange.Origin.BOARD,
    fair: Fair | None = None,
    mode: str = "",
    duration_minutes: int | None = None,
) -> Exchange:
    """Propose an exchange on an offer (I want to learn this) or a request (I can teach this).

    An offer's author is the teacher and a request's author the learner, always: nobody
    else's posting can be used. The person proposing from the board or a fair is one of the
    two and accepts at once; run, newcomer and animator proposals (``by`` is the animator, or
    None for the system) are accepted by nobody yet: nobody is forced. An exchange at a fair
    is proposed through :func:`sylva.exchange.services.fairs.propose_at_fair`, which holds
    the fair's row lock. ``mode`` and ``duration_minutes`` are the proposer's wish (from an
    introduction's proposal page), agreed for good when the exchange is scheduled.
    """
    teacher, learner = check_propose(
        by=by, offer=offer, request=request, teacher=teacher, learner=learner, origin=origin
    )
    if mode and mode not in Exchange.Mode.values:
        raise ServiceError(_("Choose face to face, phone or video."), field="mode")
    if duration_minutes is not None:
        check_duration(duration_minutes)
    skill = skill or _common_skill(offer, request)
    existing = under_way(teacher=teacher, learner=learner, skill=skill, offer=offer)
    if existing is not None:
        raise _already(existing, by)
    return do_propose(
        by=by,
        offer=offer,
        request=request,
        teacher=teacher,
        learner=learner,
        skill=skill,
        origin=origin,
        fair=fair,
        mode=mode,
        duration_minutes=duration_minutes,
    )


def _take_place(exchange: Exchange) -> None:
    """Count this acceptance against the offer's capacity, under a lock on the offer."""
    if exchange.offer_id is None:
        return
    offer = Offer.objects.select_for_update().get(pk=exchange.offer_id)
    used = (
        Exchange.objects.filter(
            offer=offer, state__in=ACTIVE, accepted_at__gte=capacity_window_start()
        )
        .exclude(pk=exchange.pk)
        .count()
    )
    if used >= offer.capacity:
        raise ServiceError(no_place_message(offer), field="offer", status=409)


def no_place_message(offer: Offer) -> str:
    when = next_place_at(offer)
    if when is None:
        return _("This offer has no place left this month.")
    return _("This offer has no place left this month: the next one frees on %(date)s.") % {
        "date": date_format(timezone.localtime(when), "DATE_FORMAT")
    }


@transaction.atomic
def accept(*, person: Person, exchange: Exchange) -> Exchange:
    exchange = _locked(exchange)
    _participant(exchange, person)
    if exchange.state != S.PROPOSED:
        raise _refuse(exchange, _("accepted"))
    is_teacher = person.pk == exchange.teacher_id
    if exchange.teacher_accepted if is_teacher else exchange.learner_accepted:
        raise ServiceError(_("You have already accepted."), field="state", status=409)
    if is_teacher:
        exchange.teacher_accepted = True
    else:
        exchange.learner_accepted = True
    if exchange.teacher_accepted and exchange.learner_accepted:
        _take_place(exchange)
        exchange.state = S.ACCEPTED
        exchange.accepted_at = timezone.now()
    exchange.updated_at = timezone.now()
    exchange.save()
    _event(exchange, person, verbs.ACCEPTED)
    if exchange.state == S.ACCEPTED:
        tell(exchange, notify.ACCEPTED, to=[exchange.other(person)])
    else:  # the other still has to answer
        tell(exchange, notify.ACCEPTED_BY_ONE, to=[exchange.other(person)], version=person.pk)
    return exchange


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say in a few words why."), field=field)
    return check_field(Exchange, "decline_reason", reason, name=field)


def _close(
    person: Person,
    exchange: Exchange,
    reason: str,
    *,
    allowed: tuple[str, ...],
    action: str,
    state: str,
    verb: Verb,
) -> Exchange:
    """End an exchange early on one participant's word, with their reason (decline, cancel)."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    if exchange.state not in allowed:
        raise _refuse(exchange, action)
    exchange.decline_reason = _reason(reason)
    exchange.declined_by = person
    was_scheduled = exchange.state == S.SCHEDULED and exchange.starts_at is not None
    if was_scheduled:
        exchange.sequence += 1  # the cancellation supersedes the invitation
    exchange.state = state
    exchange.updated_at = timezone.now()
    exchange.save()
    _event(exchange, person, verb)
    if state == S.DECLINED:
        tell(exchange, notify.DECLINED, to=[exchange.other(person)])
    elif was_scheduled:  # both calendars drop the event
        tell(exchange, notify.CANCELLED_SCHEDULED, to=both(exchange))
    else:
        tell(exchange, notify.CANCELLED, to=[exchange.other(person)])
    return exchange


@transaction.atomic
def decline(*, person: Person, exchange: Exchange, reason: str) -> Exchange:
    return _close(
        person,
        exchange,
        reason,
        allowed=(S.PROPOSED,),
        action=_("declined"),
        state=S.DECLINED,
        verb=verbs.DECLINED,
    )


def check_schedule(
    *, exchange: Exchange, starts_at: datetime, duration_minutes: int, mode: str, place: str
) -> tuple[datetime, str]:
    """The start (made aware) and the place (stripped) of a schedule, or the refusal."""
    if exchange.state not in (S.ACCEPTED, S.SCHEDULED):
        raise _refuse(exchange, _("scheduled"))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        raise ServiceError(_("Choose a date and time in the future."), field="starts_at")
    check_duration(duration_minutes)
    if mode not in Exchange.Mode.values:
        raise ServiceError(_("Choose face to face, phone or video."), field="mode")
    place = check_field(Exchange, "place", (place or "").strip())
    if mode == Exchange.Mode.IN_PERSON and not place:
        raise ServiceError(_("Say where you will meet."), field="place")
    return starts_at, place


def do_schedule(
    *,
    person: Person,
    exchange: Exchange,
    starts_at: datetime,
    duration_minutes: int,
    mode: str,
    place: str,
) -> Exchange:
    """Save the checked modalities (both confirm again), record the event, notify on commit
    with the invitation."""
    rescheduled = exchange.state == S.SCHEDULED
    if exchange.scheduled_by_id is None:
        exchange.scheduled_by = person  # the invitation's organizer, from now on
    exchange.starts_at = starts_at
    exchange.duration_minutes = duration_minutes
    exchange.mode = mode
    exchange.place = place
    exchange.state = S.SCHEDULED
    exchange.teacher_confirmed = person.pk == exchange.teacher_id
    exchange.learner_confirmed = person.pk == exchange.learner_id
    exchange.teacher_held_at = exchange.learner_held_at = None
    exchange.reminded_before_at = None
    exchange.sequence += 1  # every change of time, place or format: calendars update
    exchange.updated_at = timezone.now()
    exchange.save()
    _event(
        exchange,
        person,
        verbs.SCHEDULED,
        result={"extensions": {EXT_RESCHEDULED: rescheduled}},
    )
    tell(exchange, notify.RESCHEDULED if rescheduled else notify.SCHEDULED, to=both(exchange))
    return exchange


@transaction.atomic
def schedule(
    *,
    person: Person,
    exchange: Exchange,
    starts_at: datetime,
    duration_minutes: int,
    mode: str,
    place: str = "",
) -> Exchange:
    """Agree the modalities (or change them: a reschedule keeps the exchange)."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    starts_at, place = check_schedule(
        exchange=exchange,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
    )
    return do_schedule(
        person=person,
        exchange=exchange,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
    )


@transaction.atomic
def confirm(*, person: Person, exchange: Exchange) -> Exchange:
    """Reconfirm a scheduled exchange (asked the day before)."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    if exchange.state != S.SCHEDULED:
        raise _refuse(exchange, _("confirmed"))
    if person.pk == exchange.teacher_id:
        exchange.teacher_confirmed = True
    else:
        exchange.learner_confirmed = True
    exchange.updated_at = timezone.now()
    exchange.save()
    return exchange


def _started(exchange: Exchange) -> None:
    if exchange.starts_at is None or exchange.starts_at > timezone.now():
        raise ServiceError(_("The exchange has not started yet."), field="state", status=409)


def _ended(exchange: Exchange) -> None:
    if exchange.ends_at is None or exchange.ends_at > timezone.now():
        raise ServiceError(
            _("It can be marked as held once it has ended, at %(time)s.")
            % {
                "time": date_format(
                    timezone.localtime(exchange.ends_at or timezone.now()), "DATETIME_FORMAT"
                )
            },
            field="state",
            status=409,
        )


@transaction.atomic
def mark_held(*, person: Person, exchange: Exchange) -> Exchange:
    """One side's word that the exchange took place, once its scheduled end has passed. It is
    held when both sides said so: only then do ``taught`` and ``learned-from`` reach the log
    and the minutes the reciprocity ledger (nobody grows their record alone)."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    if exchange.state != S.SCHEDULED:
        raise _refuse(exchange, _("marked as held"))
    if exchange.held_by(person):
        raise ServiceError(
            _("You already said it took place; waiting for %(name)s to say so too.")
            % {"name": exchange.other(person).full_name},
            field="state",
            status=409,
        )
    _ended(exchange)
    now = timezone.now()
    if person.pk == exchange.teacher_id:
        exchange.teacher_held_at = now
    else:
        exchange.learner_held_at = now
    said_by_both = exchange.teacher_held_at is not None and exchange.learner_held_at is not None
    if said_by_both:
        exchange.state = S.HELD
    exchange.updated_at = now
    exchange.save()
    if not said_by_both:
        tell(exchange, notify.HELD_BY_ONE, to=[exchange.other(person)])
        return exchange
    minutes = {"duration": f"PT{exchange.duration_minutes}M"}
    _event(exchange, exchange.teacher, verbs.TAUGHT, other=exchange.learner, result=minutes)
    _event(exchange, exchange.learner, verbs.LEARNED_FROM, other=exchange.teacher, result=minutes)
    tell(exchange, notify.HELD, to=both(exchange))
    return exchange


@transaction.atomic
def mark_no_show(*, person: Person, exchange: Exchange) -> Exchange:
    """The exchange did not take place (the other person did not come)."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    if exchange.state != S.SCHEDULED:
        raise _refuse(exchange, _("marked as missed"))
    if exchange.held_by(person):
        raise ServiceError(_("You said it took place."), field="state", status=409)
    _started(exchange)
    exchange.state = S.NO_SHOW
    exchange.updated_at = timezone.now()
    exchange.save()
    _event(exchange, person, exchange_verbs.NO_SHOW)
    tell(exchange, notify.NO_SHOW, to=[exchange.other(person)])
    return exchange


@transaction.atomic
def cancel(*, person: Person, exchange: Exchange, reason: str) -> Exchange:
    return _close(
        person,
        exchange,
        reason,
        allowed=(S.PROPOSED, S.ACCEPTED, S.SCHEDULED),
        action=_("cancelled"),
        state=S.CANCELLED,
        verb=verbs.CANCELLED,
    )


@dataclass(frozen=True)
class ReviewText:
    """A review's words, checked: stripped and within the model's limits."""

    learned: str
    next_step: str
    story: str


def _check_review_text(
    *, learned: str, next_step: str, story: str, story_shared: bool
) -> ReviewText:
    learned = (learned or "").strip()
    if not learned:
        raise ServiceError(_("Say in a few words what was learned."), field="learned")
    check_field(Review, "learned", learned)
    next_step = check_field(Review, "next_step", (next_step or "").strip())
    story = check_field(Review, "story", (story or "").strip())
    if not isinstance(story_shared, bool):
        raise ServiceError(_("Say yes or no to sharing the story."), field="story_shared")
    if story_shared and not story:
        raise ServiceError(_("Write the story you want to share first."), field="story")
    return ReviewText(learned, next_step, story)


def _check_new_level(person: Person, exchange: Exchange, new_level: int | None) -> None:
    """Only the learner raises their level in the exchange's skill, and only upwards."""
    if new_level is None:
        return
    if person.pk != exchange.learner_id:
        raise ServiceError(_("Only the learner may raise their level."), field="new_level")
    if exchange.skill is None:
        raise ServiceError(_("This exchange has no skill."), field="new_level")
    current = (
        PersonSkill.objects.filter(person=person, skill=exchange.skill)
        .values_list("level", flat=True)
        .first()
    ) or 0
    if isinstance(new_level, bool) or not current < new_level <= 4:
        raise ServiceError(
            _("Choose a level above your current one (%(level)d), up to 4.") % {"level": current},
            field="new_level",
        )


def check_review(
    *,
    person: Person,
    exchange: Exchange,
    learned: str,
    usefulness: int,
    next_step: str,
    new_level: int | None,
    story: str,
    story_shared: bool,
) -> ReviewText:
    """The review's checked words, or the refusal (nothing written)."""
    if exchange.state != S.HELD:
        raise _refuse(exchange, _("reviewed"))
    if Review.objects.filter(exchange=exchange, author=person).exists():
        raise ServiceError(_("You have already reviewed this exchange."), field="state", status=409)
    text = _check_review_text(
        learned=learned, next_step=next_step, story=story, story_shared=story_shared
    )
    if not isinstance(usefulness, int) or not USEFULNESS.holds(usefulness):
        raise ServiceError(
            _("Usefulness is a whole number from %(min)d to %(max)d.") % USEFULNESS.bounds,
            field="usefulness",
        )
    _check_new_level(person, exchange, new_level)
    return text


def do_review(
    *,
    person: Person,
    exchange: Exchange,
    text: ReviewText,
    usefulness: int,
    new_level: int | None,
    story_shared: bool,
) -> Review:
    """Save the checked review (and the learner's new level); the second review makes the
    exchange reviewed. The event carries the rating only."""
    created = Review.objects.create(
        exchange=exchange,
        author=person,
        learned=text.learned,
        usefulness=usefulness,
        next_step=text.next_step,
        story=text.story,
        story_shared=story_shared,
    )
    if new_level is not None and exchange.skill is not None:
        set_skill(person=person, skill_code=exchange.skill.code, level=new_level)
    if Review.objects.filter(exchange=exchange).count() == 2:
        exchange.state = S.REVIEWED
    exchange.updated_at = timezone.now()
    exchange.save()
    # the event carries the rating only: the texts stay between the two participants
    _event(
        exchange,
        person,
        verbs.REVIEWED,
        result={
            "score": {
                "raw": usefulness,
                "min": USEFULNESS.low,
                "max": USEFULNESS.high,
                "scaled": usefulness / USEFULNESS.high,
            }
        },
    )
    return created


@transaction.atomic
def review(
    *,
    person: Person,
    exchange: Exchange,
    learned: str,
    usefulness: int,
    next_step: str = "",
    new_level: int | None = None,
    story: str = "",
    story_shared: bool = False,
) -> Review:
    """One side's review; when both have written theirs, the exchange is reviewed. The
    learner may raise their self-declared level in the exchange's skill. Either side may add
    a story written for others, shown in the showcase only when ``story_shared``."""
    exchange = _locked(exchange)
    _participant(exchange, person)
    text = check_review(
        person=person,
        exchange=exchange,
        learned=learned,
        usefulness=usefulness,
        next_step=next_step,
        new_level=new_level,
        story=story,
        story_shared=story_shared,
    )
    return do_review(
        person=person,
        exchange=exchange,
        text=text,
        usefulness=usefulness,
        new_level=new_level,
        story_shared=story_shared,
    )


@transaction.atomic
def post_message(*, person: Person, exchange: Exchange, body: str) -> Message:
    _participant(exchange, person)
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a message first."), field="body")
    check_field(Message, "body", body)
    if exchange.state in (S.DECLINED, S.CANCELLED):
        raise _refuse(exchange, _("written to"))
    message = Message.objects.create(exchange=exchange, author=person, body=body)
    Exchange.objects.filter(pk=exchange.pk).update(updated_at=timezone.now())
    tell(exchange, notify.MESSAGE, to=[exchange.other(person)], version=message.pk)
    return message


def get_for(person: Person, exchange_id: int) -> Exchange:
    """The exchange if the person takes part in it; otherwise it does not exist for them."""
    try:
        return exchange_for(person, exchange_id)
    except Exchange.DoesNotExist:
        raise NotFound(_("No such exchange.")) from None


def invite_for(person: Person, exchange_id: int) -> tuple[Exchange, bytes]:
    """The iCalendar invite of a scheduled exchange, for its participants (pages and API):
    anyone else, no such exchange (404); not scheduled, no invite (409)."""
    exchange = get_for(person, exchange_id)
    if exchange.state != S.SCHEDULED or exchange.starts_at is None:
        raise ServiceError(_("Only a scheduled exchange has an invite."), field="state", status=409)
    return exchange, invite(exchange)


TEACH, LEARN = "teach", "learn"


def postings_between(
    *, teacher: Person, learner: Person, skill: Skill
) -> tuple[Offer | None, Request | None]:
    """What each already said on ``skill``: the teacher's open offer and the learner's open
    request on it (the newest), each their own word, or None."""
    offer = (
        Offer.objects.filter(person=teacher, state=Offer.State.OPEN, skills=skill)
        .order_by("-created_at", "-pk")
        .first()
    )
    request = (
        Request.objects.filter(
            person=learner,
            state=Request.State.OPEN,
            skills=skill,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return offer, request


def _introduced(*, by: Person, other: Person, role: str) -> tuple[Person, Person]:
    """The teacher and the learner of a proposal to a colleague, or the refusal."""
    if other.pk == by.pk:
        raise ServiceError(
            _("This introduction leads to yourself: you cannot propose an exchange to yourself."),
            field="with",
        )
    if role not in (TEACH, LEARN):
        raise ServiceError(_("Say whether you would teach or learn."), field="as")
    return (by, other) if role == TEACH else (other, by)


@transaction.atomic
def propose_to(
    *,
    by: Person,
    other: Person,
    skill: Skill,
    role: str,
    mode: str = "",
    duration_minutes: int | None = None,
    message: str = "",
) -> Exchange:
    """Propose an exchange to a colleague one was introduced to ("let's exchange"): ``by``
    teaches (``role`` "teach") or learns ``skill`` with ``other``. It goes through
    :func:`propose`, so its consent rules hold: the proposer is one of the two and has
    accepted, the other accepts or declines; the only postings used are each one's own —
    the teacher's open offer on the skill, the learner's open request on it, when they
    have one. An optional first message goes with it."""
    teacher, learner = _introduced(by=by, other=other, role=role)
    message = check_field(Message, "body", (message or "").strip())
    offer, request = postings_between(teacher=teacher, learner=learner, skill=skill)
    exchange = propose(
        by=by,
        offer=offer,
        request=request,
        teacher=teacher,
        learner=learner,
        skill=skill,
        mode=mode,
        duration_minutes=duration_minutes,
    )
    if message:
        post_message(person=by, exchange=exchange, body=message)
    return exchange
