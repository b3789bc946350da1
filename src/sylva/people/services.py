"""Every write about people, their skills and the learning-event log.

One function per use case, keyword-only arguments; each runs in a transaction, validates
its input (raising :class:`~sylva.core.errors.ServiceError`, with nothing changed) and
records the learning event that goes with it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound, ServiceError
from sylva.people import verbs
from sylva.people.models import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    ApiToken,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    Team,
)

ACCOUNT_HOMEPAGE = "https://sylva.education/accounts"
EXT_TEAM = "https://sylva.education/xapi/extensions/team"
EXT_DEPARTMENT = "https://sylva.education/xapi/extensions/department"
EXT_SITE = "https://sylva.education/xapi/extensions/site"
EXT_SKILL = "https://sylva.education/xapi/extensions/skill"


# --- the learning-event log ------------------------------------------------------------


def _agent(person: Person, username: str | None = None) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": person.full_name,
        "account": {
            "homePage": ACCOUNT_HOMEPAGE,
            "name": username if username is not None else str(person.pk),
        },
    }


def build_event(
    *,
    actor: Person,
    verb: str,
    object_id: str,
    object_name: str = "",
    object_type: str = "Activity",
    skill: Skill | None = None,
    result: dict[str, Any] | None = None,
    other: Person | None = None,
    timestamp: datetime | None = None,
    team: Team | None = None,
) -> LearningEvent:
    """An unsaved event with its xAPI statement, the actor's context taken now.

    ``team`` overrides the actor's current team (the bulk generator passes it to avoid a
    query per event); the department and site follow from it.
    """
    v = verbs.verb(verb)
    when = timestamp or timezone.now()
    team = team if team is not None else actor.team
    department_id = team.department_id if team else None
    site_id = actor.site_id or (team.site_id if team else None)
    extensions: dict[str, Any] = {
        EXT_TEAM: team.pk if team else None,
        EXT_DEPARTMENT: department_id,
        EXT_SITE: site_id,
    }
    if skill is not None:
        extensions[EXT_SKILL] = skill.code
    context: dict[str, Any] = {"platform": "Sylva", "extensions": extensions}
    if other is not None:
        context["instructor" if verb == "learned-from" else "team"] = (
            _agent(other)
            if verb == "learned-from"
            else {"objectType": "Group", "member": [_agent(other)]}
        )
    event_id = uuid.uuid4()
    statement: dict[str, Any] = {
        "id": str(event_id),
        "actor": _agent(actor),
        "verb": {"id": v.iri, "display": {"en-US": v.code}},
        "object": {
            "objectType": object_type,
            "id": object_id,
            "definition": {"name": {"und": object_name}} if object_name else {},
        },
        "context": context,
        "timestamp": when.isoformat(),
    }
    if result is not None:
        statement["result"] = result
    return LearningEvent(
        id=event_id,
        actor=actor,
        verb=v.iri,
        object_type=object_type,
        object_id=object_id,
        object_name=object_name[:300],
        skill=skill,
        result=result,
        team=team,
        department_id=department_id,
        site_id=site_id,
        other=other,
        timestamp=when,
        stored=timezone.now(),
        statement=statement,
    )


def record_event(**kwargs: Any) -> LearningEvent:
    """Write one learning event (see :func:`build_event` for the arguments)."""
    event = build_event(**kwargs)
    event.save(force_insert=True)
    return event


def skill_iri(skill: Skill) -> str:
    return f"{verbs.SYLVA_ACTIVITIES}skill/{skill.code}"


# --- profile ----------------------------------------------------------------------------


def _skill_by_code(code: str) -> Skill:
    try:
        return Skill.objects.get(code=code)
    except Skill.DoesNotExist:
        raise NotFound(
            _("There is no skill with the code “%(code)s”.") % {"code": code}, field="skill"
        ) from None


#: What a person edits on their own profile. Their place in the organisation (team, site,
#: manager, and so department) is not among them: an administrator sets it
#: (:func:`place_person`, from the admin) or the HR source does.
SELF_EDITABLE = (
    "job_title",
    "populations",
    "can_share",
    "wants_to_learn",
    "visible_in_insights",
    "language",
)
ORG_PLACEMENT = ("team", "site", "manager", "department")


def check_manager(*, person: Person, manager: Person | None) -> None:
    """A manager is somebody else, who does not report (even indirectly) to ``person``."""
    if manager is None:
        return
    if manager.pk == person.pk:
        raise ServiceError(_("Nobody is their own manager."), field="manager")
    seen: set[int] = set()
    boss: Person | None = manager
    while boss is not None and boss.pk not in seen:
        if boss.manager_id == person.pk:
            raise ServiceError(
                _("%(name)s already reports to %(person)s; choose someone else.")
                % {"name": manager.full_name, "person": person.full_name},
                field="manager",
            )
        seen.add(boss.pk)
        boss = boss.manager


@transaction.atomic
def update_profile(
    *,
    person: Person,
    job_title: str | None = None,
    populations: Iterable[Population] | None = None,
    can_share: str | None = None,
    wants_to_learn: str | None = None,
    visible_in_insights: bool | None = None,
    language: str | None = None,
) -> Person:
    """A person edits their own profile: change the fields given (``None`` leaves a field as
    it is). The row is locked and only the given columns are written, so that two edits at
    once (two tabs, a phone and a laptop) both land."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changed: list[str] = []
    for name, value, limit in (
        ("job_title", job_title, 120),
        ("can_share", can_share, 2000),
        ("wants_to_learn", wants_to_learn, 2000),
    ):
        if value is not None:
            value = value.strip()
            if len(value) > limit:
                raise ServiceError(
                    _("At most %(limit)d characters.") % {"limit": limit}, field=name
                )
            setattr(locked, name, value)
            changed.append(name)
    if visible_in_insights is not None:
        locked.visible_in_insights = visible_in_insights
        changed.append("visible_in_insights")
    if language is not None:
        set_language(person=locked, language=language, save=False)
        changed.append("language")
    if changed:
        locked.save(update_fields=changed)
    if populations is not None:
        locked.populations.set(list(populations))
    for name in changed:
        setattr(person, name, getattr(locked, name))
    return locked


