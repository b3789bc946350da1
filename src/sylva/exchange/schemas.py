"""The shapes of the exchange API. Exchanges carry no message or review text: those have
their own endpoints, open to the two participants only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from ninja import Field, Schema

from sylva.core.validation import limit_of
from sylva.exchange.matching_data import explain, reasons_from_json
from sylva.exchange.models import (
    CAPACITY,
    DURATION,
    MAX_SKILLS,
    USEFULNESS,
    Exchange,
    Message,
    Offer,
    Review,
)
from sylva.exchange.queries import NOBODY, whose_turn
from sylva.people.schemas import CodeRef, PersonRef, SkillOut

# each limit is the model field's (the services check the same, sylva.core.validation)
TEXT = limit_of(Offer, "text")
REASON = limit_of(Exchange, "decline_reason")
PLACE = limit_of(Exchange, "place")
LEARNED = limit_of(Review, "learned")
NEXT_STEP = limit_of(Review, "next_step")
STORY = limit_of(Review, "story")
BODY = limit_of(Message, "body")


class PostingIn(Schema):
    skills: list[str] = Field(
        ...,
        description=f"Skill codes (1 to {MAX_SKILLS})",
        json_schema_extra={"minItems": 1, "maxItems": MAX_SKILLS},
    )
    text: str = Field("", max_length=TEXT)
    formats: list[str] = Field(["in_person"], description="in_person, phone, video")
    duration_minutes: int = Field(
        60, description=f"{DURATION.low} to {DURATION.high}", json_schema_extra=DURATION.schema()
    )
    site: str | None = Field(None, description="Site code; empty for any site or remote")
    slots: list[int] = Field(
        [], description="Weekly availability: weekday × 24 + hour, weekday 0 = Monday"
    )
    language: str | None = Field(
        None,
        description="The language it is written in (fr, en); empty: the author's language",
        json_schema_extra={"enum": [code for code, _name in settings.LANGUAGES]},
    )


class OfferIn(PostingIn):
    capacity: int | None = Field(
        None,
        description=f"Exchanges a month ({CAPACITY.low}-{CAPACITY.high})",
        json_schema_extra=CAPACITY.schema(),
    )
    levels: dict[str, int] = Field(
        {},
        description=(
            "My level (1-4) in skills of this offer that my profile does not hold at 3"
            " (mastering) or more, by skill code: offering asks for 3 or 4, which is then"
            " declared on my profile"
        ),
    )


class RequestIn(PostingIn):
    confirm_under_way: bool = Field(
        False,
        description=(
            "Publish even though I already have an exchange under way on one of these"
            " skills as learner (otherwise refused with 409, naming that exchange)"
        ),
    )


class StateIn(Schema):
    state: str = Field(
        ...,
        description="open, paused or closed",
        json_schema_extra={"enum": ["open", "paused", "closed"]},
    )


class PostingOut(Schema):
    id: int
    person: PersonRef
    skills: list[SkillOut]
    text: str
    formats: list[str]
    duration_minutes: int
    site: CodeRef | None
    slots: list[int]
    state: str
    language: str
    created_at: datetime

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_formats(obj: Any) -> list[str]:
        return sorted(obj.formats)


class OfferOut(PostingOut):
    capacity: int


class RequestOut(PostingOut):
    expires_at: datetime


class MatchOut(Schema):
    offer: OfferOut
    score: float
    reasons: list[str]


class ProposeIn(Schema):
    offer_id: int | None = Field(None, description="An offer I want to learn from")
    request_id: int | None = Field(None, description="A request (mine, or one I answer)")


class ExchangeOut(Schema):
    id: int
    teacher: PersonRef
    learner: PersonRef
    skill: SkillOut | None
    offer_id: int | None
    request_id: int | None
    origin: str
    state: str
    teacher_accepted: bool
    learner_accepted: bool
    decline_reason: str
    starts_at: datetime | None
    duration_minutes: int
    mode: str
    place: str
    teacher_confirmed: bool
    learner_confirmed: bool
    teacher_held: bool = Field(
        ..., description="The teacher said it took place (held once both did)"
    )
    learner_held: bool = Field(
        ..., description="The learner said it took place (held once both did)"
    )
    created_at: datetime
    updated_at: datetime
    turn: str | None = Field(
        None,
        description='Whose move it is, for the person asking: "mine", "theirs" or null',
    )
    next_action: str = Field(
        "",
        description=(
            "The next step (accept, schedule, confirm, held, review; no_place when proposed"
            " on an offer full this month: see its next steps) or empty"
        ),
    )
    next_action_label: str = Field("", description="What the page says of it, translated")

    @staticmethod
    def _turn(obj: Any, context: Any) -> Any:
        request = (context or {}).get("request")
        person = getattr(getattr(request, "user", None), "person", None)
        if person is None or not obj.is_participant(person):
            return NOBODY
        return whose_turn(obj, person)

    @staticmethod
    def resolve_turn(obj: Any, context: Any) -> str | None:
        return ExchangeOut._turn(obj, context).side

    @staticmethod
    def resolve_next_action(obj: Any, context: Any) -> str:
        return ExchangeOut._turn(obj, context).action

    @staticmethod
    def resolve_next_action_label(obj: Any, context: Any) -> str:
        return ExchangeOut._turn(obj, context).label

    @staticmethod
    def resolve_teacher_held(obj: Any) -> bool:
        return obj.teacher_held_at is not None

    @staticmethod
    def resolve_learner_held(obj: Any) -> bool:
        return obj.learner_held_at is not None


class ReasonIn(Schema):
    reason: str = Field(
        ...,
        description=f"Why, in a few words (up to {REASON} characters)",
        json_schema_extra={"maxLength": REASON},
    )


class ScheduleIn(Schema):
    starts_at: datetime
    duration_minutes: int = Field(60, json_schema_extra=DURATION.schema())
    mode: str = Field(
        ...,
        description="in_person, phone or video",
        json_schema_extra={"enum": ["in_person", "phone", "video"]},
    )
    place: str = Field("", json_schema_extra={"maxLength": PLACE})


class ReviewIn(Schema):
    learned: str = Field(..., json_schema_extra={"maxLength": LEARNED})
    usefulness: int = Field(
        ...,
        description=f"{USEFULNESS.low} to {USEFULNESS.high}",
        json_schema_extra=USEFULNESS.schema(),
    )
    next_step: str = Field("", json_schema_extra={"maxLength": NEXT_STEP})
    new_level: int | None = Field(None, description="The learner's new level in the skill")
    story: str = Field(
        "",
        description=f"A short story written for others (at most {STORY:,} characters)",
        json_schema_extra={"maxLength": STORY},
    )
    story_shared: bool = Field(
        False, description="Show the story, with the author's name, in the insights showcase"
    )


class ReviewOut(Schema):
    id: int
    author: PersonRef
    learned: str
    usefulness: int
    next_step: str
    story: str
    story_shared: bool
    created_at: datetime


class MessageIn(Schema):
    body: str = Field(..., json_schema_extra={"maxLength": BODY})


class MessageOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: datetime


class BalanceOut(Schema):
    given: int
    received: int
    given_minutes: int
    received_minutes: int


class RunOut(Schema):
    id: int
    created_at: datetime
    state: str
    requests: int
    offers: int
    candidates: int
    total_score: float
    seconds: float
    proposals: int

    @staticmethod
    def resolve_proposals(obj: Any) -> int:
        return int(obj.proposals.count())


class ProposalOut(Schema):
    id: int
    request_id: int
    offer_id: int
    teacher: PersonRef
    learner: PersonRef
    score: float
    cycle: int | None
    state: str
    reasons: list[str]
    exchange_id: int | None

    @staticmethod
    def resolve_teacher(obj: Any) -> Any:
        return obj.offer.person

    @staticmethod
    def resolve_learner(obj: Any) -> Any:
        return obj.request.person

    @staticmethod
    def resolve_reasons(obj: Any) -> list[str]:
        return explain(reasons_from_json(obj.reasons))


class ProposalReviewIn(Schema):
    approve: bool
