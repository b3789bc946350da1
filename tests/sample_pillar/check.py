"""Run with DJANGO_SETTINGS_MODULE=tests.sample_pillar.settings: what Sylva made of the
sample pillar, as JSON (tests/core/test_a_new_pillar.py reads it)."""

from __future__ import annotations

import json

import django
from django.apps import apps

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from sylva.core import xapi  # noqa: E402
from sylva.core.api import api  # noqa: E402
from sylva.core.context_processors import nav_entries  # noqa: E402
from sylva.core.management.commands.enqueue import sylva_tasks  # noqa: E402
from sylva.core.pillars import pillars  # noqa: E402
from sylva.notifications.models import Notification  # noqa: E402
from sylva.notifications.services import notify  # noqa: E402
from sylva.people.models import Skill, SkillDomain  # noqa: E402
from sylva.people.roles import Role, role_permissions  # noqa: E402
from sylva.people.services import ensure_person  # noqa: E402


def _notified(user: User) -> bool:
    """A notice kind declared in ``notices`` is one ``notify`` accepts."""
    person = ensure_person(user)
    notify(person, "sample.noticed", key="sample:1", subject="Noticed", url="/sample/")
    return Notification.objects.filter(person=person, kind="sample.noticed").exists()


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    User.objects.create_superuser("root", password="root-password-long")
    client = Client()
    client.login(username="root", password="root-password-long")
    root = User.objects.get(username="root")
    page = client.get("/sample/")
    inbox = client.get("/inbox/")
    home = client.get("/")
    found_page = client.get("/search/?q=sample")
    domain = SkillDomain.objects.create(code="sample", name_fr="Exemple", name_en="Sample")
    Skill.objects.create(code="sample-skill", domain=domain, name_fr="Ex", name_en="Ex")
    skill_page = client.get("/skills/sample-skill/").content.decode()
    skill_ways = client.get("/api/v1/skills/sample-skill/ways").json()
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    sample = apps.get_app_config("sample_pillar")
    found = {
        "pillars": [c.label for c in pillars()],
        "url": reverse("sample_pillar:home"),
        "page": [page.status_code, page.content.decode()],
        "panel_on_home": "sample-panel" in home.content.decode(),
        "nav_link_on_home": 'href="/sample/"' in home.content.decode(),
        "context": home.context["sample_greeting"] if home.context else None,
        "nav": [e.url_name for e in nav_entries()],
        "api": "/api/v1/sample/ping" in schema["paths"],
        "api_answer": client.get("/api/v1/sample/ping").json(),
        "verb": xapi.BY_CODE["sample-noticed"].iri,
        "tasks": sorted(sylva_tasks()),
        # (the other pillars' demos need the generated company: only this one runs here)
        "demo": sample.seed_demo(seed=1, progress=None).get("sample things"),
        "roles": "people.view_person" in role_permissions()[Role.ANIMATOR],
        "inbox": "sample-inbox-item" in inbox.content.decode(),
        "badge": 'data-count="1"' in home.content.decode(),
        "notified": _notified(root),
        "search": "sample-search-result" in found_page.content.decode(),
        "ways_on_page": "sample-way" in skill_page and "sample-condition" in skill_page,
        "ways_api": [g["kind"] for g in skill_ways["groups"]],
        "asks_api": [a["title"] for a in skill_ways["asks"]],
    }
    print(json.dumps(found))


main()
