from django import template
from django.utils.translation import gettext as _

from sylva.exchange.models import WEEKDAYS

register = template.Library()


@register.filter
def slot_labels(slots: list[int] | None) -> str:
    """Weekly slots as "Monday 9:00, Tuesday 14:00"."""
    parts = []
    for slot in sorted(slots or []):
        day, hour = divmod(int(slot), 24)
        if 0 <= day < 7:
            parts.append(_("%(day)s %(hour)d:00") % {"day": WEEKDAYS[day], "hour": hour})
    return ", ".join(parts)
