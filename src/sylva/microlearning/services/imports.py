"""Importing a module's text over the module as it is: the plan of what will change, shown
before anything is written, then applying it, all or nothing.

Cards are matched by **key** (``## kind: title {#key}``), never by position:

- a card of the file whose key is a card of the module is that card (kept, changed, moved,
  or brought back if it had been retired);
- a card without a key is new — unless a live card of the module that no key claimed has
  exactly the same kind and question (a file written before keys existed): it is that card;
- a card with a key the module does not know is new and keeps that key;
- a card of the module missing from the file leaves it: *retired* (hidden from learners, its
  memories, answers and analytics kept, its key able to bring it back) when anybody has met
  it, else *removed* (deleted: it has no history).

A change of a card's kind, question (title) or right answer is **material**: the learners'
memory of that card is reset (their Memory rows deleted, so that it comes back to them as a
new card; their answers stay in the history). Any other change (text, explanation, wording
of a wrong option, a poll's options) keeps every memory.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sylva.core.errors import ServiceError
from sylva.core.validation import limit_of
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, Duel, Memory, Module, Review, new_card_key
from sylva.microlearning.services import catalogue
from sylva.people.models import Skill
from sylva.people.text import fold

ADDED, KEPT, REVIVED, RETIRED, REMOVED = "added", "kept", "revived", "retired", "removed"

# what changed on a card, as the preview names it
CHANGE_LABELS = {
    "kind": gettext_lazy("kind"),
    "title": gettext_lazy("question"),
    "answer": gettext_lazy("right answer"),
    "options": gettext_lazy("options"),
    "body": gettext_lazy("text"),
    "explanation": gettext_lazy("explanation"),
}
#: a preview's token (32 hex digits) as forms and the API accept it back
TOKEN_MAX_LENGTH = 64
# a title longer than its field is cut, as it always was (the file is not refused for it)
CARD_TITLE = limit_of(Card, "title")
MODULE_TITLE = limit_of(Module, "title")
MODULE_TOPIC = limit_of(Module, "topic")
MATERIAL = frozenset({"kind", "title", "answer"})
MODULE_LABELS = {
    "code": gettext_lazy("code"),
    "title": gettext_lazy("title"),
    "topic": gettext_lazy("topic"),
    "language": gettext_lazy("language"),
    "minutes": gettext_lazy("estimated minutes"),
    "skills": gettext_lazy("skills"),
    "translation_of": gettext_lazy("translation of"),
}


@dataclass
class CardPlan:
    action: str  # added, kept, revived, retired, removed
    position: int  # in the file (retired, removed: in the module before)
    kind: str
    title: str
    key: str = ""  # "" for an added card without a key: drawn when applied
    spec: textformat.CardSpec | None = None  # None: the card leaves the module
    card: Card | None = None  # the card of the module (None: added)
    changes: list[str] = field(default_factory=list)  # keys of CHANGE_LABELS
    moved: bool = False
    by_question: bool = False  # matched by its question (no key in the file)
    learners: int = 0  # people who have met it (its memory)

    @property
    def kind_label(self) -> str:
        return str(Card.Kind(self.kind).label)

    @property
    def material(self) -> bool:
        return bool(MATERIAL.intersection(self.changes))

    @property
    def changed(self) -> bool:
        return self.action in (KEPT, REVIVED) and bool(self.changes)

    @property
    def change_labels(self) -> list[str]:
        return [str(CHANGE_LABELS[c]) for c in self.changes]


@dataclass
class ImportPlan:
    spec: textformat.ModuleSpec
    module: Module | None  # None: a new module
    module_changes: list[str] = field(default_factory=list)  # keys of MODULE_LABELS
    cards: list[CardPlan] = field(default_factory=list)
    token: str = ""  # names the text and the module's state the plan was made from
    keys: set[str] = field(default_factory=set)  # the module's keys, retired cards' too

    def _having(self, action: str) -> list[CardPlan]:
        return [c for c in self.cards if c.action == action]

    @property
    def added(self) -> list[CardPlan]:
        return self._having(ADDED)

    @property
    def changed(self) -> list[CardPlan]:
        return [c for c in self.cards if c.changed]

    @property
    def moved(self) -> list[CardPlan]:
        return [c for c in self.cards if c.moved]

    @property
    def revived(self) -> list[CardPlan]:
        return self._having(REVIVED)

    @property
    def retired(self) -> list[CardPlan]:
        return self._having(RETIRED)

    @property
    def removed(self) -> list[CardPlan]:
        return self._having(REMOVED)

    @property
    def reset(self) -> list[CardPlan]:
        """Cards whose learners' memory is reset (a material change)."""
        return [c for c in self.cards if c.changed and c.material and c.learners]

    @property
    def module_change_labels(self) -> list[str]:
        return [str(MODULE_LABELS[c]) for c in self.module_changes]

    def as_dict(self) -> dict[str, object]:
        """The plan as the API gives it."""
        return {
            "code": self.spec.code,
            "creates": self.module is None,
            "module_changes": self.module_changes,
            "token": self.token,
            "cards": [
                {
                    "action": c.action,
                    "key": c.key,
                    "card_id": c.card.pk if c.card is not None else None,
                    "kind": c.kind,
                    "title": c.title,
                    "position": c.position,
                    "changes": c.changes,
                    "moved": c.moved,
                    "material": c.material,
                    "learners": c.learners,
                }
                for c in self.cards
            ],
        }

    def summary(self) -> str:
        """What was done, in a few words: "1 card added, 2 changed, 1 retired"."""
        parts = [
            ngettext("%(n)d card added", "%(n)d cards added", n) % {"n": n}
            for n in [len(self.added)]
            if n
        ]
        for items, one, many in (
            (self.changed, "%(n)d changed", "%(n)d changed"),
            (self.moved, "%(n)d moved", "%(n)d moved"),
            (self.revived, "%(n)d back", "%(n)d back"),
            (self.retired, "%(n)d retired", "%(n)d retired"),
            (self.removed, "%(n)d removed", "%(n)d removed"),
            (self.reset, "%(n)d memory reset", "%(n)d memories reset"),
        ):
            if items:
                parts.append(ngettext(one, many, len(items)) % {"n": len(items)})
        return ", ".join(parts) or _("no card changed")

    @property
    def has_changes(self) -> bool:
        return self.module is None or bool(
            self.module_changes
            or self.added
            or self.changed
            or self.moved
            or self.revived
            or self.retired
            or self.removed
        )


