"""The insights' own verbs, listed on the pillar's contract."""

from django.utils.translation import gettext_lazy as _

from sylva.core.xapi import SYLVA_VERBS, Form, Verb

#: an introduction is not yet learning: not counted
INTRODUCED = Verb(
    "introduced", SYLVA_VERBS + "introduced", _("was introduced to a colleague"), Form.PROFILE
)
