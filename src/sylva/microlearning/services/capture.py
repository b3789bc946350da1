"""Experience turned into a draft light resource — the one entry other pillars may call
(communities' capitalisation of an experience report or an accepted answer).

The draft is written through the module's own text format and service
(``content.apply_text``: the same parsing and checks as the editor), as a light resource
in draft, authored by the designer who capitalised it, with a credit line naming the
original authors in its text. Nothing here knows where the words came from."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from sylva.core.errors import ServiceError
from sylva.core.validation import limit_of
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, Module
from sylva.microlearning.services import content
from sylva.people.models import Person, Skill

#: a card's text holds at most this (longer sections run over several cards)
CARD_TEXT = limit_of(Card, "body") - 500
CARD_TITLE = limit_of(Card, "title")
WORDS_A_MINUTE = 180


def _code(title: str) -> str:
    stem = slugify(title)[:60].strip("-") or "experience"
    return f"{stem}-{secrets.token_hex(3)}"


def _chunks(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut between paragraphs where it
    can."""
    out: list[str] = []
    rest = text.strip()
    while len(rest) > size:
        cut = rest.rfind("\n\n", 0, size)
        if cut <= 0:
            cut = rest.rfind(" ", 0, size)
        if cut <= 0:
            cut = size
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        out.append(rest)
    return out


def credit_line(credits: Iterable[str], language: str) -> str:
    names = ", ".join(dict.fromkeys(c for c in credits if c))
    with override(language):
        return _("From the experience of %(names)s.") % {"names": names}


def draft_light_resource(
    *,
    designer: Person,
    title: str,
    sections: Sequence[tuple[str, str]],
    skills: Iterable[Skill],
    credits: Sequence[str],
    language: str,
) -> Module:
    """A new light resource in draft: one lesson card per section (``(title, markdown)``,
    a long one over several cards), the last card ending with the credit line naming
    ``credits``; the designer is its author and edits it in the module editor."""
    language = language if language in Module.Language.values else "fr"
    cards: list[textformat.CardSpec] = []
    for heading, body in sections:
        pieces = _chunks(body, CARD_TEXT) or [""]
        for piece in pieces:
            if not (heading.strip() or piece):
                continue
            cards.append(
                textformat.CardSpec(
                    kind="lesson", title=(heading.strip() or title)[:CARD_TITLE], body=piece
                )
            )
    if not cards:
        raise ServiceError(_("There is nothing to turn into a resource."), field="sections")
    credit = credit_line(credits, language)
    last = cards[-1]
    last.body = f"{last.body}\n\n*{credit}*".strip()
    words = sum(len(c.title.split()) + len(c.body.split()) for c in cards)
    spec = textformat.ModuleSpec(
        code=_code(title),
        title=title.strip()[: limit_of(Module, "title")] or _("Experience"),
        language=language,
        minutes=max(1, min(60, round(words / WORDS_A_MINUTE) or 1)),
        skills=sorted({s.code for s in skills}),
        cards=cards,
    )
    module = content.save_text(
        author=designer, user=designer.user, text=textformat.dump(spec), light=True
    )
    return module


def editor_url(module: Module) -> str:
    """Where the designer goes on to edit the draft."""
    return reverse("microlearning:edit_module", args=[module.code])
