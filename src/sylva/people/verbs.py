"""The shared vocabulary of the learning-event log: the verbs every pillar may write.

Each constant is a :class:`sylva.core.xapi.Verb`; writers pass it (``verbs.TAUGHT``) to
``record_event``. A pillar's private verbs live in its own ``verbs`` module and are listed
on its contract. The registry and the IRIs are in :mod:`sylva.core.xapi`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sylva.core.xapi import (
    ADL_VERBS,
    BY_CODE,
    BY_IRI,
    IN_THE_WORK,
    SYLVA_ACTIVITIES,
    SYLVA_VERBS,
    Form,
    Verb,
    all_verbs,
    iris_of_form,
    register,
    verb,
)

__all__ = [
    "ADL_VERBS",
    "BY_CODE",
    "BY_IRI",
    "IN_THE_WORK",
    "SYLVA_ACTIVITIES",
    "SYLVA_VERBS",
    "Form",
    "Verb",
    "all_verbs",
    "iris_of_form",
    "register",
    "verb",
]

DECLARED_SKILL = Verb(
    "declared-skill", SYLVA_VERBS + "declared-skill", _("declared a skill"), Form.PROFILE
)
REMOVED_SKILL = Verb(
    "removed-skill", SYLVA_VERBS + "removed-skill", _("removed a skill"), Form.PROFILE
)
WISHED = Verb("wished", SYLVA_VERBS + "wished-to-learn", _("wished to learn"), Form.PROFILE)
OFFERED = Verb("offered", SYLVA_VERBS + "offered", _("offered to share"), Form.EXCHANGE)
REQUESTED = Verb("requested", SYLVA_VERBS + "requested", _("asked to learn"), Form.EXCHANGE)
PROPOSED = Verb("proposed", SYLVA_VERBS + "proposed", _("proposed an exchange"), Form.EXCHANGE)
ACCEPTED = Verb("accepted", SYLVA_VERBS + "accepted", _("accepted an exchange"), Form.EXCHANGE)
DECLINED = Verb("declined", SYLVA_VERBS + "declined", _("declined an exchange"), Form.EXCHANGE)
SCHEDULED = Verb("scheduled", SYLVA_VERBS + "scheduled", _("agreed the modalities"), Form.EXCHANGE)
TAUGHT = Verb("taught", SYLVA_VERBS + "taught", _("taught"), Form.EXCHANGE)
LEARNED_FROM = Verb("learned-from", SYLVA_VERBS + "learned-from", _("learned from"), Form.EXCHANGE)
REVIEWED = Verb("reviewed", SYLVA_VERBS + "reviewed", _("reviewed an exchange"), Form.EXCHANGE)
CANCELLED = Verb("cancelled", SYLVA_VERBS + "cancelled", _("cancelled an exchange"), Form.EXCHANGE)
THANKED = Verb("thanked", SYLVA_VERBS + "thanked", _("thanked"), Form.EXCHANGE)
ANSWERED = Verb("answered", ADL_VERBS + "answered", _("answered"), Form.MICROLEARNING)
COMPLETED = Verb("completed", ADL_VERBS + "completed", _("completed"), Form.MICROLEARNING)
CHALLENGED = Verb("challenged", SYLVA_VERBS + "challenged", _("challenged"), Form.MICROLEARNING)
AUTHORED = Verb("authored", ADL_VERBS + "authored", _("authored"), Form.MICROLEARNING)
ASKED = Verb("asked", ADL_VERBS + "asked", _("asked a question"), Form.COMMUNITY)
RESPONDED = Verb("responded", ADL_VERBS + "responded", _("answered a question"), Form.COMMUNITY)
SHARED = Verb("shared", ADL_VERBS + "shared", _("shared an experience"), Form.COMMUNITY)
JOINED = Verb("joined", SYLVA_VERBS + "joined", _("joined a community"), Form.COMMUNITY)
ATTENDED = Verb("attended", ADL_VERBS + "attended", _("attended"), Form.COMMUNITY)
GAVE_FEEDBACK = Verb("gave-feedback", SYLVA_VERBS + "gave-feedback", _("gave feedback"), Form.FIELD)
PRACTISED = Verb("practised", SYLVA_VERBS + "practised", _("practised in the field"), Form.FIELD)
COURSE_COMPLETED = Verb(
    "course-completed", SYLVA_VERBS + "completed-course", _("completed a course"), Form.COURSE
)
COURSE_ATTENDED = Verb(
    "course-attended",
    SYLVA_VERBS + "attended-course",
    _("attended a training session"),
    Form.COURSE,
)

register(
    DECLARED_SKILL,
    REMOVED_SKILL,
    WISHED,
    OFFERED,
    REQUESTED,
    PROPOSED,
    ACCEPTED,
    DECLINED,
    SCHEDULED,
    TAUGHT,
    LEARNED_FROM,
    REVIEWED,
    CANCELLED,
    THANKED,
    ANSWERED,
    COMPLETED,
    CHALLENGED,
    AUTHORED,
    ASKED,
    RESPONDED,
    SHARED,
    JOINED,
    ATTENDED,
    GAVE_FEEDBACK,
    PRACTISED,
    COURSE_COMPLETED,
    COURSE_ATTENDED,
)
