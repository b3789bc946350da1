"""`sylva seed`: the demo company is deterministic, believable and consistent."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from sylva.people import seed, verbs
from sylva.people.models import (
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.roles import Role, roles_of
from sylva.people.text import fold

pytestmark = [pytest.mark.django_db, pytest.mark.walk]

User = get_user_model()


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def company() -> seed.SeedSummary:
    return seed.generate_company(people=300, seed=42, events_per_person=6)


def snapshot() -> dict[str, Any]:
    return {
        "users": sorted(
            User.objects.filter(person__isnull=False).values_list(
                "username", "first_name", "last_name", "email"
            )
        ),
        "teams": sorted(
            Team.objects.values_list(
                "name", "department__code", "site__code", "manager__user__username"
            )
        ),
        "managers": sorted(
            Person.objects.values_list("user__username", "manager__user__username", "hire_date")
        ),
        "skills": sorted(
            PersonSkill.objects.values_list(
                "person__user__username", "skill__code", "level", "willing_to_share"
            )
        ),
        "wishes": sorted(LearningWish.objects.values_list("person__user__username", "skill__code")),
        "events": sorted(
            (str(e[0]), e[1], e[2], e[3], e[4])
            for e in LearningEvent.objects.values_list(
                "id", "actor__user__username", "verb", "object_id", "timestamp"
            )
        ),
    }


# --- determinism ------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_company() -> None:
    seed.generate_company(people=120, seed=5, events_per_person=5)
    first = snapshot()
    seed.reset_company()
    seed.generate_company(people=120, seed=5, events_per_person=5)
    assert snapshot() == first
    assert len(first["events"]) >= 600


def test_another_seed_gives_another_company() -> None:
    seed.generate_company(people=120, seed=5, events_per_person=1)
    first = snapshot()["users"]
    seed.reset_company()
    seed.generate_company(people=120, seed=6, events_per_person=1)
    assert snapshot()["users"] != first


def test_events_drawn_in_parallel_are_the_same_as_drawn_in_turn() -> None:
    seed.generate_company(people=60, seed=3, events_per_person=4, workers=0)
    in_turn = snapshot()["events"]
    seed.reset_company()
    seed.generate_company(people=60, seed=3, events_per_person=4, workers=2)
    assert snapshot()["events"] == in_turn


# --- the organisation -------------------------------------------------------------------


def test_the_organisation_has_departments_sites_and_a_skills_taxonomy(
    company: seed.SeedSummary,
) -> None:
    assert 8 <= Department.objects.count() <= 12
    assert set(Site.objects.values_list("code", flat=True)) == {"lyon", "nantes", "lille"}
    assert Skill.objects.count() >= 150
    assert SkillDomain.objects.count() >= 10
    assert not Skill.objects.filter(name_en="").exists()
    assert Person.objects.count() == company.people == 300
    assert company.learning_events == LearningEvent.objects.count()


def test_teams_are_named_after_their_trade_and_site(company: seed.SeedSummary) -> None:
    names = set(Team.objects.values_list("name", flat=True))
    assert "Extrusion — Lyon" in names or "Extrusion" in names
    sizes = Counter(Person.objects.values_list("team_id", flat=True))
    assert 6 <= sum(sizes.values()) / len(sizes) <= 14


def test_the_hierarchy_has_one_root_and_no_cycle(company: seed.SeedSummary) -> None:
    assert not Person.objects.filter(manager=F("pk")).exists()
    assert Person.objects.filter(manager__isnull=True).count() == 1
    boss = dict(Person.objects.values_list("pk", "manager_id"))
    for start in boss:
        seen, current = set(), start
        while current is not None:
            assert current not in seen, f"a cycle of managers through person {current}"
            seen.add(current)
            current = boss[current]


def test_every_team_has_a_manager_among_its_members(company: seed.SeedSummary) -> None:
    for team in Team.objects.select_related("manager"):
        assert team.manager is not None
        assert team.manager.team_id == team.pk


def test_members_report_to_their_team_manager_and_managers_to_the_head(
    company: seed.SeedSummary,
) -> None:
    heads = {d.pk: d.head for d in Department.objects.select_related("head__team")}
    assert all(head is not None for head in heads.values())
    for head in heads.values():
        assert head is not None and head.manager is not None and head.manager.manager_id is None
    managers = set(Team.objects.values_list("manager_id", flat=True))
    head_ids = {head.pk for head in heads.values() if head is not None}
    for person in Person.objects.select_related("team__manager"):
        assert person.team is not None and person.site_id == person.team.site_id
        if person.manager_id is None or person.pk in head_ids:
            continue
        if person.pk in managers:
            assert person.manager_id == heads[person.team.department_id].pk  # type: ignore[union-attr]
        else:
            assert person.manager_id == person.team.manager_id


def test_about_five_percent_are_newcomers(company: seed.SeedSummary) -> None:
    recent = timezone.localdate() - timedelta(days=90)
    newcomers = Person.objects.filter(hire_date__gt=recent).count()
    assert newcomers == company.newcomers
    assert 0.02 * 300 <= newcomers <= 0.09 * 300
    assert not PersonSkill.objects.filter(person__hire_date__gt=recent, level__gt=2).exists()


def test_people_have_searchable_names_and_accounts(company: seed.SeedSummary) -> None:
    for person in Person.objects.select_related("user"):
        assert person.search_name == fold(person.full_name)
        assert person.language == ""
        assert person.user.email.endswith("@boreal-emballages.fr")
    generated = User.objects.filter(person__isnull=False).exclude(
        username__in=[p.username for p in seed.PERSONAS]
    )
    assert all(
        re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+\d*", u)
        for u in generated.values_list("username", flat=True)
    )


def test_everyone_has_populations_and_roles(company: seed.SeedSummary) -> None:
    assert not Person.objects.filter(populations__isnull=True).exists()
    codes = set(Person.objects.values_list("populations__code", flat=True))
    assert {"field", "sales", "office", "management", "experts"} <= codes
    learners = User.objects.filter(groups__name=Role.LEARNER).count()
    assert learners == Person.objects.count()
    managers = set(Team.objects.values_list("manager__user_id", flat=True))
    assert managers <= set(
        User.objects.filter(groups__name=Role.MANAGER).values_list("pk", flat=True)
    )


# --- skills -----------------------------------------------------------------------------


def test_skills_are_uneven_with_critical_ones_held_by_one_person(
    company: seed.SeedSummary,
) -> None:
    per_person = Counter(PersonSkill.objects.values_list("person_id", flat=True))
    assert min(per_person.values()) >= 2 and max(per_person.values()) <= 14
    holders = PersonSkill.objects.values("skill").annotate(n=Count("person"))
    counts = sorted(h["n"] for h in holders)
    assert counts[-1] >= 5 * counts[len(counts) // 2]  # some skills are popular
    lonely = [h["skill"] for h in holders if h["n"] == 1]
    critical = PersonSkill.objects.filter(
        skill__in=lonely,
        level__gte=3,
        skill__domain__code__in=[
            "production",
            "maintenance",
            "automation",
            "quality",
            "safety",
            "it",
        ],
    )
    assert critical.count() >= 5


def test_experts_hold_level_four_skills(company: seed.SeedSummary) -> None:
    experts = set(
        PersonSkill.objects.filter(level=4).values_list("person_id", flat=True).distinct()
    )
    assert 0.03 * 300 <= len(experts) <= 0.15 * 300
    in_population = set(
        Person.objects.filter(populations__code="experts").values_list("pk", flat=True)
    )
    assert experts == in_population
    share = PersonSkill.objects.filter(level__gte=3)
    assert 0.3 <= share.filter(willing_to_share=True).count() / share.count() <= 0.7


def test_wishes_are_skills_not_held(company: seed.SeedSummary) -> None:
    assert LearningWish.objects.count() > 100
    assert not LearningWish.objects.filter(person__person_skills__skill=F("skill")).exists()


# --- demo accounts ----------------------------------------------------------------------

EXPECTED_ROLES = {
    "newcomer": {Role.LEARNER},
    "expert": {Role.LEARNER},
    "field": {Role.LEARNER},
    "manager": {Role.LEARNER, Role.MANAGER},
    "animator": {Role.LEARNER, Role.ANIMATOR},
    "designer": {Role.LEARNER, Role.DESIGNER},
    "admin": {Role.LEARNER, Role.ADMINISTRATOR},
}


def test_demo_accounts_log_in_with_their_roles(company: seed.SeedSummary) -> None:
    accounts = seed.demo_accounts()
    assert [a["username"] for a in accounts] == list(EXPECTED_ROLES)
    for account in accounts:
        assert account["password"] == "sylva-demo"
        assert account["full_name"] and account["team"]
        assert account["persona_en"] and account["persona_fr"]
        user = User.objects.get(username=account["username"])
        assert roles_of(user) == EXPECTED_ROLES[account["username"]]
        assert Client().login(username=account["username"], password="sylva-demo")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser


def test_demo_personas_fit_their_part(company: seed.SeedSummary) -> None:
    def person(username: str) -> Person:
        return Person.objects.select_related("team__department").get(user__username=username)

    newcomer = person("newcomer")
    assert newcomer.is_newcomer and newcomer.team.department.code == "PROD"  # type: ignore[union-attr]
    assert newcomer.populations.filter(code="field").exists()
    assert newcomer.wishes.count() >= 2

    expert = person("expert")
    assert expert.person_skills.filter(level=4, willing_to_share=True).count() >= 3
    assert expert.populations.filter(code="experts").exists()

    field = person("field")
    assert field.team.department.code in {"LOG", "PROD"}  # type: ignore[union-attr]
    assert field.populations.filter(code="field").exists() and not field.managed_teams.exists()

    manager = person("manager")
    team = manager.managed_teams.get()
    assert team.members.count() >= 6

    animator = person("animator")
    assert animator.team.department.code == "HR"  # type: ignore[union-attr]
    assert animator.job_title == "Animatrice des apprentissages"
    designer = person("designer")
    assert designer.team.department.code in {"HR", "QHSE"}  # type: ignore[union-attr]
    assert designer.job_title == "Concepteur pédagogique"
    assert person("admin").team.department.code == "IT"  # type: ignore[union-attr]


# --- learning events --------------------------------------------------------------------


def test_events_cover_every_form_of_learning(company: seed.SeedSummary) -> None:
    for form in (
        verbs.Form.EXCHANGE,
        verbs.Form.MICROLEARNING,
        verbs.Form.COMMUNITY,
        verbs.Form.FIELD,
        verbs.Form.COURSE,
    ):
        assert LearningEvent.objects.filter(verb__in=verbs.iris_of_form(form)).exists(), form
    assert 300 * 6 <= company.learning_events <= 300 * 6 + 200


def test_events_carry_the_actors_context(company: seed.SeedSummary) -> None:
    events = LearningEvent.objects.all()
    assert not events.filter(actor__isnull=True).exists()
    assert not events.exclude(team_id=F("actor__team_id")).exists()
    assert not events.exclude(department_id=F("actor__team__department_id")).exists()
    assert not events.exclude(site_id=F("actor__site_id")).exists()
    now = timezone.now()
    assert not events.filter(timestamp__gt=now).exists()
    assert not events.filter(timestamp__lt=now - timedelta(days=181)).exists()
    for event in events[:200]:
        assert event.statement["id"] == str(event.id)
        assert event.statement["verb"]["id"] == event.verb


def test_exchanges_pair_a_teacher_and_a_learner(company: seed.SeedSummary) -> None:
    taught = LearningEvent.objects.filter(verb=verbs.verb("taught").iri)
    learned = LearningEvent.objects.filter(verb=verbs.verb("learned-from").iri)
    assert taught.count() == learned.count() > 0
    for event in taught.select_related("actor", "skill"):
        assert event.other_id and event.other_id != event.actor_id
        assert event.actor is not None and event.skill is not None
        assert event.actor.person_skills.filter(skill=event.skill, level__gte=3).exists()
    same_department = taught.filter(department_id=F("other__team__department_id")).count()
    assert 0.5 <= same_department / taught.count() <= 0.95


def test_managers_give_feedback_to_their_reports(company: seed.SeedSummary) -> None:
    feedback = LearningEvent.objects.filter(verb=verbs.verb("gave-feedback").iri)
    assert feedback.exists()
    assert not feedback.exclude(other__manager_id=F("actor_id")).exists()


# --- the command ------------------------------------------------------------------------


def seed_command(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_summary_and_the_demo_accounts() -> None:
    output = seed_command("--people", "120", "--seed", "1", "--events-per-person", "2")
    assert "people" in output and "120" in output and "learning events" in output
    assert "newcomer" in output and "sylva-demo" in output
    assert Person.objects.count() == 120


def test_the_command_refuses_to_seed_twice_without_reset() -> None:
    seed_command("--people", "120", "--events-per-person", "1")
    with pytest.raises(CommandError, match="--reset"):
        seed_command("--people", "120", "--events-per-person", "1")
    assert Person.objects.count() == 120


def test_reset_replaces_the_company_and_keeps_other_accounts() -> None:
    User.objects.create_superuser("root", "root@example.com", "a long password")
    seed_command("--people", "120", "--events-per-person", "1")
    seed_command("--people", "150", "--events-per-person", "1", "--reset")
    assert Person.objects.count() == 150
    assert Department.objects.count() == 10 and Site.objects.count() == 3
    assert User.objects.filter(username="root").exists()
    assert User.objects.count() == 151


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "10"], "at least 20"),
        (["--events-per-person", "-1"], "negative"),
    ],
)
def test_the_command_refuses_bad_numbers(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        seed_command(*args)
    assert not Person.objects.exists()


def test_the_smallest_company_still_has_every_persona() -> None:
    seed.generate_company(people=20, seed=1, events_per_person=1)
    assert len(seed.demo_accounts()) == 7
    assert Person.objects.count() == 20
