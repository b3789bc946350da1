"""A pillar made by following docs/architecture.md's recipe, and nothing else: one folder
and one line in INSTALLED_APPS (tests/sample_pillar/settings.py). tests/core/
test_a_new_pillar.py checks that Sylva picks up every part of it."""

from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind
from tests.sample_pillar import verbs


class SamplePillarConfig(pillars.Pillar):
    name = "tests.sample_pillar"
    label = "sample_pillar"
    verbose_name = _("Sample pillar")
    url_prefix = "sample/"
    api_prefix = "/sample/"
    nav = (NavEntry("sample_pillar:home", _("Sample"), "sample"),)
    role_permissions = {"animator": ("people.view_person",)}
    panels = {"home": "tests.sample_pillar.panels.home"}
    context_processors = ("tests.sample_pillar.context.greeting",)
    verbs = (verbs.NOTICED,)
    tasks = "tests.sample_pillar.tasks"
    demo = "tests.sample_pillar.demo.seed_demo"
    inbox = "tests.sample_pillar.inbox"
    search = "tests.sample_pillar.search"
    ways = "tests.sample_pillar.ways"
    notices = (NoticeKind("sample.noticed", _("Something was noticed")),)
