"""The exchange API, mounted by sylva.core.api."""

from ninja import Router

router = Router()
