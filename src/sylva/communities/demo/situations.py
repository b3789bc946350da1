"""The demo's work situations: three described by the designer persona on skills the
expert persona holds at 3 or more, and the manager persona's assignments to their team —
one to do (to the field worker or the newcomer persona when in that team), with the
expert as tutor; one done at work and waiting on its debrief (the expert's turn); one
debriefed, with a level proposed to the learner. Written through the services (events and
notifications as in real use); idempotent: a situation whose title exists is kept, an
assignment of the same situation to the same person is not made twice."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from sylva.communities.models import Assignment, WorkSituation
from sylva.communities.queries import situations as queries
from sylva.communities.services import situations as services
from sylva.people.models import Person, PersonSkill, Skill

SITUATIONS = (
    (
        "Conduire un changement de série en autonomie",
        "Préparer, annoncer et conduire le prochain changement de série de la ligne, de "
        "l'arrêt au premier produit conforme, en observant les consignes de sécurité.",
        "Qu'avais-tu prévu, et que s'est-il passé ?\nQu'est-ce qui t'a surpris ?\n"
        "Que referais-tu autrement la prochaine fois ?",
        "Observer sans faire à la place ; intervenir seulement pour la sécurité ; noter deux "
        "points forts et un point à travailler.",
    ),
    (
        "Diagnostiquer un arrêt machine avec la méthode des 5 pourquoi",
        "Lors du prochain arrêt non planifié, mener l'analyse des 5 pourquoi avec l'équipe et "
        "proposer une action corrective.",
        "Quelle cause as-tu retenue, et pourquoi ?\nQui as-tu associé ?\n"
        "Quelle action, et comment saurons-nous qu'elle marche ?",
        "Poser des questions plutôt que donner la réponse.",
    ),
    (
        "Accueillir un nouvel arrivant sur son poste",
        "Organiser et conduire la première journée d'un nouvel arrivant : le tour du poste, "
        "les règles de sécurité, un premier geste accompagné.",
        "Qu'a-t-il retenu ?\nQu'aurais-tu aimé qu'on fasse pour toi ?",
        "Relire le plan d'accueil avant, faire le point après.",
    ),
)
DEBRIEF = (
    "Le changement de série a pris 35 minutes au lieu de 45. Points forts : l'annonce à "
    "l'équipe et la vérification du premier produit. À travailler : anticiper le "
    "préchauffage de la filière."
)


def _persona(username: str) -> Person | None:
    return Person.objects.filter(user__username=username).select_related("user").first()


def _skills_of(expert: Person | None, rng: random.Random) -> list[Skill]:
    held = PersonSkill.objects.filter(level__gte=3).select_related("skill")
    if expert is not None and held.filter(person=expert).exists():
        held = held.filter(person=expert)
    skills = [row.skill for row in held.order_by("-level", "skill__code")[:9]]
    if not skills:
        skills = list(Skill.objects.order_by("code")[:9])
    return skills


def _describe(designer: Person, skills: list[Skill]) -> list[WorkSituation]:
    made = []
    for i, (title, task, questions, role) in enumerate(SITUATIONS):
        found = WorkSituation.objects.filter(title=title).first()
        if found is None:
            chosen = skills[i * 2 : i * 2 + 2] or skills[:1]
            found = services.save_situation(
                designer=designer,
                title=title,
                task=task,
                skills=chosen,
                debrief_questions=questions,
                tutor_role=role,
                language="fr",
            )
        made.append(found)
    return made


def _learners(manager: Person) -> list[Person]:
    team = list(queries.team_of(manager))
    personas = [p for p in team if p.user.username in ("field", "newcomer")]
    others = [p for p in team if p not in personas and p.user.username != "expert"]
    return personas + others


def _assign(
    manager: Person, situation: WorkSituation, learner: Person, tutor: Person
) -> Assignment | None:
    live = Assignment.objects.filter(situation=situation, learner=learner).first()
    if live is not None:
        return None
    return services.assign(
        manager=manager,
        situation=situation,
        learner=learner,
        tutor=tutor,
        due_on=timezone.localdate() + timedelta(days=14),
    )


def _tutor(situation: WorkSituation, learner: Person, expert: Person | None) -> Person | None:
    if expert is not None and expert.pk != learner.pk:
        return expert
    suggested = queries.tutor_suggestions(situation, learner)
    return suggested[0] if suggested else None


def seed(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    designer, manager, expert = _persona("designer"), _persona("manager"), _persona("expert")
    if designer is None or manager is None:
        return {}
    situations = _describe(designer, _skills_of(expert, rng))
    learners = _learners(manager)
    steps = ("assigned", "done", "debriefed")
    made = 0
    for situation, learner, step in zip(situations, learners, steps, strict=False):
        tutor = _tutor(situation, learner, expert)
        if tutor is None:
            continue
        a = _assign(manager, situation, learner, tutor)
        if a is None:
            continue
        made += 1
        if step in ("done", "debriefed"):
            services.mark_done(person=learner, assignment=a)
        if step == "debriefed":
            services.debrief(person=tutor, assignment=a, text=DEBRIEF)
            skill = situation.skills.order_by("pk").first()
            level = queries.learner_level(learner, skill) if skill else None
            if skill is not None and (level or 0) < 4:
                services.propose_level(
                    tutor=tutor, assignment=a, skill=skill, level=(level or 1) + 1
                )
    return {"work situations": len(situations), "assignments": made}
