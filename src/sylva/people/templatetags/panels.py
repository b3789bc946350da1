"""Panels that pillars add to people's pages, without people importing them.

A pillar's contract declares ``panels = {"profile": "sylva.exchange.panels.profile"}``;
the named function receives ``(request, person)`` and returns HTML (or "" for nothing).
Slots: sylva.core.pillars.PANEL_SLOTS ("home": the signed-in person's home page,
"profile": a person's profile page).
"""

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from sylva.core.pillars import pillars

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, person: object) -> SafeString:
    request: HttpRequest = context["request"]
    # each panel renders its own (auto-escaped) template
    return mark_safe("".join(config.panel(slot, request, person) for config in pillars()))
