from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry


def _sync_roles(sender: object, **kwargs: object) -> None:
    from sylva.people.roles import sync_roles  # lazy: apps.py loads before the models

    sync_roles()


class PeopleConfig(pillars.Pillar):
    """The ground every pillar stands on: people, organisation, skills, the event log.

    It fills in the same contract as the pillars; `sylva seed` generates its company first,
    then runs each pillar's demo on top."""

    name = "sylva.people"
    label = "people"
    verbose_name = _("People and skills")
    url_prefix = ""
    api_prefix = "/"
    nav = (
        NavEntry("home", _("Home"), "home"),
        NavEntry("people:directory", _("Who knows what"), "people", "people.view_person"),
        NavEntry("people:skills", _("Skills"), "skills", "people.view_skill"),
        NavEntry("people:organisation", _("Organisation"), "org", "people.view_department"),
        NavEntry("people:my_team", _("My team"), "team", "people.view_team_people"),
    )
    search = "sylva.people.search"
    ways = "sylva.people.ways"
    # an event's result and statement may carry a person's answer; a token's digest and
    # password mark are credentials
    confidential = {
        "LearningEvent": ("result", "statement"),
        "ApiToken": ("digest", "password_mark"),
    }

    def ready(self) -> None:
        super().ready()
        # Every app's post_migrate: permissions of apps migrated after this one exist too.
        post_migrate.connect(_sync_roles, dispatch_uid="sylva.sync_roles")
        # the models are loaded only now: the signal handlers import them
        from sylva.people import signals

        signals.connect()