def _skill_keys(skill: Skill) -> set[str]:
    return {fold(skill.code), fold(skill.name_fr), fold(skill.name_en)}


def skills_of(entries: list[str]) -> list[Skill]:
    """The skills a module names, each by its code or its name in French or English
    (accent- and case-blind), in the order given, without repeats. An unknown one is an
    error naming it, with the closest names of the taxonomy."""
    exact = {s.code: s for s in Skill.objects.filter(code__in=entries)}
    if len(exact) == len(set(entries)):
        return list(dict.fromkeys(exact[e] for e in entries))
    every = list(Skill.objects.all())
    by_key: dict[str, Skill] = {}
    for skill in every:
        for key in _skill_keys(skill):
            by_key.setdefault(key, skill)
    found: list[Skill] = []
    for entry in entries:
        chosen = exact.get(entry) or by_key.get(fold(entry))
        if chosen is None:
            raise ServiceError(_unknown_skill(entry, every), field="skills")
        skill = chosen
        if skill not in found:
            found.append(skill)
    return found


def _unknown_skill(entry: str, every: list[Skill]) -> str:
    names = {fold(n): n for s in every for n in (s.name_fr, s.name_en)}
    close = difflib.get_close_matches(fold(entry), list(names), n=3, cutoff=0.5)
    if not close:  # a word of the entry within a longer name: "caces" finds "CACES R489…"
        words = [w for w in fold(entry).split() if len(w) > 2]
        close = [k for k in names if any(w in k for w in words)][:3]
    message = _("Unknown skill: “%(entry)s” is neither the code nor the name of a skill.") % {
        "entry": entry
    }
    if close:
        message += " " + _("Did you mean: %(names)s?") % {
            "names": ", ".join(f"“{names[k]}”" for k in close)
        }
    return message


def original_of(spec: textformat.ModuleSpec, module: Module | None) -> Module | None:
    """The original module ``spec`` is a version of (its ``translation_of``, followed to
    the original), after checking that its work has no other version in that language."""
    if not spec.translation_of:
        return None
    original = (
        Module.objects.select_related("translation_of").filter(code=spec.translation_of).first()
    )
    if original is None:
        raise ServiceError(
            _("“translation_of”: there is no module with the code “%(code)s”.")
            % {"code": spec.translation_of},
            field="translation_of",
        )
    original = original.translation_of or original
    own = module.pk if module is not None else None
    if original.pk == own:
        raise ServiceError(_("A module cannot be a translation of itself."), field="translation_of")
    versions = Module.objects.filter(Q(pk=original.pk) | Q(translation_of=original)).filter(
        language=spec.language
    )
    same = (versions.exclude(pk=own) if own is not None else versions).first()
    if same is not None:
        raise ServiceError(
            _("“%(title)s” (%(code)s) is already the version of this module in %(language)s.")
            % {"title": same.title, "code": same.code, "language": same.language_label},
            field="translation_of",
        )
    return original


