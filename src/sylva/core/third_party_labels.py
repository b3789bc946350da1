"""Labels that other apps show in Sylva's admin without a French of their own (django-tasks'
task results, django-axes' user agent): their French is in Sylva's catalogue, and listing
them here keeps them there when ``make messages`` refreshes it (it drops what no source
names). tests/core/test_admin_french.py checks that the admin shows them in French."""

from __future__ import annotations

from django.utils.translation import gettext_noop

LABELS = (
    # django-tasks' database backend (the admin's "Task results")
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    # django-axes' access attempts and failures
    gettext_noop("User Agent"),
)
