"""Telling the people of an exchange what happened, through the notification service
(``sylva.notifications.services.notify``): composed inside the transition's transaction (a
refusal or a rollback tells nobody), sent after it commits by the notifications' worker, in
each recipient's language and time zone, on the channels they chose.

Each message carries its full content — who (the other person), what (the skill, one's
role, the format and the place: the recipients are the two participants only), when (the
start and the duration), the next action and the link to it — and, once the modalities are
agreed, an iCalendar invitation (``METHOD:REQUEST``) or its cancellation
(``METHOD:CANCEL``), built per recipient by :mod:`sylva.exchange.ics`.

Keys: ``exchange:<id>:<step>:<version>``, the version being the exchange's iCalendar
``SEQUENCE`` (or the message's id, the accepting person's id): the same transition retried
never sends twice, a reschedule (a new sequence) sends again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from sylva.exchange import ics
from sylva.exchange.models import ANIMATE, Exchange, Fair, MatchRun
from sylva.exchange.queries import members
from sylva.notifications.services import notify, notify_many, notify_team
from sylva.people.models import Person

# the facts of every message, each a line when it applies (msgids, rendered per recipient)
WITH = gettext_noop("With: %(who)s")
WHAT = gettext_noop("Skill: %(skill)s (%(role)s)")
WHEN = gettext_noop("When: %(when)s, %(duration)s minutes")
NOT_YET = gettext_noop("When: to agree together, about %(duration)s minutes")
HOW = gettext_noop("How: %(mode)s")
WHERE = gettext_noop("Where: %(place)s")
CALENDAR = gettext_noop("The invitation is attached: add it to your calendar.")
CALENDAR_CANCEL = gettext_noop("The attached cancellation removes it from your calendar.")

TEACH = gettext_lazy("you teach")
LEARN = gettext_lazy("you learn")
SOME_SKILL = pgettext_lazy("an exchange's skill, when it has none", "a skill")


@dataclass(frozen=True)
class Notice:
    """One kind of message about an exchange: its notice kind, the step named in its key,
    its subject and next action (msgids) and where on the exchange's page that action is."""

    kind: str
    step: str
    subject: str
    action: str
    anchor: str = ""
    calendar: str = ""  # ics.REQUEST or ics.CANCEL: an invitation attached
    lines: tuple[str, ...] = ()


PROPOSED = Notice(
    "exchange.proposed",
    "proposed",
    gettext_noop("%(who)s proposes an exchange on %(skill)s"),
    gettext_noop("Accept or decline"),
)
PROPOSED_FOR_YOU = Notice(
    "exchange.proposed",
    "proposed",
    gettext_noop("An exchange on %(skill)s with %(who)s is proposed to you"),
    gettext_noop("Accept or decline"),
    lines=(gettext_noop("Nobody is engaged yet: you both accept, or either declines."),),
)
ACCEPTED_BY_ONE = Notice(
    "exchange.accepted",
    "accepted-by",
    gettext_noop("%(who)s accepted the exchange on %(skill)s: your answer is awaited"),
    gettext_noop("Accept or decline"),
)
ACCEPTED = Notice(
    "exchange.accepted",
    "accepted",
    gettext_noop("%(who)s accepted the exchange on %(skill)s: agree on a date"),
    gettext_noop("Agree the date and the format"),
    anchor="#schedule",
)
DECLINED = Notice(
    "exchange.declined",
    "declined",
    gettext_noop("%(who)s declined the exchange on %(skill)s"),
    gettext_noop("See the reason and other offers"),
)
SCHEDULED = Notice(
    "exchange.scheduled",
    "scheduled",
    gettext_noop("Scheduled: %(skill)s with %(who)s, %(when)s"),
    gettext_noop("Confirm or reschedule"),
    calendar=ics.REQUEST,
    lines=(CALENDAR,),
)
RESCHEDULED = Notice(
    "exchange.rescheduled",
    "scheduled",
    gettext_noop("Rescheduled: %(skill)s with %(who)s, now %(when)s"),
    gettext_noop("Confirm or reschedule"),
    calendar=ics.REQUEST,
    lines=(gettext_noop("The date, the format or the place changed; confirm again."), CALENDAR),
)
CANCELLED = Notice(
    "exchange.cancelled",
    "cancelled",
    gettext_noop("Cancelled: the exchange on %(skill)s with %(who)s"),
    gettext_noop("See the exchange"),
)
CANCELLED_SCHEDULED = Notice(
    "exchange.cancelled",
    "cancelled",
    gettext_noop("Cancelled: the exchange on %(skill)s with %(who)s, %(when)s"),
    gettext_noop("See the exchange"),
    calendar=ics.CANCEL,
    lines=(CALENDAR_CANCEL,),
)
MESSAGE = Notice(
    "exchange.message",
    "message",
    gettext_noop("%(who)s wrote to you about the exchange on %(skill)s"),
    gettext_noop("Read and answer"),
    anchor="#messages",
)
HELD_BY_ONE = Notice(
    "exchange.held",
    "held-by",
    gettext_noop("%(who)s says your exchange on %(skill)s took place: did it?"),
    gettext_noop("Say whether it took place"),
    lines=(gettext_noop("It counts for both of you once you both said so."),),
)
HELD = Notice(
    "exchange.held",
    "held",
    gettext_noop("Your exchange on %(skill)s with %(who)s took place: write your review"),
    gettext_noop("Write my review"),
    anchor="#review",
)
NO_SHOW = Notice(
    "exchange.held",
    "no-show",
    gettext_noop("%(who)s says your exchange on %(skill)s did not take place"),
    gettext_noop("See the exchange"),
)
REMIND_BEFORE = Notice(
    "exchange.reminder",
    "remind-before",
    gettext_noop("Tomorrow: %(skill)s with %(who)s, %(when)s"),
    gettext_noop("Confirm or reschedule"),
    lines=(gettext_noop("Please confirm that it still suits you, or reschedule it."),),
)
REMIND_AFTER = Notice(
    "exchange.review",
    "remind-after",
    gettext_noop("Did your exchange on %(skill)s with %(who)s take place?"),
    gettext_noop("Say whether it took place"),
    lines=(gettext_noop("It counts once you both said so; then write your review."),),
)


