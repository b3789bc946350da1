"""Panels that pillar apps add to people's pages, without people importing them.

A pillar's AppConfig declares ``panels = {"profile": "sylva.exchange.panels.balance"}``;
the named function receives ``(request, person)`` and returns HTML (or "" for nothing).
Slots: "home" (the signed-in person's home page), "profile" (a person's profile page).
"""

from django import template
from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, person: object) -> SafeString:
    request = context.get("request")
    parts = []
    for config in apps.get_app_configs():
        target = getattr(config, "panels", {}).get(slot)
        if target:
            parts.append(str(import_string(target)(request, person)))
    # each panel renders its own (auto-escaped) template
    return mark_safe("".join(parts))
