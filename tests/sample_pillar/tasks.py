from django_tasks import task


@task()
def tidy() -> int:
    """The sample pillar's nightly tidy-up."""
    return 0
