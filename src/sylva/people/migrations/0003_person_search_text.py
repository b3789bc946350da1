"""The folded job title and profile texts the directory's text search reads."""

from django.db import migrations, models

from sylva.people.text import profile_text


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("job_title", "can_share", "wants_to_learn").iterator():
        person.search_text = profile_text(person.job_title, person.can_share, person.wants_to_learn)
        batch.append(person)
        if len(batch) >= 1000:
            Person.objects.bulk_update(batch, ["search_text"])
            batch = []
    Person.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_token_expiry_scope")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.TextField(blank=True, default="", db_default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
