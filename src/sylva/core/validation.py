"""Each input rule written once: a limit lives on the model field (or one constant), and
forms, API schemas and services read it from there; the refusal reads the same in every
entry point and in both languages.

    MAX_BODY = limit_of(Message, "body")          # in a schema: Field(max_length=MAX_BODY)
    check_length(text, limit=MAX_BODY, field="body")   # in a service
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError


def limit_of(model: type[Model], field: str) -> int:
    """The ``max_length`` of ``model.field`` (a TextField may carry one too: Django's forms
    honour it, the database does not need it)."""
    length = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    if length is None:
        raise ImproperlyConfigured(f"{model._meta.label}.{field} has no max_length")
    return int(length)


def too_long(limit: int) -> str:
    return _("At most %(limit)d characters.") % {"limit": limit}


def check_length(value: str, *, limit: int, field: str) -> str:
    """``value`` when it has at most ``limit`` characters; else a ServiceError on ``field``."""
    if len(value) > limit:
        raise ServiceError(too_long(limit), field=field)
    return value


def check_field(model: type[Model], field: str, value: str, *, name: str | None = None) -> str:
    """``check_length`` with the limit of ``model.field`` (the error names ``name`` or
    ``field``)."""
    return check_length(value, limit=limit_of(model, field), field=name or field)
