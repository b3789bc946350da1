"""Where Sylva's ``SECRET_KEY`` comes from.

In order: ``SYLVA_SECRET_KEY`` (or ``SYLVA_SECRET_KEY_FILE``); a throwaway random key inside
the test suite and the type checker; the key that `sylva demo` generated beside its SQLite
database (created on the demo's first start, then reused by every command on that database).
Anything else refuses to start, naming the variable: there is no key committed in the
repository any more.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

KEY_FILE_SUFFIX = "-secret-key"
MISSING = (
    "SYLVA_SECRET_KEY is not set. Set it (or SYLVA_SECRET_KEY_FILE) to a long random value, "
    "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
    "`sylva demo` makes a local one for a trial."
)


def key_file_for(database: Mapping[str, Any]) -> Path | None:
    """The demo's key file: beside the SQLite database file (``sylva.sqlite3-secret-key``)."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return None
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name + KEY_FILE_SUFFIX)


def is_demo(argv: Sequence[str]) -> bool:
    return len(argv) > 1 and argv[1] == "demo"


def is_tooling(modules: Mapping[str, object]) -> bool:
    """Inside the test suite or the type checker (they import settings, never serve)."""
    return "pytest" in modules or "mypy" in modules


def resolve(
    *,
    configured: str,
    key_file: Path | None,
    argv: Sequence[str] | None = None,
    modules: Mapping[str, object] | None = None,
) -> tuple[str, str]:
    """``(key, where it came from)``; where is "environment", "tests", "file" or "created"."""
    argv = sys.argv if argv is None else argv
    modules = sys.modules if modules is None else modules
    if configured:
        return configured, "environment"
    if is_tooling(modules):
        return secrets.token_urlsafe(50), "tests"
    if key_file is not None and key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key, "file"
    if is_demo(argv) and key_file is not None:
        key = secrets.token_urlsafe(50)
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key + "\n")
        return key, "created"
    raise ImproperlyConfigured(MISSING)
