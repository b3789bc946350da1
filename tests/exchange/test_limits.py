"""Each input limit of the exchange is written once, on the model field: every limited text
of the forms and the API schemas is the model's limit, and the services refuse one
character more with the one message of sylva.core.validation."""

from __future__ import annotations

import inspect

import pytest
from django import forms as django_forms
from ninja import Schema

from sylva.core.validation import limit_of
from sylva.exchange import forms, schemas
from sylva.exchange.models import (
    CAPACITY,
    DURATION,
    EXPIRY_DAYS,
    FAIR_MINUTES,
    USEFULNESS,
    Exchange,
    ExchangeSettings,
    Fair,
    Message,
    Offer,
    Range,
    Review,
)

#: (form or schema, field) -> the model field whose max_length it is
LIMITS = {
    ("PostingForm", "text"): (Offer, "text"),
    ("OfferForm", "text"): (Offer, "text"),
    ("RequestForm", "text"): (Offer, "text"),
    ("ReasonForm", "reason"): (Exchange, "decline_reason"),
    ("ScheduleForm", "place"): (Exchange, "place"),
    ("ReviewForm", "learned"): (Review, "learned"),
    ("ReviewForm", "next_step"): (Review, "next_step"),
    ("ReviewForm", "story"): (Review, "story"),
    ("MessageForm", "body"): (Message, "body"),
    ("ProposeToForm", "message"): (Message, "body"),
    ("FairForm", "title"): (Fair, "title"),
    ("PostingIn", "text"): (Offer, "text"),
    ("OfferIn", "text"): (Offer, "text"),
    ("RequestIn", "text"): (Offer, "text"),
    ("ReasonIn", "reason"): (Exchange, "decline_reason"),
    ("ScheduleIn", "place"): (Exchange, "place"),
    ("ReviewIn", "learned"): (Review, "learned"),
    ("ReviewIn", "next_step"): (Review, "next_step"),
    ("ReviewIn", "story"): (Review, "story"),
    ("MessageIn", "body"): (Message, "body"),
}


def _form_limits() -> dict[tuple[str, str], int]:
    found = {}
    for name, cls in inspect.getmembers(forms, inspect.isclass):
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == forms.__name__:
            for field_name, field in cls.base_fields.items():
                if isinstance(field, django_forms.CharField) and field.max_length is not None:
                    found[(name, field_name)] = field.max_length
    return found


def _schema_limits() -> dict[tuple[str, str], int]:
    found = {}
    for name, cls in inspect.getmembers(schemas, inspect.isclass):
        if issubclass(cls, Schema) and cls.__module__ == schemas.__name__:
            properties = cls.model_json_schema().get("properties", {})
            for field_name, spec in properties.items():
                if "maxLength" in spec:
                    found[(name, field_name)] = spec["maxLength"]
    return found


@pytest.mark.parametrize("walk", [_form_limits, _schema_limits])
def test_every_limited_text_of_forms_and_schemas_is_the_models_limit(walk) -> None:  # type: ignore[no-untyped-def]
    found = walk()
    assert found, "the walk found no limited field"
    for key, limit in found.items():
        assert key in LIMITS, f"{key} has a limit ({limit}) that is no model field's: add it"
        model, field = LIMITS[key]
        assert limit == limit_of(model, field), key


def test_every_limit_the_walk_expects_is_still_there() -> None:
    found = {**_form_limits(), **_schema_limits()}
    assert set(LIMITS) <= set(found)


#: (form or schema, field) -> the Range of sylva.exchange.models it is bounded by
RANGES = {
    ("PostingForm", "duration_minutes"): DURATION,
    ("OfferForm", "duration_minutes"): DURATION,
    ("RequestForm", "duration_minutes"): DURATION,
    ("OfferForm", "capacity"): CAPACITY,
    ("ScheduleForm", "duration_minutes"): DURATION,
    ("ProposeToForm", "duration_minutes"): DURATION,
    ("SettingsForm", "request_expiry_days"): EXPIRY_DAYS,
    ("SettingsForm", "default_capacity"): CAPACITY,
    ("FairForm", "minutes"): FAIR_MINUTES,
    ("PostingIn", "duration_minutes"): DURATION,
    ("OfferIn", "duration_minutes"): DURATION,
    ("RequestIn", "duration_minutes"): DURATION,
    ("OfferIn", "capacity"): CAPACITY,
    ("ScheduleIn", "duration_minutes"): DURATION,
    ("ReviewIn", "usefulness"): USEFULNESS,
}


def _form_ranges() -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for name, cls in inspect.getmembers(forms, inspect.isclass):
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == forms.__name__:
            for field_name, field in cls.base_fields.items():
                if isinstance(field, django_forms.IntegerField) and field.min_value is not None:
                    found[(name, field_name)] = (field.min_value, field.max_value)
    return found


def _schema_ranges() -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for name, cls in inspect.getmembers(schemas, inspect.isclass):
        if issubclass(cls, Schema) and cls.__module__ == schemas.__name__:
            for field_name, spec in cls.model_json_schema().get("properties", {}).items():
                if "minimum" in spec:
                    found[(name, field_name)] = (spec["minimum"], spec["maximum"])
    return found


@pytest.mark.parametrize("walk", [_form_ranges, _schema_ranges])
def test_every_bounded_number_of_forms_and_schemas_is_its_range(walk) -> None:  # type: ignore[no-untyped-def]
    found = walk()
    assert found
    for key, bounds in found.items():
        assert key in RANGES, f"{key} is bounded {bounds} by no Range of the models: add it"
        assert bounds == (RANGES[key].low, RANGES[key].high), key
    assert {k for k in RANGES if k[0].endswith("Form") == (walk is _form_ranges)} <= set(found)


@pytest.mark.parametrize(
    ("model", "field", "bounds"),
    [
        (Offer, "duration_minutes", DURATION),
        (Offer, "capacity", CAPACITY),
        (ExchangeSettings, "request_expiry_days", EXPIRY_DAYS),
        (ExchangeSettings, "default_capacity", CAPACITY),
        (Review, "usefulness", USEFULNESS),
    ],
)
def test_the_models_validators_are_the_same_ranges(model, field, bounds: Range) -> None:  # type: ignore[no-untyped-def]
    limits = {type(v).__name__: v.limit_value for v in model._meta.get_field(field).validators}
    assert (limits["MinValueValidator"], limits["MaxValueValidator"]) == (bounds.low, bounds.high)