def _facts(exchange: Exchange, person: Person) -> tuple[list[str], dict[str, Any]]:
    """The lines and parameters of one recipient's message: the other person, the skill
    and their role, when, how and where."""
    other = exchange.other(person)
    params: dict[str, Any] = {
        "who": other.full_name,
        "skill": exchange.skill if exchange.skill is not None else SOME_SKILL,
        "role": TEACH if person.pk == exchange.teacher_id else LEARN,
        "duration": exchange.duration_minutes,
    }
    lines = [WITH, WHAT]
    if exchange.starts_at is not None:
        params["when"] = exchange.starts_at
        lines.append(WHEN)
    else:
        lines.append(NOT_YET)
    if exchange.mode:
        params["mode"] = Exchange.Mode(exchange.mode).label
        lines.append(HOW)
    if exchange.place:
        params["place"] = exchange.place
        lines.append(WHERE)
    return lines, params


def _calendar(exchange: Exchange, person: Person, method: str) -> bytes:
    if not method or exchange.starts_at is None:
        return b""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        return ics.calendar(exchange, method)


def tell(
    exchange: Exchange,
    notice: Notice,
    *,
    to: Iterable[Person],
    version: object = None,
) -> int:
    """Tell each of ``to`` (participants of ``exchange``) what ``notice`` says, once per
    exchange, step and version (the exchange's sequence unless given); how many were
    composed now."""
    url = reverse("exchange:exchange", args=[exchange.pk]) + notice.anchor
    key = (
        f"exchange:{exchange.pk}:{notice.step}:{exchange.sequence if version is None else version}"
    )
    composed = 0
    for person in to:
        lines, params = _facts(exchange, person)
        if notice.calendar and exchange.starts_at is not None:
            lines.extend(notice.lines)
        else:
            lines.extend(line for line in notice.lines if line not in (CALENDAR, CALENDAR_CANCEL))
        composed += (
            notify(
                person,
                notice.kind,
                key=key,
                subject=notice.subject,
                lines=lines,
                params=params,
                url=url,
                action=notice.action,
                calendar=_calendar(exchange, person, notice.calendar),
            )
            is not None
        )
    return composed


def both(exchange: Exchange) -> tuple[Person, Person]:
    return exchange.teacher, exchange.learner


# --- fairs and runs: the audience, the animators, the organisation's channel -------------

FAIR_KIND = "exchange.fair"
RUN_KIND = "exchange.run"


def animators() -> Any:
    """The active people who animate the network (the permission, through a role group or
    their own)."""
    permission = Permission.objects.filter(
        content_type__app_label="exchange", codename=ANIMATE.split(".")[1]
    )
    return (
        Person.objects.filter(user__is_active=True)
        .filter(
            Q(user__groups__permissions__in=permission)
            | Q(user__user_permissions__in=permission)
            | Q(user__is_superuser=True)
        )
        .distinct()
        .select_related("user")
    )


def fair_audience(fair: Fair) -> Any:
    """Who a fair is for: the active people with an offer or a request under way on the
    board (the network's members), on the fair's site when it has one."""
    people = members()
    if fair.site_id is not None:
        people = people.filter(site_id=fair.site_id)
    return people.select_related("user")


def _fair_message(fair: Fair, opening: bool) -> dict[str, Any]:
    where = fair.site.name if fair.site is not None else gettext_lazy("online")
    params = {"title": fair.title, "when": fair.opens_at, "until": fair.closes_at, "where": where}
    if opening:
        subject = gettext_noop("The exchange fair “%(title)s” is open now, until %(until)s")
        action = gettext_noop("Join the fair")
    else:
        subject = gettext_noop("Exchange fair “%(title)s” on %(when)s")
        action = gettext_noop("See the fair")
    return {
        "subject": subject,
        "action": action,
        "lines": (
            gettext_noop("Where: %(where)s"),
            gettext_noop("From %(when)s to %(until)s"),
            gettext_noop(
                "Post what you want to learn and what you can share: matches appear live."
            ),
        ),
        "params": params,
        "url": reverse("exchange:fair", args=[fair.pk]),
    }


def tell_fair(fair: Fair, *, opening: bool) -> int:
    """Announce a fair ahead (``opening`` False) or its opening to its audience and to the
    organisation's chat channels, once each."""
    message = _fair_message(fair, opening)
    key = f"exchange:fair:{fair.pk}:{'open' if opening else 'announced'}"
    params = message.pop("params")
    notify_team(None, FAIR_KIND, key=key, params=params, **message)
    return notify_many(
        fair_audience(fair), FAIR_KIND, key=key, params_of=lambda _person: params, **message
    )


def tell_run(run: MatchRun) -> int:
    """Tell the animators a run waits on their review."""
    count = run.proposals.count()
    return notify_many(
        animators(),
        RUN_KIND,
        key=f"exchange:run:{run.pk}:review",
        subject=gettext_noop("A matching run waits on your review: %(count)s proposals"),
        lines=(
            gettext_noop("Send or reject each proposal, send them all, or discard the run."),
            gettext_noop("Reciprocity cycles: %(cycles)s"),
        ),
        params_of=lambda _person: {"count": count, "cycles": run.cycles},
        url=reverse("exchange:run", args=[run.pk]),
        action=gettext_noop("Review the run"),
    )
