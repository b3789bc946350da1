"""The content token: renewed after any change to modules, cards or campaigns, so that every
process reloads the catalogue it keeps in memory (``queries.catalogue``) on its next request."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from sylva.microlearning.models import ContentVersion


def bump() -> None:
    """Renew the content token (after any change to modules, cards or campaigns)."""
    token = uuid.uuid4()
    if ContentVersion.objects.filter(pk=1).update(token=token):
        return
    try:
        with transaction.atomic():
            ContentVersion.objects.create(pk=1, token=token)
    except IntegrityError:  # created meanwhile by another request
        ContentVersion.objects.filter(pk=1).update(token=token)
