from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrolearningConfig(AppConfig):
    name = "sylva.microlearning"
    label = "microlearning"
    verbose_name = _("Microlearning")
    # (url name, label, icon, permission or None): entries of the shell's navigation
    nav: list = [
        ("microlearning:today", _("Today"), "learn", None),
        ("microlearning:studio", _("Modules"), "modules", "microlearning.author_module"),
    ]
    # role -> extra permissions ("app_label.codename") that the role's group receives
    role_permissions: dict[str, list[str]] = {
        "manager": ["microlearning.launch_team_challenge"],
        "animator": [
            "microlearning.review_resource",
            "microlearning.view_learning_analytics",
            "microlearning.launch_team_challenge",
            "microlearning.configure_memory",
        ],
        "designer": [
            "microlearning.author_module",
            "microlearning.review_resource",
            "microlearning.manage_campaign",
            "microlearning.view_learning_analytics",
            "microlearning.configure_memory",
            "microlearning.launch_team_challenge",
        ],
    }
    # slot -> dotted path of a function (request, person) -> HTML, see people.templatetags.panels
    panels: dict[str, str] = {"home": "sylva.microlearning.panels.home"}
    # model -> fields written in a private context (sylva.core.confidential): an answer
    # (a reflection's text, a poll's choice) is the learner's
    confidential: dict[str, tuple[str, ...]] = {"Review": ("response",)}

    def ready(self) -> None:
        from sylva.microlearning import signals

        signals.connect()
