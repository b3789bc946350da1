"""What microlearning contributes to "Where can I learn this?" (its contract's ``ways``):
the published modules and light resources on the skill (one version per module, in the
reader's language when there is one), with their minutes, cards and language; and the
campaigns running today that reach the reader with a module on the skill. Never a draft
nor a resource waiting for review: those are not a way to learn yet. A bounded number of
queries whatever the size of the catalogue."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sylva.core.pillars import Way
from sylva.microlearning.models import Campaign, Module
from sylva.microlearning.queries import audience
from sylva.microlearning.queries.today import reading_language
from sylva.people.models import Person, Skill

MODULES = "microlearning.module"
MODULES_LABEL = gettext_lazy("Modules and light resources")
CAMPAIGNS = "microlearning.campaign"
CAMPAIGNS_LABEL = gettext_lazy("Campaigns that reach you")
#: modules shown at most, and versions read to choose them
LIMIT = 6
READ = 60


def published_on(skill: Skill) -> list[Module]:
    """Published modules on ``skill`` (a translation counts its original's skills), with
    ``card_count``; at most :data:`READ` rows, newest first."""
    on_skill = Q(skills=skill) | Q(translation_of__skills=skill)
    ids = Module.objects.filter(on_skill, status=Module.Status.PUBLISHED).values("pk")
    return list(
        Module.objects.filter(pk__in=ids)
        .annotate(card_count=Count("cards", distinct=True))
        .order_by("-published_at", "-pk")[:READ]
    )


def _one_per_work(modules: list[Module], language: str) -> list[Module]:
    chosen: dict[int | None, Module] = {}
    for m in modules:
        best = chosen.get(m.work_id)
        if best is None or (m.language == language and best.language != language):
            chosen[m.work_id] = m
    return list(chosen.values())


def _module_way(m: Module, language: str, rank: float) -> Way:
    cards = getattr(m, "card_count", 0)
    conditions = (
        _("light resource, written by a colleague") if m.is_light else _("module"),
        _("%(n)s min") % {"n": m.minutes},
        ngettext("%(n)s card", "%(n)s cards", cards) % {"n": cards},
        m.language_label,
        _("open to everyone, at your own pace"),
    )
    return Way(
        MODULES,
        MODULES_LABEL,
        m.title,
        reverse("microlearning:module", args=[m.code]),
        tuple(c for c in conditions if c),
        rank=rank + (1 if m.language == language else 0),
    )


def _campaign_way(c: Campaign, rank: float) -> Way:
    rhythm = (
        ngettext("%(n)s new card a day", "%(n)s new cards a day", c.new_cards)
        if c.rhythm == Campaign.Rhythm.DAILY
        else ngettext("%(n)s new card a week", "%(n)s new cards a week", c.new_cards)
    ) % {"n": c.new_cards}
    until = (
        _("until %(date)s") % {"date": formats.date_format(c.ends_on)}
        if c.ends_on
        else _("no end date")
    )
    return Way(
        CAMPAIGNS,
        CAMPAIGNS_LABEL,
        c.name,
        reverse("microlearning:today"),
        (_("you are in its audience: its cards come in Today"), rhythm, until),
        rank=rank,
    )


def ways(person: Person, skill: Skill) -> list[Way]:
    language = reading_language(person)
    modules = published_on(skill)
    shown = _one_per_work(modules, language)[:LIMIT]
    found = [_module_way(m, language, -i / 100) for i, m in enumerate(shown)]
    on_skill = {m.pk for m in modules}
    if on_skill:
        campaigns = audience.campaigns_for(person, timezone.localdate())
        mine = [c for c in campaigns if on_skill & set(getattr(c, "module_ids", ()))]
        found += [_campaign_way(c, -i) for i, c in enumerate(mine[:LIMIT])]
    return found
