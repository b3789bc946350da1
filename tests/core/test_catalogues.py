"""Every string Sylva shows has its French: the catalogues are refreshed from the source
(``make messages``, on a copy of the source tree) and none may be left untranslated or fuzzy.

A new string written in English without its French, or a string changed in the source while
its old French stays behind (fuzzy, so not shown), fails here with the string and the file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[2] / "src" / "sylva"
TOOLS = ("xgettext", "msgmerge", "msgattrib")

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="GNU gettext is missing (.ci/run installs it): apt-get install gettext",
)


def _left(po: Path, flag: str) -> list[str]:
    out = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return [m for m in re.findall(r'^msgid "(.*)"$', out, flags=re.M) if m]


def test_every_string_has_its_french(tmp_path: Path, monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "sylva"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "static", "node_modules")
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    catalogues = sorted(copy.glob("**/locale/fr/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 5, catalogues  # the project's and each app's
    missing = {
        str(po.relative_to(copy)): _left(po, "--untranslated") + _left(po, "--only-fuzzy")
        for po in catalogues
    }
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, "strings without their French (run `make messages`, then translate):\n" + (
        "\n".join(f"{k}: {v}" for k, v in missing.items())
    )
