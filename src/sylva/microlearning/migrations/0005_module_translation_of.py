"""A module may be the version in another language of an original module
(``translation_of``); the language of existing modules is read again from their text, since
modules written before the language mattered were all left as French."""

import re

import django.db.models.deletion
from django.db import migrations, models

WORD = re.compile(r"[a-zà-ÿ']+")
FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "pour",
        "dans",
        "avec",
        "sur",
        "pas",
        "que",
        "qui",
        "vous",
        "nous",
        "on",
        "ce",
        "cette",
        "au",
        "aux",
        "en",
        "par",
        "ne",
        "plus",
        "son",
        "sa",
        "ses",
        "leur",
    ]
)
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "for",
        "in",
        "with",
        "on",
        "not",
        "that",
        "which",
        "you",
        "we",
        "this",
        "to",
        "of",
        "it",
        "by",
        "be",
        "your",
        "what",
        "when",
        "how",
        "do",
        "does",
    ]
)


def guess(text: str) -> str | None:
    """fr or en from the commonest small words; None when it cannot tell."""
    words = WORD.findall(text.lower())
    fr = sum(1 for w in words if w in FRENCH) + 3 * sum(1 for c in text if c in "éèêàçù")
    en = sum(1 for w in words if w in ENGLISH)
    if fr + en < 3 or abs(fr - en) < 2:
        return None
    return "fr" if fr > en else "en"


def detect_languages(apps, schema_editor):  # type: ignore[no-untyped-def]
    Module = apps.get_model("microlearning", "Module")
    Card = apps.get_model("microlearning", "Card")
    for module in Module.objects.only("pk", "title", "language").iterator():
        texts = [module.title]
        for title, body in Card.objects.filter(module_id=module.pk).values_list("title", "body"):
            texts += [title, body]
        found = guess(" ".join(texts))
        if found and found != module.language:
            Module.objects.filter(pk=module.pk).update(language=found)


class Migration(migrations.Migration):
    dependencies = [
        ("microlearning", "0004_duel_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="module",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="microlearning.module",
                verbose_name="translation of",
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop),
    ]
