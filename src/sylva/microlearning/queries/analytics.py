"""Analytics for designers: per module and per question, never over fewer than
SYLVA_MIN_AGGREGATE people."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from sylva.microlearning.models import Card, Memory, Module, Review

RETENTION_BUCKETS = (
    (0, 1, "≤1"),
    (1, 3, "2–3"),
    (3, 7, "4–7"),
    (7, 14, "8–14"),
    (14, 30, "15–30"),
    (30, 10_000, "31+"),
)


@dataclass
class QuestionStats:
    card: Card
    answers: int
    people: int
    correct_rate: float | None
    top_wrong: str | None
    top_wrong_count: int
    first_rate: float | None
    latest_rate: float | None


@dataclass
class ModuleStats:
    module: Module
    reached: int
    completed: int
    answers: int
    correct_rate: float | None
    hidden: bool
    questions: list[QuestionStats] = field(default_factory=list)
    retention: list[tuple[str, int, float | None]] = field(default_factory=list)
    first_rate: float | None = None
    latest_rate: float | None = None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.reached if self.reached else None


def modules_overview() -> QuerySet[Module]:
    return (
        Module.objects.filter(status=Module.Status.PUBLISHED)
        .annotate(
            card_count=Count("cards", filter=Q(cards__retired_at__isnull=True), distinct=True)
        )
        .order_by("title")
    )


def _rate(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def module_stats(module: Module) -> ModuleStats:
    threshold = settings.SYLVA_MIN_AGGREGATE
    cards = list(module.cards.order_by("position", "pk"))
    card_count = len(cards)
    live = Memory.objects.filter(card__module=module, card__retired_at__isnull=True)
    seen = Counter(live.values_list("person_id", flat=True))
    reached = len(seen)
    completed = sum(1 for n in seen.values() if n >= card_count)
    reviews = list(
        Review.objects.filter(card__module=module, correct__isnull=False)
        .order_by("reviewed_at", "pk")
        .values_list("card_id", "person_id", "correct", "response", "elapsed_days")
    )
    stats = ModuleStats(
        module,
        reached,
        completed,
        len(reviews),
        _rate([bool(r[2]) for r in reviews]),
        hidden=reached < threshold,
    )
    if stats.hidden:
        stats.correct_rate = None
        return stats
    by_card: dict[int, list[tuple[int, bool, object]]] = defaultdict(list)
    firsts: list[bool] = []
    latests: list[bool] = []
    buckets: dict[str, list[bool]] = defaultdict(list)
    for card_id, person_id, correct, response, elapsed in reviews:
        correct = bool(correct)
        by_card[card_id].append((person_id, correct, response))
        if elapsed is not None:
            for low, high, label in RETENTION_BUCKETS:
                if low < elapsed <= high or (low == 0 and elapsed <= high):
                    buckets[label].append(correct)
                    break
    for card in cards:
        if not card.is_graded:
            continue
        rows = by_card.get(card.pk, [])
        people = {p for p, _c, _r in rows}
        first: dict[int, bool] = {}
        latest: dict[int, bool] = {}
        wrong: Counter[int] = Counter()
        right = set(card.correct_indexes)
        for person_id, correct, response in rows:
            first.setdefault(person_id, correct)
            latest[person_id] = correct
            if not correct and card.kind != Card.Kind.ORDERING and isinstance(response, list):
                wrong.update(i for i in response if i not in right)
        firsts += first.values()
        latests += latest.values()
        enough = len(people) >= threshold
        top = wrong.most_common(1)[0] if wrong and enough else None
        stats.questions.append(
            QuestionStats(
                card,
                len(rows),
                len(people),
                _rate([c for _p, c, _r in rows]) if enough else None,
                str(card.options[top[0]]["text"]) if top else None,
                top[1] if top else 0,
                _rate(list(first.values())) if enough else None,
                _rate(list(latest.values())) if enough else None,
            )
        )
    stats.first_rate, stats.latest_rate = _rate(firsts), _rate(latests)
    stats.retention = [
        (label, len(buckets[label]), _rate(buckets[label])) for _l, _h, label in RETENTION_BUCKETS
    ]
    return stats


def module_csv(stats: ModuleStats) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "position",
            "kind",
            "question",
            "answers",
            "people",
            "correct_rate",
            "most_chosen_wrong_answer",
            "wrong_count",
            "first_answer_correct_rate",
            "latest_answer_correct_rate",
        ]
    )

    def fmt(x: float | None) -> str:
        return "" if x is None else f"{x:.3f}"

    for q in stats.questions:
        writer.writerow(
            [
                q.card.position + 1,
                q.card.kind,
                q.card.title,
                q.answers,
                q.people,
                fmt(q.correct_rate),
                q.top_wrong or "",
                q.top_wrong_count,
                fmt(q.first_rate),
                fmt(q.latest_rate),
            ]
        )
    return out.getvalue()
