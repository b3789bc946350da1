"""The API's interactive docs work without internet: every script, style and icon of
/api/v1/docs is served by Sylva itself (django-ninja's own copy of Swagger UI)."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_api_docs_reference_only_local_assets(org, client: Client) -> None:
    client.force_login(org.manager.user)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="(fr|en)">', html)  # a screen reader reads it in its language
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
