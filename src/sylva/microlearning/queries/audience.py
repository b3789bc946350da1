"""Who a campaign reaches, and which campaigns reach a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from sylva.microlearning.models import Campaign, CampaignModule, Module
from sylva.people.models import Person


def active_campaigns(day: date) -> list[Campaign]:
    """Campaigns running on ``day``, each with the ids of its audience (``audience``: a dict
    of sets by dimension) and of its published modules in order (``module_ids``), in a
    handful of light queries whatever their size."""
    campaigns = list(
        Campaign.objects.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("starts_on", "pk")
    )
    if not campaigns:
        return []
    ids = [c.pk for c in campaigns]
    by_id = {c.pk: c for c in campaigns}
    for c in campaigns:
        c.audience = {name: set() for name in DIMENSIONS}  # type: ignore[attr-defined]
        c.module_ids = []  # type: ignore[attr-defined]
    # the four audience tables and the modules, in one round trip
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    parts: list[str] = []
    params: list[str | int] = []
    for name, column in DIMENSIONS.items():
        table = getattr(Campaign, name).through._meta.db_table
        parts.append(  # name is one of DIMENSIONS' keys, never input
            f"SELECT '{name}', campaign_id, {quote(column)}, 0, 0 FROM {quote(table)} "
            f"WHERE campaign_id IN ({marks})"
        )
        params += ids
    cm, module = quote(CampaignModule._meta.db_table), quote(Module._meta.db_table)
    parts.append(
        f"SELECT 'modules', cm.campaign_id, cm.module_id, cm.position, cm.id FROM {cm} cm "
        f"JOIN {module} m ON m.id = cm.module_id WHERE m.status = %s "
        f"AND cm.campaign_id IN ({marks})"
    )
    params += [Module.Status.PUBLISHED, *ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    modules: list[tuple[int, int, int, int]] = []
    for name, campaign_id, value, position, row_id in rows:
        if name == "modules":
            modules.append((campaign_id, position, row_id, value))
        else:
            by_id[campaign_id].audience[name].add(value)  # type: ignore[attr-defined]
    for campaign_id, _position, _row, module_id in sorted(modules):
        by_id[campaign_id].module_ids.append(module_id)  # type: ignore[attr-defined]
    return campaigns


DIMENSIONS = {
    "populations": "population_id",
    "teams": "team_id",
    "sites": "site_id",
    "departments": "department_id",
}


@dataclass(frozen=True)
class Profile:
    """What targeting needs to know of a person."""

    population_ids: frozenset[int]
    team_id: int | None
    site_id: int | None
    department_id: int | None
    hire_date: date

    @classmethod
    def of(cls, person: Person) -> Profile:
        rows = list(
            Person.objects.filter(pk=person.pk).values_list("populations", "team__department_id")
        )
        return cls(
            population_ids=frozenset(p for p, _d in rows if p is not None),
            team_id=person.team_id,
            site_id=person.site_id,
            department_id=rows[0][1] if rows else None,
            hire_date=person.hire_date,
        )


def _ids(campaign: Campaign, name: str) -> set[int]:
    audience = getattr(campaign, "audience", None)
    if audience is not None:
        return set(audience[name])
    return set(getattr(campaign, name).values_list("pk", flat=True))


def targets(campaign: Campaign, who: Profile, day: date) -> bool:
    """Whether the campaign reaches someone: every dimension filled in must match one value."""
    populations, teams = _ids(campaign, "populations"), _ids(campaign, "teams")
    sites, departments = _ids(campaign, "sites"), _ids(campaign, "departments")
    if populations and not populations & who.population_ids:
        return False
    if teams and who.team_id not in teams:
        return False
    if sites and who.site_id not in sites:
        return False
    if departments and who.department_id not in departments:
        return False
    if campaign.newcomers:
        return who.hire_date > day - timedelta(days=settings.SYLVA_NEWCOMER_DAYS)
    return True


def campaigns_for(person: Person, day: date) -> list[Campaign]:
    who = Profile.of(person)
    return [c for c in active_campaigns(day) if targets(c, who, day)]


def campaign_people(campaign: Campaign, day: date) -> QuerySet[Person]:
    """The people a campaign reaches (active accounts), as one query."""
    qs = Person.objects.filter(user__is_active=True)
    populations, teams = _ids(campaign, "populations"), _ids(campaign, "teams")
    sites, departments = _ids(campaign, "sites"), _ids(campaign, "departments")
    if populations:
        qs = qs.filter(populations__in=populations)
    if teams:
        qs = qs.filter(team__in=teams)
    if sites:
        qs = qs.filter(site__in=sites)
    if departments:
        qs = qs.filter(team__department__in=departments)
    if campaign.newcomers:
        qs = qs.filter(hire_date__gt=day - timedelta(days=settings.SYLVA_NEWCOMER_DAYS))
    return qs.distinct()
