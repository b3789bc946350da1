"""Modules and their cards: authoring, the text format, publication, and light resources
that any employee drafts and a reviewer approves."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, ServiceError
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, Module
from sylva.people import verbs
from sylva.people.models import Person, Skill
from sylva.people.services import record_event


def module_iri(module: Module) -> str:
    return f"{verbs.SYLVA_ACTIVITIES}learn/module/{module.code}"


def card_iri(card: Card) -> str:
    return f"{verbs.SYLVA_ACTIVITIES}learn/card/{card.pk}"


def spec_of(module: Module) -> textformat.ModuleSpec:
    return textformat.ModuleSpec(
        code=module.code,
        title=module.title,
        topic=module.topic,
        language=module.language,
        minutes=module.minutes,
        skills=sorted(module.skills.values_list("code", flat=True)),
        cards=[
            textformat.CardSpec(
                kind=c.kind,
                title=c.title,
                body=c.body,
                options=[{"text": o["text"], "correct": bool(o.get("correct"))} for o in c.options],
                explanation=c.explanation,
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


def _skills(codes: list[str]) -> list[Skill]:
    found = {s.code: s for s in Skill.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ServiceError(
            _("Unknown skill codes: %(codes)s.") % {"codes": ", ".join(missing)}, field="skills"
        )
    return [found[c] for c in codes]


def write_spec(module: Module, spec: textformat.ModuleSpec) -> Module:
    for number, card_spec in enumerate(spec.cards, start=1):
        textformat.check_card(card_spec, number)
    module.title, module.topic = spec.title[:200], spec.topic[:120]
    module.language, module.minutes = spec.language, spec.minutes
    module.updated_at = timezone.now()
    module.save()
    module.skills.set(_skills(spec.skills))
    # Cards are updated in place by position, so that learners keep their memory of them.
    existing = list(module.cards.order_by("position", "pk"))
    for position, card_spec in enumerate(spec.cards):
        card = existing[position] if position < len(existing) else Card(module=module)
        card.position, card.kind, card.title = position, card_spec.kind, card_spec.title[:300]
        card.body, card.explanation = card_spec.body, card_spec.explanation
        card.options = [
            {"text": str(o["text"]), "correct": bool(o.get("correct"))} for o in card_spec.options
        ]
        card.save()
    for stale in existing[len(spec.cards) :]:
        stale.delete()
    return module


@transaction.atomic
def save_text(
    *, author: Person, user: object, text: str, module: Module | None = None, light: bool = False
) -> Module:
    """Create or update a module from its text (a form, an imported file): all or nothing.

    Without ``module``, the code in the front matter names the module to update if it
    exists (and the author may edit it), else a new one is created."""
    spec = textformat.parse(text)
    if module is None:
        module = Module.objects.select_for_update().filter(code=spec.code).first()
        if module is not None and not may_edit(author, user, module):
            raise Forbidden(
                _("A module with the code “%(code)s” exists and is not yours to change.")
                % {"code": spec.code},
                field="code",
            )
    elif spec.code != module.code:
        if Module.objects.filter(code=spec.code).exclude(pk=module.pk).exists():
            raise ServiceError(
                _("The code “%(code)s” is already used by another module.") % {"code": spec.code},
                field="code",
            )
        module.code = spec.code
    if module is None:
        module = Module(code=spec.code, author=author, is_light=light)
    elif not may_edit(author, user, module):
        raise Forbidden(_("Only its author or a designer may change this module."))
    if module.status in (Module.Status.SUBMITTED, Module.Status.CHANGES) and module.is_light:
        module.status = Module.Status.DRAFT
    return write_spec(module, spec)


@transaction.atomic
def publish(*, actor: Person, module: Module) -> Module:
    """A designer publishes a module: campaigns may now send it to learners."""
    if not module.cards.exists():
        raise ServiceError(_("A module needs at least one card."), field="cards")
    return _publish(actor=actor, module=module)


def _publish(*, actor: Person, module: Module) -> Module:
    module.status = Module.Status.PUBLISHED
    module.published_at = timezone.now()
    module.reviewed_by = actor if module.author_id != actor.pk else module.reviewed_by
    module.save()
    skill = module.skills.first()
    record_event(
        actor=module.author or actor,
        verb="authored",
        object_id=module_iri(module),
        object_name=module.title,
        skill=skill,
        result={"extensions": {"https://sylva.education/xapi/extensions/light": module.is_light}},
    )
    if module.author is not None:
        from sylva.microlearning.services.badges import award

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
    if module.status != Module.Status.SUBMITTED:
        raise ServiceError(_("This resource is not waiting for a review."), field="status")
    if module.author_id == reviewer.pk:
        raise Forbidden(_("Someone else must review your own resource."))
    note = note.strip()
    if decision != "approve" and not note:
        raise ServiceError(_("Tell the author why, so they can act on it."), field="note")
    if len(note) > 2000:
        raise ServiceError(_("At most %(limit)d characters.") % {"limit": 2000}, field="note")
    module.review_note = note
    module.reviewed_by = reviewer
    if decision == "approve":
        module.save()
        return _publish(actor=reviewer, module=module)
    module.status = Module.Status.CHANGES if decision == "changes" else Module.Status.DECLINED
    module.save()
    return module
