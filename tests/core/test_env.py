import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sylva.core import secret_key
from sylva.core.env import (
    env_bool,
    env_choices,
    env_header,
    env_int,
    env_list,
    env_rate,
    env_str,
)


def test_booleans_are_read_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYLVA_X", "yes")
    assert env_bool("SYLVA_X") is True
    monkeypatch.setenv("SYLVA_X", "0")
    assert env_bool("SYLVA_X", True) is False
    monkeypatch.setenv("SYLVA_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SYLVA_X"):
        env_bool("SYLVA_X")


def test_integers_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYLVA_N", "12")
    assert env_int("SYLVA_N", 3) == 12
    monkeypatch.setenv("SYLVA_N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("SYLVA_N", 3)
    monkeypatch.setenv("SYLVA_HOSTS", "a.example, b.example,")
    assert env_list("SYLVA_HOSTS") == ["a.example", "b.example"]


def test_secrets_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("SYLVA_SECRET_KEY_FILE", str(secret))
    assert env_str("SYLVA_SECRET_KEY") == "s3cret"
    monkeypatch.setenv("SYLVA_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env_str("SYLVA_SECRET_KEY")


# --- class 7: no committed secret key; HTTPS settings read strictly; a clean deploy check ---

ROOT = Path(__file__).resolve().parents[2]


def _sylva(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`sylva …` in a clean environment: no SYLVA_* of the caller's, no pytest."""
    base = {
        k: v
        for k, v in os.environ.items()
        # the browser tests' conftest allows async-unsafe calls in this process, not in sylva's
        if not k.startswith(("SYLVA_", "PYTEST")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    base.update({"SYLVA_DATABASE_URL": f"sqlite:///{cwd / 'sylva.sqlite3'}", **env})
    return subprocess.run(
        [sys.executable, "-m", "sylva.cli", *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_a_secret_key_sylva_refuses_to_start(tmp_path: Path) -> None:
    result = _sylva(["check"], tmp_path)
    assert result.returncode != 0
    assert "SYLVA_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "sylva.sqlite3-secret-key").exists()


@pytest.mark.walk
def test_the_demo_makes_a_local_key_says_so_and_relaxes_the_second_factor(
    tmp_path: Path,
) -> None:
    result = _sylva(["demo", "--no-serve", "--people", "20"], tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "sylva.sqlite3-secret-key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    out = " ".join(result.stdout.split())
    assert "Generated a local secret key" in out
    assert "without a second factor" in out
    # other commands on that database reuse it; a second demo says it reuses it
    assert _sylva(["check"], tmp_path).returncode == 0
    again = _sylva(["demo", "--no-serve"], tmp_path)
    assert "Using a local secret key" in " ".join(again.stdout.split())
    assert key_file.read_text().strip() == key_file.read_text().strip()


def test_the_key_comes_from_the_environment_first_and_is_never_a_fixed_one(tmp_path) -> None:
    key_file = tmp_path / "db-secret-key"
    assert secret_key.resolve(configured="k", key_file=key_file, argv=[], modules={}) == (
        "k",
        "environment",
    )
    tests_key, source = secret_key.resolve(configured="", key_file=None, modules={"pytest": 1})
    other, _ = secret_key.resolve(configured="", key_file=None, modules={"pytest": 1})
    assert source == "tests" and tests_key != other and len(tests_key) >= 50
    with pytest.raises(ImproperlyConfigured, match="SYLVA_SECRET_KEY"):
        secret_key.resolve(
            configured="", key_file=key_file, argv=["sylva", "runserver"], modules={}
        )
    made, source = secret_key.resolve(
        configured="", key_file=key_file, argv=["sylva", "demo"], modules={}
    )
    assert source == "created" and key_file.read_text().strip() == made
    assert secret_key.resolve(configured="", key_file=key_file, argv=["sylva"], modules={}) == (
        made,
        "file",
    )


#: The production settings docs/operations.md documents (its "Production checklist").
PRODUCTION = {
    "SYLVA_DEBUG": "false",
    "SYLVA_ALLOWED_HOSTS": "sylva.example.com",
    "SYLVA_CSRF_TRUSTED_ORIGINS": "https://sylva.example.com",
    "SYLVA_BASE_URL": "https://sylva.example.com",
    "SYLVA_SECURE_COOKIES": "true",
    "SYLVA_SSL_REDIRECT": "true",
    "SYLVA_HSTS_SECONDS": "31536000",
    "SYLVA_HSTS_PRELOAD": "true",
    "SYLVA_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto=https",
    "SYLVA_TRUSTED_PROXY_COUNT": "1",
}


def test_the_documented_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for name, value in PRODUCTION.items():
        assert f"{name}={value}" in docs, f"docs/operations.md should show {name}={value}"
    env = {**PRODUCTION, "SYLVA_SECRET_KEY": secrets.token_urlsafe(50)}
    result = _sylva(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # and without them, the deploy check does warn (so this test can fail)
    bare = _sylva(["check", "--deploy"], tmp_path, SYLVA_SECRET_KEY=secrets.token_urlsafe(50))
    assert "security.W004" in bare.stdout + bare.stderr


def test_https_and_limit_settings_are_read_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYLVA_H", "X-Forwarded-Proto=https")
    assert env_header("SYLVA_H") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("SYLVA_H", "X-Forwarded-Proto")
    with pytest.raises(ImproperlyConfigured, match="SYLVA_H"):
        env_header("SYLVA_H")
    monkeypatch.setenv("SYLVA_R", "600/m")
    assert env_rate("SYLVA_R", "1/s") == "600/m"
    for bad in ("600", "600/week", "0/m", "many/m"):
        monkeypatch.setenv("SYLVA_R", bad)
        with pytest.raises(ImproperlyConfigured, match="SYLVA_R"):
            env_rate("SYLVA_R", "1/s")
    monkeypatch.setenv("SYLVA_C", "admin, Animator")
    assert env_choices("SYLVA_C", "", {"admin", "animator"}) == ["admin", "animator"]
