import pytest
from django.core.exceptions import ImproperlyConfigured

from sylva.core.env import env_bool, env_int, env_list, env_str


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
