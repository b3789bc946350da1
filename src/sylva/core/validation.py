"""Each input rule written once: a limit lives on the model field (or one constant), and
forms, API schemas and services read it from there; the refusal reads the same in every
entry point and in both languages.

    MAX_BODY = limit_of(Message, "body")          # in a schema: Field(max_length=MAX_BODY)
    check_length(text, limit=MAX_BODY, field="body")   # in a service
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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


#: pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in
#: words of Sylva's, in the reader's language; a type not named here keeps pydantic's text
_SCHEMA_MESSAGES: dict[str, str] = {
    "missing": gettext_noop("This field is required."),
    "extra_forbidden": gettext_noop("This field is not expected here."),
    "string_type": gettext_noop("Give a text."),
    "string_too_short": gettext_noop("At least %(min_length)s characters."),
    "string_pattern_mismatch": gettext_noop("This text does not have the expected form."),
    "int_type": gettext_noop("Give a whole number."),
    "int_parsing": gettext_noop("Give a whole number."),
    "int_from_float": gettext_noop("Give a whole number."),
    "float_type": gettext_noop("Give a number."),
    "float_parsing": gettext_noop("Give a number."),
    "bool_type": gettext_noop("Give true or false."),
    "bool_parsing": gettext_noop("Give true or false."),
    "greater_than": gettext_noop("Give a value greater than %(gt)s."),
    "greater_than_equal": gettext_noop("Give a value of at least %(ge)s."),
    "less_than": gettext_noop("Give a value less than %(lt)s."),
    "less_than_equal": gettext_noop("Give a value of at most %(le)s."),
    "date_type": gettext_noop("Give a date (YYYY-MM-DD)."),
    "date_parsing": gettext_noop("Give a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_noop("Give a date (YYYY-MM-DD)."),
    "datetime_type": gettext_noop("Give a date and time (ISO 8601, e.g. 2026-03-01T09:30:00)."),
    "datetime_parsing": gettext_noop("Give a date and time (ISO 8601, e.g. 2026-03-01T09:30:00)."),
    "datetime_from_date_parsing": gettext_noop(
        "Give a date and time (ISO 8601, e.g. 2026-03-01T09:30:00)."
    ),
    "time_parsing": gettext_noop("Give a time (HH:MM)."),
    "list_type": gettext_noop("Give a list."),
    "too_short": gettext_noop("At least %(min_length)s items."),
    "too_long": gettext_noop("At most %(max_length)s items."),
    "dict_type": gettext_noop("Give an object."),
    "model_type": gettext_noop("Give an object."),
    "model_attributes_type": gettext_noop("Give an object."),
    "json_invalid": gettext_noop("This is not valid JSON."),
    "literal_error": gettext_noop("Choose one of: %(expected)s."),
    "enum": gettext_noop("Choose one of: %(expected)s."),
    "uuid_parsing": gettext_noop("Give a UUID."),
    "url_parsing": gettext_noop("Give a web address."),
    "url_scheme": gettext_noop("Give a web address starting with %(expected_schemes)s."),
}


def schema_message(error: dict[str, Any]) -> str:
    """One of pydantic's validation errors in the reader's language (a text too long reads
    as every other entry point's, :func:`too_long`)."""
    kind = str(error.get("type", ""))
    limit = (error.get("ctx") or {}).get("max_length")
    if kind == "string_too_long" and isinstance(limit, int):
        return too_long(limit)
    message = _SCHEMA_MESSAGES.get(kind)
    if message is None:
        return str(error.get("msg") or _("This value is not valid."))
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return _(message) % ctx if "%(" in message else _(message)
    except (KeyError, ValueError, TypeError):
        return str(error.get("msg") or _(message))
