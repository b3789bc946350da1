"""Class 7: nobody guesses passwords, floods the API or runs a script in Sylva's pages.

Sign-in: django-axes locks on the account and on the address, before any password is hashed,
answering 429 with Retry-After. API: django-ratelimit per person and per address. Headers:
CSP with no inline script anywhere, Permissions-Policy, Referrer-Policy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from tests.factories import PASSWORD

LIMIT = 5  # a small threshold keeps the tests quick; the rule is the same at 10
ADDRESS_LIMIT = 12  # failures from one address across usernames (100 by default)


class CountingHasher(MD5PasswordHasher):
    """MD5, counting every time a password is hashed or checked."""

    calls = 0

    def encode(self, password, salt):  # type: ignore[no-untyped-def]
        CountingHasher.calls += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):  # type: ignore[no-untyped-def]
        CountingHasher.calls += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def _small_threshold(settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.SYLVA_LOGIN_ADDRESS_FAILURE_LIMIT = ADDRESS_LIMIT


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Trop de tentatives" in page or "Too many failed sign-in attempts" in page


# --- sign-in ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_thirty_wrong_passwords_for_one_account_are_stopped_with_429(org) -> None:
    client = Client()
    answers = [sign_in(client, "learner", f"guess-{i}").status_code for i in range(30)]
    assert answers[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(answers[LIMIT:]) == {429}
    assert_locked(sign_in(client, "learner", "guess-again"))


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped(org) -> None:
    client = Client()
    answers = [sign_in(client, f"someone-{i}", "guess").status_code for i in range(30)]
    assert answers[: ADDRESS_LIMIT - 1] == [200] * (ADDRESS_LIMIT - 1)
    assert set(answers[ADDRESS_LIMIT:]) == {429}
    # the address is locked, whoever it tries next, even a real account with its password
    response = sign_in(client, "expert", PASSWORD)
    assert_locked(response)
    assert not signed_in(client)


@pytest.mark.django_db
def test_one_account_tried_from_many_addresses_is_stopped(org) -> None:
    client = Client()
    answers = [
        sign_in(client, "learner", "guess", address=f"10.1.{i}.7").status_code for i in range(30)
    ]
    assert set(answers[LIMIT:]) == {429}
    assert_locked(sign_in(client, "learner", PASSWORD, address="192.0.2.99"))


@pytest.mark.django_db
def test_a_guesser_locks_the_account_not_the_colleagues_at_the_same_address(org) -> None:
    """One guesser behind a site's shared address: the account guessed is locked, a
    colleague at that address still signs in (the address has its own, higher limit)."""
    client = Client()
    for i in range(LIMIT + 1):
        sign_in(client, "learner", f"guess-{i}")
    assert_locked(sign_in(client, "learner", PASSWORD))
    colleague = Client()
    assert sign_in(colleague, "expert", PASSWORD).status_code == 302
    assert signed_in(colleague)


@pytest.mark.django_db
def test_the_right_password_during_a_lockout_does_not_sign_in(org) -> None:
    client = Client()
    for i in range(LIMIT):
        sign_in(client, "learner", f"guess-{i}")
    response = sign_in(client, "learner", PASSWORD)
    assert_locked(response)
    assert not signed_in(client)
    assert client.get("/").status_code == 302  # still sent to the sign-in page


@pytest.mark.django_db
def test_a_locked_out_storm_never_runs_the_password_hasher(org, settings) -> None:
    settings.PASSWORD_HASHERS = ["tests.core.test_security.CountingHasher"]
    org.learner.user.set_password(PASSWORD)
    org.learner.user.save()
    client = Client()
    for i in range(ADDRESS_LIMIT):  # the account, then the address, locked
        sign_in(client, "learner", f"guess-{i}")
    CountingHasher.calls = 0
    for i in range(50):
        assert sign_in(client, "learner", f"storm-{i}").status_code == 429
        assert sign_in(client, f"nobody-{i}", "storm").status_code == 429
    assert CountingHasher.calls == 0


@pytest.mark.django_db
def test_only_failures_count_many_good_sign_ins_from_one_address_pass(org) -> None:
    """Browser tests and offices behind one address sign in over and over."""
    for _ in range(3 * LIMIT):
        client = Client()
        response = sign_in(client, "learner", PASSWORD, address="127.0.0.1")
        assert response.status_code == 302 and signed_in(client)
    # a slip or two, then the right password: the slips are forgotten
    for _ in range(3):
        for i in range(LIMIT - 1):
            assert sign_in(Client(), "expert", f"slip-{i}").status_code == 200
        assert sign_in(Client(), "expert", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_sign_in_is_guarded_too(org) -> None:
    client = Client()
    for i in range(LIMIT):
        client.post(
            "/admin/login/", {"username": "admin", "password": f"g{i}"}, REMOTE_ADDR="10.9.9.9"
        )
    response = client.post(
        "/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429 and not signed_in(client)


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_change_the_address(org, settings) -> None:
    """Without trusted proxies, X-Forwarded-For is the client's word: ignored."""
    client = Client()
    for i in range(ADDRESS_LIMIT):
        client.post(
            "/login/",
            {"username": f"x{i}", "password": "g"},
            REMOTE_ADDR="10.3.3.3",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    response = client.post(
        "/login/",
        {"username": "y", "password": "g"},
        REMOTE_ADDR="10.3.3.3",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 429
    # behind one trusted proxy, the address the proxy saw is the client's
    settings.SYLVA_TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/login/",
        {"username": "learner", "password": PASSWORD},
        REMOTE_ADDR="10.3.3.3",
        HTTP_X_FORWARDED_FOR="198.51.100.201",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_lockout_message_is_translated(org) -> None:
    client = Client()
    for i in range(LIMIT):
        sign_in(client, "learner", f"g{i}")
    client.cookies["sylva_language"] = "en"
    english = client.post(
        "/login/", {"username": "learner", "password": "g"}, REMOTE_ADDR="10.0.0.1"
    )
    client.cookies["sylva_language"] = "fr"
    french = client.post(
        "/login/", {"username": "learner", "password": "g"}, REMOTE_ADDR="10.0.0.1"
    )
    assert "Too many failed sign-in attempts" in english.content.decode()
    assert "Trop de tentatives" in french.content.decode()


# --- the API ----------------------------------------------------------------------------


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_a_token_past_its_rate_gets_429_json_with_retry_after(org, settings) -> None:
    from sylva.people.services import create_token

    settings.SYLVA_API_RATE = "5/m"
    secret = create_token(person=org.learner, name="script")[1]
    other = create_token(person=org.expert, name="script")[1]
    client = Client()
    answers = [client.get("/api/v1/me", **bearer(secret)).status_code for _ in range(8)]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    refused = client.get("/api/v1/me", **bearer(secret))
    assert refused["Content-Type"].startswith("application/json")
    assert "detail" in refused.json() and int(refused["Retry-After"]) > 0
    # another person, same address: their own bucket
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200


@pytest.mark.django_db
def test_a_session_past_its_rate_gets_429(org, settings) -> None:
    settings.SYLVA_API_RATE = "3/m"
    client = Client()
    client.force_login(org.learner.user)
    answers = [client.get("/api/v1/me").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_an_address_guessing_tokens_gets_429(org, settings) -> None:
    settings.SYLVA_API_ADDRESS_RATE = "5/m"
    client = Client()
    answers = [
        client.get("/api/v1/me", REMOTE_ADDR="10.7.7.7", **bearer(f"sylva_guess{i}")).status_code
        for i in range(8)
    ]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    assert client.get("/api/v1/me", REMOTE_ADDR="10.7.7.8").status_code == 401  # not that one


# --- headers and CSP --------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_send_csp_permissions_and_referrer_policies(org) -> None:
    client = Client()
    client.force_login(org.learner.user)
    for url in ("/login/", "/", "/me/tokens/", "/api/v1/me", "/api/v1/docs"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def _templates() -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "src" / "sylva"
    return sorted(root.rglob("templates/**/*.html"))


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_handler() -> None:
    """The CSP forbids inline script: every template must do without (walks them all)."""
    found = []
    templates = _templates()
    assert len(templates) > 20
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            for match in pattern.finditer(text):
                found.append(f"{path.name}: {match.group(0)!r}")
    assert found == []


@pytest.mark.django_db
def test_the_api_docs_load_their_scripts_from_sylva_itself(org) -> None:
    client = Client()
    client.force_login(org.learner.user)
    page = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts
    for tag in scripts:
        assert 'src="/static/' in tag or "application/json" in tag, tag
