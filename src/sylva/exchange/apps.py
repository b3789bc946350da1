from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "sylva.exchange"
    label = "exchange"
    verbose_name = _("Knowledge exchange")
    # (url name, label, icon, permission or None): entries of the shell's navigation
    nav: list = [
        ("exchange:board", _("Exchange"), "exchange", None),
        ("exchange:runs", _("Matching"), "matching", "exchange.animate_exchange"),
    ]
    # role -> extra permissions ("app_label.codename") that the role's group receives
    role_permissions: dict[str, list[str]] = {
        "animator": ["exchange.animate_exchange", "exchange.view_exchangesettings"],
    }
    # slot -> dotted path of a function (request, person) -> HTML, see people.templatetags.panels
    panels: dict[str, str] = {
        "home": "sylva.exchange.panels.home",
        "profile": "sylva.exchange.panels.profile",
    }
    # model -> fields written in a private context (sylva.core.confidential): never shown,
    # filtered, searched or ordered on outside the exchange's two participants
    confidential: dict[str, tuple[str, ...]] = {
        "Exchange": ("decline_reason", "place"),
        "Message": ("body",),
        "Review": ("learned", "next_step", "story"),
    }

    def ready(self) -> None:
        from sylva.people import verbs

        verbs.register(
            verbs.Verb(
                "no-show",
                verbs.SYLVA_VERBS + "missed",
                _("missed an exchange"),
                verbs.Form.EXCHANGE,
            )
        )
        verbs.register(
            verbs.Verb(
                "put-in-touch",
                verbs.SYLVA_VERBS + "put-in-touch",
                _("put colleagues in touch for an exchange"),
                verbs.Form.PROFILE,  # an animator's act, not their own learning: not counted
            )
        )
