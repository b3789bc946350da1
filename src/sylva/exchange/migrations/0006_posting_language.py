"""Offers and requests carry their language; existing ones take their author's (French when
the author chose none, the organisation's language)."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    for name in ("Offer", "Request"):
        model = apps.get_model("exchange", name)
        model.objects.filter(person__language="en").update(language="en")


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0005_notices_and_fairs"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="language",
            field=models.CharField(
                choices=[("fr", "French"), ("en", "English")],
                default="fr",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="request",
            name="language",
            field=models.CharField(
                choices=[("fr", "French"), ("en", "English")],
                default="fr",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
