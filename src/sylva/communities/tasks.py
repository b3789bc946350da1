"""The communities' background tasks (one line each, calling services)."""

from django_tasks import task

from sylva.communities.services import routing


@task()
def escalate_questions() -> int:
    """Escalate, once, the questions still unanswered after the delay to their hosts."""
    return routing.escalate_questions()
