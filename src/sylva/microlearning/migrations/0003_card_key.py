"""Every card gets a key, its identity across export and import (unique within its module),
and may be retired instead of deleted when it leaves its module while it has a history."""

import secrets

from django.db import migrations, models

import sylva.microlearning.models


def give_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    Card = apps.get_model("microlearning", "Card")
    taken: dict[int, set[str]] = {}
    batch = []
    for card in Card.objects.filter(key__isnull=True).only("pk", "module_id").iterator():
        keys = taken.setdefault(card.module_id, set())
        key = secrets.token_hex(4)
        while key in keys:
            key = secrets.token_hex(4)
        keys.add(key)
        card.key = key
        batch.append(card)
        if len(batch) >= 1000:
            Card.objects.bulk_update(batch, ["key"])
            batch = []
    Card.objects.bulk_update(batch, ["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("microlearning", "0002_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="card",
            name="key",
            field=models.SlugField(max_length=40, null=True, editable=False, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="card",
            name="retired_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="retired at"
            ),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="card",
            name="key",
            field=models.SlugField(
                default=sylva.microlearning.models.new_card_key,
                editable=False,
                max_length=40,
                verbose_name="key",
            ),
        ),
        migrations.AddConstraint(
            model_name="card",
            constraint=models.UniqueConstraint(fields=("module", "key"), name="card_key_unique"),
        ),
    ]
