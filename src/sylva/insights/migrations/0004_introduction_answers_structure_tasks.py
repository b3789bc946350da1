import django.db.models.deletion
from django.db import migrations, models


def told_before(apps, schema_editor):
    """Introductions made before they were delivered: their two sides (the people, or the
    teams' managers) become their recipients, so that each finds it in their inbox."""
    Introduction = apps.get_model("insights", "Introduction")
    for intro in Introduction.objects.select_related("team_a", "team_b"):
        if intro.person_a_id and intro.person_b_id:
            a, b = intro.person_a_id, intro.person_b_id
        elif intro.team_a_id and intro.team_b_id:
            a, b = intro.team_a.manager_id, intro.team_b.manager_id
            if a is None or b is None or a == b:
                continue
        else:
            continue
        Introduction.objects.filter(pk=intro.pk).update(recipient_a_id=a, recipient_b_id=b)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_introductions_once"),
        ("people", "0002_token_expiry_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="introduction",
            name="answer_a",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "not answered yet"),
                    ("exchange", "opened a proposal of exchange"),
                    ("dismissed", "not now"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="introduction",
            name="answer_b",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "not answered yet"),
                    ("exchange", "opened a proposal of exchange"),
                    ("dismissed", "not now"),
                ],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="introduction",
            name="answered_a_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="introduction",
            name="answered_b_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="introduction",
            name="recipient_a",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="introduction",
            name="recipient_b",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="structuredecision",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="structure_tasks",
                to="people.person",
                verbose_name="given to",
            ),
        ),
        migrations.AddField(
            model_name="structuredecision",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="done"),
        ),
        migrations.RunPython(told_before, migrations.RunPython.noop),
    ]
