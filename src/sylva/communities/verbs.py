"""The communities' own verbs (the shared ones, ``asked``, ``responded``, ``shared``,
``joined``, ``attended``, ``gave-feedback``, ``practised``…, are in sylva.people.verbs).
Listed on the pillar's contract, registered when the apps are ready.

An answer is written ``responded`` (with the asker as the other person) when the asker
accepts it: that is the moment one colleague taught another, and what insights count. A
reply that nobody accepted is ``replied``, one person's act."""

from django.utils.translation import gettext_lazy as _

from sylva.core.xapi import SYLVA_VERBS, Form, Verb

REPLIED = Verb("replied", SYLVA_VERBS + "replied", _("replied in a community"), Form.COMMUNITY)
POSTED = Verb("posted", SYLVA_VERBS + "posted", _("posted in a community"), Form.COMMUNITY)
THANKED_ANSWER = Verb(
    "thanked-answer", SYLVA_VERBS + "thanked-answer", _("thanked for an answer"), Form.COMMUNITY
)
FACILITATED = Verb(
    "facilitated", SYLVA_VERBS + "facilitated", _("facilitated a learning circle"), Form.COMMUNITY
)
REFLECTED = Verb(
    "reflected", SYLVA_VERBS + "reflected", _("reflected after a session"), Form.COMMUNITY
)
REVIEWED_MILESTONE = Verb(
    "reviewed-milestone",
    SYLVA_VERBS + "reviewed-milestone",
    _("reviewed a project milestone"),
    Form.COMMUNITY,
)
DEBRIEFED = Verb(
    "debriefed", SYLVA_VERBS + "debriefed", _("debriefed a work situation"), Form.FIELD
)
ASSIGNED_SITUATION = Verb(
    "assigned-situation",
    SYLVA_VERBS + "assigned-situation",
    _("assigned a work situation"),
    Form.PROFILE,
)
#: a designer's act on someone else's words: not their own learning
CAPITALISED = Verb(
    "capitalised", SYLVA_VERBS + "capitalised", _("capitalised experience"), Form.PROFILE
)

ALL = (
    REPLIED,
    POSTED,
    THANKED_ANSWER,
    FACILITATED,
    REFLECTED,
    REVIEWED_MILESTONE,
    DEBRIEFED,
    ASSIGNED_SITUATION,
    CAPITALISED,
)
