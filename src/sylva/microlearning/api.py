"""The microlearning API, mounted by sylva.core.api at /api/v1/learn/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.core.errors import NotFound
from sylva.core.web import Pages, require_perm
from sylva.microlearning.models import Card, Duel, Module, OrgMemorySettings, TeamChallenge
from sylva.microlearning.present import markdown
from sylva.microlearning.queries import analytics
from sylva.microlearning.queries import challenges as challenge_queries
from sylva.microlearning.queries import memory as memory_queries
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.schemas import (
    AnswerIn,
    AnswerOut,
    DuelAnswerIn,
    DuelIn,
    DuelOut,
    DuelResultOut,
    ImportPlanOut,
    MasteryOut,
    ModuleOut,
    ModuleStatsOut,
    ModuleTextIn,
    SettingsIn,
    SettingsOut,
    TeamScoreOut,
    TodayOut,
)
from sylva.microlearning.services import answers, challenges, content
from sylva.microlearning.services.answers import shown_order
from sylva.people.models import Person, Team
from sylva.people.teamview import can_view_team
from sylva.people.web import current_person

router = Router(tags=["microlearning"])


@router.get("/today", response=TodayOut, summary="My rendez-vous of today")
def get_today(request: HttpRequest) -> Any:
    queue = today_queries.today(current_person(request))
    return {
        "day": queue.day,
        "paused": queue.paused,
        "done": queue.done,
        "streak": queue.streak,
        "answered_today": queue.answered_today,
        "due_count": queue.due_count,
        "new_count": queue.new_count,
        "cards": queue.cards,
        "served": answers.served_token(queue.person),
    }


@router.post(
    "/answers",
    response={200: AnswerOut, 201: AnswerOut},
    summary="Answer one of today's cards (idempotent by answer_id)",
    url_name="learn_answers",
)
def post_answer(request: HttpRequest, payload: AnswerIn) -> Any:
    result = answers.answer_card(
        person=current_person(request),
        card_id=payload.card_id,
        answer_id=payload.answer_id,
        response=payload.response,
        duration_ms=payload.duration_ms,
        answered_at=payload.answered_at,
        served=payload.served,
    )
    memory = result.card.memories.filter(person_id=result.review.person_id).first()
    body = {
        "answer_id": result.review.answer_id,
        "card_id": result.card.pk,
        "correct": result.review.correct,
        "rating": result.review.rating,
        "duplicate": result.duplicate,
        "completed_today": result.completed_today,
        "explanation": result.card.explanation,
        "explanation_html": str(markdown(result.card.explanation)),
        "correct_options": answers.public_correct(result.card),
        "next_due": memory.due if memory else None,
    }
    return Status(200 if result.duplicate else 201, body)


@router.post("/pause", response={204: None}, summary="Pause my rendez-vous (holidays)")
def post_pause(request: HttpRequest) -> Any:
    answers.pause(person=current_person(request))
    return Status(204, None)


@router.post("/resume", response={204: None}, summary="Resume my rendez-vous")
def post_resume(request: HttpRequest) -> Any:
    answers.resume(person=current_person(request))
    return Status(204, None)


@router.get("/modules", response=list[ModuleOut], summary="Published modules")
@paginate(Pages)
def list_modules(request: HttpRequest, language: str | None = None) -> Any:
    qs = Module.objects.filter(status=Module.Status.PUBLISHED).select_related("author")
    if language:
        qs = qs.filter(language=language)
    return qs.prefetch_related("skills").order_by("title", "pk")


@router.get("/modules/{code}/text", summary="A module as Markdown with front matter")
def module_text(request: HttpRequest, code: str) -> HttpResponse:
    module = get_object_or_404(Module, code=code)
    if not module.is_published and not content.may_edit(
        current_person(request), request.user, module
    ):
        raise NotFound(_("No such module."))
    if not answers.may_see_answers(
        person=current_person(request), user=request.user, module=module
    ):
        raise PermissionDenied(_("Only those who write or review modules read their text."))
    return HttpResponse(content.export_text(module), content_type="text/markdown; charset=utf-8")


@router.post(
    "/modules/import",
    response={200: ModuleOut},
    summary="Create or update a module from its text (all or nothing; errors name the line)",
)
def import_module(request: HttpRequest, payload: ModuleTextIn) -> Any:
    require_perm(request, "microlearning.author_module")
    return content.save_text(
        author=current_person(request), user=request.user, text=payload.text, token=payload.token
    )


@router.post(
    "/modules/import/preview",
    response={200: ImportPlanOut},
    summary="What importing a module's text would change; nothing is written",
)
def preview_import(request: HttpRequest, payload: ModuleTextIn) -> Any:
    require_perm(request, "microlearning.author_module")
    plan = content.preview_text(
        author=current_person(request), user=request.user, text=payload.text
    )
    return plan.as_dict()


@router.get("/memory", response=list[MasteryOut], summary="My retrievability per skill")
def my_memory(request: HttpRequest) -> Any:
    return memory_queries.knowledge_map(current_person(request))


@router.get(
    "/teams/{team_id}/memory",
    response=list[MasteryOut] | None,
    summary="A team's retrievability per skill (null under 5 people)",
)
def team_memory(request: HttpRequest, team_id: int) -> Any:
    team = get_object_or_404(Team, pk=team_id)
    if not can_view_team(request.user, current_person(request), team):
        raise PermissionDenied(_("Only this team's manager and learning animators see this."))
    return memory_queries.team_map(team)


def _duel_out(duel: Duel, person: Person, *, serve: bool = True) -> dict[str, Any]:
    """The duel as ``person`` sees it; the next question given here is served (timed),
    unless ``serve`` is False (right after an answer: none is given)."""
    if serve:
        play, card = challenges.serve_question(duel=duel, person=person)
    else:
        play, card = challenges.play_of(duel, person), None
    outcome = challenges.duel_outcome(duel)
    return {
        "id": duel.pk,
        "module": duel.module.code,
        "challenger_id": duel.challenger_id,
        "opponent_id": duel.opponent_id,
        "questions": len(duel.card_ids),
        "my_score": play.score,
        "my_answers": len(challenges.answered(play)),
        "finished": outcome["finished"],
        "winner_id": outcome["winner"].pk if outcome["winner"] else None,
        "next_card": card,
        "state": duel.state,
        "expires_at": duel.expires_at,
        "turn": challenge_queries.duel_turn(duel, person),
    }


def _client_response(card: Card, response: Any) -> list[int]:
    """A graded answer as the client gave it: option indexes, or an ordering's items as
    their shown positions (the answer is stored as the items' own indexes)."""
    if not isinstance(response, list):
        return []
    if card.kind == Card.Kind.ORDERING:
        order = shown_order(card)
        return [order.index(i) for i in response]
    return [int(i) for i in response]


def _feedback(duel: Duel, card: Card, entry: dict[str, Any]) -> dict[str, Any]:
    """The feedback of one graded answer of the caller (never call it for another one)."""
    return {
        "card_id": card.pk,
        "number": duel.card_ids.index(card.pk) + 1,
        "correct": bool(entry.get("correct")),
        "points": int(entry.get("points", 0)),
        "response": _client_response(card, entry.get("response")),
        "correct_options": answers.public_correct(card),
        "explanation": card.explanation,
        "explanation_html": str(markdown(card.explanation)),
    }


@router.post("/duels", response={201: DuelOut}, summary="Challenge a colleague on a module")
def start_duel(request: HttpRequest, payload: DuelIn) -> Any:
    me = current_person(request)
    opponent = Person.objects.filter(pk=payload.opponent_id).select_related("user").first()
    if opponent is None:
        raise NotFound(_("No such colleague."), field="opponent_id")
    module = Module.objects.filter(code=payload.module).first()
    if module is None:
        raise NotFound(_("No such module."), field="module")
    duel = challenges.start_duel(challenger=me, opponent=opponent, module=module)
    return Status(201, _duel_out(duel, me))


@router.get("/duels/{duel_id}", response=DuelOut)
def get_duel(request: HttpRequest, duel_id: int) -> Any:
    return _duel_out(get_object_or_404(Duel, pk=duel_id), current_person(request))


@router.post(
    "/duels/{duel_id}/accept", response=DuelOut, summary="Accept a duel I am challenged to"
)
def accept_duel(request: HttpRequest, duel_id: int) -> Any:
    me = current_person(request)
    duel = challenges.accept_duel(person=me, duel=get_object_or_404(Duel, pk=duel_id))
    return _duel_out(duel, me)


@router.post(
    "/duels/{duel_id}/decline", response=DuelOut, summary="Decline a duel I am challenged to"
)
def decline_duel(request: HttpRequest, duel_id: int) -> Any:
    me = current_person(request)
    duel = challenges.decline_duel(person=me, duel=get_object_or_404(Duel, pk=duel_id))
    return _duel_out(duel, me)


@router.post("/duels/{duel_id}/answers", response=DuelOut)
def answer_duel(request: HttpRequest, duel_id: int, payload: DuelAnswerIn) -> Any:
    me, duel = current_person(request), get_object_or_404(Duel, pk=duel_id)
    play = challenges.answer_duel(
        person=me,
        duel=duel,
        card_id=payload.card_id,
        response=payload.response,
        duration_ms=payload.duration_ms,
    )
    card = Card.everything.select_related("module").get(pk=payload.card_id)
    body = _duel_out(duel, me, serve=False)
    body["answer"] = _feedback(duel, card, play.answers[str(card.pk)])
    return body


@router.get(
    "/duels/{duel_id}/result",
    response=DuelResultOut,
    summary="My duel question by question; the other player's results once both finished",
)
def duel_result(request: HttpRequest, duel_id: int) -> Any:
    me = current_person(request)
    duel = get_object_or_404(
        Duel.objects.select_related("module").prefetch_related("plays"), pk=duel_id
    )
    if duel.side(me) is None:
        raise PermissionDenied(_("This duel is between two other colleagues."))
    outcome = challenges.duel_outcome(duel)
    mine_is_challenger = me.pk == duel.challenger_id
    mine = outcome["challenger"] if mine_is_challenger else outcome["opponent"]
    theirs = outcome["opponent"] if mine_is_challenger else outcome["challenger"]
    return {
        "id": duel.pk,
        "questions": len(duel.card_ids),
        "finished": outcome["finished"],
        "winner_id": outcome["winner"].pk if outcome["winner"] else None,
        "my_score": mine.score,
        "their_score": theirs.score if outcome["finished"] else None,
        "recap": [
            {
                **_feedback(duel, line.card, line.mine),
                "card": line.card,
                "theirs": None
                if line.theirs is None
                else {
                    "correct": bool(line.theirs.get("correct")),
                    "points": int(line.theirs.get("points", 0)),
                },
            }
            for line in challenge_queries.answered_recap(duel, me)
        ],
    }


@router.get("/team-challenges/{challenge_id}/scores", response=list[TeamScoreOut])
def team_scores(request: HttpRequest, challenge_id: int) -> Any:
    item = get_object_or_404(TeamChallenge, pk=challenge_id)
    return [
        {
            "team_id": s.team.pk,
            "team": s.team.name,
            "members": s.members,
            "score": s.score,
            "rank": s.rank,
        }
        for s in challenge_queries.team_scores(item)
    ]


@router.get("/analytics/modules/{code}", response=ModuleStatsOut)
def module_stats(request: HttpRequest, code: str) -> Any:
    require_perm(request, "microlearning.view_learning_analytics")
    stats = analytics.module_stats(get_object_or_404(Module, code=code))
    return {
        "code": stats.module.code,
        "reached": stats.reached,
        "completed": stats.completed,
        "completion_rate": stats.completion_rate,
        "correct_rate": stats.correct_rate,
        "hidden": stats.hidden,
        "questions": [
            {
                "card_id": q.card.pk,
                "title": q.card.title,
                "answers": q.answers,
                "people": q.people,
                "correct_rate": q.correct_rate,
                "most_chosen_wrong_answer": q.top_wrong,
                "first_answer_correct_rate": q.first_rate,
                "latest_answer_correct_rate": q.latest_rate,
            }
            for q in stats.questions
        ],
    }


def _settings_out(row: OrgMemorySettings) -> dict[str, Any]:
    return {
        "desired_retention": row.desired_retention,
        "fitted": bool(row.parameters),
        "fitted_at": row.fitted_at,
        "fitted_reviews": row.fitted_reviews,
        "log_loss_default": row.log_loss_default,
        "log_loss_fitted": row.log_loss_fitted,
    }


@router.get("/settings", response=SettingsOut, summary="Spaced-repetition settings")
def get_settings(request: HttpRequest) -> Any:
    return _settings_out(OrgMemorySettings.current())


@router.put("/settings", response=SettingsOut)
def put_settings(request: HttpRequest, payload: SettingsIn) -> Any:
    require_perm(request, "microlearning.configure_memory")
    return _settings_out(answers.set_desired_retention(retention=payload.desired_retention))