def _options(spec: textformat.CardSpec) -> list[dict[str, object]]:
    return [{"text": str(o["text"]), "correct": bool(o.get("correct"))} for o in spec.options]


def right_answer(kind: str, options: list[dict[str, object]]) -> object:
    """What a learner must remember: the right options (in order, for an ordering)."""
    if kind == Card.Kind.ORDERING:
        return [str(o["text"]) for o in options]
    if kind in Card.GRADED:
        return sorted(str(o["text"]) for o in options if o.get("correct"))
    return None


def _changes(card: Card, spec: textformat.CardSpec) -> list[str]:
    options = _options(spec)
    changes = []
    if card.kind != spec.kind:
        changes.append("kind")
    if card.title != spec.title[:CARD_TITLE]:
        changes.append("title")
    if right_answer(card.kind, card.options) != right_answer(spec.kind, options):
        changes.append("answer")
    if card.options != options and "answer" not in changes:
        changes.append("options")  # a wrong option's wording, a poll's options, their order
    if card.body != spec.body:
        changes.append("body")
    if card.explanation != spec.explanation:
        changes.append("explanation")
    return changes


def _steady(positions: list[int]) -> set[int]:
    """The indexes of a longest increasing run of ``positions``: the cards that stay in
    place; the others are the fewest cards whose move gives the new order."""
    best: list[list[int]] = []  # the longest increasing run ending at each index
    longest: list[int] = []
    for i, p in enumerate(positions):
        chain: list[int] = []
        for j in range(i):
            if positions[j] < p and len(best[j]) > len(chain):
                chain = best[j]
        best.append([*chain, i])
        if len(best[i]) > len(longest):
            longest = best[i]
    return set(longest)


def _state(module: Module | None, cards: list[Card]) -> object:
    if module is None or module.pk is None:
        return None
    return [
        [module.code, module.title, module.topic, module.language, module.minutes],
        [module.translation_of_id],
        sorted(module.skills.values_list("code", flat=True)),
        [(c.pk, c.key, c.position, c.kind, c.title, c.body, c.options) for c in cards],
        [(c.explanation, c.retired_at) for c in cards],
    ]


def plan(*, spec: textformat.ModuleSpec, module: Module | None) -> ImportPlan:
    """What importing ``spec`` over ``module`` (None or unsaved: a new module) will change.
    Reads only; a ServiceError names what is wrong (skills, a card's rules)."""
    for number, card_spec in enumerate(spec.cards, start=1):
        textformat.check_card(card_spec, number)
    spec.skills = [s.code for s in skills_of(spec.skills)]  # names read as their codes
    saved = module if module is not None and module.pk is not None else None
    original = original_of(spec, saved)
    spec.translation_of = original.code if original is not None else ""
    existing = (
        list(Card.everything.filter(module=saved).order_by("position", "pk")) if saved else []
    )
    result = ImportPlan(spec=spec, module=saved)
    if saved is not None:
        result.module_changes = _module_changes(saved, spec)
    result.keys = {c.key for c in existing}
    matched, by_question = _match(spec, existing)
    claimed = {c.pk for c in matched if c is not None}
    history = _history(existing)
    for i, (card_spec, found) in enumerate(zip(spec.cards, matched, strict=True)):
        item = CardPlan(ADDED, i, card_spec.kind, card_spec.title, card_spec.key, card_spec)
        if found is not None:
            item.action = REVIVED if found.retired_at is not None else KEPT
            item.card, item.key, item.by_question = found, found.key, i in by_question
            item.changes, item.learners = _changes(found, card_spec), history.get(found.pk, 0)
        result.cards.append(item)
    _mark_moved([c for c in result.cards if c.action == KEPT])
    result.cards += _left_out(existing, claimed, history)
    # the text as read (its canonical form: line ends and spacing do not count) and the state
    digest = json.dumps([textformat.dump(spec), _state(saved, existing)], default=str)
    result.token = hashlib.sha256(digest.encode()).hexdigest()[:32]
    return result


def _module_changes(saved: Module, spec: textformat.ModuleSpec) -> list[str]:
    skills = sorted(saved.skills.values_list("code", flat=True))
    original = saved.translation_of.code if saved.translation_of is not None else ""
    return [
        name
        for name, old, new in (
            ("code", saved.code, spec.code),
            ("title", saved.title, spec.title[:MODULE_TITLE]),
            ("topic", saved.topic, spec.topic[:MODULE_TOPIC]),
            ("language", saved.language, spec.language),
            ("minutes", saved.minutes, spec.minutes),
            ("skills", skills, sorted(spec.skills)),
            ("translation_of", original, spec.translation_of),
        )
        if old != new
    ]


