"""The recipe of docs/architecture.md works: a pillar that is one folder
(tests/sample_pillar/) and one line in INSTALLED_APPS (tests/sample_pillar/settings.py)
gets its pages, navigation entry, panel, context, API route, verb, task, demo, role
permissions, inbox items (and the navigation's count), notice kinds, search results and
ways to learn a skill (a skill's page and its API),
without a line of Sylva changed. It runs in its own process: the app registry and the
URLconf of this one are already built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.walk

ROOT = Path(__file__).resolve().parents[2]


def test_a_pillar_that_follows_the_recipe_is_plugged_in_everywhere(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sample_pillar.settings",
        "SYLVA_DATABASE_URL": f"sqlite:///{tmp_path / 'sample.sqlite3'}",
        "SYLVA_SECRET_KEY": "sample-pillar-check-" + "k" * 40,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.sample_pillar.check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["pillars"][-1] == "sample_pillar"
    assert found["url"] == "/sample/"
    assert found["page"] == [200, "sample pillar home"]
    assert found["panel_on_home"] and found["nav_link_on_home"]
    assert found["context"] == "hello from the sample pillar"
    assert found["nav"][-1] == "sample_pillar:home"
    assert found["api"] and found["api_answer"] == {"pong": True}
    assert found["verb"].endswith("/sample-noticed")
    assert "tests.sample_pillar.tasks.tidy" in found["tasks"]
    assert found["demo"] == 3
    assert found["roles"]
    assert found["inbox"] and found["badge"] and found["notified"]
    assert found["search"]
    assert found["ways_on_page"]
    assert found["ways_api"] == ["sample_pillar.way"] and "sample-ask" in found["asks_api"]
