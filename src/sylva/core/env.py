"""Strict reading of SYLVA_* environment variables.

A malformed value is an error at start-up, never a silent default. Any variable may also be
given as ``<NAME>_FILE`` pointing at a file that holds the value (for secrets).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "true" if default else "false").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = env_str(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choices(name: str, default: str, choices: set[str]) -> list[str]:
    """A comma-separated list whose every item is one of ``choices``."""
    items = [item.lower() for item in env_list(name, default)]
    unknown = [item for item in items if item not in choices]
    if unknown:
        raise ImproperlyConfigured(
            f"{name}: unknown value {unknown[0]!r}; use a comma-separated list of "
            + ", ".join(sorted(choices))
        )
    return items


_RATE_UNITS = {"s", "m", "h", "d"}


def env_rate(name: str, default: str) -> str:
    """A rate such as ``600/m`` (per second, minute, hour or day), or empty for no limit."""
    raw = env_str(name, default).strip().lower()
    if not raw:
        return ""
    count, _, unit = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or unit not in _RATE_UNITS:
        raise ImproperlyConfigured(
            f"{name} must look like 600/m (a count per s, m, h or d), not {raw!r}"
        )
    return raw


def env_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto=https`` as Django's ``("HTTP_X_FORWARDED_PROTO", "https")``."""
    raw = env_str(name, "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition("=")
    header, value = header.strip(), value.strip()
    if not sep or not header or not value or " " in header:
        raise ImproperlyConfigured(
            f"{name} must look like X-Forwarded-Proto=https (a header and its value), not {raw!r}"
        )
    meta = header.upper().replace("-", "_")
    if not meta.startswith("HTTP_"):
        meta = "HTTP_" + meta
    return meta, value
