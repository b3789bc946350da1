"""Communities of practice: creating, editing and archiving one, its hosts, joining (in one
click when it is open, on request when a host accepts), leaving, and following a community
or a skill.

Who may read a community is :mod:`sylva.communities.queries.access`'s; the rules of who may
change what are here. Every refusal is a :class:`ServiceError` raised before anything is
written."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities.models import Community, Follow, Membership
from sylva.communities.queries import access
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_field, limit_of
from sylva.core.xapi import activity
from sylva.notifications.services import notify
from sylva.people import verbs
from sylva.people.models import Person, Skill, SkillDomain
from sylva.people.services import record_event

#: a community names at most this many skills
MAX_SKILLS = 12
MEMBERSHIP = "communities.membership"


def community_iri(community: Community) -> str:
    return activity("communities/community", community.pk)


def unique_slug(name: str, *, exclude: int | None = None) -> str:
    """The address derived from ``name``: its slug, with ``-2``, ``-3``… when taken."""
    limit = limit_of(Community, "slug") - 6
    base = slugify(name)[:limit].strip("-") or "community"
    found = Community.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
    if exclude is not None:
        found = found.exclude(pk=exclude)
    taken = set(found.values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- checks -----------------------------------------------------------------------------


def check_fields(*, name: str, purpose: str, language: str, access_: str) -> str:
    name = check_field(Community, "name", (name or "").strip())
    if not name:
        raise ServiceError(_("Give the community a name."), field="name")
    check_field(Community, "purpose", purpose or "")
    languages = {"", *(code for code, _label in settings.LANGUAGES)}
    if language not in languages:
        raise ServiceError(_("Choose a language of the list."), field="language")
    if access_ not in Community.Access.values:
        raise ServiceError(_("Access is open or on request."), field="access")
    return name


def check_skills(skills: Iterable[Skill]) -> list[Skill]:
    chosen = list(dict.fromkeys(skills))
    if len(chosen) > MAX_SKILLS:
        raise ServiceError(
            _("At most %(n)d skills.") % {"n": MAX_SKILLS}, field="skills", status=400
        )
    return chosen


def check_host(person: Person, community: Community) -> None:
    """Only a host (or a moderator) changes a community; a reader who is not gets a 403,
    anyone else a 404 (they may not know it is there)."""
    if access.is_host(person, community):
        return
    if access.may_read_community(person, community):
        raise Forbidden(_("Only the community's hosts may do this."))
    raise NotFound(_("No such community."))


def check_not_archived(community: Community) -> None:
    if community.archived_at is not None:
        raise ServiceError(_("This community is archived."), status=409)


# --- a community ------------------------------------------------------------------------


@transaction.atomic
def create_community(
    *,
    person: Person,
    name: str,
    purpose: str = "",
    language: str = "",
    access_: str = Community.Access.OPEN,
    domain: SkillDomain | None = None,
    skills: Iterable[Skill] = (),
) -> Community:
    """Anyone starts a community; its creator is its first host."""
    name = check_fields(name=name, purpose=purpose, language=language, access_=access_)
    chosen = check_skills(skills)
    community = Community.objects.create(
        slug=unique_slug(name),
        name=name,
        purpose=purpose or "",
        language=language,
        access=access_,
        domain=domain,
        created_by=person,
    )
    community.skills.set(chosen)
    now = timezone.now()
    Membership.objects.create(
        community=community,
        person=person,
        role=Membership.Role.HOST,
        state=Membership.State.ACTIVE,
        joined_at=now,
    )
    _joined(person, community)
    return community


@transaction.atomic
def edit_community(
    *,
    person: Person,
    community: Community,
    name: str,
    purpose: str = "",
    language: str = "",
    access_: str = Community.Access.OPEN,
    domain: SkillDomain | None = None,
    skills: Iterable[Skill] = (),
) -> Community:
    """Its hosts edit it (its address stays: links to it keep working)."""
    check_host(person, community)
    check_not_archived(community)
    name = check_fields(name=name, purpose=purpose, language=language, access_=access_)
    chosen = check_skills(skills)
    community.name = name
    community.purpose = purpose or ""
    community.language = language
    community.access = access_
    community.domain = domain
    community.save(update_fields=["name", "purpose", "language", "access", "domain"])
    community.skills.set(chosen)
    return community


@transaction.atomic
def archive_community(*, person: Person, community: Community) -> Community:
    """A host archives it: it is read-only, listed no more, nobody joins."""
    check_host(person, community)
    check_not_archived(community)
    community.archived_at = timezone.now()
    community.save(update_fields=["archived_at"])
    return community


@transaction.atomic
def name_host(*, person: Person, community: Community, other: Person) -> Membership:
    """A host names another active member host."""
    check_host(person, community)
    check_not_archived(community)
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, person=other, state=Membership.State.ACTIVE)
        .first()
    )
    if membership is None:
        raise ServiceError(
            _("Only a member of the community can become a host."), field="person", status=400
        )
    if membership.role == Membership.Role.HOST:
        raise ServiceError(_("%(who)s is already a host.") % {"who": other}, status=409)
    membership.role = Membership.Role.HOST
    membership.save(update_fields=["role"])
    return membership


# --- joining and leaving ----------------------------------------------------------------


def _joined(person: Person, community: Community) -> None:
    record_event(
        actor=person,
        verb=verbs.JOINED,
        object_id=community_iri(community),
        object_name=community.name,
        object_type="Group",
    )


def _tell(person: Person, community: Community, *, step: str, subject: str) -> None:
    notify(
        person,
        MEMBERSHIP,
        key=f"community:{community.pk}:{step}:{person.pk}",
        subject=subject,
        url=reverse("communities:community", args=[community.slug]),
        params={"community": community.name},
    )


@transaction.atomic
def join(*, person: Person, community: Community) -> Membership:
    """Join an open community at once; ask to join one on request (its hosts are told)."""
    check_not_archived(community)
    existing = Membership.objects.select_for_update().filter(community=community, person=person)
    found = existing.first()
    if found is not None:
        if found.state == Membership.State.PENDING:
            raise ServiceError(_("Your request to join is already with the hosts."), status=409)
        raise ServiceError(_("You are already a member of this community."), status=409)
    if community.access == Community.Access.OPEN:
        membership = Membership.objects.create(
            community=community,
            person=person,
            state=Membership.State.ACTIVE,
            joined_at=timezone.now(),
        )
        _joined(person, community)
        return membership
    membership = Membership.objects.create(
        community=community, person=person, state=Membership.State.PENDING
    )
    hosts = Person.objects.filter(
        memberships__community=community,
        memberships__role=Membership.Role.HOST,
        memberships__state=Membership.State.ACTIVE,
    ).select_related("user")
    for host in hosts:
        notify(
            host,
            MEMBERSHIP,
            key=f"community:{community.pk}:request:{membership.pk}",
            subject=gettext_noop("%(who)s asks to join %(community)s"),
            url=reverse("communities:members", args=[community.slug]),
            params={"who": person.full_name, "community": community.name},
            action=gettext_noop("Accept or decline"),
        )
    return membership


def _pending(person: Person, membership_id: int, community: Community) -> Membership:
    check_host(person, community)
    membership = (
        Membership.objects.select_for_update()
        .select_related("person__user", "community")
        .filter(pk=membership_id, community=community)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such request."))
    if membership.state != Membership.State.PENDING:
        raise ServiceError(_("This request was already answered."), status=409)
    return membership


@transaction.atomic
def accept_request(*, person: Person, community: Community, membership_id: int) -> Membership:
    """A host accepts a request to join: the person is a member, and is told."""
    check_not_archived(community)
    membership = _pending(person, membership_id, community)
    membership.state = Membership.State.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["state", "joined_at"])
    _joined(membership.person, community)
    _tell(
        membership.person,
        community,
        step=f"accepted-{membership.pk}",
        subject=gettext_noop("Welcome: you are a member of %(community)s"),
    )
    return membership


@transaction.atomic
def decline_request(*, person: Person, community: Community, membership_id: int) -> None:
    """A host declines a request to join: it is removed, and the person is told."""
    membership = _pending(person, membership_id, community)
    asker = membership.person
    membership.delete()
    _tell(
        asker,
        community,
        step=f"declined-{membership_id}",
        subject=gettext_noop("Your request to join %(community)s was declined"),
    )


@transaction.atomic
def leave(*, person: Person, community: Community) -> None:
    """Leave a community (or withdraw a request to join). The last host names another
    host first, or archives the community."""
    membership = (
        Membership.objects.select_for_update().filter(community=community, person=person).first()
    )
    if membership is None:
        raise ServiceError(_("You are not a member of this community."), status=409)
    if membership.role == Membership.Role.HOST and membership.state == Membership.State.ACTIVE:
        others = (
            Membership.objects.select_for_update()
            .filter(community=community, role=Membership.Role.HOST, state=Membership.State.ACTIVE)
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise ServiceError(
                _("You are its last host: name another host before you leave."), status=409
            )
    membership.delete()


# --- following --------------------------------------------------------------------------


def _readable(person: Person, community: Community) -> None:
    if not access.may_read_community(person, community):
        raise NotFound(_("No such community."))


@transaction.atomic
def follow(
    *, person: Person, community: Community | None = None, skill: Skill | None = None
) -> Follow:
    """Follow a community one may read, or a skill (once each)."""
    if (community is None) == (skill is None):
        raise ServiceError(_("Follow a community or a skill."))
    if community is not None:
        _readable(person, community)
        check_not_archived(community)
    found = Follow.objects.filter(person=person, community=community, skill=skill).first()
    if found is not None:
        raise ServiceError(_("You already follow it."), status=409)
    return Follow.objects.create(person=person, community=community, skill=skill)


@transaction.atomic
def unfollow(
    *, person: Person, community: Community | None = None, skill: Skill | None = None
) -> None:
    if (community is None) == (skill is None):
        raise ServiceError(_("Unfollow a community or a skill."))
    deleted, _rows = Follow.objects.filter(person=person, community=community, skill=skill).delete()
    if not deleted:
        raise ServiceError(_("You do not follow it."), status=409)
