"""Authoring modules (browser editor with phone preview, import and export), light
resources by anyone and their review, campaigns, memory settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.web import attempt, on_form, page_of, perm_page, redirect_next, refusals_go_to
from sylva.microlearning import textformat
from sylva.microlearning.forms import (
    STARTER,
    CampaignForm,
    ImportConfirmForm,
    ImportForm,
    ModuleTextForm,
    RetentionForm,
    ReviewForm,
)
from sylva.microlearning.models import Campaign, Card, Module, OrgMemorySettings
from sylva.microlearning.services import answers, campaigns, content, imports
from sylva.microlearning.services.fitting import refit
from sylva.people.web import current_person


@perm_page("microlearning.author_module")
def studio(request: HttpRequest) -> HttpResponse:
    live = Count("cards", filter=Q(cards__retired_at__isnull=True))
    modules = Module.objects.annotate(card_count=live).select_related("author")
    status = request.GET.get("status", "")
    if status in Module.Status.values:
        modules = modules.filter(status=status)
    return render(
        request,
        "microlearning/studio.html",
        {
            "page": page_of(request, modules.order_by("title")),
            "status": status,
            "statuses": Module.Status.choices,
        },
    )


def _starter(light: bool) -> str:
    return STARTER.format(
        code="mon-astuce" if light else "nouveau-module",
        title=_("My tip from the field") if light else _("New module"),
        lesson=_("What I learnt"),
        lesson_text=_("Explain in a few lines what you do and why."),
        question=_("A question to check it sticks"),
        right=_("The right answer"),
        wrong=_("A plausible wrong answer"),
        explanation=_("Why it is right."),
    )


@login_required
def editor(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Write a module as text, with a phone-sized preview. Designers edit any module; anyone
    else drafts light resources of their own."""
    person = current_person(request)
    module = get_object_or_404(Module, code=code) if code else None
    if module is not None and not content.may_edit(person, request.user, module):
        raise PermissionDenied(_("Only its author or a designer may change this module."))
    light = not request.user.has_perm("microlearning.author_module")
    initial = content.export_text(module) if module else _starter(light)
    form = ModuleTextForm(request.POST or None, initial={"text": initial})
    if request.method == "POST" and form.is_valid():
        saved = on_form(
            form,
            lambda: content.apply_text(
                author=person,
                user=request.user,
                text=form.cleaned_data["text"],
                module=module,
                light=light,
            ),
        )
        if saved is not None:
            module, plan = saved
            messages.success(request, _("Module saved: %(done)s.") % {"done": plan.summary()})
            return redirect("microlearning:module", code=module.code)
    return render(
        request, "microlearning/editor.html", {"form": form, "module": module, "light": light}
    )


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The editor's phone preview; when editing a module, what saving would change in it."""
    text = request.POST.get("text", "")
    parsed = attempt(lambda: textformat.parse(text))
    if parsed.refusal is not None:
        return render(request, "microlearning/_preview.html", {"error": parsed.refusal.message})
    spec = parsed.value
    assert spec is not None
    plan = None
    module = Module.objects.filter(code=request.POST.get("module", "")).first()
    if module is not None:
        planned = attempt(
            lambda: content.preview_text(
                author=current_person(request), user=request.user, text=text, module=module
            )
        )
        if planned.refusal is not None:
            return render(
                request, "microlearning/_preview.html", {"error": planned.refusal.message}
            )
        plan = planned.value
    cards = [
        Card(
            kind=c.kind,
            title=c.title,
            body=c.body,
            options=c.options,
            explanation=c.explanation,
            position=i,
        )
        for i, c in enumerate(spec.cards)
    ]
    return render(
        request, "microlearning/_preview.html", {"spec": spec, "cards": cards, "plan": plan}
    )


