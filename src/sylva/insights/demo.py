"""Demo content of insights, after the exchange pillar's demo has run (INSTALLED_APPS order):

- about half of the demo company agrees to appear by name in insights (drawn from the seed,
  so the same people every time; the persona accounts always do). In a real company this is
  each person's own choice, on their profile;
- some exchange reviews carry a story that their author shares in the showcase (and a few a
  story kept private), so that the showcase has something to show;
- the first snapshot of the default window, so that the pages open instantly after
  `sylva seed` (the other windows are computed on first visit or by `sylva insights`).
"""

from __future__ import annotations

import random

from rich.progress import Progress

from sylva.exchange.models import Review
from sylva.insights.services import DEFAULT_WINDOW, compute_snapshot
from sylva.people.models import Person
from sylva.people.seed import PERSONAS

STEPS = 7
VISIBLE_SHARE = 0.5
STORY_SHARE = 0.5  # of the reviews, half carry a story …
KEPT_EVERY = 4  # … and every fourth story is kept private by its author

STORIES = [
    "Après une heure avec {other}, je règle seul ce que je faisais vérifier chaque matin. "
    "Je l'ai déjà montré à un collègue de l'équipe de nuit.",
    "Je pensais que « {skill} » demandait une formation de plusieurs jours : une séance à "
    "deux a suffi pour démarrer, le reste vient en pratiquant.",
    "Expliquer « {skill} » à {other} m'a obligé à remettre de l'ordre dans ma propre "
    "méthode. J'en ai tiré une fiche d'une page que l'équipe utilise maintenant.",
    "On s'est retrouvés devant la machine plutôt qu'en salle : c'est là que j'ai compris. "
    "Merci {other} pour la patience.",
    "Deux semaines après notre échange, j'ai évité un arrêt de ligne grâce à ce que {other} "
    "m'avait montré.",
    "J'ai demandé de l'aide sur le tableau des échanges sans trop y croire ; trois jours "
    "plus tard j'apprenais « {skill} » avec quelqu'un d'un autre site.",
    "Ce qui m'a le plus servi : les erreurs fréquentes, racontées par quelqu'un qui les a "
    "faites. Je recommande à tous les nouveaux.",
    "Un échange court, en visio, entre deux tournées : juste ce qu'il fallait pour repartir "
    "avec une méthode simple.",
]


def _opt_in(rng: random.Random) -> int:
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    chosen = [pk for pk in ids if rng.random() < VISIBLE_SHARE]
    personas = Person.objects.filter(user__username__in=[p.username for p in PERSONAS])
    chosen = sorted(set(chosen) | set(personas.values_list("pk", flat=True)))
    for start in range(0, len(chosen), 5000):
        Person.objects.filter(pk__in=chosen[start : start + 5000]).update(visible_in_insights=True)
    return len(chosen)


def _stories(rng: random.Random) -> int:
    """Write stories on some of the demo reviews (written by the exchange demo); returns how
    many are shared."""
    reviews = list(
        Review.objects.select_related("exchange__skill", "exchange__teacher", "exchange__learner")
        .filter(story="")
        .order_by("pk")
    )
    changed: list[Review] = []
    for review in reviews:
        if rng.random() >= STORY_SHARE:
            continue
        x = review.exchange
        other = x.teacher if review.author_id == x.learner_id else x.learner
        review.story = rng.choice(STORIES).format(
            other=other.first_name, skill=x.skill.name_fr if x.skill else "ce sujet"
        )
        review.story_shared = len(changed) % KEPT_EVERY != KEPT_EVERY - 1
        changed.append(review)
    Review.objects.bulk_update(changed, ["story", "story_shared"], batch_size=2000)
    return sum(1 for r in changed if r.story_shared)


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    task = progress.add_task("Computing insights", total=STEPS) if progress else None
    rng = random.Random(f"insights-demo-{seed}")
    visible = _opt_in(rng)
    shared = _stories(rng)

    def step(name: str, n: int) -> None:
        if progress is not None and task is not None and name != "reading":
            progress.advance(task)

    snapshot = compute_snapshot(window_days=DEFAULT_WINDOW, seed=seed, step=step)
    if progress is not None and task is not None:
        progress.update(task, completed=STEPS)
    return {
        "insights snapshots": 1,
        "insights scopes": snapshot.figures.count(),
        "people named in insights": visible,
        "stories shared in the showcase": shared,
    }
