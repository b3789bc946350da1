"""The registry of verbs that Sylva writes to the learning-event log.

Each verb is an IRI (ADL's where one exists, Sylva's own otherwise) with a French and
English label and the *form of learning* it belongs to, which insights use to tell learning
in the work (exchange, field, community) from learning outside it (course).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SYLVA_VERBS = "https://sylva.education/xapi/verbs/"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
SYLVA_ACTIVITIES = "https://sylva.education/xapi/activities/"


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


_VERBS = [
    # profile
    Verb("declared-skill", SYLVA_VERBS + "declared-skill", _("declared a skill"), Form.PROFILE),
    Verb("removed-skill", SYLVA_VERBS + "removed-skill", _("removed a skill"), Form.PROFILE),
    Verb("wished", SYLVA_VERBS + "wished-to-learn", _("wished to learn"), Form.PROFILE),
    # knowledge exchange
    Verb("offered", SYLVA_VERBS + "offered", _("offered to share"), Form.EXCHANGE),
    Verb("requested", SYLVA_VERBS + "requested", _("asked to learn"), Form.EXCHANGE),
    Verb("proposed", SYLVA_VERBS + "proposed", _("proposed an exchange"), Form.EXCHANGE),
    Verb("accepted", SYLVA_VERBS + "accepted", _("accepted an exchange"), Form.EXCHANGE),
    Verb("declined", SYLVA_VERBS + "declined", _("declined an exchange"), Form.EXCHANGE),
    Verb("scheduled", SYLVA_VERBS + "scheduled", _("agreed the modalities"), Form.EXCHANGE),
    Verb("taught", SYLVA_VERBS + "taught", _("taught"), Form.EXCHANGE),
    Verb("learned-from", SYLVA_VERBS + "learned-from", _("learned from"), Form.EXCHANGE),
    Verb("reviewed", SYLVA_VERBS + "reviewed", _("reviewed an exchange"), Form.EXCHANGE),
    Verb("cancelled", SYLVA_VERBS + "cancelled", _("cancelled an exchange"), Form.EXCHANGE),
    Verb("thanked", SYLVA_VERBS + "thanked", _("thanked"), Form.EXCHANGE),
    # microlearning
    Verb("answered", ADL_VERBS + "answered", _("answered"), Form.MICROLEARNING),
    Verb("completed", ADL_VERBS + "completed", _("completed"), Form.MICROLEARNING),
    Verb("challenged", SYLVA_VERBS + "challenged", _("challenged"), Form.MICROLEARNING),
    Verb("authored", ADL_VERBS + "authored", _("authored"), Form.MICROLEARNING),
    # communities
    Verb("asked", ADL_VERBS + "asked", _("asked a question"), Form.COMMUNITY),
    Verb("responded", ADL_VERBS + "responded", _("answered a question"), Form.COMMUNITY),
    Verb("shared", ADL_VERBS + "shared", _("shared an experience"), Form.COMMUNITY),
    Verb("joined", SYLVA_VERBS + "joined", _("joined a community"), Form.COMMUNITY),
    Verb("attended", ADL_VERBS + "attended", _("attended"), Form.COMMUNITY),
    # field situations and managers' feedback
    Verb("gave-feedback", SYLVA_VERBS + "gave-feedback", _("gave feedback"), Form.FIELD),
    Verb("practised", SYLVA_VERBS + "practised", _("practised in the field"), Form.FIELD),
    # formal courses (from the LMS)
    Verb(
        "course-completed", SYLVA_VERBS + "completed-course", _("completed a course"), Form.COURSE
    ),
    Verb(
        "course-attended",
        SYLVA_VERBS + "attended-course",
        _("attended a training session"),
        Form.COURSE,
    ),
]

BY_CODE: dict[str, Verb] = {v.code: v for v in _VERBS}
BY_IRI: dict[str, Verb] = {v.iri: v for v in _VERBS}


def register(*new: Verb) -> None:
    """Add a pillar's own verbs (call it from its AppConfig.ready()). A code or IRI may be
    registered once; registering the same verb again is harmless."""
    for v in new:
        for index, key in ((BY_CODE, v.code), (BY_IRI, v.iri)):
            if key in index and index[key] != v:
                raise ValueError(f"verb {key!r} is already registered differently")
        BY_CODE[v.code] = v
        BY_IRI[v.iri] = v
        if v not in _VERBS:
            _VERBS.append(v)


def verb(code: str) -> Verb:
    """The registered verb with this code; a KeyError names unknown codes."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown Sylva verb {code!r}") from None


def iris_of_form(form: Form) -> list[str]:
    return [v.iri for v in _VERBS if v.form == form]
