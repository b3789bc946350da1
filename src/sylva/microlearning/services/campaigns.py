"""Campaigns: modules aimed at an audience with a rhythm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.validation import limit_of
from sylva.microlearning.models import Campaign, CampaignModule, Module
from sylva.microlearning.services import catalogue
from sylva.people.models import Department, Person, Population, Site, Team


@transaction.atomic
def save_campaign(
    *,
    creator: Person,
    name: str,
    modules: Sequence[Module],
    starts_on: date,
    ends_on: date | None = None,
    rhythm: str = Campaign.Rhythm.DAILY,
    new_cards: int = 3,
    populations: Sequence[Population] = (),
    teams: Sequence[Team] = (),
    sites: Sequence[Site] = (),
    departments: Sequence[Department] = (),
    newcomers: bool = False,
    campaign: Campaign | None = None,
) -> Campaign:
    """Create (or, with ``campaign``, change) a campaign; modules keep the order given."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the campaign a name."), field="name")
    if not modules:
        raise ServiceError(_("Choose at least one module."), field="modules")
    drafts = [m.title for m in modules if not m.is_published]
    if drafts:
        raise ServiceError(
            _("Publish these modules first: %(titles)s.") % {"titles": ", ".join(drafts)},
            field="modules",
        )
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(_("The campaign cannot end before it starts."), field="ends_on")
    if rhythm not in Campaign.Rhythm.values:
        raise ServiceError(_("The rhythm is daily or weekly."), field="rhythm")
    if not isinstance(new_cards, int) or not 1 <= new_cards <= 20:
        raise ServiceError(_("Between 1 and 20 new cards."), field="new_cards")
    campaign = campaign or Campaign(created_by=creator)
    campaign.name = name[: limit_of(Campaign, "name")]
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.rhythm, campaign.new_cards, campaign.newcomers = rhythm, new_cards, newcomers
    campaign.save()
    campaign.populations.set(populations)
    campaign.teams.set(teams)
    campaign.sites.set(sites)
    campaign.departments.set(departments)
    CampaignModule.objects.filter(campaign=campaign).delete()
    CampaignModule.objects.bulk_create(
        [CampaignModule(campaign=campaign, module=m, position=i) for i, m in enumerate(modules)]
    )
    catalogue.bump()  # bulk_create sends no signal: the campaign's modules changed
    return campaign


@transaction.atomic
def end_campaign(*, campaign: Campaign, on: date) -> Campaign:
    campaign.ends_on = on
    campaign.save(update_fields=["ends_on"])
    return campaign
