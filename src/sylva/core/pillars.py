"""The pillar contract: how an app plugs into Sylva, in one typed place.

A pillar is a Django app whose ``AppConfig`` derives from :class:`Pillar` and fills in the
class attributes below. Sylva's shell, API, roles, demo seed, task list and admin read
them by iterating :func:`pillars`; nothing in ``core`` or ``people`` names a pillar. Adding a
pillar is one folder and one line in ``INSTALLED_APPS`` (the recipe is in
docs/architecture.md, "Adding a pillar").

Every attribute has an empty default, so a pillar declares only what it has (derive from
``pillars.Pillar``, not an imported ``Pillar``: Django takes the one AppConfig class of an
``apps.py`` as the app's, and an imported one would be a second)::

    class CommunitiesConfig(Pillar):
        name = "sylva.communities"
        label = "communities"
        verbose_name = _("Communities")
        url_prefix = "communities/"
        api_prefix = "/communities/"
        nav = (NavEntry("communities:home", _("Communities"), "communities"),)
        role_permissions = {"animator": ("communities.moderate",)}
        panels = {"home": "sylva.communities.panels.home"}
        verbs = (verbs.ASKED_IN_CIRCLE,)
        tasks = "sylva.communities.tasks"
        demo = "sylva.communities.demo.seed_demo"

Dotted paths (not imports) name the modules that need models or URLs, so that an
``apps.py`` stays importable before the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from sylva.core import xapi
from sylva.core.counting import count_together
from sylva.core.xapi import Verb

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from ninja import Router
    from rich.progress import Progress

#: The slots of people's pages where a pillar may show a panel.
PANEL_SLOTS = ("home", "profile")


@dataclass(frozen=True)
class NavEntry:
    """One entry of the shell's navigation, shown to signed-in users with ``permission``
    (everyone signed in when it is None)."""

    url_name: str
    label: Promise | str
    icon: str
    permission: str | None = None
    #: name of a context variable (from a pillar's context processor) shown as a count
    #: beside the entry, e.g. the inbox's "inbox_count"; hidden when it is 0
    badge: str | None = None


@dataclass(frozen=True)
class NoticeKind:
    """A kind of notification a pillar sends, as people choose their channels for it.

    ``urgent`` kinds (a calendar invitation, a duel that expires tonight) skip the digest;
    quiet hours still hold for them."""

    key: str
    label: Promise | str
    urgent: bool = False


@dataclass(frozen=True)
class InboxAction:
    """The next action of an inbox item, done from the inbox itself.

    ``method="post"`` is a one-click form to ``url`` with ``fields`` as hidden inputs (and
    ``next`` back to the inbox); ``method="get"`` is a link to the page where it is done."""

    label: Promise | str
    url: str
    method: str = "post"
    fields: tuple[tuple[str, str], ...] = ()
    primary: bool = False


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting on a person, contributed by a pillar's ``inbox`` module.

    ``mine`` says whose turn it is: True when the person must act, False when they wait on
    somebody else (``detail`` says on whom)."""

    kind: str
    title: str
    detail: str
    url: str
    since: datetime
    mine: bool = True
    actions: tuple[InboxAction, ...] = ()


@dataclass(frozen=True)
class SearchKind:
    """A kind of result a pillar's ``search`` module gives (one group on the search page).

    ``url_name`` (with ``params``) is the pillar's own list filtered by the same words, the
    group's "more" link (``?q=`` is added); without it the search page lists that kind
    alone. ``permission``: only those who have it see the kind (the module checks it too)."""

    key: str
    label: Promise | str
    url_name: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    permission: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """One thing found by a pillar's ``search`` module for a reader; ``kind`` is the key of
    one of its ``KINDS``; within a kind, a higher ``rank`` comes first."""

    kind: str
    title: str
    detail: str
    url: str
    rank: float = 0.0


@dataclass(frozen=True)
class Way:
    """One way to learn a skill inside the company, contributed by a pillar's ``ways``
    module for a reader (the skill's page, "Where can I learn this?", and its API).

    ``kind`` is the key of its group (``"exchange.offer"``), ``label`` the group's name as
    people read it; ``conditions`` say, in a few words each, what using it takes (format,
    duration, who may join, availability, when); ``when`` is the start of an upcoming
    session, if it is one; within a kind, a higher ``rank`` comes first."""

    kind: str
    label: Promise | str
    title: str
    url: str
    conditions: tuple[str, ...] = ()
    when: datetime | None = None
    rank: float = 0.0


@dataclass(frozen=True)
class WayGroup:
    """The ways of one kind, in the order the skill's page shows them."""

    kind: str
    label: Promise | str
    ways: list[Way]


class Counted(Protocol):
    """What a planting returns: the truth it planted, which can count itself."""

    def counts(self) -> dict[str, int]: ...


