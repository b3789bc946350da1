"""The exchange's own verbs (the shared ones, ``taught``, ``learned-from``…, are in
sylva.people.verbs). Listed on the pillar's contract, registered when the apps are ready."""

from django.utils.translation import gettext_lazy as _

from sylva.core.xapi import SYLVA_VERBS, Form, Verb

NO_SHOW = Verb("no-show", SYLVA_VERBS + "missed", _("missed an exchange"), Form.EXCHANGE)
#: an animator's act, not their own learning: not counted
PUT_IN_TOUCH = Verb(
    "put-in-touch",
    SYLVA_VERBS + "put-in-touch",
    _("put colleagues in touch for an exchange"),
    Form.PROFILE,
)
