"""The exchange network under /api/v1/exchange/: offers, requests, exchanges and their life,
matches and matching runs. Messages and reviews are readable by an exchange's two
participants only, whatever one's role."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import Pages, require_perm
from sylva.exchange import queries
from sylva.exchange.matching_data import suggestions_for
from sylva.exchange.models import ANIMATE, Exchange, MatchRun, Offer, Proposal, Request
from sylva.exchange.schemas import (
    BalanceOut,
    ExchangeOut,
    MatchOut,
    MessageIn,
    MessageOut,
    OfferIn,
    OfferOut,
    PostingIn,
    ProposalOut,
    ProposalReviewIn,
    ProposeIn,
    ReasonIn,
    RequestIn,
    RequestOut,
    ReviewIn,
    ReviewOut,
    RunOut,
    ScheduleIn,
    StateIn,
)
from sylva.exchange.services import board as board_services
from sylva.exchange.services import exchanges as services
from sylva.exchange.services import runs as run_services
from sylva.people.models import Department, Person, Site, Skill, SkillDomain
from sylva.people.web import current_person

router = Router(tags=["exchange"])


def _lookup(model: Any, field: str, value: Any, param: str) -> Any:
    if value in (None, ""):
        return None
    obj = model.objects.filter(**{field: value}).first()
    if obj is None:
        raise ServiceError(
            _("Unknown %(param)s: %(value)r.") % {"param": param, "value": value}, field=param
        )
    return obj


class BoardQuery(Schema):
    q: str = ""
    skill: str | None = None
    domain: str | None = None
    site: str | None = None
    format: str | None = None
    department: str | None = None
    language: str | None = None


def _filter(f: BoardQuery) -> queries.BoardFilter:
    if f.format and f.format not in ("in_person", "phone", "video"):
        raise ServiceError(_("format is one of in_person, phone, video"), field="format")
    languages = [code for code, _name in settings.LANGUAGES]
    if f.language and f.language not in languages:
        raise ServiceError(
            _("language is one of %(list)s") % {"list": ", ".join(languages)}, field="language"
        )
    return queries.BoardFilter(
        language=f.language or "",
        q=f.q,
        skill=_lookup(Skill, "code", f.skill, "skill"),
        domain=_lookup(SkillDomain, "code", f.domain, "domain"),
        site=_lookup(Site, "code", f.site, "site"),
        format=f.format or "",
        department=_lookup(Department, "code", f.department, "department"),
    )


def _posting_kwargs(payload: PostingIn) -> dict[str, Any]:
    return {
        "skill_codes": payload.skills,
        "text": payload.text,
        "formats": payload.formats,
        "duration_minutes": payload.duration_minutes,
        "site": _lookup(Site, "code", payload.site, "site"),
        "slots": payload.slots,
        "language": payload.language,
    }


def _visible(model: Any, pk: int, person: Person) -> Any:
    """Who may see a posting: the pages' rule (not theirs to see: 404)."""
    return board_services.posting_for(person, model, pk)


def _mine(model: Any, pk: int, person: Person) -> Any:
    """Who may change it: the pages' rule (seen but not theirs: 403)."""
    return board_services.posting_for(person, model, pk, change=True)


# --- offers ------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], summary="Open offers on the board")
@paginate(Pages)
def list_offers(request: HttpRequest, filters: Query[BoardQuery]) -> Any:
    return queries.filter_board(queries.board_offers(), _filter(filters))


@router.get("/offers/mine", response=list[OfferOut], summary="My offers, whatever their state")
def my_offers(request: HttpRequest) -> Any:
    return list(queries.my_offers(current_person(request)))


@router.post("/offers", response={201: OfferOut}, summary="Publish an offer (I can share…)")
def create_offer(request: HttpRequest, payload: OfferIn) -> Any:
    offer = board_services.publish_offer(
        person=current_person(request),
        capacity=payload.capacity,
        levels=payload.levels,
        **_posting_kwargs(payload),
    )
    return Status(201, offer)


@router.get("/offers/{offer_id}", response=OfferOut)
def get_offer(request: HttpRequest, offer_id: int) -> Any:
    return _visible(Offer, offer_id, current_person(request))


@router.put("/offers/{offer_id}", response=OfferOut, summary="Edit my offer")
def edit_offer(request: HttpRequest, offer_id: int, payload: OfferIn) -> Any:
    me = current_person(request)
    return board_services.edit_posting(
        person=me,
        posting=_mine(Offer, offer_id, me),
        capacity=payload.capacity,
        levels=payload.levels,
        **_posting_kwargs(payload),
    )


@router.post("/offers/{offer_id}/state", response=OfferOut, summary="Pause, reopen or close")
def offer_state(request: HttpRequest, offer_id: int, payload: StateIn) -> Any:
    me = current_person(request)
    return board_services.set_state(
        person=me, posting=_mine(Offer, offer_id, me), state=payload.state
    )


