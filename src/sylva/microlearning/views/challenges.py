"""Duels, team challenges and leaderboards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import Forbidden
from sylva.core.web import attempt, on_form, perm_page, redirect_next, refusals_go_to
from sylva.microlearning.forms import DuelForm, TeamChallengeForm
from sylva.microlearning.models import Card, Duel, Learner, TeamChallenge
from sylva.microlearning.queries import challenges as challenge_queries
from sylva.microlearning.services import challenges
from sylva.microlearning.views.common import duration_from_form, response_from_form
from sylva.people.models import Person
from sylva.people.web import current_person


@login_required
def colleagues(request: HttpRequest) -> HttpResponse:
    """The colleagues matching the name typed in the duel form (htmx, live). Asked for
    directly (a bookmark, no JavaScript), it is the challenges page with that search."""
    who = request.GET.get("who", "")[: challenge_queries.MAX_WHO]
    if not request.htmx:  # type: ignore[attr-defined]
        target = reverse("microlearning:challenges")
        return redirect(f"{target}?{urlencode({'who': who})}" if who else target)
    return render(
        request,
        "microlearning/_colleagues.html",
        {"matches": challenge_queries.find_colleagues(current_person(request), who), "query": who},
    )


@login_required
def challenge_home(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = DuelForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        duel = on_form(
            form,
            lambda: challenges.start_duel(
                challenger=person,
                opponent=form.cleaned_data["opponent"],
                module=form.cleaned_data["module"],
            ),
        )
        if duel is not None:
            return redirect("microlearning:duel", duel_id=duel.pk)
    who = str(form["who"].value() or request.GET.get("who", ""))[: challenge_queries.MAX_WHO]
    day = timezone.localdate()
    learner = Learner.objects.filter(person=person).first()
    now = timezone.now()
    duels = [
        (d, challenges.duel_outcome(d), challenge_queries.duel_turn(d, person, now))
        for d in challenge_queries.my_duels(person)[:20]
    ]
    return render(
        request,
        "microlearning/challenges.html",
        {
            "form": form,
            "matches": challenge_queries.find_colleagues(person, who),
            "query": who,
            "chosen": str(form["opponent"].value() or ""),
            "duels": duels,
            "team_challenges": [
                (
                    c,
                    challenge_queries.team_scores(c),
                    challenge_queries.team_challenge_turn(c, person, day),
                )
                for c in challenge_queries.challenges_for(person, day)[:5]
            ],
            "leaderboard": challenge_queries.team_leaderboard(person.team, day)
            if person.team_id and person.team
            else [],
            "on_leaderboards": bool(learner and learner.on_leaderboards),
            "can_launch": request.user.has_perm("microlearning.launch_team_challenge"),
        },
    )


def _duel_context(duel: Duel, person: Person, *, after: Card | None = None) -> dict[str, object]:
    """What the duel page shows; the next question is served (its time starts) here. A
    colleague who is not one of the two players gets a 403 page, as from the API.

    ``after``: the question just answered, whose feedback (right or wrong, the right answer,
    the explanation) is shown first; the next question is then served only when asked for,
    so that reading the explanation does not run its clock."""
    feedback = _feedback(duel, person, after) if after is not None else None
    if feedback is not None and feedback["next_url"]:
        play, question = challenges.play_of(duel, person), None
    else:
        try:
            play, question = challenges.serve_question(duel=duel, person=person)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
    done = len(challenges.answered(play))
    return {
        "duel": duel,
        "play": play,
        "question": question,
        "feedback": feedback,
        "number": done + 1,
        "total": len(duel.card_ids),
        "outcome": challenges.duel_outcome(duel),
        "turn": challenge_queries.duel_turn(duel, person),
        "invited": duel.state == Duel.State.INVITED and person.pk == duel.opponent_id,
        "other": duel.other_than(person),
        "recap": challenge_queries.duel_recap(duel, person) if play.finished_at else [],
    }


def _feedback(duel: Duel, person: Person, card: Card) -> dict[str, object] | None:
    """The feedback of ``person``'s answer to ``card`` in this duel, once graded (never the
    other player's answer)."""
    if duel.side(person) is None:
        raise PermissionDenied(_("This duel is between two other colleagues."))
    play = challenges.play_of(duel, person)
    entry = challenges.answered(play).get(str(card.pk))
    if entry is None:
        return None
    ahead = challenges.next_question(duel, play) is not None and challenges.may_play(duel, person)
    return {
        "card": card,
        "correct": bool(entry.get("correct")),
        "points": entry.get("points", 0),
        "number": list(map(str, duel.card_ids)).index(str(card.pk)) + 1,
        "next_url": _duel_page(None, duel.pk) if ahead else "",
    }


