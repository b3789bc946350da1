"""Helpers shared by every app's page views."""

from typing import Any

from sylva.core.errors import ServiceError


def apply_error(form: Any, exc: ServiceError) -> None:
    """Show a business rule's refusal on a form: on the field it names, if the form has it,
    else as a form-wide error."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
