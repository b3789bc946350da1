"""The registry of confidential fields: what a person wrote in a private context (an
exchange's messages, reviews and reasons, an answer to a reflection card…), and secrets.

Each pillar declares its own on its AppConfig, beside its other contract entries::

    confidential = {"Message": ("body",), "Review": ("learned", "next_step", "story")}

and core adds Django's own (a password hash). Nothing reads the registry to *show* these
fields: the admin (:mod:`sylva.core.admin`) refuses every lookup, filter, search or ordering
that reaches one — directly or through relations — and never displays them; the tests plant a
secret in every registered field and crawl the admin, the pages and the API for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP

from sylva.core.pillars import pillars

# Django's and the libraries' own (when installed): core may name them, never a pillar.
CORE: dict[str, tuple[str, ...]] = {
    "auth.User": ("password",),
    "otp_totp.TOTPDevice": ("key",),
    "otp_static.StaticToken": ("token",),
}


@cache
def registry() -> dict[type[Model], frozenset[str]]:
    """Model -> the names of its confidential fields, from every installed app."""
    found: dict[type[Model], set[str]] = {}
    declared: list[tuple[str, str, tuple[str, ...]]] = []
    for label, fields in CORE.items():
        app_label, model_name = label.split(".")
        if app_label in apps.app_configs:
            declared.append((app_label, model_name, fields))
    for config in pillars():
        for model_name, fields in config.confidential.items():
            declared.append((config.label, model_name, tuple(fields)))
    for app_label, model_name, fields in declared:
        model = apps.get_model(app_label, model_name)
        for name in fields:
            model._meta.get_field(name)  # a typo is an error at start, not a silent hole
        found.setdefault(model, set()).update(fields)
    return {model: frozenset(names) for model, names in found.items()}


def fields_of(model: type[Model]) -> frozenset[str]:
    concrete = model._meta.concrete_model or model
    return registry().get(concrete, frozenset())


def is_confidential(model: type[Model], name: str) -> bool:
    return name in fields_of(model)


def touches(model: type[Model], path: str) -> bool:
    """Whether an ORM path (``exchange__messages__body__startswith``, ``-learned``, ``^body``)
    reads a confidential field of ``model`` or of a model it reaches through relations."""
    path = path.lstrip("-^=@?")
    current = model
    for part in path.split(LOOKUP_SEP):
        if part == "pk":
            part = current._meta.pk.name
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or a lookup: the walk is over
        if is_confidential(current, field.name):
            return True
        related = getattr(field, "related_model", None)
        if not field.is_relation or related is None or isinstance(related, str):
            return False
        current = related
    return False


def paths_to(model: type[Model], *, depth: int = 3) -> Iterator[tuple[str, type[Model], str]]:
    """Every relation path from ``model`` (at most ``depth`` relations) that ends on a
    confidential field: ``(path, model owning the field, field name)``."""

    def walk(current: type[Model], prefix: str, left: int, seen: frozenset) -> Iterator:
        for name in sorted(fields_of(current)):
            yield f"{prefix}{name}", current, name
        if left == 0:
            return
        for field in current._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not field.is_relation or related is None or isinstance(related, str):
                continue
            if related in seen:
                continue
            yield from walk(related, f"{prefix}{field.name}__", left - 1, seen | {related})

    yield from walk(model, "", depth, frozenset({model}))