@login_required
def module_detail(request: HttpRequest, code: str) -> HttpResponse:
    person = current_person(request)
    module = get_object_or_404(Module.objects.select_related("author", "reviewed_by"), code=code)
    editable = content.may_edit(person, request.user, module)
    if (
        not module.is_published
        and not editable
        and not request.user.has_perm("microlearning.review_resource")
    ):
        raise PermissionDenied(_("This module is not published."))
    return render(
        request,
        "microlearning/module.html",
        {
            "module": module,
            "cards": module.cards.order_by("position", "pk"),
            "retired": Card.everything.filter(module=module, retired_at__isnull=False).count(),
            "editable": editable,
            "show_answers": answers.may_see_answers(
                person=person, user=request.user, module=module
            ),
            "is_author": module.author_id == person.pk,
            "review_form": ReviewForm() if module.status == Module.Status.SUBMITTED else None,
        },
    )


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    module = get_object_or_404(Module, code=code)
    if not answers.may_see_answers(
        person=current_person(request), user=request.user, module=module
    ):
        raise PermissionDenied(_("Only those who write or review modules export them."))
    response = HttpResponse(
        content.export_text(module), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{module.code}.md"'
    return response


@perm_page("microlearning.author_module")
def import_module(request: HttpRequest) -> HttpResponse:
    """Two steps: the file is read and what it will change is shown (nothing written); the
    changes are applied only when confirmed, and only if the module is still as previewed."""
    person, plan, confirm = current_person(request), None, None
    if request.method == "POST" and "token" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        if confirm.is_valid():
            text, token = confirm.cleaned_data["text"], confirm.cleaned_data["token"]
            applied = attempt(
                lambda: content.apply_text(author=person, user=request.user, text=text, token=token)
            )
            if applied.value is not None:
                module, done = applied.value
                messages.success(
                    request,
                    _("Module imported: %(title)s (%(done)s).")
                    % {"title": module.title, "done": done.summary()},
                )
                return redirect("microlearning:module", code=module.code)
            assert applied.refusal is not None  # the module changed since the preview: a new one
            messages.error(request, applied.refusal.message)
            plan = _plan(request, text, confirm)
            if plan is not None:
                confirm = ImportConfirmForm(initial={"text": text, "token": plan.token})
        form = ImportForm()
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            plan = _plan(request, form.cleaned_data["file"], form)
            if plan is not None:
                confirm = ImportConfirmForm(
                    initial={"text": form.cleaned_data["file"], "token": plan.token}
                )
    return render(
        request, "microlearning/import.html", {"form": form, "plan": plan, "confirm": confirm}
    )


def _plan(
    request: HttpRequest, text: str, form: ImportForm | ImportConfirmForm
) -> imports.ImportPlan | None:
    planned = attempt(
        lambda: content.preview_text(author=current_person(request), user=request.user, text=text)
    )
    if planned.refusal is not None:
        form.add_error("file" if isinstance(form, ImportForm) else None, planned.refusal.message)
    return planned.value


def _module_page(request: HttpRequest, code: str) -> str:
    return reverse("microlearning:module", kwargs={"code": code})


@perm_page("microlearning.author_module")
@require_POST
@refusals_go_to(_module_page)
def publish(request: HttpRequest, code: str) -> HttpResponse:
    module = get_object_or_404(Module, code=code)
    if request.POST.get("unpublish"):
        content.unpublish(module=module)
        messages.success(request, _("The module is back to draft."))
    else:
        content.publish(actor=current_person(request), module=module)
        messages.success(request, _("Published: campaigns can now send it."))
    return redirect("microlearning:module", code=module.code)


@login_required
def share(request: HttpRequest) -> HttpResponse:
    """My light resources: what I drafted from my experience, and where each stands."""
    person = current_person(request)
    return render(
        request,
        "microlearning/share.html",
        {"mine": Module.objects.filter(author=person).order_by("-updated_at")},
    )


@login_required
@require_POST
@refusals_go_to(_module_page)
def submit(request: HttpRequest, code: str) -> HttpResponse:
    module = get_object_or_404(Module, code=code)
    content.submit_resource(author=current_person(request), module=module)
    messages.success(request, _("Sent for review: a colleague will read it soon."))
    return redirect_next(request, reverse("microlearning:module", args=[module.code]))


@perm_page("microlearning.review_resource")
def reviews(request: HttpRequest) -> HttpResponse:
    waiting = Module.objects.filter(status=Module.Status.SUBMITTED).select_related("author")
    return render(
        request,
        "microlearning/reviews.html",
        {"page": page_of(request, waiting.order_by("updated_at"))},
    )


@perm_page("microlearning.review_resource")
@require_POST
@refusals_go_to(_module_page)
def review(request: HttpRequest, code: str) -> HttpResponse:
    module = get_object_or_404(Module, code=code)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect_next(request, reverse("microlearning:module", args=[code]))
    content.review_resource(
        reviewer=current_person(request),
        module=module,
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Review saved; the author is told."))
    return redirect_next(request, "microlearning:reviews")


@perm_page("microlearning.manage_campaign")
def campaign_list(request: HttpRequest) -> HttpResponse:
    items = Campaign.objects.prefetch_related(
        "modules", "populations", "teams", "sites", "departments"
    )
    return render(request, "microlearning/campaigns.html", {"page": page_of(request, items)})


@perm_page("microlearning.manage_campaign")
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id) if campaign_id else None
    initial = {}
    if campaign is not None:
        initial = {
            "name": campaign.name,
            "modules": list(campaign.modules.all()),
            "populations": list(campaign.populations.all()),
            "departments": list(campaign.departments.all()),
            "sites": list(campaign.sites.all()),
            "teams": list(campaign.teams.all()),
            "newcomers": campaign.newcomers,
            "rhythm": campaign.rhythm,
            "new_cards": campaign.new_cards,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = on_form(
            form,
            lambda: campaigns.save_campaign(
                creator=current_person(request),
                campaign=campaign,
                name=data["name"],
                modules=list(data["modules"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rhythm=data["rhythm"],
                new_cards=data["new_cards"],
                populations=list(data["populations"]),
                teams=list(data["teams"]),
                sites=list(data["sites"]),
                departments=list(data["departments"]),
                newcomers=data["newcomers"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Campaign saved."))
            return redirect("microlearning:campaigns")
    return render(request, "microlearning/campaign_form.html", {"form": form, "campaign": campaign})


@perm_page("microlearning.configure_memory")
def memory_settings(request: HttpRequest) -> HttpResponse:
    row = OrgMemorySettings.current()
    form = RetentionForm(request.POST or None, initial={"desired_retention": row.desired_retention})
    report = None
    if request.method == "POST" and "refit" in request.POST:
        report = refit()
        row = OrgMemorySettings.current()
        form = RetentionForm(initial={"desired_retention": row.desired_retention})
    elif request.method == "POST" and form.is_valid():
        saved = on_form(
            form,
            lambda: answers.set_desired_retention(retention=form.cleaned_data["desired_retention"]),
        )
        if saved is not None:
            messages.success(request, _("Desired retention saved."))
            return redirect("microlearning:settings")
    return render(
        request, "microlearning/settings.html", {"form": form, "row": row, "report": report}
    )
