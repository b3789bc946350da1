from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry
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
    planting = "sylva.insights.planting.plant"
