"""Sylva's xAPI vocabulary: every IRI in one module, and the registry of verbs.

A verb is an IRI (ADL's where one exists, Sylva's own otherwise) with a French and English
label and the *form of learning* it belongs to, which insights use to tell learning in the
work (exchange, field, community) from learning outside it (course). The shared vocabulary
of the event log is declared in :mod:`sylva.people.verbs`; a pillar's own verbs are listed
on its contract (``Pillar.verbs``) and registered when the apps are ready.

Writers pass a :class:`Verb` (``verbs.TAUGHT``), never a string, so that mypy checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise

ROOT = "https://sylva.education"
SYLVA_VERBS = f"{ROOT}/xapi/verbs/"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
SYLVA_ACTIVITIES = f"{ROOT}/xapi/activities/"
SYLVA_EXTENSIONS = f"{ROOT}/xapi/extensions/"
ACCOUNT_HOMEPAGE = f"{ROOT}/accounts"


def extension(name: str) -> str:
    return SYLVA_EXTENSIONS + name


def activity(kind: str, key: object) -> str:
    """The IRI of one of Sylva's activities: ``activity("skill", "welding")``."""
    return f"{SYLVA_ACTIVITIES}{kind}/{key}"


# context extensions: where the actor was when it happened
EXT_TEAM = extension("team")
EXT_DEPARTMENT = extension("department")
EXT_SITE = extension("site")
EXT_SKILL = extension("skill")
# result extensions
EXT_PREVIOUS_LEVEL = extension("previous-level")
EXT_LIGHT = extension("light")
EXT_FSRS_RATING = extension("fsrs-rating")
EXT_STREAK = extension("streak")
EXT_RESCHEDULED = extension("rescheduled")


class Form(StrEnum):
    EXCHANGE = "exchange"
    MICROLEARNING = "microlearning"
    COMMUNITY = "community"
    COURSE = "course"
    FIELD = "field"
    PROFILE = "profile"


IN_THE_WORK = {Form.EXCHANGE, Form.COMMUNITY, Form.FIELD}


@dataclass(frozen=True)
class Verb:
    code: str
    iri: str
    label: Promise
    form: Form


_VERBS: list[Verb] = []
BY_CODE: dict[str, Verb] = {}
BY_IRI: dict[str, Verb] = {}


def register(*new: Verb) -> None:
    """Add verbs to the registry. A code or IRI may be registered once; registering the same
    verb again is harmless."""
    for v in new:
        for index, key in ((BY_CODE, v.code), (BY_IRI, v.iri)):
            if key in index and index[key] != v:
                raise ValueError(f"verb {key!r} is already registered differently")
        BY_CODE[v.code] = v
        BY_IRI[v.iri] = v
        if v not in _VERBS:
            _VERBS.append(v)


def verb(code: str) -> Verb:
    """The registered verb with this code (for reading stored events); a KeyError names
    unknown codes."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown Sylva verb {code!r}") from None


def all_verbs() -> list[Verb]:
    return list(_VERBS)


def iris_of_form(form: Form) -> list[str]:
    return [v.iri for v in _VERBS if v.form == form]
