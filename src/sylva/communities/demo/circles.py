"""The demo's learning circles: one running, facilitated by the expert, with the newcomer,
the field worker and colleagues (their goals set; session 1 held two weeks ago with its
attendance and everyone's reflection; session 2 held two days ago, its attendance still to
mark, two reflections written; session 3 scheduled next week), sponsored by the manager;
and one open to join, started by the animator and facilitated by the designer (three
members: one short of holding sessions). Idempotent: a circle whose title exists
is left as it is."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sylva.communities import verbs as community_verbs
from sylva.communities.models import (
    Attendance,
    Circle,
    CircleMember,
    CircleSession,
    Reflection,
)
from sylva.communities.queries.circles import prompt_for
from sylva.communities.services.circles import circle_iri, session_iri
from sylva.core.xapi import Verb
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, PersonSkill, Skill
from sylva.people.services import build_event

RUNNING = "Cercle : réglages et changements de série"
OPEN = "Cercle : animer un point sécurité de cinq minutes"
GOALS = (
    "Faire un changement de série seul, sans l'aide du chef d'équipe",
    "Comprendre pourquoi les réglages dérivent en fin de poste",
    "Savoir expliquer le réglage aux nouveaux",
    "Réduire mes rebuts au redémarrage",
    "Oser poser des questions aux régleurs",
    "Documenter mes astuces pour l'équipe",
)
REFLECTIONS = (
    "Je ne savais pas que la température de la filière jouait autant : je vais la noter à "
    "chaque prise de poste.",
    "La check-list de Karim est simple, je l'essaie cette semaine sur la ligne 2.",
    "Entendre les erreurs des autres m'a rassuré : tout le monde a raté un redémarrage.",
    "Encore flou pour moi : l'ordre des réglages quand la matière change.",
    "Bonne séance, courte et concrète. Plus d'exemples filmés la prochaine fois ?",
    "J'ai réessayé le réglage à froid, ça marche mieux en suivant l'ordre vu ensemble.",
)


def _persona(username: str) -> Person | None:
    return Person.objects.select_related("user", "team").filter(user__username=username).first()


def _skill_of(person: Person) -> Skill | None:
    held = (
        PersonSkill.objects.filter(person=person, level__gte=3)
        .select_related("skill")
        .order_by("-level", "skill__code")
        .first()
    )
    return held.skill if held else Skill.objects.order_by("code").first()


def _colleagues(near: Person, exclude: set[int], n: int) -> list[Person]:
    people = Person.objects.filter(user__is_active=True).exclude(pk__in=exclude)
    if near.site_id:
        people = people.filter(site_id=near.site_id)
    return list(people.order_by("pk")[:n])


def _event(
    actor: Person,
    verb: Verb,
    circle: Circle,
    when: datetime,
    *,
    object_id: str | None = None,
    skill: Skill | None = None,
    other: Person | None = None,
) -> LearningEvent:
    return build_event(
        actor=actor,
        verb=verb,
        object_id=object_id or circle_iri(circle),
        object_name=circle.title,
        skill=skill,
        other=other,
        timestamp=when,
    )


def _running(expert: Person, members: list[Person], sponsor: Person | None) -> int:
    now = timezone.now()
    skill = _skill_of(expert)
    circle = Circle.objects.create(
        title=RUNNING,
        purpose="Six séances d'une heure pour que chacun maîtrise les réglages et les "
        "changements de série de sa ligne, en partageant ce qui marche et ce qui rate.",
        facilitator=expert,
        sponsor=sponsor,
        format="in_person",
        place="Salle de pause, atelier extrusion",
        max_members=8,
        state=Circle.State.RUNNING,
        created_by=expert,
        created_at=now - timedelta(days=21),
    )
    if skill is not None:
        circle.skills.set([skill])
    everyone = [expert, *members]
    CircleMember.objects.bulk_create(
        CircleMember(
            circle=circle,
            person=p,
            state=CircleMember.State.ACTIVE,
            goal=GOALS[i % len(GOALS)] if i else "Transmettre mes réglages à l'équipe",
            joined_at=now - timedelta(days=20 - i),
        )
        for i, p in enumerate(everyone)
    )
    events = [
        _event(p, verbs.JOINED, circle, now - timedelta(days=20 - i), skill=skill)
        for i, p in enumerate(members)
    ]
    sessions = [
        CircleSession.objects.create(
            circle=circle,
            number=n,
            starts_at=(now + timedelta(days=days)).replace(hour=13, minute=30, second=0),
            minutes=60,
            format="in_person",
            place=circle.place,
            prompt=prompt_for(n),
        )
        for n, days in ((1, -14), (2, -2), (3, 5))
    ]
    first, second = sessions[0], sessions[1]
    after = first.starts_at + timedelta(hours=2)
    for i, p in enumerate(everyone):
        Attendance.objects.create(session=first, person=p, present=True, marked_by=expert)
        verb = community_verbs.FACILITATED if p == expert else verbs.ATTENDED
        other = None if p == expert else expert
        events.append(
            _event(p, verb, circle, after, object_id=session_iri(first), skill=skill, other=other)
        )
        if p != expert:
            Reflection.objects.create(
                session=first,
                person=p,
                prompt=first.prompt,
                text=REFLECTIONS[i % len(REFLECTIONS)],
                rating=4 + i % 2,
                created_at=after,
            )
            events.append(
                _event(p, community_verbs.REFLECTED, circle, after, object_id=session_iri(first))
            )
    # session 2: two reflections already, its attendance for the facilitator to mark
    later = second.starts_at + timedelta(hours=3)
    for i, p in enumerate(m for m in members if m.user.username not in ("field", "newcomer")):
        if i >= 2:
            break
        Reflection.objects.create(
            session=second,
            person=p,
            prompt=second.prompt,
            text=REFLECTIONS[(i + 3) % len(REFLECTIONS)],
            rating=4,
            created_at=later,
        )
        events.append(
            _event(p, community_verbs.REFLECTED, circle, later, object_id=session_iri(second))
        )
    LearningEvent.objects.bulk_create(events)
    return 1


def _open(designer: Person, animator: Person | None, members: list[Person]) -> int:
    now = timezone.now()
    circle = Circle.objects.create(
        title=OPEN,
        purpose="Quatre séances en visio pour apprendre à animer un point sécurité court, "
        "vivant et utile en début de poste. Ouvert à tous.",
        facilitator=designer,
        format="video",
        place="Lien envoyé avec l'invitation",
        max_members=10,
        state=Circle.State.OPEN,
        created_by=animator or designer,
        created_at=now - timedelta(days=3),
    )
    skill = Skill.objects.filter(code__icontains="safety").order_by("code").first()
    if skill is not None:
        circle.skills.set([skill])
    CircleMember.objects.bulk_create(
        CircleMember(circle=circle, person=p, state=CircleMember.State.ACTIVE, goal=goal)
        for p, goal in zip(
            [designer, *([animator] if animator else []), *members],
            ("Faire vivre les points sécurité", "Oser prendre la parole", "Varier les formats"),
            strict=False,
        )
    )
    return 1


@transaction.atomic
def seed(*, seed: int) -> dict[str, int]:
    expert, designer = _persona("expert"), _persona("designer")
    newcomer, field, manager = _persona("newcomer"), _persona("field"), _persona("manager")
    made = 0
    personas = {p.pk for p in (expert, designer, newcomer, field, manager) if p is not None}
    if expert and newcomer and field and not Circle.objects.filter(title=RUNNING).exists():
        colleagues = _colleagues(expert, personas, 3)
        made += _running(expert, [newcomer, field, *colleagues], manager)
    if designer and not Circle.objects.filter(title=OPEN).exists():
        taken = personas | set(
            CircleMember.objects.filter(circle__title=RUNNING).values_list("person_id", flat=True)
        )
        animator = _persona("animator")
        made += _open(designer, animator, _colleagues(designer, taken, 1))
    return {"learning circles": made}
