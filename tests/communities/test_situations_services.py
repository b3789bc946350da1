"""Work situations' rules: who describes, who assigns to whom, the learner's and the
tutor's steps, the level raised only with the learner's agreement; every refusal changes
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.communities import verbs as community_verbs
from sylva.communities.models import Assignment, WorkSituation
from sylva.communities.queries import situations as queries
from sylva.communities.services import situations as services
from sylva.core.errors import ServiceError
from sylva.notifications.models import Notification
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, PersonSkill
from tests.factories import Org, make_person


@dataclass
class World:
    org: Org
    situation: WorkSituation
    other_manager: Person


def make_world(org: Org) -> World:
    situation = services.save_situation(
        designer=org.designer,
        title="Régler une extrudeuse au changement de série",
        task="Au changement de série, régler les températures et vérifier le profil.",
        skills=[org.extrude, org.safety],
        debrief_questions="Qu'est-ce qui t'a surpris ?\nQue referais-tu autrement ?",
        tutor_role="Observe, ne fais pas à sa place.",
    )
    other = make_person(
        "othermanager", first="Olivier", last="Chef", team=org.printing, roles=("manager",)
    )
    org.printing.manager = other
    org.printing.save()
    return World(org, situation, other)


@pytest.fixture
def world(org: Org) -> World:
    return make_world(org)


def assigned(w: World) -> Assignment:
    return services.assign(
        manager=w.org.manager,
        situation=w.situation,
        learner=w.org.learner,
        tutor=w.org.expert,
        due_on=timezone.localdate() + timedelta(days=7),
    )


def debriefed(w: World) -> Assignment:
    a = assigned(w)
    services.mark_done(person=w.org.learner, assignment=a)
    return services.debrief(person=w.org.expert, assignment=a, text="secret du débrief")


def _refused(call: object, status: int) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.status == status, caught.value.message
    return caught.value


def test_only_designers_describe(org: Org) -> None:
    for person in (org.learner, org.manager, org.animator):
        _refused(
            lambda person=person: services.save_situation(
                designer=person, title="x", task="y", skills=[org.extrude]
            ),
            403,
        )
    _refused(
        lambda: services.save_situation(designer=org.designer, title="x", task="y", skills=[]),
        400,
    )
    _refused(
        lambda: services.save_situation(
            designer=org.designer, title=" ", task="y", skills=[org.extrude]
        ),
        400,
    )
    assert not WorkSituation.objects.exists()


def test_a_manager_assigns_to_their_team_and_both_are_told(world: World) -> None:
    org = world.org
    a = assigned(world)
    assert a.state == Assignment.State.ASSIGNED and a.assigned_by == org.manager
    event = LearningEvent.objects.get(verb=community_verbs.ASSIGNED_SITUATION.iri)
    assert event.actor == org.manager and event.other == org.learner
    kinds = set(
        Notification.objects.filter(kind="communities.situation").values_list("person", flat=True)
    )
    assert kinds == {org.learner.pk, org.expert.pk}
    assert a in queries.waiting_on(org.learner)


@pytest.mark.parametrize("who", ["other_manager", "learner", "designer"])
def test_nobody_assigns_outside_their_team(world: World, who: str) -> None:
    org = world.org
    manager = world.other_manager if who == "other_manager" else getattr(org, who)
    _refused(
        lambda: services.assign(
            manager=manager, situation=world.situation, learner=org.learner, tutor=org.expert
        ),
        403,
    )
    # the expert is not in the manager's team either
    _refused(
        lambda: services.assign(
            manager=org.manager, situation=world.situation, learner=org.expert, tutor=org.learner
        ),
        403,
    )
    assert not Assignment.objects.exists()
    assert not Notification.objects.filter(kind="communities.situation").exists()


def test_bad_assignments_are_refused(world: World) -> None:
    org = world.org

    def assign(**kwargs: object) -> object:
        base = {
            "manager": org.manager,
            "situation": world.situation,
            "learner": org.learner,
            "tutor": org.expert,
        }
        return services.assign(**{**base, **kwargs})  # type: ignore[arg-type]

    assert _refused(lambda: assign(tutor=org.learner), 400).field == "tutor"
    past = timezone.localdate() - timedelta(days=1)
    assert _refused(lambda: assign(due_on=past), 400).field == "due_on"
    assert not Assignment.objects.exists()
    assign()
    assert _refused(lambda: assign(), 409).field == "learner"
    WorkSituation.objects.update(retired_at=timezone.now())
    world.situation.refresh_from_db()
    _refused(lambda: assign(learner=org.newcomer), 409)
    assert Assignment.objects.count() == 1


def test_the_team_is_the_peoples_rule(world: World) -> None:
    org = world.org
    team = set(queries.team_of(org.manager))
    assert org.learner in team and org.newcomer in team
    assert org.manager not in team and org.expert not in team
    assert set(queries.team_of(world.other_manager)) == {org.expert}  # a team they manage


def test_tutors_suggested_hold_a_skill_at_three_or_more(world: World) -> None:
    org = world.org
    suggested = queries.tutor_suggestions(world.situation, org.learner)
    assert suggested[0] == org.expert  # level 4, willing to share
    assert org.manager in suggested  # level 3
    assert org.learner not in suggested
    PersonSkill.objects.filter(person=org.learner).update(level=4)
    assert org.learner not in queries.tutor_suggestions(world.situation, org.learner)


def test_the_learner_does_it_then_the_tutor_debriefs(world: World) -> None:
    org = world.org
    a = assigned(world)
    _refused(lambda: services.mark_done(person=org.expert, assignment=a), 403)
    _refused(lambda: services.debrief(person=org.learner, assignment=a, text="trop tôt"), 409)
    services.mark_done(person=org.learner, assignment=a)
    practised = LearningEvent.objects.get(verb=verbs.PRACTISED.iri)
    assert practised.actor == org.learner and practised.other == org.expert
    assert a in queries.waiting_on(org.expert)
    _refused(lambda: services.mark_done(person=org.learner, assignment=a), 409)
    for third in (org.manager, org.animator, org.admin, world.other_manager):
        _refused(lambda third=third: services.debrief(person=third, assignment=a, text="x"), 403)
    _refused(lambda: services.debrief(person=org.learner, assignment=a, text="  "), 400)
    a.refresh_from_db()
    assert a.debrief == "" and a.state == Assignment.State.DONE
    services.debrief(person=org.learner, assignment=a, text="Nous avons parlé du profil.")
    event = LearningEvent.objects.get(verb=community_verbs.DEBRIEFED.iri)
    assert event.actor == org.expert and event.other == org.learner
    assert event.skill == org.extrude
    assert "profil" not in str(event.statement)
    # a correction later is not a second debrief
    services.debrief(person=org.expert, assignment=a, text="Corrigé.")
    assert LearningEvent.objects.filter(verb=community_verbs.DEBRIEFED.iri).count() == 1


def test_a_level_is_raised_only_when_the_learner_agrees(world: World) -> None:
    org = world.org
    a = debriefed(world)
    _refused(
        lambda: services.propose_level(tutor=org.learner, assignment=a, skill=org.extrude, level=3),
        403,
    )
    _refused(
        lambda: services.propose_level(tutor=org.manager, assignment=a, skill=org.extrude, level=3),
        403,
    )
    _refused(
        lambda: services.propose_level(tutor=org.expert, assignment=a, skill=org.excel, level=3),
        400,
    )
    _refused(
        lambda: services.propose_level(tutor=org.expert, assignment=a, skill=org.extrude, level=1),
        400,
    )
    _refused(
        lambda: services.propose_level(tutor=org.expert, assignment=a, skill=org.extrude, level=9),
        400,
    )
    services.propose_level(tutor=org.expert, assignment=a, skill=org.extrude, level=3)
    held = PersonSkill.objects.get(person=org.learner, skill=org.extrude)
    assert held.level == 1  # proposed, not applied
    for third in (org.expert, org.manager, org.admin):
        _refused(lambda third=third: services.agree_level(learner=third, assignment=a), 403)
    assert PersonSkill.objects.get(pk=held.pk).level == 1
    services.agree_level(learner=org.learner, assignment=a)
    assert PersonSkill.objects.get(pk=held.pk).level == 3
    declared = LearningEvent.objects.filter(verb=verbs.DECLARED_SKILL.iri, actor=org.learner)
    assert declared.count() == 1
    _refused(lambda: services.agree_level(learner=org.learner, assignment=a), 409)


def test_a_declined_level_changes_nothing(world: World) -> None:
    org = world.org
    a = debriefed(world)
    services.propose_level(tutor=org.expert, assignment=a, skill=org.safety, level=2)
    services.decline_level(learner=org.learner, assignment=a)
    assert not PersonSkill.objects.filter(person=org.learner, skill=org.safety).exists()
    _refused(lambda: services.agree_level(learner=org.learner, assignment=a), 404)


def test_the_manager_cancels(world: World) -> None:
    org = world.org
    a = assigned(world)
    for third in (org.learner, org.expert, world.other_manager, org.animator):
        _refused(lambda third=third: services.cancel(manager=third, assignment=a), 403)
    services.cancel(manager=org.manager, assignment=a)
    a.refresh_from_db()
    assert a.state == Assignment.State.CANCELLED
    _refused(lambda: services.cancel(manager=org.manager, assignment=a), 409)
    _refused(lambda: services.mark_done(person=org.learner, assignment=a), 409)