def _answered_card(request: HttpRequest, duel: Duel) -> Card | None:
    """The question named by ``?answered=`` (after an answer sent without JavaScript)."""
    try:
        card_id = int(request.GET.get("answered", ""))
    except ValueError:
        return None
    if card_id not in duel.card_ids:
        return None
    return Card.everything.select_related("module").filter(pk=card_id).first()


@login_required
def duel(request: HttpRequest, duel_id: int) -> HttpResponse:
    person = current_person(request)
    item = get_object_or_404(
        Duel.objects.select_related("module", "challenger", "opponent"), pk=duel_id
    )
    context = _duel_context(item, person, after=_answered_card(request, item))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "microlearning/_duel_body.html", context)
    return render(request, "microlearning/duel.html", context)


@login_required
@require_POST
def duel_answer(request: HttpRequest, duel_id: int, card_id: int) -> HttpResponse:
    """One duel answer; then its feedback (the server graded it), the next question a click
    away. Without JavaScript, back to the duel page showing the same feedback."""
    person = current_person(request)
    item = get_object_or_404(
        Duel.objects.select_related("module", "challenger", "opponent"), pk=duel_id
    )
    if item.side(person) is None:
        raise PermissionDenied(_("This duel is between two other colleagues."))
    card = get_object_or_404(Card.everything.select_related("module"), pk=card_id)
    answered = attempt(
        lambda: challenges.answer_duel(
            person=person,
            duel=item,
            card_id=card.pk,
            response=response_from_form(card, request.POST),
            duration_ms=duration_from_form(request.POST),
        )
    )
    if not request.htmx:  # type: ignore[attr-defined]
        if answered.refusal is not None:
            messages.error(request, answered.refusal.message)
            return redirect("microlearning:duel", duel_id=item.pk)
        return redirect(f"{_duel_page(request, item.pk)}?answered={card.pk}")
    context = _duel_context(item, person, after=None if answered.refusal else card)
    context["error"] = answered.refusal.message if answered.refusal else None
    return render(request, "microlearning/_duel_body.html", context)


def _duel_page(request: HttpRequest | None, duel_id: int) -> str:
    return reverse("microlearning:duel", kwargs={"duel_id": duel_id})


@login_required
@require_POST
@refusals_go_to(_duel_page)
def accept(request: HttpRequest, duel_id: int) -> HttpResponse:
    """The challenged colleague accepts; back to ``next`` (the inbox) or to the duel."""
    item = get_object_or_404(Duel, pk=duel_id)
    challenges.accept_duel(person=current_person(request), duel=item)
    messages.success(request, _("Duel accepted: your turn to play."))
    return redirect_next(request, _duel_page(request, item.pk))


@login_required
@require_POST
@refusals_go_to(_duel_page)
def decline(request: HttpRequest, duel_id: int) -> HttpResponse:
    item = get_object_or_404(Duel, pk=duel_id)
    challenges.decline_duel(person=current_person(request), duel=item)
    messages.success(
        request, _("Duel declined; %(name)s is told.") % {"name": item.challenger.first_name}
    )
    return redirect_next(request, "microlearning:challenges")


@login_required
@require_POST
@refusals_go_to(_duel_page)
def rematch(request: HttpRequest, duel_id: int) -> HttpResponse:
    item = get_object_or_404(Duel, pk=duel_id)
    if item.side(current_person(request)) is None:
        raise PermissionDenied(_("This duel is between two other colleagues."))
    new = challenges.rematch(person=current_person(request), duel=item)
    return redirect("microlearning:duel", duel_id=new.pk)


@perm_page("microlearning.launch_team_challenge")
def team_challenge_new(request: HttpRequest) -> HttpResponse:
    form = TeamChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = on_form(
            form,
            lambda: challenges.launch_team_challenge(
                creator=current_person(request),
                name=data["name"],
                teams=list(data["teams"]),
                starts_on=data["starts_on"],
                days=data["days"],
                module=data["module"],
            ),
        )
        if item is not None:
            messages.success(request, _("Challenge launched."))
            return redirect("microlearning:team_challenge", challenge_id=item.pk)
    return render(request, "microlearning/team_challenge_form.html", {"form": form})


@login_required
def team_challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    item = get_object_or_404(TeamChallenge.objects.select_related("module"), pk=challenge_id)
    turn = challenge_queries.team_challenge_turn(
        item, current_person(request), timezone.localdate()
    )
    return render(
        request,
        "microlearning/team_challenge.html",
        {"challenge": item, "scores": challenge_queries.team_scores(item), "turn": turn},
    )
