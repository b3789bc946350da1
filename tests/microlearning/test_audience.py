"""Campaigns reach their audience: any value within a dimension, every dimension filled in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.microlearning.queries.audience import campaign_people, campaigns_for
from sylva.microlearning.services import campaigns
from sylva.microlearning.services.content import unpublish


def _campaign(org, module, **audience):  # type: ignore[no-untyped-def]
    return campaigns.save_campaign(
        creator=org.designer, name="c", modules=[module], starts_on=timezone.localdate(), **audience
    )


@pytest.mark.parametrize(
    ("audience", "reached"),
    [
        ({}, {"manager", "learner", "expert", "newcomer", "animator", "designer", "admin"}),
        ({"teams": "extrusion"}, {"manager", "learner", "newcomer"}),
        ({"departments": "hr"}, {"animator", "designer", "admin"}),
        ({"sites": "lille"}, {"expert"}),
        ({"newcomers": True}, {"newcomer"}),
        ({"teams": "extrusion", "newcomers": True}, {"newcomer"}),
        ({"populations": "field"}, {"learner"}),
        ({"populations": "field", "sites": "lille"}, set()),
    ],
)
def test_a_campaign_reaches_its_audience(org, module, audience, reached) -> None:  # type: ignore[no-untyped-def]
    org.learner.populations.add(org.field)
    resolved = {
        "teams": [org.extrusion],
        "departments": [org.hr],
        "sites": [org.lille],
        "populations": [org.field],
    }
    kwargs = {k: resolved.get(k, v) for k, v in audience.items()}
    campaign = _campaign(org, module, **kwargs)
    names = {"manager", "learner", "expert", "newcomer", "animator", "designer", "admin"}
    people = {n for n in names if campaign in campaigns_for(org.person(n), timezone.localdate())}
    assert people == reached
    by_query = (
        set(
            campaign_people(campaign, timezone.localdate()).values_list("user__username", flat=True)
        )
        & names
    )
    assert by_query == reached


def test_a_campaign_runs_between_its_dates(org, module) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    campaign = _campaign(org, module)
    campaign.starts_on, campaign.ends_on = today + timedelta(days=1), today + timedelta(days=8)
    campaign.save()
    assert campaign not in campaigns_for(org.learner, today)
    assert campaign in campaigns_for(org.learner, today + timedelta(days=8))
    assert campaign not in campaigns_for(org.learner, today + timedelta(days=9))


def test_a_campaign_needs_published_modules_and_sane_dates(org, module) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        campaigns.save_campaign(
            creator=org.designer,
            name="c",
            modules=[module],
            starts_on=date(2026, 5, 2),
            ends_on=date(2026, 5, 1),
        )
    assert caught.value.field == "ends_on"
    unpublish(module=module)
    with pytest.raises(ServiceError) as caught:
        _campaign(org, module)
    assert caught.value.field == "modules"