class Pillar(AppConfig):
    """The contract every Sylva app fills in (people, the ground, included)."""

    #: entries of the shell's navigation, in order
    nav: ClassVar[tuple[NavEntry, ...]] = ()
    #: role ("manager", "animator", "designer", "administrator", "learner") -> extra
    #: permissions ("app_label.codename") that the role's group receives
    role_permissions: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: slot (one of PANEL_SLOTS) -> dotted path of ``f(request, person) -> str`` (HTML)
    panels: ClassVar[Mapping[str, str]] = {}
    #: model name -> fields written in a private context (see sylva.core.confidential)
    confidential: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: the pillar's own verbs, registered when the apps are ready
    verbs: ClassVar[tuple[Verb, ...]] = ()
    #: where the pillar's pages are mounted (``<name>.urls``), None for no pages
    url_prefix: ClassVar[str | None] = None
    #: where its API router (``<name>.api.router``) is mounted under /api/v1, None for none
    api_prefix: ClassVar[str | None] = None
    #: dotted paths of context processors the shell adds for this pillar
    context_processors: ClassVar[tuple[str, ...]] = ()
    #: dotted path of the module holding the pillar's django-tasks, None for none
    tasks: ClassVar[str | None] = None
    #: dotted path of ``seed_demo(*, seed, progress) -> {label: count}``, run by `sylva seed`
    #: on top of the generated company, in the order of INSTALLED_APPS
    demo: ClassVar[str | None] = None
    #: dotted path of ``plant(*, seed, progress) -> Counted``, run by `sylva seed --plant`
    planting: ClassVar[str | None] = None
    #: dotted path of a module with ``items(person) -> list[InboxItem]`` (what waits on the
    #: person, or on whom they wait) and either ``waiting(person) -> list[QuerySet]`` (the
    #: querysets whose rows are theirs to act on: Sylva counts every pillar's in one query,
    #: shown on every page) or ``count(person) -> int`` (how many are theirs: cheap)
    inbox: ClassVar[str | None] = None
    #: the kinds of notification the pillar sends (``notify(kind=...)`` refuses others)
    notices: ClassVar[tuple[NoticeKind, ...]] = ()
    #: dotted path of a module with ``KINDS`` (its :class:`SearchKind`s) and
    #: ``results(person, q, limit) -> list[SearchResult]``: what the reader may see that
    #: matches ``q`` (folded words), at most ``limit`` of each kind, in a bounded number of
    #: queries whatever the size of the company (the search across Sylva, /search/)
    search: ClassVar[str | None] = None
    #: dotted path of a module with ``ways(person, skill) -> list[Way]``: every way the
    #: pillar offers ``person`` to learn ``skill`` (what they may see, with its conditions),
    #: read through its own queries, in a bounded number of queries whatever the size of
    #: the company; optionally ``asks(person, skill) -> list[Way]``, where to ask for it
    #: when nothing answers yet (the skill's page, "Where can I learn this?")
    ways: ClassVar[str | None] = None

    def ready(self) -> None:
        xapi.register(*self.verbs)
        for slot in self.panels:
            if slot not in PANEL_SLOTS:
                raise ValueError(f"{self.name}: unknown panel slot {slot!r}")

    # --- what Sylva calls ---------------------------------------------------------------

    def router(self) -> Router | None:
        return import_string(f"{self.name}.api.router") if self.api_prefix is not None else None

    def seed_demo(self, *, seed: int, progress: Progress | None) -> dict[str, int]:
        if self.demo is None:
            return {}
        seed_demo: Callable[..., dict[str, int]] = import_string(self.demo)
        return seed_demo(seed=seed, progress=progress)

    def plant(self, *, seed: int, progress: Progress | None) -> dict[str, int]:
        if self.planting is None:
            return {}
        plant: Callable[..., Counted] = import_string(self.planting)
        return plant(seed=seed, progress=progress).counts()

    def panel(self, slot: str, request: HttpRequest, person: Any) -> str:
        target = self.panels.get(slot)
        return str(import_string(target)(request, person)) if target else ""

    def task_module(self) -> ModuleType | None:
        return import_module(self.tasks) if self.tasks is not None else None

    def inbox_items(self, person: Any) -> list[InboxItem]:
        return list(import_module(self.inbox).items(person)) if self.inbox else []

    def inbox_waiting(self, person: Any) -> list[QuerySet[Any]] | None:
        """The querysets of the inbox module's ``waiting(person)`` (each row one thing that
        waits on the person: the shell counts them all in one query), None without it."""
        module = import_module(self.inbox) if self.inbox else None
        waiting = getattr(module, "waiting", None)
        return list(waiting(person)) if waiting is not None else None

    def inbox_count(self, person: Any) -> int:
        waiting = self.inbox_waiting(person)
        if waiting is not None:
            return sum(count_together(waiting))
        return int(import_module(self.inbox).count(person)) if self.inbox else 0

    def search_kinds(self) -> tuple[SearchKind, ...]:
        return tuple(import_module(self.search).KINDS) if self.search else ()

    def search_results(self, person: Any, q: str, limit: int) -> list[SearchResult]:
        return list(import_module(self.search).results(person, q, limit)) if self.search else []

    def ways_to_learn(self, person: Any, skill: Any) -> list[Way]:
        return list(import_module(self.ways).ways(person, skill)) if self.ways else []

    def ways_to_ask(self, person: Any, skill: Any) -> list[Way]:
        asks = getattr(import_module(self.ways), "asks", None) if self.ways else None
        return list(asks(person, skill)) if asks is not None else []


def pillars() -> list[Pillar]:
    """The installed pillars, in the order of INSTALLED_APPS."""
    return [config for config in apps.get_app_configs() if isinstance(config, Pillar)]


def ways_to_learn(person: Any, skill: Any) -> list[WayGroup]:
    """Every way to learn ``skill`` that the installed pillars offer ``person``, grouped by
    kind in the order of the pillars (and of their contributions), best rank first."""
    groups: dict[str, WayGroup] = {}
    for config in pillars():
        for way in config.ways_to_learn(person, skill):
            group = groups.setdefault(way.kind, WayGroup(way.kind, way.label, []))
            group.ways.append(way)
    for group in groups.values():
        group.ways.sort(key=lambda w: -w.rank)
    return list(groups.values())


def ways_to_ask(person: Any, skill: Any) -> list[Way]:
    """Where ``person`` may ask for ``skill`` when no way answers yet, pillar by pillar."""
    return [way for config in pillars() for way in config.ways_to_ask(person, skill)]
