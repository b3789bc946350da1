"""Authoring modules (browser editor with phone preview, import and export), light
resources by anyone and their review, campaigns, memory settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.web import (
    apply_error,
    attempt,
    on_form,
    page_of,
    perm_page,
    query_without_page,
    redirect_next,
    refusals_go_to,
)
from sylva.microlearning import textformat
from sylva.microlearning.forms import (
    STARTER,
    BaseCardFormSet,
    CampaignForm,
    CardFormSet,
    ImportConfirmForm,
    ImportForm,
    ModuleMetaForm,
    ModuleTextForm,
    RetentionForm,
    ReviewForm,
    fits_form_editor,
    initial_from_spec,
    spec_from_forms,
)
from sylva.microlearning.models import Campaign, Card, Module, OrgMemorySettings
from sylva.microlearning.queries.catalogue import versions_of
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
    language = request.GET.get("language", "")
    if language in Module.Language.values:
        modules = modules.filter(language=language)
    return render(
        request,
        "microlearning/studio.html",
        {
            "page": page_of(request, modules.order_by("title")),
            "status": status,
            "statuses": Module.Status.choices,
            "language": language,
            "languages": Module.Language.choices,
            "query": query_without_page(request),
        },
    )


def _starter(light: bool) -> str:
    """A new module's text, in the interface's language (its cards too)."""
    return STARTER.format(
        code="mon-astuce" if light else "nouveau-module",
        title=_("My tip from the field") if light else _("New module"),
        language=(get_language() or settings.LANGUAGE_CODE)[:2],
        lesson=_("What I learnt"),
        lesson_text=_("Explain in a few lines what you do and why."),
        question=_("A question to check it sticks"),
        right=_("The right answer"),
        wrong=_("A plausible wrong answer"),
        explanation=_("Why it is right."),
    )


EDITORS = ("form", "markdown")


@dataclass
class _Editing:
    """The editor's state: which editor, and its forms (the text, or the module's fields
    and its cards)."""

    mode: str
    text: ModuleTextForm | None = None
    meta: ModuleMetaForm | None = None
    cards: BaseCardFormSet | None = None
    note: str = ""

    def context(self) -> dict[str, object]:
        return {"mode": self.mode, "form": self.text, "meta": self.meta, "cards": self.cards}


def _editing(mode: str, text: str) -> _Editing:
    """The editor ``mode`` showing the module ``text`` (the Markdown editor when the form
    editor cannot hold it)."""
    if mode == "form":
        parsed = attempt(lambda: textformat.parse(text))
        if parsed.value is not None and fits_form_editor(parsed.value):
            meta, cards = initial_from_spec(parsed.value)
            return _Editing(
                "form",
                text=ModuleTextForm(initial={"text": text}),  # the text the form writes
                meta=ModuleMetaForm(initial=meta, prefix="module"),
                cards=CardFormSet(initial=cards, prefix="cards"),
            )
        note = (
            parsed.refusal.message
            if parsed.refusal is not None
            else _("A card has more answers than the form holds: edit it in Markdown.")
        )
        editing = _editing("markdown", text)
        editing.note = note
        return editing
    return _Editing("markdown", text=ModuleTextForm(initial={"text": text}))


def _posted(request: HttpRequest) -> tuple[_Editing, str | None]:
    """The editor as posted and the module's text it gives (None: a form is not valid)."""
    if request.POST.get("editor") == "form":
        data = request.POST.copy()
        if "add_card" in data:  # no script: one more card, empty (ignored if left so)
            total = int(data.get("cards-TOTAL_FORMS") or 0)
            data["cards-TOTAL_FORMS"] = str(min(total + 1, 100))
            data[f"cards-{total}-ORDER"] = str(total + 1)
            data[f"cards-{total}-kind"] = "single"
        editing = _Editing(
            "form",
            meta=ModuleMetaForm(data, prefix="module"),
            cards=CardFormSet(data, prefix="cards"),
        )
        assert editing.meta is not None and editing.cards is not None
        if "add_card" in data or not (editing.meta.is_valid() and editing.cards.is_valid()):
            return editing, None
        return editing, textformat.dump(spec_from_forms(editing.meta, editing.cards))
    editing = _Editing("markdown", text=ModuleTextForm(request.POST))
    assert editing.text is not None
    if not editing.text.is_valid():
        return editing, None
    return editing, editing.text.cleaned_data["text"]


def _refused(editing: _Editing, refusal: ServiceError) -> None:
    if editing.meta is not None:
        apply_error(editing.meta, refusal)
    elif editing.text is not None:
        editing.text.add_error("text", refusal.message)


@login_required
def editor(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Write a module, with a phone-sized preview: in a form, card by card, or as its text
    (Markdown with front matter). Both write the same text and save it through the same
    service. Designers edit any module; anyone else drafts light resources of their own."""
    person = current_person(request)
    module = get_object_or_404(Module, code=code) if code else None
    if module is not None and not content.may_edit(person, request.user, module):
        raise PermissionDenied(_("Only its author or a designer may change this module."))
    light = not request.user.has_perm("microlearning.author_module")
    if request.method != "POST":
        mode = request.GET.get("editor", "form")
        text = content.export_text(module) if module else _starter(light)
        editing = _editing(mode if mode in EDITORS else "form", text)
    else:
        editing, posted = _posted(request)
        switch = request.POST.get("switch", "")
        if posted is not None and switch in EDITORS and switch != editing.mode:
            editing = _editing(switch, posted)
        elif posted is not None:
            text = posted
            saved = attempt(
                lambda: content.apply_text(
                    author=person, user=request.user, text=text, module=module, light=light
                )
            )
            if saved.value is not None:
                module, plan = saved.value
                messages.success(request, _("Module saved: %(done)s.") % {"done": plan.summary()})
                return redirect("microlearning:module", code=module.code)
            assert saved.refusal is not None
            _refused(editing, saved.refusal)
    return render(
        request,
        "microlearning/editor.html",
        {"module": module, "light": light, "note": editing.note, **editing.context()},
    )


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The editor's phone preview (either editor); when editing a module, what saving
    would change in it."""
    editing, text = _posted(request)
    if text is None:
        return render(request, "microlearning/_preview.html", {"error": _first_error(editing)})
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


def _first_error(editing: _Editing) -> str:
    """The first thing to fix in the posted editor, for the preview."""
    if editing.meta is None or editing.cards is None:
        assert editing.text is not None
        return str(next(iter(e for errors in editing.text.errors.values() for e in errors), ""))
    for label, errors in (
        *((editing.meta[f].label, e) for f, e in editing.meta.errors.items() if f != "__all__"),
        *(
            (_("Card %(n)d") % {"n": n}, [e for es in form.errors.values() for e in es])
            for n, form in enumerate(editing.cards.forms, start=1)
            if form.errors
        ),
        ("", list(editing.cards.non_form_errors())),
    ):
        if errors:
            return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("Complete the module to preview it.")


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
            "versions": versions_of(module),
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
