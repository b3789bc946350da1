"""Small, explicit organisations for tests (the generated demo company is tested apart)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from sylva.people import services
from sylva.people.models import (
    Department,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)

PASSWORD = "a-long-test-password"


def make_person(
    username: str,
    *,
    first: str = "",
    last: str = "",
    team: Team | None = None,
    roles: tuple[str, ...] = (),
    hire_date: date | None = None,
    **fields: Any,
) -> Person:
    user = User.objects.create_user(
        username, password=PASSWORD, first_name=first or username.title(), last_name=last
    )
    person = Person.objects.create(
        user=user,
        first_name=first or username.title(),
        last_name=last or "Test",
        team=team,
        site=team.site if team else None,
        hire_date=hire_date or date(2015, 1, 5),
        **fields,
    )
    services.assign_roles(user=user, roles=roles)
    return person


class Org:
    """Two sites, two departments, three teams, a few skills and one person per role."""

    def __init__(self) -> None:
        self.lyon = Site.objects.create(code="lyon", name="Lyon", city="Lyon")
        self.lille = Site.objects.create(code="lille", name="Lille", city="Lille")
        self.prod = Department.objects.create(
            code="prod", name_fr="Production", name_en="Production"
        )
        self.hr = Department.objects.create(
            code="hr", name_fr="Ressources humaines", name_en="Human resources"
        )
        self.extrusion = Team.objects.create(name="Extrusion", department=self.prod, site=self.lyon)
        self.printing = Team.objects.create(
            name="Impression", department=self.prod, site=self.lille
        )
        self.people_team = Team.objects.create(
            name="Développement RH", department=self.hr, site=self.lyon
        )
        self.field = Population.objects.create(
            code="field", name_fr="Terrain", name_en="Field staff"
        )
        self.tech = SkillDomain.objects.create(
            code="tech", name_fr="Technique", name_en="Technical"
        )
        self.soft = SkillDomain.objects.create(
            code="soft", name_fr="Transverse", name_en="Transversal"
        )
        self.extrude = Skill.objects.create(
            code="extrusion-setup",
            domain=self.tech,
            name_fr="Réglage d'extrudeuse",
            name_en="Extruder setup",
        )
        self.safety = Skill.objects.create(
            code="machine-safety",
            domain=self.tech,
            name_fr="Sécurité machine",
            name_en="Machine safety",
        )
        self.excel = Skill.objects.create(
            code="excel", domain=self.soft, name_fr="Tableur", name_en="Spreadsheets"
        )
        self.facilitation = Skill.objects.create(
            code="facilitation",
            domain=self.soft,
            name_fr="Animation d'atelier",
            name_en="Workshop facilitation",
        )
        self.manager = make_person(
            "manager", first="Mathilde", last="Roux", team=self.extrusion, roles=("manager",)
        )
        self.extrusion.manager = self.manager
        self.extrusion.save()
        self.learner = make_person(
            "learner", first="Hélène", last="Dupré", team=self.extrusion, manager=self.manager
        )
        self.expert = make_person("expert", first="Karim", last="Benali", team=self.printing)
        self.newcomer = make_person(
            "newcomer",
            first="Léa",
            last="Martin",
            team=self.extrusion,
            manager=self.manager,
            hire_date=date.today() - timedelta(days=10),
        )
        self.animator = make_person(
            "animator", first="Anne", last="Morel", team=self.people_team, roles=("animator",)
        )
        self.designer = make_person(
            "designer", first="Denis", last="Petit", team=self.people_team, roles=("designer",)
        )
        self.admin = make_person(
            "admin", first="Alice", last="Admin", team=self.people_team, roles=("administrator",)
        )
        for i in range(3):
            make_person(
                f"operator{i}",
                first=f"Opérateur{i}",
                last="Ligne",
                team=self.extrusion,
                manager=self.manager,
            )
        PersonSkill.objects.create(
            person=self.expert, skill=self.extrude, level=4, willing_to_share=True
        )
        PersonSkill.objects.create(person=self.manager, skill=self.extrude, level=3)
        PersonSkill.objects.create(person=self.learner, skill=self.extrude, level=1)
        PersonSkill.objects.create(person=self.expert, skill=self.safety, level=2)

    def person(self, role: str) -> Person:
        return getattr(self, role)  # type: ignore[no-any-return]
