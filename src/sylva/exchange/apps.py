from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind
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
    inbox = "sylva.exchange.inbox"
    notices = (
        NoticeKind("exchange.proposed", _("An exchange is proposed to me")),
        NoticeKind("exchange.accepted", _("An exchange I take part in is accepted")),
        NoticeKind("exchange.declined", _("An exchange I proposed is declined")),
        NoticeKind(
            "exchange.scheduled", _("An exchange is scheduled (calendar invitation)"), urgent=True
        ),
        NoticeKind(
            "exchange.rescheduled",
            _("An exchange is rescheduled (calendar update)"),
            urgent=True,
        ),
        NoticeKind(
            "exchange.cancelled", _("An exchange is cancelled (calendar cancellation)"), urgent=True
        ),
        NoticeKind("exchange.message", _("A message about one of my exchanges")),
        NoticeKind("exchange.held", _("The other person says whether our exchange took place")),
        NoticeKind("exchange.reminder", _("The day before an exchange: confirm or reschedule")),
        NoticeKind("exchange.review", _("After an exchange: did it take place, my review")),
        NoticeKind("exchange.fair", _("Exchange fairs announced, and open now")),
        NoticeKind("exchange.run", _("A matching run to review (animators)")),
    )
    demo = "sylva.exchange.demo.seed_demo"
    search = "sylva.exchange.search"
    ways = "sylva.exchange.ways"
