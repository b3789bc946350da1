from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sylva.people import verbs
from sylva.people.models import Level

register = template.Library()


@register.simple_tag
def level_badge(level: int | None) -> str:
    """Four dots, ``level`` of them filled, with the level's name for screen readers."""
    if not level:
        return format_html('<span class="level none" aria-label="{}">–</span>', _("not held"))
    label = Level(level).label
    dots = "".join("●" if i < level else "○" for i in range(4))
    return format_html(
        '<span class="level l{}" title="{}" aria-label="{}">{}</span>', level, label, label, dots
    )


@register.filter
def verb_label(iri: str) -> str:
    v = verbs.BY_IRI.get(iri)
    return str(v.label) if v else iri.rsplit("/", 1)[-1]


@register.filter
def verb_form(iri: str) -> str:
    v = verbs.BY_IRI.get(iri)
    return v.form.value if v else ""