def _match(spec: textformat.ModuleSpec, existing: list[Card]) -> tuple[list[Card | None], set[int]]:
    """The module's card each card of the file is: by its key, else (a card written without
    a key) a live card of the same kind and question not claimed by a key; and the indexes
    of the cards matched by their question."""
    by_key = {c.key: c for c in existing}
    matched: list[Card | None] = [by_key.get(s.key) if s.key else None for s in spec.cards]
    claimed = {c.pk for c in matched if c is not None}
    free: dict[tuple[str, str], deque[Card]] = defaultdict(deque)
    for card in existing:
        if card.retired_at is None and card.pk not in claimed:
            free[(card.kind, card.title)].append(card)
    by_question: set[int] = set()
    for i, card_spec in enumerate(spec.cards):
        same = free.get((card_spec.kind, card_spec.title[:CARD_TITLE]))
        if matched[i] is None and not card_spec.key and same:
            matched[i] = same.popleft()
            by_question.add(i)
    return matched, by_question


def _mark_moved(kept: list[CardPlan]) -> None:
    """The kept cards out of the longest run still in order have moved."""
    steady = _steady([c.card.position for c in kept if c.card is not None])
    for n, item in enumerate(kept):
        item.moved = n not in steady


def _left_out(existing: list[Card], claimed: set[int], history: dict[int, int]) -> list[CardPlan]:
    """The live cards the file no longer has: retired when they have a history, else
    removed."""
    left = []
    for card in existing:
        if card.retired_at is None and card.pk not in claimed:
            action = RETIRED if card.pk in history else REMOVED
            item = CardPlan(action, card.position, card.kind, card.title, card.key, None, card)
            item.learners = history.get(card.pk, 0)
            left.append(item)
    return left


def _history(cards: list[Card]) -> dict[int, int]:
    """For each card that has a history: the number of people who have met it (0 when it
    has answers or is in a duel but no memory left)."""
    ids = [c.pk for c in cards]
    if not ids:
        return {}
    found: dict[int, int] = dict(
        Memory.objects.filter(card_id__in=ids)
        .values("card_id")
        .annotate(n=Count("person_id"))
        .values_list("card_id", "n")
    )
    for card_id in Review.objects.filter(card_id__in=ids).values_list("card_id", flat=True):
        found.setdefault(card_id, 0)
    module_ids = {c.module_id for c in cards}
    for card_ids in Duel.objects.filter(module_id__in=module_ids).values_list(
        "card_ids", flat=True
    ):
        for card_id in card_ids or ():
            if card_id in ids:
                found.setdefault(card_id, 0)
    return found


def apply(result: ImportPlan, *, module: Module) -> Module:
    """Write the plan over ``module`` (saved or not). Call inside a transaction, with the
    plan made in that transaction (after locking the module)."""
    spec = result.spec
    module.code = spec.code
    module.title, module.topic = spec.title[:MODULE_TITLE], spec.topic[:MODULE_TOPIC]
    module.language, module.minutes = spec.language, spec.minutes
    module.translation_of = original_of(spec, module)
    module.updated_at = timezone.now()
    module.save()
    if module.translation_of is not None:  # its own versions follow it to the original
        Module.objects.filter(translation_of=module).update(translation_of=module.translation_of)
    module.skills.set(skills_of(spec.skills))
    taken = result.keys | {c.key for c in result.cards if c.key}
    now = timezone.now()
    for item in result.cards:
        if item.action == RETIRED and item.card is not None:
            item.card.retired_at = now
            item.card.save(update_fields=["retired_at"])
        elif item.action == REMOVED and item.card is not None:
            item.card.delete()
    for item in result.cards:
        if item.spec is None:
            continue
        card = item.card
        if card is None:
            key = item.key  # a key of the file the module does not know: kept
            while not key or (key in taken and not item.key):
                key = new_card_key()
            taken.add(key)
            card = item.card = Card(module=module, key=key)
            item.key = key
        elif item.changed and item.material:
            Memory.objects.filter(card=card).delete()
        card.position, card.kind = item.position, item.spec.kind
        card.title = item.spec.title[:CARD_TITLE]
        card.body, card.explanation = item.spec.body, item.spec.explanation
        card.options = _options(item.spec)
        card.retired_at = None
        card.save()
    catalogue.bump()  # the content changed: today's pages reload the catalogue
    return module
