from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    from sylva.people.roles import sync_roles

    sync_roles()


class PeopleConfig(AppConfig):
    name = "sylva.people"
    label = "people"
    verbose_name = _("People and skills")
    # model -> confidential fields (sylva.core.confidential): an event's result and statement
    # may carry a person's answer; a token's digest and password mark are credentials
    confidential: dict[str, tuple[str, ...]] = {
        "LearningEvent": ("result", "statement"),
        "ApiToken": ("digest", "password_mark"),
    }

    def ready(self) -> None:
        # Every app's post_migrate: permissions of apps migrated after this one exist too.
        post_migrate.connect(_sync_roles, dispatch_uid="sylva.sync_roles")
