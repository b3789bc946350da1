"""What microlearning shows in more than one place: the sanitised Markdown of cards (pages,
the API's feedback), today's rendez-vous with its cards' forms (the today page and the home
panel of people), and a refusal shown in place (a preview, an answer's feedback).

It sits beside the layers of .importlinter: views, panels, api and templatetags import it;
it imports only services, queries and models.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from sylva.core.markdown import render as render_markdown
from sylva.microlearning.models import Card
from sylva.microlearning.queries import catalogue
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.queries.summary import day_summary
from sylva.microlearning.services import answers
from sylva.people.models import Person
from sylva.people.web import current_person

T = TypeVar("T")

# --- Markdown ---------------------------------------------------------------------------

# The sanitised renderer lives in sylva.core.markdown (communities use it too).
markdown = render_markdown


# --- today's rendez-vous ----------------------------------------------------------------

CSRF_MARK, ANSWER_MARK, SERVED_MARK = "__sylva_csrf__", "__sylva_answer_id__", "__sylva_served__"


def card_html(
    request: HttpRequest, card: Card, *, is_new: bool, hidden: bool, token: str | None = None
) -> str:
    """A card's question form. The same for every learner but for the CSRF token and the
    answer id, so its rendering is kept with the in-memory catalogue (renewed whenever the
    content changes, see queries.catalogue)."""
    kept = catalogue.current(catalogue.token_now()).html
    return _card_html(request, card, is_new=is_new, hidden=hidden, token=token, kept=kept)


def _card_html(
    request: HttpRequest,
    card: Card,
    *,
    is_new: bool,
    hidden: bool,
    token: str | None,
    kept: dict[tuple[int, str, bool, bool], str] | None,
    served: str | None = None,
) -> str:
    key = (card.pk, get_language(), is_new, hidden)
    html = kept.get(key) if kept is not None else None
    if html is None:
        html = render_to_string(
            "microlearning/_card.html",
            {
                "card": card,
                "is_new": is_new,
                "hidden": hidden,
                "offline": True,
                "action": reverse("microlearning:answer", args=[card.pk]),
                "answer_id": ANSWER_MARK,
                "served": SERVED_MARK,
                "csrf_token": CSRF_MARK,
            },
        )
        if kept is not None:
            kept[key] = html
    token = token or get_token(request)
    served = served or answers.served_token(current_person(request))
    return (
        html.replace(CSRF_MARK, token)
        .replace(ANSWER_MARK, str(uuid.uuid4()))
        .replace(SERVED_MARK, served)
    )


def rendezvous(request: HttpRequest, person: Person) -> dict[str, object]:
    """What ``_rendezvous.html`` shows: today's queue and its cards' forms, the first one
    shown, the others hidden until the previous one is answered; once it is done, the
    day's summary (queries.summary)."""
    queue = today_queries.today(person)
    token, kept = get_token(request), queue.content.html if queue.content else None
    served = answers.served_token(person) if queue.slots else ""
    cards = [
        mark_safe(
            _card_html(
                request,
                s.card,
                is_new=s.is_new,
                hidden=i > 0,
                token=token,
                kept=kept,
                served=served,
            )
        )
        for i, s in enumerate(queue.slots)
    ]
    summary = day_summary(person) if queue.done and not queue.paused else None
    return {"today": queue, "cards": cards, "summary": summary}