@transaction.atomic
def place_person(
    *,
    person: Person,
    team: Team | None,
    site: Site | None,
    manager: Person | None,
) -> Person:
    """Place a person in the organisation: their team (and so department), site and manager.
    An administrator's act (the Django admin calls this, and records who did it) or the HR
    source's; never the person's own."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    check_manager(person=locked, manager=manager)
    locked.team, locked.site, locked.manager = team, site, manager
    locked.save(update_fields=["team", "site", "manager"])
    person.team, person.site, person.manager = team, site, manager
    return locked


def set_language(*, person: Person, language: str, save: bool = True) -> Person:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ServiceError(
            _("Unknown language “%(lang)s”; choose one of %(codes)s.")
            % {"lang": language, "codes": ", ".join(sorted(codes))},
            field="language",
        )
    person.language = language
    if save:
        person.save(update_fields=["language"])
    return person


def _check_level(level: int) -> None:
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 4:
        raise ServiceError(_("A level is a whole number from 1 to 4."), field="level")


@transaction.atomic
def set_skill(
    *, person: Person, skill_code: str, level: int, willing_to_share: bool | None = None
) -> PersonSkill:
    """Declare a skill or change its level; a change of level writes a learning event."""
    _check_level(level)
    skill = _skill_by_code(skill_code)
    held, created = PersonSkill.objects.select_for_update().get_or_create(
        person=person,
        skill=skill,
        defaults={"level": level, "willing_to_share": bool(willing_to_share)},
    )
    previous = None if created else held.level
    changed = created
    if not created:
        if held.level != level:
            held.level = level
            changed = True
        if willing_to_share is not None and held.willing_to_share != willing_to_share:
            held.willing_to_share = willing_to_share
        held.updated_at = timezone.now()
        held.save()
    if changed:
        record_event(
            actor=person,
            verb="declared-skill",
            object_id=skill_iri(skill),
            object_name=skill.name_fr,
            skill=skill,
            result={
                "score": {"raw": level, "min": 1, "max": 4},
                "extensions": {"https://sylva.education/xapi/extensions/previous-level": previous},
            },
        )
    return held


@transaction.atomic
def remove_skill(*, person: Person, skill_code: str) -> None:
    skill = _skill_by_code(skill_code)
    deleted, _rows = PersonSkill.objects.filter(person=person, skill=skill).delete()
    if not deleted:
        raise NotFound(_("You have not declared this skill."), field="skill")
    record_event(
        actor=person,
        verb="removed-skill",
        object_id=skill_iri(skill),
        object_name=skill.name_fr,
        skill=skill,
    )


@transaction.atomic
def add_wish(*, person: Person, skill_code: str) -> LearningWish:
    skill = _skill_by_code(skill_code)
    wish, created = LearningWish.objects.get_or_create(person=person, skill=skill)
    if created:
        record_event(
            actor=person,
            verb="wished",
            object_id=skill_iri(skill),
            object_name=skill.name_fr,
            skill=skill,
        )
    return wish


@transaction.atomic
def remove_wish(*, person: Person, skill_code: str) -> None:
    skill = _skill_by_code(skill_code)
    deleted, _rows = LearningWish.objects.filter(person=person, skill=skill).delete()
    if not deleted:
        raise NotFound(_("This skill is not on your list of things to learn."), field="skill")


# --- personal API tokens ----------------------------------------------------------------

TOKEN_PREFIX = "sylva_"
#: The lifetimes offered when a token is made, in days (the default is TOKEN_DEFAULT_DAYS).
TOKEN_LIFETIMES = (7, 30, TOKEN_DEFAULT_DAYS, 180, TOKEN_MAX_DAYS)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_mark(user: Any) -> str:
    """A digest of the account's password hash: it changes with the password, by any path
    (the profile, the admin, `sylva changepassword`, SSO), and tokens die with it."""
    return hashlib.sha256(("sylva-token:" + (user.password or "")).encode()).hexdigest()


@transaction.atomic
def create_token(
    *,
    person: Person,
    name: str,
    days: int = TOKEN_DEFAULT_DAYS,
    read_only: bool = False,
    from_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored.

    Only a signed-in session makes tokens: a token never makes another (``from_token``
    refused), so no token outlives or outreaches the session that made it."""
    if from_token is not None:
        raise ServiceError(
            _("A token cannot create tokens: create them from your signed-in session."),
            status=403,
        )
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name, so you can recognise it later."), field="name")
    if len(name) > 80:
        raise ServiceError(_("At most %(limit)d characters.") % {"limit": 80}, field="name")
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ServiceError(
            _("A token lasts from 1 to %(limit)d days.") % {"limit": TOKEN_MAX_DAYS},
            field="days",
        )
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one count at a time
    now = timezone.now()
    live = person.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=now)
    if live.count() >= 20:
        raise ServiceError(_("You already have 20 active tokens; revoke one first."), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
        read_only=read_only,
        password_mark=password_mark(person.user),
    )
    return token, secret


