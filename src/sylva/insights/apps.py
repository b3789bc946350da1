from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "sylva.insights"
    label = "insights"
    verbose_name = _("Insights")
    # (url name, label, icon, permission or None): entries of the shell's navigation
    nav: list = [("insights:health", _("Insights"), "insights", None)]
    # role -> extra permissions ("app_label.codename") that the role's group receives
    role_permissions: dict[str, list[str]] = {}
    # slot -> dotted path of a function (request, person) -> HTML, see people.templatetags.panels
    panels: dict[str, str] = {}

    def ready(self) -> None:
        from sylva.people import verbs

        verbs.register(
            verbs.Verb(
                "introduced",
                verbs.SYLVA_VERBS + "introduced",
                _("was introduced to a colleague"),
                verbs.Form.PROFILE,  # an introduction is not yet learning: not counted
            )
        )
