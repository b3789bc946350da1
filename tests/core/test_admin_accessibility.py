"""The admin's own pages as Sylva draws them (templates/admin/, static/sylva/admin.*): every
input has a label, the search box's label has a text (checked in the browser by
tests/browser/test_accessibility.py, here on the HTML itself)."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.fixture
def staff(org, client: Client) -> Client:  # type: ignore[no-untyped-def]
    org.admin.user.is_staff = org.admin.user.is_superuser = True
    org.admin.user.save()
    client.force_login(org.admin.user)
    return client


def test_the_split_date_and_time_inputs_each_have_their_label(org, staff: Client) -> None:  # type: ignore[no-untyped-def]
    html = staff.get(f"/admin/auth/user/{org.admin.user.pk}/change/").content.decode()
    for field in ("last_login", "date_joined"):
        for part in ("0", "1"):
            assert re.search(rf'<label for="id_{field}_{part}">[^<]+</label>', html), (field, part)
    assert "sylva/admin.css" in html and "sylva/admin.js" in html


def test_the_search_box_label_has_a_text(staff: Client) -> None:
    html = staff.get("/admin/otp_totp/totpdevice/").content.decode()
    label = re.search(r'<label for="searchbar">(.*?)</label>', html, re.S)
    assert label and re.search(r">\s*\w+\s*<", label.group(1)), label
