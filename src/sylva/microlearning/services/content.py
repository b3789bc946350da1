"""Modules and their cards: authoring, the text format, publication, and light resources
that any employee drafts and a reviewer approves."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.core import xapi
from sylva.core.errors import Forbidden, ServiceError
from sylva.core.validation import check_field
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, Module
from sylva.microlearning.services import imports
from sylva.microlearning.services.badges import award
from sylva.notifications.services import notify
from sylva.people import verbs
from sylva.people.models import Person
from sylva.people.services import record_event


def module_iri(module: Module) -> str:
    return xapi.activity("learn/module", module.code)


def card_iri(card: Card) -> str:
    return xapi.activity("learn/card", card.pk)


def spec_of(module: Module) -> textformat.ModuleSpec:
    return textformat.ModuleSpec(
        code=module.code,
        title=module.title,
        topic=module.topic,
        language=module.language,
        minutes=module.minutes,
        skills=sorted(module.skills.values_list("code", flat=True)),
        translation_of=module.translation_of.code if module.translation_of else "",
        cards=[
            textformat.CardSpec(
                kind=c.kind,
                title=c.title,
                body=c.body,
                options=[{"text": o["text"], "correct": bool(o.get("correct"))} for o in c.options],
                explanation=c.explanation,
                key=c.key,
            )
            for c in module.cards.order_by("position", "pk")
        ],
    )


def export_text(module: Module) -> str:
    return textformat.dump(spec_of(module))


def may_edit(person: Person, user: object, module: Module) -> bool:
    if user.has_perm("microlearning.author_module"):  # type: ignore[attr-defined]
        return True
    return module.author_id == person.pk and module.status != Module.Status.PUBLISHED


def write_spec(module: Module, spec: textformat.ModuleSpec) -> Module:
    """Write ``spec`` over ``module`` (saved or new), cards matched by key (see imports)."""
    return imports.apply(imports.plan(spec=spec, module=module), module=module)


def _target(
    *,
    author: Person,
    user: object,
    spec: textformat.ModuleSpec,
    module: Module | None,
    light: bool,
    lock: bool,
) -> Module:
    """The module the text is written over (a new, unsaved one if none), after checking
    that ``author`` may change it; writes nothing."""
    if module is None:
        found = Module.objects.select_for_update() if lock else Module.objects
        module = found.filter(code=spec.code).first()
        if module is not None and not may_edit(author, user, module):
            raise Forbidden(
                _("A module with the code “%(code)s” exists and is not yours to change.")
                % {"code": spec.code},
                field="code",
            )
    else:
        if lock:
            module = Module.objects.select_for_update().get(pk=module.pk)
        if (
            spec.code != module.code
            and Module.objects.filter(code=spec.code).exclude(pk=module.pk).exists()
        ):
            raise ServiceError(
                _("The code “%(code)s” is already used by another module.") % {"code": spec.code},
                field="code",
            )
    if module is None:
        return Module(code=spec.code, author=author, is_light=light)
    if not may_edit(author, user, module):
        raise Forbidden(_("Only its author or a designer may change this module."))
    return module


def preview_text(
    *, author: Person, user: object, text: str, module: Module | None = None, light: bool = False
) -> imports.ImportPlan:
    """What saving ``text`` would change (added, changed, moved, retired cards), without
    changing anything; a ServiceError names the faulty line as saving would."""
    spec = textformat.parse(text)
    target = _target(author=author, user=user, spec=spec, module=module, light=light, lock=False)
    return imports.plan(spec=spec, module=target)


def save_text(
    *,
    author: Person,
    user: object,
    text: str,
    module: Module | None = None,
    light: bool = False,
    token: str | None = None,
) -> Module:
    """``apply_text``, for who needs only the module."""
    module, _plan = apply_text(
        author=author, user=user, text=text, module=module, light=light, token=token
    )
    return module


def apply_text(
    *,
    author: Person,
    user: object,
    text: str,
    module: Module | None = None,
    light: bool = False,
    token: str | None = None,
) -> tuple[Module, imports.ImportPlan]:
    """Create or update a module from its text (a form, an imported file): all or nothing.

    Without ``module``, the code in the front matter names the module to update if it
    exists (and the author may edit it), else a new one is created. Cards are matched by
    key (``services.imports``). With ``token`` (from ``preview_text``), the text is written
    only if the module is still as it was when the preview was made (409 otherwise), so
    that what is applied is what was shown. Returns the module and the plan applied."""
    spec = textformat.parse(text)
    try:
        with transaction.atomic():
            return _save_spec(
                author=author, user=user, spec=spec, module=module, light=light, token=token
            )
    except IntegrityError:  # the same code created by someone else at the same moment
        raise ServiceError(
            _("The code “%(code)s” was just taken by another module.") % {"code": spec.code},
            field="code",
            status=409,
        ) from None


def _save_spec(
    *,
    author: Person,
    user: object,
    spec: textformat.ModuleSpec,
    module: Module | None,
    light: bool,
    token: str | None,
) -> tuple[Module, imports.ImportPlan]:
    target = _target(author=author, user=user, spec=spec, module=module, light=light, lock=True)
    result = imports.plan(spec=spec, module=target)
    if token is not None and token != result.token:
        raise ServiceError(
            _("The module changed since the preview: look at the changes again."),
            field="token",
            status=409,
        )
    if target.status in (Module.Status.SUBMITTED, Module.Status.CHANGES) and target.is_light:
        target.status = Module.Status.DRAFT
    return imports.apply(result, module=target), result


@transaction.atomic
def publish(*, actor: Person, module: Module) -> Module:
    """A designer publishes a module: campaigns may now send it to learners."""
    if not module.cards.exists():
        raise ServiceError(_("A module needs at least one card."), field="cards")
    module = Module.objects.select_for_update().get(pk=module.pk)
    if module.status == Module.Status.PUBLISHED:  # a second click: nothing more to do
        return module
    return _publish(actor=actor, module=module)


def _publish(*, actor: Person, module: Module) -> Module:
    """Publish; its author's ``authored`` moment is recorded at the first publication only
    (publishing again after a return to draft is not authoring again)."""
    first = module.published_at is None
    module.status = Module.Status.PUBLISHED
    module.published_at = timezone.now()
    module.reviewed_by = actor if module.author_id != actor.pk else module.reviewed_by
    module.save()
    if not first:
        return module
    skill = module.skills.first()
    record_event(
        actor=module.author or actor,
        verb=verbs.AUTHORED,
        object_id=module_iri(module),
        object_name=module.title,
        skill=skill,
        result={"extensions": {xapi.EXT_LIGHT: module.is_light}},
    )
    if module.author is not None:
        award(person=module.author, code="author")
    return module


@transaction.atomic
def unpublish(*, module: Module) -> Module:
    module.status = Module.Status.DRAFT
    module.save(update_fields=["status"])
    return module


@transaction.atomic
def submit_resource(*, author: Person, module: Module) -> Module:
    """The author of a light resource asks for it to be reviewed."""
    if module.author_id != author.pk:
        raise Forbidden(_("Only its author may submit this resource."))
    if module.status not in (Module.Status.DRAFT, Module.Status.CHANGES):
        raise ServiceError(
            _("This resource is already %(status)s.") % {"status": module.get_status_display()},
            field="status",
        )
    if not module.cards.exists():
        raise ServiceError(_("A module needs at least one card."), field="cards")
    module.status = Module.Status.SUBMITTED
    module.updated_at = timezone.now()
    module.save(update_fields=["status", "updated_at"])
    return module


DECISIONS = ("approve", "changes", "decline")


@transaction.atomic
def review_resource(*, reviewer: Person, module: Module, decision: str, note: str = "") -> Module:
    """Approve (it reaches others, its author credited), ask for changes or decline: the
    last two need a reason the author will read."""
    if decision not in DECISIONS:
        raise ServiceError(_("Choose approve, changes or decline."), field="decision")
    module = Module.objects.select_for_update().get(pk=module.pk)  # one decision at a time
    if module.status != Module.Status.SUBMITTED:
        raise ServiceError(_("This resource is not waiting for a review."), field="status")
    if module.author_id == reviewer.pk:
        raise Forbidden(_("Someone else must review your own resource."))
    note = note.strip()
    if decision != "approve" and not note:
        raise ServiceError(_("Tell the author why, so they can act on it."), field="note")
    check_field(Module, "review_note", note, name="note")
    submitted_at = module.updated_at
    module.review_note = note
    module.reviewed_by = reviewer
    if decision == "approve":
        module.save()
        module = _publish(actor=reviewer, module=module)
    else:
        module.status = Module.Status.CHANGES if decision == "changes" else Module.Status.DECLINED
        module.save()
    _tell_author(module, reviewer=reviewer, decision=decision, submitted_at=submitted_at)
    return module


#: what the author is told of each decision: subject, first line, action
_DECISION_NOTICES = {
    "approve": (
        gettext_noop("Your resource “%(title)s” is published"),
        gettext_noop("%(who)s approved it: colleagues can now learn from it."),
        gettext_noop("See the resource"),
    ),
    "changes": (
        gettext_noop("%(who)s asks for changes to “%(title)s”"),
        gettext_noop("Revise it, then send it for review again."),
        gettext_noop("Revise"),
    ),
    "decline": (
        gettext_noop("%(who)s declined “%(title)s”"),
        gettext_noop("It will not be published."),
        gettext_noop("See the resource"),
    ),
}
_NOTE_LINE = gettext_noop("Their comment: %(note)s")


def _tell_author(
    module: Module, *, reviewer: Person, decision: str, submitted_at: datetime
) -> None:
    """The author hears of the decision on their submission (once per submission), with the
    reviewer's words and the page of their next step (the editor, to revise)."""
    if module.author is None:
        return
    subject, line, action = _DECISION_NOTICES[decision]
    target = "microlearning:edit_module" if decision == "changes" else "microlearning:module"
    notify(
        module.author,
        "microlearning.review_decision",
        key=f"module:{module.pk}:review:{submitted_at.isoformat()}",
        subject=subject,
        lines=(line, _NOTE_LINE) if module.review_note else (line,),
        params={"who": reviewer.full_name, "title": module.title, "note": module.review_note},
        url=reverse(target, args=[module.code]),
        action=action,
    )
