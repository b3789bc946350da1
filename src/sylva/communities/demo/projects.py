"""The demo's project space: the manager's line retrofit, with the field worker, the
newcomer and the expert as members; its first milestone closed with the group's review
(written by the field worker), the next one open. Idempotent: a project whose title exists
is left as it is."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sylva.communities import verbs as community_verbs
from sylva.communities.models import Milestone, Project, ProjectMember
from sylva.core.xapi import activity
from sylva.people.models import LearningEvent, Person, PersonSkill
from sylva.people.services import build_event

TITLE = "Modernisation de la ligne 2"


@transaction.atomic
def seed(*, seed: int) -> dict[str, int]:
    if Project.objects.filter(title=TITLE).exists():
        return {"project spaces": 0}
    people = {
        p.user.username: p
        for p in Person.objects.select_related("user").filter(
            user__username__in=("manager", "field", "newcomer", "expert")
        )
    }
    owner = people.get("manager")
    if owner is None:
        return {"project spaces": 0}
    now = timezone.now()
    project = Project.objects.create(
        title=TITLE,
        purpose="Remplacer l'automate et les capteurs de la ligne 2 sans arrêter la production "
        "plus de deux jours.",
        learning_goals="Que chaque conducteur sache reprendre la main sur le nouvel automate, "
        "et que l'équipe apprenne à mener un changement technique ensemble.",
        owner=owner,
        created_at=now - timedelta(days=40),
    )
    skills = PersonSkill.objects.filter(person__in=people.values(), level__gte=3).values_list(
        "skill_id", flat=True
    )
    project.skills.set(list(dict.fromkeys(skills))[:3])
    for i, person in enumerate(people.values()):
        ProjectMember.objects.create(
            project=project, person=person, joined_at=now - timedelta(days=40 - i)
        )
    writer = people.get("field", owner)
    closed_at = now - timedelta(days=6)
    done = Milestone.objects.create(
        project=project,
        title="Essai à blanc du nouvel automate",
        due_on=(now - timedelta(days=7)).date(),
        intended="Faire tourner la ligne une demi-journée sur le nouvel automate, sans matière.",
        happened="Deux arrêts d'urgence intempestifs ; l'essai a duré deux heures de plus.",
        why="Un capteur de porte mal câblé, et personne ne savait lire le nouveau journal "
        "d'alarmes.",
        next_time="Une demi-heure de prise en main du journal d'alarmes pour chaque poste avant "
        "l'essai suivant ; vérifier le câblage à deux.",
        closed_by=writer,
        closed_at=closed_at,
    )
    Milestone.objects.create(
        project=project,
        title="Premier lot en production",
        due_on=(now + timedelta(days=14)).date(),
    )
    LearningEvent.objects.bulk_create(
        [
            build_event(
                actor=writer,
                verb=community_verbs.REVIEWED_MILESTONE,
                object_id=activity("milestone", done.pk),
                object_name=done.title,
                timestamp=closed_at,
            )
        ]
    )
    return {"project spaces": 1}
