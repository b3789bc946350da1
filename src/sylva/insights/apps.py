from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind
from sylva.insights import verbs


class InsightsConfig(pillars.Pillar):
    name = "sylva.insights"
    label = "insights"
    verbose_name = _("Insights")
    url_prefix = "insights/"
    api_prefix = "/insights/"
    nav = (NavEntry("insights:health", _("Insights"), "insights"),)
    verbs = (verbs.INTRODUCED,)
    tasks = "sylva.insights.tasks"
    demo = "sylva.insights.demo.seed_demo"
    search = "sylva.insights.search"
    planting = "sylva.insights.planting.plant"
    inbox = "sylva.insights.inbox"
    notices = (
        NoticeKind("insights.introduction", _("A learning animator introduces me to someone")),
        NoticeKind("insights.task", _("An accepted structure is given to me to set up")),
    )
