"""The demo's communities of practice: one per major trade of the demo company, each with
its hosts and members (colleagues who hold its domain's skills), the personas in some of
them, one on request with the newcomer's request waiting on its host (the manager), and a
few follows. Idempotent: a community whose address exists is left as it is.

The addresses (other areas seed their posts there; docs/communities/spaces.md):
``production``, ``maintenance``, ``automatisme``, ``qualite``, ``securite`` (on request),
``logistique``, ``impression``, ``numerique``, ``vente-et-relation-client``,
``management``."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sylva.communities.models import Community, Follow, Membership
from sylva.communities.services import spaces as services
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, PersonSkill, Skill, SkillDomain
from sylva.people.services import build_event

MEMBERS = 30  # colleagues per community, besides the personas
OPEN, ON_REQUEST = Community.Access.OPEN, Community.Access.REQUEST


@dataclass(frozen=True)
class Plan:
    slug: str
    domain: str
    name: str
    purpose: str
    access: str = OPEN
    language: str = "fr"
    hosts: tuple[str, ...] = ()  # personas hosting it
    members: tuple[str, ...] = ()  # personas in it


PLANS = (
    Plan(
        "production",
        "production",
        "Conduite de production",
        "Réglages, changements de série, arrêts et redémarrages : les conducteurs de ligne "
        "partagent leurs astuces et répondent aux questions des nouveaux.",
        members=("newcomer", "field", "manager"),
    ),
    Plan(
        "maintenance",
        "maintenance",
        "Maintenance mécanique et électrique",
        "Pannes, diagnostics et maintenance préventive : ce qui a marché, ce qui n'a pas "
        "marché, et pourquoi.",
        hosts=("expert",),
    ),
    Plan(
        "automatisme",
        "automation",
        "Automatisme et robotique",
        "Automates, robots et capteurs : questions, retours d'expérience et ressources.",
        members=("expert",),
    ),
    Plan(
        "qualite",
        "quality",
        "Qualité et sécurité des aliments",
        "Contrôles, non-conformités et audits : apprendre ensemble des écarts.",
        members=("newcomer", "designer"),
    ),
    Plan(
        "securite",
        "safety",
        "Référents santé et sécurité",
        "L'espace des référents sécurité des sites : presque-accidents, analyses et bonnes "
        "pratiques. Sur demande : un hôte accepte les nouveaux membres.",
        access=ON_REQUEST,
        hosts=("manager",),
        members=("field",),
    ),
    Plan(
        "logistique",
        "logistics",
        "Logistique et entreposage",
        "Préparation, stockage et expédition : les équipes des entrepôts s'entraident.",
        members=("field",),
    ),
    Plan(
        "impression",
        "converting",
        "Impression et transformation",
        "Impression, découpe et façonnage : réglages, défauts et solutions.",
    ),
    Plan(
        "numerique",
        "it",
        "IT and digital",
        "Tools, data and automation of everyday work: questions and tips, in English.",
        language="en",
        members=("admin",),
    ),
    Plan(
        "vente-et-relation-client",
        "sales",
        "Vente et relation client",
        "Négociation, réclamations et suivi des clients : les commerciaux et le service "
        "client partagent leurs expériences.",
    ),
    Plan(
        "management",
        "management",
        "Managers de proximité",
        "Animer une équipe, donner du feedback, accompagner les nouveaux : entre managers.",
        members=("manager", "animator", "designer"),
    ),
)

#: what the personas follow (community slugs, skill domains whose first skill they follow)
FOLLOWS = {
    "newcomer": (("maintenance",), ("production",)),
    "field": ((), ("logistics", "safety")),
    "expert": (("production",), ("automation",)),
    "manager": (("qualite",), ()),
}


def _personas() -> dict[str, Person]:
    names = {n for plan in PLANS for n in (*plan.hosts, *plan.members)} | set(FOLLOWS)
    return {
        p.user.username: p
        for p in Person.objects.select_related("user", "team").filter(user__username__in=names)
    }


def _colleagues(domain: SkillDomain, rng: random.Random, exclude: set[int]) -> list[Person]:
    """Colleagues holding the domain's skills, the most skilled first (the first hosts)."""
    rows = (
        PersonSkill.objects.filter(skill__domain=domain, level__gte=2, person__user__is_active=True)
        .exclude(person_id__in=exclude)
        .order_by("-level", "person_id")
        .values_list("person_id", flat=True)[:600]
    )
    ids = list(dict.fromkeys(rows))
    top, rest = ids[:2], ids[2:]
    chosen = top + rng.sample(rest, min(MEMBERS - len(top), len(rest)))
    found = Person.objects.select_related("team").in_bulk(chosen)
    return [found[i] for i in chosen if i in found]


def _seed_one(plan: Plan, rng: random.Random, personas: dict[str, Person]) -> int:
    domain = SkillDomain.objects.filter(code=plan.domain).first()
    if domain is None:
        return 0
    now = timezone.now()
    persona_ids = {p.pk for p in personas.values()}
    colleagues = _colleagues(domain, rng, persona_ids)
    hosts = [personas[n] for n in plan.hosts if n in personas] or colleagues[:2]
    members = [p for p in colleagues if p not in hosts]
    members += [personas[n] for n in plan.members if n in personas]
    if not hosts:
        return 0
    community = Community.objects.create(
        slug=plan.slug,
        name=plan.name,
        purpose=plan.purpose,
        language=plan.language,
        access=plan.access,
        domain=domain,
        created_by=hosts[0],
        created_at=now - timedelta(days=400),
    )
    community.skills.set(Skill.objects.filter(domain=domain).order_by("code")[:6])
    rows, events = [], []
    for i, person in enumerate([*hosts, *members]):
        joined = now - timedelta(days=400 - i if i < len(hosts) else rng.randint(2, 380))
        role = Membership.Role.HOST if i < len(hosts) else Membership.Role.MEMBER
        rows.append(
            Membership(
                community=community,
                person=person,
                role=role,
                state=Membership.State.ACTIVE,
                created_at=joined,
                joined_at=joined,
            )
        )
        events.append(
            build_event(
                actor=person,
                verb=verbs.JOINED,
                object_id=services.community_iri(community),
                object_name=community.name,
                object_type="Group",
                timestamp=joined,
            )
        )
    Membership.objects.bulk_create(rows)
    LearningEvent.objects.bulk_create(events)
    return len(rows)


def _follows(personas: dict[str, Person]) -> int:
    made = 0
    for name, (slugs, domains) in FOLLOWS.items():
        person = personas.get(name)
        if person is None:
            continue
        for community in Community.objects.filter(slug__in=slugs):
            _, created = Follow.objects.get_or_create(person=person, community=community)
            made += created
        for code in domains:
            skill = Skill.objects.filter(domain__code=code).order_by("code").first()
            if skill is not None:
                _, created = Follow.objects.get_or_create(person=person, skill=skill)
                made += created
    return made


def seed(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 13)
    personas = _personas()
    made = members = 0
    for plan in PLANS:
        if Community.objects.filter(slug=plan.slug).exists():
            continue
        with transaction.atomic():
            joined = _seed_one(plan, rng, personas)
        made += bool(joined)
        members += joined
    asked = 0
    waiting = Community.objects.filter(slug="securite").first()
    newcomer = personas.get("newcomer")
    if (
        waiting is not None
        and newcomer is not None
        and not Membership.objects.filter(community=waiting, person=newcomer).exists()
    ):
        services.join(person=newcomer, community=waiting)  # its host is told
        asked = 1
    return {
        "communities": made,
        "community members": members,
        "requests to join": asked,
        "follows": _follows(personas),
    }