@transaction.atomic
def revoke_token(*, person: Person, token_id: int) -> ApiToken:
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, person=person)
    except ApiToken.DoesNotExist:
        raise NotFound(_("No such token.")) from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_stale_tokens(*, person: Person) -> int:
    """Revoke the person's tokens made under another password than the current one."""
    return (
        ApiToken.objects.filter(person=person, revoked_at__isnull=True)
        .exclude(password_mark=password_mark(person.user))
        .update(revoked_at=timezone.now())
    )


def tokens_of(*, person: Person) -> list[ApiToken]:
    """The person's tokens, newest first, with those of an old password revoked."""
    revoke_stale_tokens(person=person)
    return list(ApiToken.objects.filter(person=person))


def find_token(secret: str) -> ApiToken | None:
    """The live token of a secret: None if unknown, revoked, expired, made under another
    password (it is revoked then) or of an inactive account."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("person__user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.person.user.is_active:
        return None
    if token.password_mark != password_mark(token.person.user):
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def authenticate_token(secret: str) -> Person | None:
    """The person a live token belongs to, or None."""
    token = find_token(secret)
    return token.person if token is not None else None


# --- accounts and roles ----------------------------------------------------------------


@transaction.atomic
def ensure_person(user: Any) -> Person:
    """The person of a user account, created (with the learner role) on first use: an
    account made with `createsuperuser` or by SSO gets a profile it can fill in."""
    from sylva.people.roles import Role, role_groups

    try:
        return user.person
    except Person.DoesNotExist:
        pass
    person = Person(
        user=user,
        first_name=user.first_name or user.get_username(),
        last_name=user.last_name or "",
    )
    person.save()
    groups = role_groups()
    user.groups.add(groups[Role.LEARNER])
    if user.is_superuser:
        user.groups.add(groups[Role.ADMINISTRATOR])
    return person


@transaction.atomic
def assign_roles(*, user: Any, roles: Iterable[str]) -> None:
    """Give a user exactly these roles (always with learner); administrators are staff."""
    from sylva.people.roles import Role, role_groups

    wanted = {Role(r) for r in roles} | {Role.LEARNER}
    groups = role_groups()
    user.groups.remove(*[g for r, g in groups.items() if r not in wanted])
    user.groups.add(*[groups[r] for r in wanted])
    is_staff = Role.ADMINISTRATOR in wanted
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
