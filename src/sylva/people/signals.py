"""What follows a write elsewhere: a new password revokes the tokens made under the old one.

Connected in PeopleConfig.ready(). A User saved with a new password (the admin, the
`changepassword` command, a password-change page, SSO) revokes at that moment every token
of its person minted under the former password, so that the tokens page and the API only
read (a GET never writes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_save

from sylva.people.models import Person
from sylva.people.services import revoke_stale_tokens


def _password_saved(sender: type[User], instance: User, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (fields is not None and "password" not in fields):
        return  # a fixture load, or a save of other fields (last_login…)
    person = Person.objects.filter(user=instance).first()
    if person is not None:
        revoke_stale_tokens(person=person)


def connect() -> None:
    post_save.connect(_password_saved, sender=User, dispatch_uid="sylva.people.password_saved")
