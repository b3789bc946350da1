"""A proposal from an introduction: "let's exchange", one click from the message that
introduced two colleagues (``/exchange/propose/?with=<person>&skill=<skill>&as=teach|learn``).

GET shows the proposal prefilled — the other person, the skill, what I would teach or learn,
the format, the duration — and POST makes it through ``services.exchanges.propose_to``
(the board's consent rules: I am one of the two and accept at once; they accept or
decline; only each one's own postings are used)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound
from sylva.core.web import on_form
from sylva.exchange.forms import ProposeToForm
from sylva.exchange.services import exchanges as services
from sylva.people.models import Person, Skill
from sylva.people.web import current_person


def _param(request: HttpRequest, name: str) -> str:
    return (request.GET.get(name) or request.POST.get(name) or "").strip()


def _target(request: HttpRequest) -> tuple[Person, Skill]:
    """The colleague and the skill of the link: unknown (or not a number) is a 404."""
    other_id, skill_id = _param(request, "with"), _param(request, "skill")
    if not other_id.isdigit() or not skill_id.isdigit():
        raise NotFound(_("This link is incomplete: no such colleague or skill."))
    other = get_object_or_404(
        Person.objects.select_related("user", "team"), pk=int(other_id), user__is_active=True
    )
    return other, get_object_or_404(Skill, pk=int(skill_id))


def _initial(role: str, teacher: Person, learner: Person, skill: Skill) -> dict[str, Any]:
    """The form's start: the format and duration of the posting one of them has on it."""
    offer, wanted = services.postings_between(teacher=teacher, learner=learner, skill=skill)
    source = offer or wanted
    modes = sorted(source.formats) if source is not None else []
    return {
        "role": role,
        "mode": "video" if "video" in modes else (modes[0] if modes else "in_person"),
        "duration_minutes": source.duration_minutes if source is not None else 60,
    }


@login_required
def propose_to(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    other, skill = _target(request)
    role = _param(request, "as") if _param(request, "as") in ("teach", "learn") else "learn"
    context: dict[str, Any] = {"other": other, "skill": skill, "query": request.GET.urlencode()}
    if other.pk == me.pk:
        context["self_error"] = _(
            "This introduction leads to yourself: you cannot propose an exchange to yourself."
        )
        return render(request, "exchange/propose_to.html", context, status=400)
    teacher, learner = (me, other) if role == "teach" else (other, me)
    form = ProposeToForm(request.POST or None, initial=_initial(role, teacher, learner, skill))

    under_way: list[Any] = []  # the exchange already under way, where a twin leads

    def save() -> Any:
        data = form.cleaned_data
        try:
            return services.propose_to(
                by=me,
                other=other,
                skill=skill,
                role=data["role"],
                mode=data["mode"],
                duration_minutes=data["duration_minutes"],
                message=data["message"],
            )
        except services.AlreadyUnderWay as exc:
            under_way.append(exc)
            raise

    if request.method == "POST" and form.is_valid():
        exchange = on_form(form, save)
        if under_way:
            messages.info(request, under_way[0].message)
            return redirect("exchange:exchange", under_way[0].exchange.pk)
        if exchange is not None:
            messages.success(
                request,
                _("Proposed to %(name)s: they will accept or decline.") % {"name": other.full_name},
            )
            return redirect("exchange:exchange", exchange.pk)
    offer, wanted = services.postings_between(teacher=teacher, learner=learner, skill=skill)
    context.update(form=form, offer=offer, wanted=wanted, role=role)
    status = 400 if form.errors else 200
    return render(request, "exchange/propose_to.html", context, status=status)
