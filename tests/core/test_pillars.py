"""The pillar contract: every Sylva app fills it in, and everything it names exists.

A new pillar that misspells a dotted path, a URL name or a panel slot fails here rather
than on the first page that needs it."""

from __future__ import annotations

import ast
import inspect
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks.base import Task

from sylva.core import xapi
from sylva.core.pillars import PANEL_SLOTS, Pillar, pillars
from sylva.people.roles import Role

SRC = Path(__file__).resolve().parents[2] / "src" / "sylva"
APP_FOLDERS = sorted(p.parent.name for p in SRC.glob("*/apps.py") if p.parent.name != "core")


def test_every_sylva_app_but_core_is_a_pillar() -> None:
    installed = {c.label for c in pillars()}
    assert set(APP_FOLDERS) <= installed
    for config in apps.get_app_configs():
        if config.name.startswith("sylva.") and config.label != "core":
            assert isinstance(config, Pillar), config.name


def _permission_exists(perm: str) -> bool:
    app_label, codename = perm.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("config", pillars(), ids=lambda c: c.label)
def test_its_navigation_and_roles_name_real_pages_and_permissions(config: Pillar) -> None:
    for entry in config.nav:
        assert reverse(entry.url_name)
        assert entry.permission is None or _permission_exists(entry.permission), entry
    for role, perms in config.role_permissions.items():
        assert role in {r.value for r in Role}
        assert all(_permission_exists(perm) for perm in perms), perms


@pytest.mark.parametrize("config", pillars(), ids=lambda c: c.label)
def test_its_dotted_paths_import(config: Pillar) -> None:
    for slot, target in config.panels.items():
        assert slot in PANEL_SLOTS
        assert callable(import_string(target))
    for path in config.context_processors:
        assert callable(import_string(path))
    if config.api_prefix is not None:
        assert config.router() is not None


@pytest.mark.parametrize("config", pillars(), ids=lambda c: c.label)
def test_its_verbs_tasks_and_demo_are_what_sylva_calls(config: Pillar) -> None:
    for verb in config.verbs:
        assert xapi.BY_CODE[verb.code] is verb
    if config.tasks is not None:
        module = config.task_module()
        assert any(isinstance(v, Task) for v in vars(module).values()), config.tasks
    for path in (config.demo, config.planting):
        if path is not None:
            parameters = inspect.signature(import_string(path)).parameters
            assert {"seed", "progress"} <= set(parameters), path


def test_prefixes_are_unique() -> None:
    urls = [c.url_prefix for c in pillars() if c.url_prefix is not None]
    routers = [c.api_prefix for c in pillars() if c.api_prefix is not None]
    assert len(urls) == len(set(urls))
    assert len(routers) == len(set(routers))


def test_every_mounted_pillar_answers_under_its_prefix(client) -> None:  # type: ignore[no-untyped-def]
    """urls.py mounts each pillar where its contract says (a signed-out visit to its first
    navigation entry goes to sign-in, not a 404)."""
    for config in pillars():
        for entry in config.nav[:1]:
            url = reverse(entry.url_name)
            assert url.startswith("/" + (config.url_prefix or ""))
            assert client.get(url).status_code in (200, 302)


def test_the_settings_and_urls_name_pillars_only_in_installed_apps() -> None:
    names = {f"sylva.{c.label}" for c in pillars() if c.label != "people"}
    for module in ("settings.py", "urls.py"):
        tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
        installed: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "INSTALLED_APPS" for t in node.targets
            ):
                installed |= {id(n) for n in ast.walk(node.value)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and any(node.value.startswith(n) for n in names)
            ):
                assert id(node) in installed, (module, node.value)


@pytest.mark.parametrize("config", pillars(), ids=lambda c: c.label)
def test_its_inbox_and_notices_are_what_the_inbox_calls(config: Pillar) -> None:
    """An ``inbox`` module has ``items`` and either ``waiting`` (counted with every other
    pillar's in one query) or ``count``, not both (one way to count); notice kinds are
    named after their pillar (``<label>.<what>``), once across Sylva, with a label people
    read."""
    if config.inbox is not None:
        module = import_module(config.inbox)
        assert callable(module.items), config.inbox
        ways = [name for name in ("waiting", "count") if callable(getattr(module, name, None))]
        assert len(ways) == 1, (config.inbox, ways)
    for kind in config.notices:
        assert kind.key.startswith(f"{config.label}."), kind.key
        assert str(kind.label), kind.key


def test_notice_kinds_are_unique() -> None:
    keys = [kind.key for config in pillars() for kind in config.notices]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("config", pillars(), ids=lambda c: c.label)
def test_every_notice_kind_is_sent_by_its_pillar(config: Pillar) -> None:
    """A kind people can choose channels for is one their pillar sends (its key appears
    in the pillar's code outside apps.py): no dead row on the preferences page."""
    folder = Path(config.path)
    code = "".join(
        path.read_text(encoding="utf-8")
        for path in folder.rglob("*.py")
        if path.name != "apps.py" and "migrations" not in path.parts
    )
    for kind in config.notices:
        assert kind.key in code, kind.key


@pytest.mark.parametrize("config", [c for c in pillars() if c.search], ids=lambda c: c.label)
def test_its_search_module_is_what_the_search_page_calls(config: Pillar) -> None:
    """A ``search`` module has ``KINDS`` (keys named after the pillar, labels people read,
    "more" pages and permissions that exist) and ``results(person, q, limit)``."""
    module = import_module(config.search or "")
    assert callable(module.results)
    assert set(inspect.signature(module.results).parameters) == {"person", "q", "limit"}
    for kind in config.search_kinds():
        assert kind.key.startswith(f"{config.label}."), kind.key
        assert str(kind.label), kind.key
        if kind.url_name:
            assert reverse(kind.url_name)


def test_search_kinds_are_unique() -> None:
    keys = [kind.key for config in pillars() for kind in config.search_kinds()]
    assert keys and len(keys) == len(set(keys))