# --- requests ----------------------------------------------------------------------------


@router.get("/requests", response=list[RequestOut], summary="Open requests on the board")
@paginate(Pages)
def list_requests(request: HttpRequest, filters: Query[BoardQuery]) -> Any:
    return queries.filter_board(queries.board_requests(), _filter(filters))


@router.get("/requests/mine", response=list[RequestOut], summary="My requests")
def my_requests(request: HttpRequest) -> Any:
    return list(queries.my_requests(current_person(request)))


@router.get(
    "/requests/answerable", response=list[RequestOut], summary="Requests I could answer now"
)
def answerable(request: HttpRequest) -> Any:
    return list(queries.answerable_requests(current_person(request), limit=20))


@router.post(
    "/requests", response={201: RequestOut}, summary="Publish a request (I want to learn…)"
)
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    person = current_person(request)
    return Status(
        201,
        board_services.publish_request(
            person=person,
            confirm_under_way=payload.confirm_under_way,
            **_posting_kwargs(payload),
        ),
    )


@router.get("/requests/{request_id}", response=RequestOut)
def get_request(request: HttpRequest, request_id: int) -> Any:
    return _visible(Request, request_id, current_person(request))


@router.put("/requests/{request_id}", response=RequestOut, summary="Edit my request")
def edit_request(request: HttpRequest, request_id: int, payload: PostingIn) -> Any:
    me = current_person(request)
    return board_services.edit_posting(
        person=me, posting=_mine(Request, request_id, me), **_posting_kwargs(payload)
    )


@router.post("/requests/{request_id}/state", response=RequestOut, summary="Pause, reopen, close")
def request_state(request: HttpRequest, request_id: int, payload: StateIn) -> Any:
    me = current_person(request)
    return board_services.set_state(
        person=me, posting=_mine(Request, request_id, me), state=payload.state
    )


@router.post("/requests/{request_id}/renew", response=RequestOut, summary="Renew my request")
def renew_request(request: HttpRequest, request_id: int) -> Any:
    me = current_person(request)
    return board_services.renew_request(person=me, request=_mine(Request, request_id, me))


@router.get(
    "/requests/{request_id}/matches",
    response=list[MatchOut],
    summary="The best offers for my request, each with its explanation",
)
def request_matches(
    request: HttpRequest,
    request_id: int,
    limit: int = Query(10, ge=1, le=50),
) -> Any:
    me = current_person(request)
    wanted = _visible(Request, request_id, me)
    if wanted.person_id != me.pk and not request.user.has_perm(ANIMATE):
        raise ServiceError(_("Only its author sees the matches of a request."), status=403)
    if not 1 <= limit <= 50:
        raise ServiceError(_("limit must be between 1 and 50"), field="limit")
    return [
        {"offer": s.offer, "score": round(s.score, 2), "reasons": s.reasons}
        for s in suggestions_for(wanted, limit=limit)
    ]


# --- exchanges (mine only) ----------------------------------------------------------------


@router.get("/exchanges", response=list[ExchangeOut], summary="My exchanges")
@paginate(Pages)
def list_exchanges(request: HttpRequest, state: str | None = None) -> Any:
    qs = queries.my_exchanges(current_person(request))
    if state:
        if state not in Exchange.State.values:
            raise ServiceError(_("Unknown state %(state)r.") % {"state": state}, field="state")
        qs = qs.filter(state=state)
    return qs


@router.post("/exchanges", response={201: ExchangeOut}, summary="Propose an exchange")
def propose(request: HttpRequest, payload: ProposeIn) -> Any:
    me = current_person(request)
    offer = _visible(Offer, payload.offer_id, me) if payload.offer_id else None
    wanted = _visible(Request, payload.request_id, me) if payload.request_id else None
    if offer is None and wanted is None:
        raise ServiceError(_("Give an offer_id or a request_id."), field="offer_id")
    if offer is not None and (wanted is None or wanted.person_id == me.pk):
        exchange = services.propose(by=me, offer=offer, request=wanted, learner=me)
    else:
        exchange = services.propose(by=me, offer=offer, request=wanted, teacher=me)
    return Status(201, exchange)


@router.get("/exchanges/{exchange_id}", response=ExchangeOut)
def get_exchange(request: HttpRequest, exchange_id: int) -> Any:
    return services.get_for(current_person(request), exchange_id)


def _act(request: HttpRequest, exchange_id: int, action: Any, **kwargs: Any) -> Any:
    me = current_person(request)
    action(person=me, exchange=services.get_for(me, exchange_id), **kwargs)
    return services.get_for(me, exchange_id)


@router.post("/exchanges/{exchange_id}/accept", response=ExchangeOut)
def accept(request: HttpRequest, exchange_id: int) -> Any:
    return _act(request, exchange_id, services.accept)


