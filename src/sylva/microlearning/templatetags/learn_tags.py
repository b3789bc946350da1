from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from sylva.microlearning import present
from sylva.microlearning.services.answers import shown_order

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown to HTML, sanitised (authors are colleagues, not necessarily designers)."""
    return present.markdown(text)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)} %"


@register.filter
def shuffled_options(card: object) -> list[tuple[int, dict[str, object]]]:
    """An ordering's items in the order shown (``services.answers.shown_order``: keyed, the
    same each time for a card, independent of the right order); a form names each item by
    its shown position (``forloop.counter0``), never by its index."""
    return [(i, card.options[i]) for i in shown_order(card)]  # type: ignore[arg-type,attr-defined]


@register.filter
def option_text(card: object, index: int) -> str:
    try:
        return str(card.options[int(index)]["text"])  # type: ignore[attr-defined]
    except (IndexError, KeyError, TypeError, ValueError):
        return ""
