from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind


class MicrolearningConfig(pillars.Pillar):
    name = "sylva.microlearning"
    label = "microlearning"
    verbose_name = _("Microlearning")
    url_prefix = "learn/"
    api_prefix = "/learn/"
    nav = (
        NavEntry("microlearning:today", _("Learn"), "learn"),
        NavEntry("microlearning:studio", _("Modules"), "modules", "microlearning.author_module"),
    )
    role_permissions = {
        "manager": ("microlearning.launch_team_challenge",),
        "animator": (
            "microlearning.review_resource",
            "microlearning.view_learning_analytics",
            "microlearning.launch_team_challenge",
            "microlearning.configure_memory",
        ),
        "designer": (
            "microlearning.author_module",
            "microlearning.review_resource",
            "microlearning.manage_campaign",
            "microlearning.view_learning_analytics",
            "microlearning.configure_memory",
            "microlearning.launch_team_challenge",
        ),
    }
    panels = {"home": "sylva.microlearning.panels.home"}
    # an answer (a reflection's text, a poll's choice) is the learner's
    confidential = {"Review": ("response",)}
    context_processors = ("sylva.microlearning.context_processors.learn_urls",)
    tasks = "sylva.microlearning.tasks"
    inbox = "sylva.microlearning.inbox"
    notices = (
        NoticeKind("microlearning.nudge", _("The reminder of my daily rendez-vous")),
        # an invitation expires (Duel.EXPIRY): it skips the digest
        NoticeKind("microlearning.duel", _("A colleague challenges me to a duel"), urgent=True),
        NoticeKind(
            "microlearning.duel_reply", _("My duel challenge is accepted, declined or expires")
        ),
        NoticeKind("microlearning.duel_result", _("The result of my duel")),
        NoticeKind(
            "microlearning.review_decision",
            _("A reviewer approves my resource, asks for changes or declines it"),
        ),
        NoticeKind("microlearning.team_challenge", _("A team challenge starts (team channels)")),
    )
    demo = "sylva.microlearning.demo.seed_demo"
    search = "sylva.microlearning.search"
    ways = "sylva.microlearning.ways"

    def ready(self) -> None:
        super().ready()
        from sylva.microlearning import signals  # lazy: it imports models, not ready before

        signals.connect()
