from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry
from sylva.exchange import verbs


class ExchangeConfig(pillars.Pillar):
    name = "sylva.exchange"
    label = "exchange"
    verbose_name = _("Knowledge exchange")
    url_prefix = "exchange/"
    api_prefix = "/exchange/"
    nav = (
        NavEntry("exchange:board", _("Exchange"), "exchange"),
        NavEntry("exchange:runs", _("Matching"), "matching", "exchange.animate_exchange"),
    )
    role_permissions = {
        "animator": ("exchange.animate_exchange", "exchange.view_exchangesettings"),
    }
    panels = {
        "home": "sylva.exchange.panels.home",
        "profile": "sylva.exchange.panels.profile",
    }
    # never shown, filtered, searched or ordered on outside the exchange's two participants
    confidential = {
        "Exchange": ("decline_reason", "place"),
        "Message": ("body",),
        "Review": ("learned", "next_step", "story"),
    }
    verbs = (verbs.NO_SHOW, verbs.PUT_IN_TOUCH)
    tasks = "sylva.exchange.tasks"
    demo = "sylva.exchange.demo.seed_demo"
