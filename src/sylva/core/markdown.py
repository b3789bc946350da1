"""Sanitised Markdown: what people write (cards, posts, replies, reports) shown as HTML.

Markdown is rendered by Python-Markdown, then cleaned by nh3 to a short list of tags and
attributes, so that a `<script>`, an event handler or a `javascript:` link never reaches a
page whoever wrote the text. Core imports no Sylva app: every pillar renders through here.
"""

from __future__ import annotations

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED = frozenset(
    {
        "p",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "code",
        "pre",
        "blockquote",
        "br",
        "h3",
        "h4",
    }
)
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = md.markdown(text, extensions=["sane_lists"])
    return str(nh3.clean(html, tags=set(ALLOWED), attributes=ATTRIBUTES))


def render(text: str | None) -> SafeString:
    """Markdown to HTML, sanitised (authors are colleagues, not necessarily designers)."""
    return mark_safe(_render(text or ""))
