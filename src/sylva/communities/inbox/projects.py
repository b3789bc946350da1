"""What waits on a project's members: milestones past their due date without a review."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sylva.communities.queries import projects as queries
from sylva.core.pillars import InboxAction, InboxItem


def items(person: Any) -> list[InboxItem]:
    found = []
    for milestone in queries.overdue_milestones(person)[:20]:
        if milestone.due_on is None:  # (overdue ones have a date)
            continue
        url = reverse("communities:project", args=[milestone.project_id]) + (
            f"#milestone-{milestone.pk}"
        )
        found.append(
            InboxItem(
                kind="communities.milestone",
                title=_("Milestone to review: %(title)s") % {"title": milestone.title},
                detail=_("%(project)s · due on %(date)s, not reviewed yet")
                % {
                    "project": milestone.project.title,
                    "date": formats.date_format(milestone.due_on, "SHORT_DATE_FORMAT"),
                },
                url=url,
                since=timezone.make_aware(datetime.combine(milestone.due_on, time())),
                actions=(InboxAction(_("Write the review"), url, method="get", primary=True),),
            )
        )
    return found


def waiting(person: Any) -> list[QuerySet[Any]]:
    return [queries.overdue_milestones(person)]
