"""The second factor, through the real sign-in form: password, then a TOTP code computed
from the device's key. Required for administrators; SYLVA_REQUIRE_MFA_FOR adds roles."""

from __future__ import annotations

import re
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

#: Pages a person who has not given their second factor must not reach.
GUARDED = ["/", "/me/", "/me/tokens/", "/admin/", "/insights/", "/learn/", "/exchange/"]


@pytest.fixture(autouse=True)
def _enforced(settings):  # type: ignore[no-untyped-def]
    settings.SYLVA_MFA_ENFORCED = True
    settings.SYLVA_REQUIRE_MFA_FOR = ["admin"]
    settings.SYLVA_MFA_RELAXED_FOR = frozenset()


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later * device.step
    return str(totp.token()).zfill(device.digits)


def sign_in(client: Client, username: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": PASSWORD})


def assert_kept_out(client: Client, target: str) -> None:
    for url in GUARDED:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(target), (url, response["Location"])
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "detail" in api.json()


@pytest.mark.django_db
def test_an_administrator_without_a_device_is_sent_to_set_one_up(org) -> None:
    client = Client()
    response = sign_in(client, "admin")
    assert response.status_code == 302
    assert_kept_out(client, "/me/security/")
    page = client.get("/me/security/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert "<script" not in page.content.decode().split("<main")[-1].split("</main>")[0]


@pytest.mark.django_db
def test_setting_up_with_a_code_from_the_key_opens_the_site_and_gives_recovery_codes(
    org,
) -> None:
    client = Client()
    sign_in(client, "admin")
    client.get("/me/security/")
    assert not TOTPDevice.objects.filter(user=org.admin.user).exists()  # the page only reads
    device = TOTPDevice(key=client.session["sylva_second_factor_key"])  # the key it shows
    wrong = client.post(
        "/me/security/", {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=org.admin.user, confirmed=True).exists()
    done = client.post("/me/security/", {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=org.admin.user).confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_signing_in_with_a_device_asks_for_its_code_after_the_password(org) -> None:
    device = TOTPDevice.objects.create(user=org.admin.user, name="phone", confirmed=True)
    client = Client()
    response = sign_in(client, "admin")
    assert response.status_code == 302
    assert_kept_out(client, "/login/code/")
    refused = client.post("/login/code/", {"code": "12345"})
    assert refused.status_code == 200
    assert client.get("/admin/").status_code == 302
    # django-otp throttles after a wrong code (1 s, then 2, 4…): even the right one waits
    assert client.post("/login/code/", {"code": code_for(device)}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    response = client.post("/login/code/", {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(org) -> None:
    TOTPDevice.objects.create(user=org.admin.user, name="phone", confirmed=True)
    from sylva.people.second_factor import new_recovery_codes

    codes = new_recovery_codes(user=org.admin.user)
    first = Client()
    sign_in(first, "admin")
    assert first.post("/login/code/", {"code": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = Client()
    sign_in(again, "admin")
    again.post("/login/code/", {"code": codes[0]})
    assert again.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=org.admin.user).count() == 9


@pytest.mark.django_db
def test_a_learner_signs_in_with_the_password_alone(org) -> None:
    client = Client()
    sign_in(client, "learner")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_a_learner_who_turned_it_on_gives_it_too(org) -> None:
    device = TOTPDevice.objects.create(user=org.learner.user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "learner")
    assert_kept_out(client, "/login/code/")
    client.post("/login/code/", {"code": code_for(device)})
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_setting_can_require_it_for_animators(org, settings) -> None:
    settings.SYLVA_REQUIRE_MFA_FOR = ["admin", "animator"]
    client = Client()
    sign_in(client, "animator")
    assert_kept_out(client, "/me/security/")
    learner = Client()
    sign_in(learner, "learner")
    assert learner.get("/").status_code == 200


@pytest.mark.django_db
def test_staff_and_superusers_need_it_whatever_their_roles(org) -> None:
    user = org.learner.user
    user.is_staff = True
    user.save()
    client = Client()
    sign_in(client, "learner")
    assert_kept_out(client, "/me/security/")


@pytest.mark.django_db
def test_the_demo_relaxes_it_for_its_accounts_only(org, settings) -> None:
    settings.SYLVA_MFA_RELAXED_FOR = frozenset({"admin"})
    client = Client()
    sign_in(client, "admin")
    assert client.get("/admin/").status_code == 200
    settings.SYLVA_MFA_RELAXED_FOR = frozenset({"someone-else"})
    other = Client()
    sign_in(other, "admin")
    assert other.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_an_administrator_cannot_turn_it_off(org) -> None:
    device = TOTPDevice.objects.create(user=org.admin.user, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "admin")
    client.post("/login/code/", {"code": code_for(device)})
    client.post("/me/security/off/")
    assert TOTPDevice.objects.filter(user=org.admin.user).exists()


@pytest.mark.django_db
def test_the_setting_is_read_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    from sylva.core.env import env_choices

    monkeypatch.setenv("SYLVA_REQUIRE_MFA_FOR", "admin,animators")
    with pytest.raises(ImproperlyConfigured, match="SYLVA_REQUIRE_MFA_FOR"):
        env_choices("SYLVA_REQUIRE_MFA_FOR", "admin", {"admin", "animator"})


@pytest.mark.django_db
def test_the_admin_never_shows_a_device_key_or_a_recovery_code(org, settings) -> None:
    settings.SYLVA_MFA_ENFORCED = False
    from sylva.people.second_factor import new_recovery_codes

    device = TOTPDevice.objects.create(user=org.learner.user, name="phone", confirmed=True)
    codes = new_recovery_codes(user=org.learner.user)
    static = StaticToken.objects.filter(device__user=org.learner.user).first()
    assert static is not None
    client = Client()
    client.force_login(org.admin.user)
    pages = [
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_static/staticdevice/{static.device_id}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert device.key not in html, url
        assert not any(code in html for code in codes), url
    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_a_role_given_during_a_session_is_seen_within_minutes(org, settings) -> None:
    from sylva.people.middleware import RECHECK_SECONDS, SESSION_STATE
    from sylva.people.services import assign_roles

    settings.SYLVA_REQUIRE_MFA_FOR = ["admin", "animator"]
    client = Client()
    sign_in(client, "learner")
    assert client.get("/").status_code == 200
    assign_roles(user=org.learner.user, roles=["animator"])
    session = client.session
    session[SESSION_STATE] = {"state": "ok", "at": int(time.time()) - RECHECK_SECONDS - 1}
    session.save()
    assert_kept_out(client, "/me/security/")
