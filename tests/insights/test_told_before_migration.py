"""The migration that gives introductions made before they were delivered their two
recipients: the people, or the two teams' managers (none when they are missing or one)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("insights", "0003_introductions_once")]
AFTER = [("insights", "0004_introduction_answers_structure_tasks")]


@pytest.mark.django_db(transaction=True)
def test_introductions_made_before_find_their_two_sides() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Person, Team = old.get_model("people", "Person"), old.get_model("people", "Team")
    Introduction = old.get_model("insights", "Introduction")
    people = [
        Person.objects.create(
            user=User.objects.create(username=f"p{i}"), first_name=f"P{i}", last_name="T"
        )
        for i in range(3)
    ]
    Department = old.get_model("people", "Department")
    dept = Department.objects.create(code="d", name_fr="D", name_en="D")
    site = old.get_model("people", "Site").objects.create(code="s", name="S", city="S")
    place = {"department": dept, "site": site}
    managed = Team.objects.create(name="A", manager=people[0], **place)
    other = Team.objects.create(name="B", manager=people[1], **place)
    orphan = Team.objects.create(name="C", **place)
    two = Introduction.objects.create(person_a=people[1], person_b=people[2]).pk
    teams = Introduction.objects.create(team_a=managed, team_b=other).pk
    nobody = Introduction.objects.create(team_a=managed, team_b=orphan).pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Introduction = new.get_model("insights", "Introduction")
    sides = {
        i.pk: (i.recipient_a_id, i.recipient_b_id, i.answer_a, i.answer_b)
        for i in Introduction.objects.all()
    }
    assert sides[two] == (people[1].pk, people[2].pk, "", "")
    assert sides[teams] == (people[0].pk, people[1].pk, "", "")
    assert sides[nobody] == (None, None, "", "")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
