"""The demo's posts, in every community that exists when it runs (after the spaces area):
an answered question (an accepted answer, thanks, one edited reply), an open question with
an answer to accept, an unanswered question, experience reports in the After Action
Review's shape with various audiences, a resource and a host's announcement. Then, once:
the newcomer's questions (one answered and waiting on her acceptance, one unanswered), a
question the expert is well placed to answer, the field worker's experience report, and a
reported post for the animator to moderate.

Everything goes through the services (the events and notifications are the real ones).
Idempotent: a community whose announcement exists is left as it is; the persona posts are
found by their titles."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sylva.communities.models import Community, Membership, Post
from sylva.communities.services import qa as services
from sylva.people.models import Person, PersonSkill, Skill

ANNOUNCE = {"fr": "Bienvenue dans la communauté", "en": "Welcome to the community"}
NEWCOMER_ASKED = "Premier poste : à quoi faire attention au démarrage ?"
NEWCOMER_OPEN = "Qui peut m'expliquer la fiche de réglage ?"
FOR_EXPERT = "Un réglage m'échappe : qui le maîtrise ?"
FIELD_REPORT = "Livraison de nuit : la palette mal filmée"
REPORTED = "Vends matériel personnel (hors sujet)"


@dataclass(frozen=True)
class Texts:
    answered: tuple[str, str]
    answer: str
    other_answer: str
    open_q: tuple[str, str]
    unanswered: tuple[str, str]
    report: tuple[str, str, str, str, str]  # title, intended, happened, why, next time
    resource: tuple[str, str]
    announce: str


FR = Texts(
    answered=(
        "Comment gagner du temps au changement de série ?",
        "Nos changements de série prennent plus d'une heure. Vos astuces ?",
    ),
    answer="Préparez les outils **avant** l'arrêt et faites une check-list commune : "
    "on est passés de 70 à 35 minutes.",
    other_answer="Filmez un changement et revoyez-le en équipe : on voit vite les pertes.",
    open_q=(
        "Quel contrôle faire en premier après une panne ?",
        "Après un arrêt imprévu, par quoi commencez-vous ?",
    ),
    unanswered=(
        "Des retours sur la nouvelle procédure ?",
        "Quelqu'un a-t-il déjà appliqué la nouvelle procédure ? Ce qui coince ?",
    ),
    report=(
        "Redémarrage après maintenance : ce que nous avons appris",
        "Redémarrer la ligne en 30 minutes après la maintenance.",
        "Il a fallu 2 heures : un capteur était mal rebranché.",
        "Pas de contrôle croisé avant la remise en route.",
        "Une check-list de remise en route signée par deux personnes.",
    ),
    resource=(
        "Fiche mémo : les 5 pourquoi",
        "Une page pour mener une analyse des causes en équipe :\n\n"
        "1. Décrire le fait\n2. Demander *pourquoi* cinq fois\n3. Agir sur la cause",
    ),
    announce="Posez vos questions, partagez vos retours d'expérience : les hôtes veillent.",
)
EN = Texts(
    answered=(
        "How do you keep a shared spreadsheet clean?",
        "Our team file breaks every week. Any tips?",
    ),
    answer="Lock the formula columns and keep **one** owner per tab: it stopped breaking.",
    other_answer="Use data validation on the input cells.",
    open_q=("Which tool for a quick survey?", "I need a five-question survey for my team."),
    unanswered=(
        "Anyone automated a weekly report?",
        "I copy the same figures every Monday. Can it be automated?",
    ),
    report=(
        "The migration weekend: what we learnt",
        "Move the team's files to the new drive in one weekend.",
        "Half the links broke on Monday morning.",
        "Nobody listed the files linked from other files.",
        "List the links first, and test with two users before the move.",
    ),
    resource=("Cheat sheet: keyboard shortcuts", "The ten shortcuts that save the most time."),
    announce="Ask your questions, share what you learnt: the hosts read everything.",
)


def _members(community: Community) -> QuerySet[Person]:
    return Person.objects.filter(
        memberships__community=community, memberships__state=Membership.State.ACTIVE
    ).select_related("team", "user")


def _skills(community: Community) -> tuple[Skill, ...]:
    skills = list(community.skills.order_by("code")[:2])
    if not skills and community.domain_id:
        skills = list(Skill.objects.filter(domain=community.domain).order_by("code")[:2])
    return tuple(skills)


def _text(
    title: str, body: str = "", skills: tuple[Skill, ...] = (), **aar: str
) -> services.PostText:
    return services.PostText(title=title, body=body, skills=skills, **aar)


def _question(
    person: Person, community: Community, title: str, body: str, skills: tuple[Skill, ...]
) -> Post:
    return services.create_post(
        person=person, kind=Post.Kind.QUESTION, text=_text(title, body, skills), community=community
    )


def _report(
    person: Person, community: Community, parts: tuple[str, str, str, str, str], audience: str
) -> Post:
    title, intended, happened, why, next_time = parts
    return services.create_post(
        person=person,
        kind=Post.Kind.EXPERIENCE,
        text=_text(
            title,
            skills=_skills(community)[:1],
            intended=intended,
            happened=happened,
            why=why,
            next_time=next_time,
            audience=audience,
        ),
        community=community,
    )


def _age(post: Post, days: int) -> None:
    """Backdate a demo post (the services write it now)."""
    when = timezone.now() - timedelta(days=days)
    Post.objects.filter(pk=post.pk).update(created_at=when, last_activity_at=when)


def _seed_one(community: Community, rng: random.Random, personas: set[int]) -> int:
    texts = EN if community.language == "en" else FR
    hosts = list(
        Person.objects.filter(
            memberships__community=community,
            memberships__state=Membership.State.ACTIVE,
            memberships__role=Membership.Role.HOST,
        ).order_by("pk")
    )
    people = [p for p in _members(community).order_by("pk") if p.pk not in personas]
    skills = _skills(community)
    if not hosts or len(people) < 5 or not skills:
        return 0
    asker, answerer, other, reporter, third = rng.sample(people, 5)
    host = hosts[0]
    answered = _question(asker, community, *texts.answered, skills)
    first = services.reply(person=answerer, post=answered, body=texts.answer)
    services.reply(person=other, post=answered, body=texts.other_answer)
    services.edit_reply(person=answerer, reply=first, body=texts.answer + " ✔")
    services.accept(person=asker, reply=first)
    services.thank(person=asker, reply=first)
    services.thank(person=other, reply=first)
    _age(answered, rng.randint(10, 40))
    open_q = _question(third, community, *texts.open_q, skills)
    services.reply(person=answerer, post=open_q, body=texts.other_answer)
    _age(open_q, rng.randint(2, 9))
    _question(reporter, community, *texts.unanswered, skills[-1:])
    report = _report(reporter, community, texts.report, Post.Audience.COMMUNITY)
    services.edit_post(
        person=reporter,
        post=report,
        text=_text(
            report.title,
            skills=skills[:1],
            intended=report.intended,
            happened=report.happened,
            why=report.why,
            next_time=report.next_time + " ✔",
            audience=Post.Audience.EVERYONE,
        ),
    )
    _report(other, community, texts.report, Post.Audience.TEAM if other.team_id else "community")
    services.create_post(
        person=answerer,
        kind=Post.Kind.RESOURCE,
        text=_text(*texts.resource, skills=skills[:1]),
        community=community,
    )
    services.create_post(
        person=host,
        kind=Post.Kind.ANNOUNCEMENT,
        text=_text(ANNOUNCE["en" if community.language == "en" else "fr"], texts.announce),
        community=community,
    )
    return 7


def _persona(name: str) -> Person | None:
    return Person.objects.select_related("team", "user").filter(user__username=name).first()


def _first_community(person: Person) -> Community | None:
    return (
        Community.objects.filter(
            memberships__person=person,
            memberships__state=Membership.State.ACTIVE,
            archived_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def _answerer(community: Community, exclude: set[int]) -> Person | None:
    return _members(community).exclude(pk__in=exclude).order_by("pk").first()


def _newcomer(newcomer: Person, personas: set[int]) -> int:
    community = _first_community(newcomer)
    if community is None or Post.objects.filter(title=NEWCOMER_ASKED).exists():
        return 0
    skills = _skills(community)
    asked = _question(
        newcomer, community, NEWCOMER_ASKED, "Je commence lundi sur la ligne.", skills
    )
    answerer = _answerer(community, personas | {newcomer.pk})
    if answerer is not None:
        services.reply(
            person=answerer,
            post=asked,
            body="Repère les arrêts d'urgence, et demande la fiche de poste au chef d'équipe.",
        )
    _question(newcomer, community, NEWCOMER_OPEN, "Je ne comprends pas les tolérances.", skills[:1])
    return 2


def _for_expert(expert: Person, personas: set[int]) -> int:
    """A question on a skill the expert shares at a high level, in a community they read."""
    if Post.objects.filter(title=FOR_EXPERT).exists():
        return 0
    held = PersonSkill.objects.filter(person=expert, level__gte=3).order_by(
        "-willing_to_share", "-level", "skill_id"
    )
    for row in held.select_related("skill")[:10]:
        community = (
            Community.objects.filter(archived_at__isnull=True, access=Community.Access.OPEN)
            .filter(skills=row.skill)
            .order_by("pk")
            .first()
        ) or (
            Community.objects.filter(
                archived_at__isnull=True,
                access=Community.Access.OPEN,
                domain_id=row.skill.domain_id,
            )
            .order_by("pk")
            .first()
        )
        asker = community and _answerer(community, personas | {expert.pk})
        if community is not None and asker:
            body = f"Sur « {row.skill.name} » : comment vous y prenez-vous ?"
            _question(asker, community, FOR_EXPERT, body, (row.skill,))
            return 1
    return 0


def _field(field: Person) -> int:
    community = _first_community(field)
    if community is None or Post.objects.filter(title=FIELD_REPORT).exists():
        return 0
    _report(
        field,
        community,
        (
            FIELD_REPORT,
            "Livrer le client avant 6 h avec des palettes stables.",
            "Une palette s'est affaissée dans le camion.",
            "Le film était posé à la main, sans tension suffisante.",
            "Filmer à la machine, et contrôler une palette sur dix avant le départ.",
        ),
        Post.Audience.EVERYONE,
    )
    return 1


def _reported(personas: set[int]) -> int:
    """A post off the community's subject, reported: the animator's moderation page."""
    if Post.objects.filter(title=REPORTED).exists():
        return 0
    community = Community.objects.filter(slug="management").first() or (
        Community.objects.filter(archived_at__isnull=True).order_by("pk").first()
    )
    if community is None:
        return 0
    people = [p for p in _members(community).order_by("pk")[:40] if p.pk not in personas]
    if len(people) < 2:
        return 0
    author, reporter = people[0], people[1]
    post = services.create_post(
        person=author,
        kind=Post.Kind.RESOURCE,
        text=_text(REPORTED, "Vélo et casque à vendre, me contacter."),
        community=community,
    )
    services.flag(person=reporter, post=post, reason="Hors sujet : une petite annonce.")
    return 1


def seed(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 104729 + 7)
    names = ("newcomer", "expert", "field", "manager", "animator", "designer", "admin")
    found = {n: _persona(n) for n in names}
    personas = {p.pk for p in found.values() if p is not None}
    made = 0
    for community in Community.objects.filter(archived_at__isnull=True).order_by("pk"):
        titles = set(ANNOUNCE.values())
        if Post.objects.filter(community=community, kind="announcement", title__in=titles).exists():
            continue
        with transaction.atomic():
            made += _seed_one(community, rng, personas)
    with transaction.atomic():
        if found["newcomer"] is not None:
            made += _newcomer(found["newcomer"], personas)
        if found["expert"] is not None:
            made += _for_expert(found["expert"], personas)
        if found["field"] is not None:
            made += _field(found["field"])
        reported = _reported(personas)
    return {"community posts": made + reported, "reported posts": reported}
