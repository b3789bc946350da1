"""Any change to modules, cards, campaigns or their audiences renews the content token
(services.catalogue.bump), so that the catalogue kept in memory by queries.catalogue is
reloaded on the next request."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from sylva.microlearning.models import Campaign, CampaignModule, Card, Module
from sylva.microlearning.services.catalogue import bump


def content_changed(**_kwargs: Any) -> None:
    bump()


def connect() -> None:
    for model in (Module, Card, Campaign, CampaignModule):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"learn-{model.__name__}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"learn-del-{model.__name__}"
        )
    for name in ("populations", "teams", "sites", "departments"):
        m2m_changed.connect(
            content_changed,
            sender=getattr(Campaign, name).through,
            dispatch_uid=f"learn-m2m-{name}",
        )
