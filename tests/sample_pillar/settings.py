"""Sylva's settings with one more line in INSTALLED_APPS: the sample pillar."""

from sylva.settings import *  # noqa: F403
from sylva.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_pillar"]
SYLVA_MFA_ENFORCED = False  # the check signs in as an administrator with a password only
