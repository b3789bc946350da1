"""The demo's field feedback: the manager persona's feedback to people of their team over
the last months (so that the team's rhythm shows: the manager persona's team has more
than 5 people), the field worker or newcomer persona among them when in that team, one
answered. Written through the services; idempotent (nothing is added once the manager
persona gave feedback)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from sylva.communities.models import Assignment, FieldFeedback
from sylva.communities.queries import situations as queries
from sylva.communities.services import feedback as services
from sylva.people.models import Person

FEEDBACK = (
    (
        "Changement de série de mardi matin, ligne 2.",
        "Tu as annoncé l'arrêt à l'équipe et vérifié le premier produit avant de relancer.",
        "Anticiper le préchauffage pendant la fin de la série précédente.",
        "La prochaine fois, tu le conduis seul ; je passe à la fin.",
    ),
    (
        "Accueil de l'intérimaire lundi.",
        "Le tour de poste était clair et tu as insisté sur les arrêts d'urgence.",
        "Lui laisser faire le geste plus tôt, avec toi à côté.",
        "Préparer ensemble la fiche d'accueil du poste.",
    ),
    (
        "Arrêt de l'extrudeuse jeudi.",
        "Calme et méthodique : tu as sécurisé avant de chercher la cause.",
        "Noter les observations au fur et à mesure pour l'analyse.",
        "Mener l'analyse des 5 pourquoi avec la maintenance.",
    ),
    (
        "Audit 5S de l'atelier.",
        "Ton poste était exemplaire, et tu as aidé tes voisins.",
        "",
        "Présenter ta méthode à la réunion d'équipe.",
    ),
)
ANSWER = (
    "Merci : je prépare le préchauffage dès la fin de série, et je te dis comment ça s'est passé."
)


def _persona(username: str) -> Person | None:
    return Person.objects.filter(user__username=username).select_related("user").first()


def seed(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    manager = _persona("manager")
    if manager is None or FieldFeedback.objects.filter(giver=manager).exists():
        return {}
    team = list(queries.team_of(manager))
    if not team:
        return {}
    personas = [p for p in team if p.user.username in ("field", "newcomer")]
    others = [p for p in team if p not in personas]
    rng.shuffle(others)
    people = (personas + others)[: len(FEEDBACK) + 2]
    made = []
    for i, person in enumerate(people):
        situation, well, improve, step = FEEDBACK[i % len(FEEDBACK)]
        assignment = Assignment.objects.filter(learner=person, assigned_by=manager).first()
        skill = assignment.situation.skills.order_by("pk").first() if assignment else None
        f = services.give(
            manager=manager,
            person=person,
            situation=situation,
            went_well=well,
            to_improve=improve,
            next_step=step,
            skill=skill,
            assignment=assignment,
        )
        # spread over the last months, so that the rhythm has a shape
        when = timezone.now() - timedelta(days=3 + 30 * (i % 5) + rng.randint(0, 9))
        FieldFeedback.objects.filter(pk=f.pk).update(created_at=when)
        made.append(f)
    answered = next((f for f in made if f.person.user.username not in ("field", "newcomer")), None)
    if answered is not None:
        services.answer(person=answered.person, feedback=answered, text=ANSWER)
    return {"field feedback": len(made)}