@router.post("/exchanges/{exchange_id}/decline", response=ExchangeOut)
def decline(request: HttpRequest, exchange_id: int, payload: ReasonIn) -> Any:
    return _act(request, exchange_id, services.decline, reason=payload.reason)


@router.post("/exchanges/{exchange_id}/schedule", response=ExchangeOut, summary="Agree modalities")
def schedule(request: HttpRequest, exchange_id: int, payload: ScheduleIn) -> Any:
    return _act(request, exchange_id, services.schedule, **payload.dict())


@router.post("/exchanges/{exchange_id}/confirm", response=ExchangeOut, summary="Reconfirm")
def confirm(request: HttpRequest, exchange_id: int) -> Any:
    return _act(request, exchange_id, services.confirm)


@router.post("/exchanges/{exchange_id}/held", response=ExchangeOut, summary="It took place")
def held(request: HttpRequest, exchange_id: int) -> Any:
    return _act(request, exchange_id, services.mark_held)


@router.post("/exchanges/{exchange_id}/no-show", response=ExchangeOut)
def no_show(request: HttpRequest, exchange_id: int) -> Any:
    return _act(request, exchange_id, services.mark_no_show)


@router.post("/exchanges/{exchange_id}/cancel", response=ExchangeOut)
def cancel(request: HttpRequest, exchange_id: int, payload: ReasonIn) -> Any:
    return _act(request, exchange_id, services.cancel, reason=payload.reason)


@router.get("/exchanges/{exchange_id}/reviews", response=list[ReviewOut])
def reviews(request: HttpRequest, exchange_id: int) -> Any:
    exchange = services.get_for(current_person(request), exchange_id)
    return list(exchange.reviews.select_related("author"))


@router.post("/exchanges/{exchange_id}/reviews", response={201: ReviewOut})
def post_review(request: HttpRequest, exchange_id: int, payload: ReviewIn) -> Any:
    me = current_person(request)
    created = services.review(
        person=me, exchange=services.get_for(me, exchange_id), **payload.dict()
    )
    return Status(201, created)


@router.get("/exchanges/{exchange_id}/messages", response=list[MessageOut])
def list_messages(request: HttpRequest, exchange_id: int) -> Any:
    exchange = services.get_for(current_person(request), exchange_id)
    return list(exchange.messages.select_related("author"))


@router.post("/exchanges/{exchange_id}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, exchange_id: int, payload: MessageIn) -> Any:
    me = current_person(request)
    created = services.post_message(
        person=me, exchange=services.get_for(me, exchange_id), body=payload.body
    )
    return Status(201, created)


@router.get(
    "/exchanges/{exchange_id}/invite.ics",
    summary="The iCalendar invite of a scheduled exchange",
    response={200: None},
)
def exchange_ics(request: HttpRequest, exchange_id: int) -> Any:
    _exchange, ics = services.invite_for(current_person(request), exchange_id)
    return HttpResponse(ics, content_type="text/calendar; charset=utf-8")


@router.get("/balance", response=BalanceOut, summary="My reciprocity balance")
def balance(request: HttpRequest) -> Any:
    return queries.balance(current_person(request))


# --- matching runs (animators) -----------------------------------------------------------


@router.get("/runs", response=list[RunOut], summary="Matching runs")
@paginate(Pages)
def list_runs(request: HttpRequest) -> Any:
    require_perm(request, ANIMATE)
    return MatchRun.objects.all()


@router.post("/runs", response={201: RunOut}, summary="Run the global matching now")
def start_run(request: HttpRequest) -> Any:
    require_perm(request, ANIMATE)
    return Status(201, run_services.run_matching(started_by=current_person(request)))


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut], summary="A run's proposals")
@paginate(Pages)
def run_proposals(request: HttpRequest, run_id: int) -> Any:
    require_perm(request, ANIMATE)
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No run with id %(run_id)s.") % {"run_id": run_id})
    return run.proposals.select_related("request__person", "offer__person")


@router.post("/runs/{run_id}/send", response=RunOut, summary="Send every pending proposal")
def send_run(request: HttpRequest, run_id: int) -> Any:
    require_perm(request, ANIMATE)
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No run with id %(run_id)s.") % {"run_id": run_id})
    run_services.send_run(run=run, by=current_person(request))
    run.refresh_from_db()
    return run


@router.post("/proposals/{proposal_id}", response=ProposalOut, summary="Send or reject one")
def review_proposal(request: HttpRequest, proposal_id: int, payload: ProposalReviewIn) -> Any:
    require_perm(request, ANIMATE)
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("No proposal with id %(proposal_id)s.") % {"proposal_id": proposal_id})
    by = current_person(request)
    return run_services.review_proposal(proposal=proposal, approve=payload.approve, by=by)


@router.get(
    "/stats",
    response=dict[str, int | None],
    summary="Exchanges by state (an aggregate; null when fewer than 5 people take part)",
)
def stats(request: HttpRequest) -> Any:
    require_perm(request, ANIMATE)
    return queries.exchange_counts()
