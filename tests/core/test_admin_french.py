"""A French admin speaks French: every changelist, rendered in French, shows none of the
English labels (app names, model names, column headings) left by third-party apps, and the
admin has Sylva's icon."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

#: labels seen in English on the French admin before (the issue's "Task Results" and co.)
ENGLISH = ("Task Results", "Tasks Database Backend", "Otp_Totp", "Otp_Static", "User Agent")


@pytest.mark.django_db
def test_every_changelist_in_french_has_no_known_english_label(org, client: Client) -> None:
    org.admin.user.is_staff = org.admin.user.is_superuser = True
    org.admin.user.save()
    client.force_login(org.admin.user)
    pages = ["/admin/"] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="fr"' in html, url
        left = [label for label in ENGLISH if label in html]
        assert not left, (url, left)
    assert "sylva/favicon" in client.get("/admin/").content.decode()
