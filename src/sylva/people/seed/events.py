"""Six months of learning events, day by day, each day from its own seed (forked workers build
them in parallel for large companies)."""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid
from bisect import bisect
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from django.db import connections, router
from django.utils import timezone

from sylva.core.xapi import Verb, activity
from sylva.people import verbs
from sylva.people.models import (
    LearningEvent,
)
from sylva.people.seed.catalogue import PARALLEL_EVENTS, WINDOW_DAYS, Catalogue
from sylva.people.seed.plan import Plan, _Phase, _split
from sylva.people.seed.write import Written, _insert_rows, _rows
from sylva.people.services import build_event

# --- the history of learning events ------------------------------------------------------

FORMS = ("exchange", "microlearning", "community", "field", "course")
FORM_WEIGHTS = (0.075, 0.42, 0.20, 0.14, 0.10)  # an exchange writes two events
WEEKEND = 0.15  # a weekend day sees this share of a weekday's events
Result = dict[str, Any] | None


def _uuid7(when: float, rand: int) -> uuid.UUID:
    """A time-ordered UUID (version 7): rows arrive in index order, which SQLite likes."""
    value = (int(when * 1000) << 80) | (rand & ((1 << 80) - 1))
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    return uuid.UUID(int=(value & ~(0x3 << 62)) | (0x2 << 62))


