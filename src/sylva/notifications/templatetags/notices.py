"""``{{ notification.kind|notice_label }}``: a notice kind's label, as the pillar declares it
(in the language being rendered), for the email's "why you get this"."""

from __future__ import annotations

from django import template

from sylva.notifications import queries

register = template.Library()


@register.filter
def notice_label(kind: str) -> str:
    notice = queries.notice_kinds().get(kind)
    return str(notice.label) if notice is not None else kind
