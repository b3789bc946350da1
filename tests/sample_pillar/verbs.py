from django.utils.translation import gettext_lazy as _

from sylva.core.xapi import SYLVA_VERBS, Form, Verb

NOTICED = Verb("sample-noticed", SYLVA_VERBS + "sample-noticed", _("noticed"), Form.FIELD)