class _History:
    """Draws learning events day by day: who is active, who teaches what to whom, when."""

    def __init__(
        self, rng: random.Random, plan: Plan, w: Written, cat: Catalogue, total: int, today: date
    ) -> None:
        assert plan.pools is not None, "plan the skills first"
        self.rng, self.plan, self.w, self.cat, self.pools = rng, plan, w, cat, plan.pools
        self.activity = list(
            accumulate(
                0.03 if rng.random() < 0.08 else rng.lognormvariate(0, 0.9) for _ in plan.people
            )
        )
        self.teachable = [
            (i, s) for i, p in enumerate(plan.people) for s, level, _share in p.skills if level >= 3
        ]
        self.teach_cum = list(
            accumulate(
                3.0 if share else 1.0
                for p in plan.people
                for _s, level, share in p.skills
                if level >= 3
            )
        )
        self.by_dept: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(plan.people):
            self.by_dept[p.dept].append(i)
        # Each day draws from its own seed, so days can be drawn in any order, in parallel.
        self.days = [today - timedelta(days=n) for n in range(WINDOW_DAYS, 0, -1)]
        self.seeds = [rng.getrandbits(64) for _ in self.days]
        self.counts = _split(total, [WEEKEND if d.weekday() >= 5 else 1.0 for d in self.days])
        self.questions: list[tuple[str, int, int, float]] = []
        self.prefix, self.serial = "", 0

    # drawing

    def _pick(self, cum: list[float]) -> int:
        return min(bisect(cum, self.rng.random() * cum[-1]), len(cum) - 1)

    def _skill(self, i: int) -> int:
        person, r = self.plan.people[i], self.rng.random()
        if person.skills and r < 0.45:
            return self.rng.choice(person.skills)[0]
        if person.wishes and r < 0.65:
            return self.rng.choice(person.wishes)
        drawn = self.pools.core[person.dept].draw(self.rng, 1, set())
        return drawn[0] if drawn else self.rng.randrange(len(self.w.skills))

    def _name(self, skill: int) -> str:
        return self.cat.skills[skill].name_fr

    def _next(self) -> str:
        self.serial += 1
        return f"{self.prefix}-{self.serial}"

    def _event(
        self,
        i: int,
        verb: Verb,
        object_id: str,
        name: str,
        when: float,
        skill: int | None = None,
        result: Result = None,
        other: int | None = None,
    ) -> LearningEvent:
        event = build_event(
            actor=self.w.people[i],
            verb=verb,
            object_id=object_id,
            object_name=name,
            skill=self.w.skills[skill] if skill is not None else None,
            result=result,
            other=self.w.people[other] if other is not None else None,
            timestamp=datetime.fromtimestamp(when, UTC),
            team=self.w.teams[self.plan.people[i].team],
        )
        event.id = _uuid7(when, self.rng.getrandbits(80))
        event.statement["id"] = str(event.id)
        event.stored = event.timestamp
        return event

    # the forms of learning; each returns the events of one learning moment

    def exchange(self, when: float) -> list[LearningEvent]:
        if not self.teach_cum:
            return self.microlearning(when)
        teacher, skill = self.teachable[self._pick(self.teach_cum)]
        colleagues = self.by_dept[self.plan.people[teacher].dept]
        for _attempt in range(10):
            same = self.rng.random() < 0.7
            learner = self.rng.choice(colleagues) if same else self._pick(self.activity)
            if learner != teacher:
                iri, name = activity("skill", self.cat.skills[skill].code), self._name(skill)
                return [
                    self._event(teacher, verbs.TAUGHT, iri, name, when, skill, other=learner),
                    self._event(learner, verbs.LEARNED_FROM, iri, name, when, skill, other=teacher),
                ]
        return self.microlearning(when)

    def microlearning(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        skill = self._skill(i)
        module, name = skill + 1, self._name(skill)
        if rng.random() < 0.8:
            card = rng.randint(1, 8)
            result = {"success": rng.random() < 0.78, "duration": f"PT{rng.randint(6, 75)}S"}
            iri = activity("module", f"{module}/card/{card}")
            return [
                self._event(
                    i, verbs.ANSWERED, iri, f"Question {card} — {name}", when, skill, result
                )
            ]
        result = {"completion": True, "duration": f"PT{rng.randint(2, 6)}M"}
        return [
            self._event(
                i,
                verbs.COMPLETED,
                activity("module", module),
                f"Module : {name}",
                when,
                skill,
                result,
            )
        ]

    def community(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        r = rng.random()
        if r < 0.35 and self.questions:
            question, skill, asker, asked = rng.choice(self.questions[-500:])
            if asker != i:
                when = max(when, asked + rng.randint(600, 7200))
                return [
                    self._event(
                        i,
                        verbs.RESPONDED,
                        activity("question", question),
                        f"Question : {self._name(skill)}",
                        when,
                        skill,
                        other=asker,
                    )
                ]
        skill = self._skill(i)
        if r < 0.6:
            question = self._next()
            self.questions.append((question, skill, i, when))
            return [
                self._event(
                    i,
                    verbs.ASKED,
                    activity("question", question),
                    f"Question : {self._name(skill)}",
                    when,
                    skill,
                )
            ]
        if r < 0.8:
            return [
                self._event(
                    i,
                    verbs.SHARED,
                    activity("experience", self._next()),
                    f"Retour d'expérience : {self._name(skill)}",
                    when,
                    skill,
                )
            ]
        domain, session = self.cat.skills[skill].domain, rng.randint(1, 24)
        name = f"Cercle d'apprentissage « {self.cat.domains[domain][0]} » — séance {session}"
        return [
            self._event(
                i,
                verbs.ATTENDED,
                activity("circle", f"{domain}/session/{session}"),
                name,
                when,
                result={"duration": "PT1H"},
            )
        ]

    def field(self, when: float) -> list[LearningEvent]:
        i = self._pick(self.activity)
        situation, skill = activity("field-situation", self._next()), self._skill(i)
        manager = self.plan.people[i].manager
        if manager is not None and self.rng.random() < 0.5:
            name = f"Retour sur une situation de travail : {self._name(skill)}"
            return [
                self._event(manager, verbs.GAVE_FEEDBACK, situation, name, when, skill, other=i)
            ]
        name = f"Mise en pratique : {self._name(skill)}"
        return [self._event(i, verbs.PRACTISED, situation, name, when, skill)]

    def course(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        skill = self._skill(i)
        iri = activity("course", self.cat.skills[skill].code)
        name = f"Formation : {self._name(skill)}"
        if rng.random() < 0.5:
            result = {"completion": True, "duration": "PT3H"}
            return [self._event(i, verbs.COURSE_COMPLETED, iri, name, when, skill, result)]
        result = {"duration": rng.choice(("PT2H", "PT3H", "PT7H"))}
        return [self._event(i, verbs.COURSE_ATTENDED, iri, name, when, skill, result)]

    def day(self, n: int) -> list[LearningEvent]:
        """The events of the ``n``-th day of the window, in time order, in working hours."""
        self.rng = random.Random(self.seeds[n])
        self.questions, self.prefix, self.serial = [], self.days[n].strftime("%Y%m%d"), 0
        start = timezone.make_aware(datetime.combine(self.days[n], datetime.min.time()))
        makers = [getattr(self, form) for form in FORMS]
        forms = list(accumulate(FORM_WEIGHTS))
        events: list[LearningEvent] = []
        while len(events) < self.counts[n]:
            when = start.timestamp() + self.rng.randrange(7 * 3600, 19 * 3600)
            events += makers[self._pick(forms)](when)
        events.sort(key=lambda e: e.timestamp)
        return events

    def rows(self, n: int) -> list[list[Any]]:
        return _rows(LearningEvent, (event.__dict__ for event in self.day(n)))


_worker_history: _History | None = None  # a forked worker's copy of the history


def _adopt(history: _History) -> None:
    global _worker_history
    _worker_history = history


def _day_rows(n: int) -> list[list[Any]]:
    assert _worker_history is not None
    return _worker_history.rows(n)


def _workers(total: int) -> int:
    """Processes drawing events: building them is the slow part, writing them is not. Forked
    workers only on SQLite (its rows are plain values) and for large histories."""
    vendor = connections[router.db_for_write(LearningEvent)].vendor
    fork = "fork" in multiprocessing.get_all_start_methods()
    if vendor != "sqlite" or not fork or total < PARALLEL_EVENTS:
        return 0
    return min(os.cpu_count() or 1, 4)


def _write_events(history: _History, tick: _Phase, workers: int) -> int:
    written = 0
    days = range(len(history.days))
    if workers:
        with multiprocessing.get_context("fork").Pool(workers, _adopt, (history,)) as pool:
            for rows in pool.imap(_day_rows, days):
                _insert_rows(LearningEvent, rows)
                written += len(rows)
                tick.advance(len(rows))
    else:
        for n in days:
            rows = history.rows(n)
            _insert_rows(LearningEvent, rows)
            written += len(rows)
            tick.advance(len(rows))
    tick.done()
    return written
