"""A module as a plain text file: Markdown with YAML front matter (see docs/microlearning.md).

```
---
code: chariot-securite
title: Conduire un chariot en sécurité
topic: Sécurité
language: fr
minutes: 3
skills: [machine-safety]
translation_of: forklift-safety
---

## lesson: Avant de démarrer
Le tour du chariot prend **deux minutes**.

## single: Quelle est la vitesse maximale dans l'entrepôt ? {#a41c07e2}
- [ ] 10 km/h
- [x] 6 km/h
> La vitesse est limitée à 6 km/h dans les allées.
```

Each card starts with ``## <kind>: <title>``, optionally followed by the card's key
``{#key}`` (its identity across export and import: written by export, kept by an import;
a card without one is new); options are ``- [x]`` (correct) / ``- [ ]``
lines (``- `` for a poll, ``1. `` for an ordering, in the right order); ``> `` lines are the
explanation; other lines are the card's Markdown text. A text line that would read as one of
these markers is written with a leading backslash, and a title that itself ends like a
key is written followed by an empty one, ``{#}``.

``skills`` lists skills by code or by name (French or English, accent- and case-blind);
``translation_of`` names the code of the module this one is the version of in its
``language`` (written only when there is one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError

#: the longest module text the editor and the API take, in characters
MAX_TEXT = 100_000
#: the largest module file the import page takes, in bytes (its text, once previewed)
MAX_FILE = 500_000

KINDS = ("lesson", "single", "multiple", "truefalse", "ordering", "poll", "reflection")
GRADED = {"single", "multiple", "truefalse", "ordering"}
HEADING = re.compile(r"^##\s+([a-z]+)\s*:\s*(.*)$")
CHECKBOX = re.compile(r"^- \[( |x|X)\] (.*)$")
BULLET = re.compile(r"^- (.*)$")
NUMBERED = re.compile(r"^\d+\. (.*)$")
MARKER = re.compile(r"^(\\|#|- |>|\d+\. |---)")
SLUG = re.compile(r"^[-a-z0-9_]+$")
KEY = re.compile(r"^[a-z0-9][-a-z0-9]{0,39}$")
KEY_ATTR = re.compile(r"^(.*?)\s*\{#([^{}\s]*)\}$")  # the last "{#…}" ending a heading


@dataclass
class CardSpec:
    kind: str
    title: str
    body: str = ""
    options: list[dict[str, object]] = field(default_factory=list)
    explanation: str = ""
    key: str = ""  # "" in a file: a new card


@dataclass
class ModuleSpec:
    code: str
    title: str
    topic: str = ""
    language: str = "fr"
    minutes: int = 3
    skills: list[str] = field(default_factory=list)  # codes or names of skills
    cards: list[CardSpec] = field(default_factory=list)
    translation_of: str = ""  # the code of the module this one is a version of


def _error(line: int, message: str) -> ServiceError:
    return ServiceError(
        _("Line %(line)d: %(message)s") % {"line": line, "message": message}, field="file"
    )


def _front_matter(lines: list[str]) -> tuple[dict[str, object], int]:
    if not lines or lines[0].strip() != "---":
        raise _error(1, _("the file must start with a front matter block opened by “---”."))
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise _error(len(lines), _("the front matter block is never closed by “---”."))
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        raise _error(line, _("the front matter is not valid YAML.")) from None
    if not isinstance(meta, dict):
        raise _error(2, _("the front matter must be a list of “key: value” lines."))
    return meta, end + 1


def _meta_module(meta: dict[str, object]) -> ModuleSpec:
    code, title = str(meta.get("code") or "").strip(), str(meta.get("title") or "").strip()
    if not code or not SLUG.match(code):
        raise _error(2, _("“code” is required: lower-case letters, digits and dashes."))
    if not title:
        raise _error(2, _("“title” is required."))
    language = str(meta.get("language") or "fr")
    if language not in ("fr", "en"):
        raise _error(2, _("“language” is fr or en."))
    try:
        minutes = int(meta.get("minutes") or 3)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise _error(2, _("“minutes” is a whole number.")) from None
    if not 1 <= minutes <= 60:
        raise _error(2, _("“minutes” is between 1 and 60."))
    skills = meta.get("skills") or []
    if isinstance(skills, str):
        skills = [s for s in (part.strip() for part in skills.split(",")) if s]
    if not isinstance(skills, list):
        raise _error(2, _("“skills” is a list of skill codes or names, like [machine-safety]."))
    original = str(meta.get("translation_of") or "").strip()
    if original and not SLUG.match(original):
        raise _error(2, _("“translation_of” is the code of the module this one translates."))
    if original == code:
        raise _error(2, _("A module cannot be a translation of itself."))
    return ModuleSpec(
        translation_of=original,
        code=code,
        title=title,
        topic=str(meta.get("topic") or "").strip(),
        language=language,
        minutes=minutes,
        skills=[str(s).strip() for s in skills if str(s).strip()],
    )


def parse(text: str) -> ModuleSpec:
    """Read a module file; a ServiceError names the first faulty line."""
    lines = text.replace("\r\n", "\n").split("\n")
    meta, start = _front_matter(lines)
    reader = _Reader(_meta_module(meta))
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.rstrip()
        heading = HEADING.match(line)
        if heading:
            reader.start_card(number, heading.group(1), heading.group(2).strip())
        else:
            reader.add_line(number, line)
    reader.close()
    if not reader.module.cards:
        raise _error(len(lines), _("the module has no card."))
    return reader.module


@dataclass
class _Reader:
    """The cards of a module file, read line by line after its front matter."""

    module: ModuleSpec
    card: CardSpec | None = None
    card_line: int = 0
    keys: dict[str, int] = field(default_factory=dict)  # key -> line of its card
    body: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    def close(self) -> None:
        """The card being read is complete: check it and add it to the module."""
        if self.card is not None:
            self.card.body = "\n".join(self.body).strip("\n")
            self.card.explanation = "\n".join(self.explanation).strip("\n")
            check_card(self.card, self.card_line)
            self.module.cards.append(self.card)

    def start_card(self, number: int, kind: str, heading: str) -> None:
        """A ``## kind: title {#key}`` line: the previous card ends, this one starts."""
        self.close()
        if kind not in KINDS:
            raise _error(
                number,
                _("unknown card kind “%(kind)s”; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(KINDS)},
            )
        title, key = _title_key(heading, number)
        if not title:
            raise _error(number, _("a card needs a title after the colon."))
        self._claim(key, number)
        self.card, self.card_line = CardSpec(kind, title, key=key), number
        self.body, self.explanation = [], []

    def _claim(self, key: str, number: int) -> None:
        if key in self.keys:
            raise _error(
                number,
                _("the key {#%(key)s} is already used by the card of line %(line)d.")
                % {"key": key, "line": self.keys[key]},
            )
        if key:
            self.keys[key] = number

    def add_line(self, number: int, line: str) -> None:
        """Any other line: the card's explanation (``>``), an option, or its body."""
        if self.card is None:
            if line.strip():
                raise _error(number, _("text before the first card (“## kind: title”)."))
            return
        if line.startswith(">"):
            self.explanation.append(line[2:] if line.startswith("> ") else line[1:])
            return
        option = _option(self.card, line, number)
        if option is not None:
            self.card.options.append(option)
            return
        if line.startswith("#"):
            raise _error(number, _("a heading must read “## kind: title”."))
        self.body.append(line[1:] if line.startswith("\\") else line)


def _title_key(heading: str, number: int) -> tuple[str, str]:
    """A heading's title and the card's key (``Title {#key}``; ``{#}`` is no key)."""
    found = KEY_ATTR.match(heading)
    if found is None:
        return heading, ""
    key = found.group(2)
    if key and not KEY.match(key):
        raise _error(
            number,
            _("a card key “{#%(key)s}” is lower-case letters, digits and dashes.") % {"key": key},
        )
    return found.group(1).strip(), key


def _heading(card: CardSpec) -> str:
    title = card.title
    if card.key or KEY_ATTR.match(title):
        title += f" {{#{card.key}}}"
    return f"## {card.kind}: {title}"


def _option(card: CardSpec, line: str, number: int) -> dict[str, object] | None:
    if card.kind in ("single", "multiple", "truefalse"):
        m = CHECKBOX.match(line)
        if m:
            return {"text": m.group(2).strip(), "correct": m.group(1) != " "}
        if BULLET.match(line):
            raise _error(number, _("an option reads “- [x] right” or “- [ ] wrong”."))
    elif card.kind == "poll":
        m = BULLET.match(line)
        if m:
            return {"text": m.group(1).strip(), "correct": False}
    elif card.kind == "ordering":
        m = NUMBERED.match(line)
        if m:
            return {"text": m.group(1).strip(), "correct": True}
    return None


def check_card(card: CardSpec, line: int) -> None:
    """The rules of a card, whichever way it was written (file, form, API)."""
    problem = card_problem(card)
    if problem:
        raise _error(line, problem)


def card_problem(card: CardSpec) -> str:
    """What breaks the rules of a card ("" when none): the file's and the form editor's
    one check."""
    texts = [str(o.get("text", "")).strip() for o in card.options]
    correct = sum(1 for o in card.options if o.get("correct"))
    problems = [
        (any(not t for t in texts), _("an option has no text.")),
        (
            card.kind in ("single", "multiple", "truefalse") and len(card.options) < 2,
            _("a question needs at least two options."),
        ),
        (
            card.kind in ("single", "multiple", "truefalse") and correct == 0,
            _("the question “%(title)s” has no correct option.") % {"title": card.title},
        ),
        (
            card.kind in ("single", "truefalse") and correct > 1,
            _("a single-choice question has exactly one correct option."),
        ),
        (
            card.kind == "truefalse" and len(card.options) != 2,
            _("a true-or-false question has exactly two options."),
        ),
        (
            card.kind == "ordering" and len(card.options) < 2,
            _("an ordering needs at least two items."),
        ),
        (card.kind == "poll" and len(card.options) < 2, _("a poll needs at least two options.")),
        (
            card.kind in ("lesson", "reflection") and bool(card.options),
            _("this kind of card has no options."),
        ),
    ]
    return next((message for broken, message in problems if broken), "")


def _escape(text: str) -> list[str]:
    return [("\\" + line) if MARKER.match(line) else line for line in text.split("\n")]


def dump(module: ModuleSpec) -> str:
    """The text of a module; ``parse(dump(m)) == m`` for every valid module."""
    meta = {
        "code": module.code,
        "title": module.title,
        "topic": module.topic,
        "language": module.language,
        "minutes": module.minutes,
        "skills": list(module.skills),
    }
    if module.translation_of:
        meta["translation_of"] = module.translation_of
    out = ["---", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).rstrip("\n"), "---"]
    for card in module.cards:
        out += ["", _heading(card)]
        if card.body:
            out += _escape(card.body)
        for i, option in enumerate(card.options, start=1):
            text = option["text"]
            if card.kind == "ordering":
                out.append(f"{i}. {text}")
            elif card.kind == "poll":
                out.append(f"- {text}")
            else:
                out.append(f"- [{'x' if option.get('correct') else ' '}] {text}")
        if card.explanation:
            out += ["> " + line for line in card.explanation.split("\n")]
    return "\n".join(out) + "\n"
