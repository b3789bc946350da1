"""The demo company's microlearning: modules for its trades, campaigns for its populations,
a few weeks of reviews simulated with FSRS, streaks, light resources and challenges.

Deterministic from ``seed``; bulk inserts; on a large company the history is simulated for a
sample of learners (always including the demo accounts), so it stays fast.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from rich.progress import Progress

from sylva.microlearning import scheduling, textformat
from sylva.microlearning.demo_content import LIGHT_PUBLISHED, LIGHT_SUBMITTED, MODULES
from sylva.microlearning.models import (
    Campaign,
    CampaignModule,
    Card,
    Duel,
    DuelPlay,
    Learner,
    Memory,
    Module,
    Review,
    TeamChallenge,
)
from sylva.microlearning.queries.audience import campaign_people
from sylva.microlearning.queries.today import reading_language
from sylva.microlearning.services.catalogue import bump
from sylva.microlearning.services.challenges import duel_points
from sylva.microlearning.services.content import card_iri, write_spec
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, Population, Skill, Team
from sylva.people.services import build_event

HISTORY_DAYS = 28
MAX_SIMULATED = 300
PERSONAS = ("newcomer", "expert", "field", "manager", "animator", "designer", "admin")


def _module(
    text: str,
    *,
    author: Person | None,
    skills: set[str],
    light: bool = False,
    status: str = Module.Status.PUBLISHED,
) -> Module:
    spec = textformat.parse(text)
    spec.skills = [s for s in spec.skills if s in skills]
    module = Module(code=spec.code, author=author, is_light=light, status=status)
    if status == Module.Status.PUBLISHED:
        module.published_at = timezone.now() - timedelta(days=HISTORY_DAYS + 5)
    return write_spec(module, spec)


def _campaign(
    name: str,
    modules: list[Module],
    *,
    new_cards: int = 3,
    rhythm: str = "daily",
    populations: Sequence[Population] = (),
    newcomers: bool = False,
    author: Person | None = None,
) -> Campaign:
    campaign = Campaign.objects.create(
        name=name,
        new_cards=new_cards,
        rhythm=rhythm,
        newcomers=newcomers,
        starts_on=timezone.localdate() - timedelta(days=HISTORY_DAYS + 2),
        created_by=author,
    )
    campaign.populations.set(populations)
    CampaignModule.objects.bulk_create(
        [CampaignModule(campaign=campaign, module=m, position=i) for i, m in enumerate(modules)]
    )
    bump()  # bulk_create sends no signal: renew the content token
    return campaign


@dataclass
class _Sim:
    memories: list[Memory] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    events: list[LearningEvent] = field(default_factory=list)
    learners: list[Learner] = field(default_factory=list)


def _simulate(
    rng: random.Random,
    person: Person,
    cards: list[tuple[Card, int]],
    sim: _Sim,
    sched: Scheduler,
    today: datetime,
    skills: dict[int, Skill | None],
) -> None:
    """A learner's past weeks: on active days, due cards first then new ones, answered
    right with the probability FSRS predicts (shifted by the learner's ability)."""
    ability = rng.uniform(-0.15, 0.1)
    assiduity = rng.uniform(0.35, 0.95)
    past = _Past(rng, person, sim, sched, skills, ability)
    queue = list(cards)
    streak, last_day = 0, None
    for offset in range(HISTORY_DAYS, 0, -1):
        day = (today - timedelta(days=offset)).date()
        if rng.random() > assiduity:
            continue
        moment = datetime.combine(day, time(7, 0), tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 11 * 60)
        )
        due = past.due_on(day)
        fresh: list[tuple[Card, int | None]] = [queue.pop(0) for _n in range(min(2, len(queue)))]
        for card, campaign_id in due + fresh:
            moment += timedelta(seconds=rng.randint(20, 60))
            past.answer(card, campaign_id, moment)
        if due or fresh:
            streak = streak + 1 if last_day == day - timedelta(days=1) else 1
            last_day = day
    sim.learners.append(
        Learner(
            person=person,
            streak=streak if last_day else 0,
            best_streak=streak,
            last_day=last_day,
            on_leaderboards=rng.random() < 0.4,
        )
    )
    sim.memories.extend(past.memories.values())


@dataclass
class _Past:
    """One learner's simulated answers: the FSRS state and the memory of each card met."""

    rng: random.Random
    person: Person
    sim: _Sim
    sched: Scheduler
    skills: dict[int, Skill | None]
    ability: float
    states: dict[int, tuple[FsrsCard, Memory]] = field(default_factory=dict)
    memories: dict[int, Memory] = field(default_factory=dict)

    def due_on(self, day: date) -> list[tuple[Card, int | None]]:
        """The cards due on ``day``, those last failed first, then by due date."""
        due = [cid for cid, (fc, _m) in self.states.items() if fc.due and fc.due.date() <= day]
        due.sort(key=lambda cid: (self.states[cid][1].last_rating != 1, self.states[cid][0].due))
        return [(self.states[c][1].card, None) for c in due]

    def answer(self, card: Card, campaign_id: int | None, moment: datetime) -> None:
        memory = self.memories.get(card.pk) or Memory(
            person=self.person, card=card, campaign_id=campaign_id, first_seen=moment
        )
        self.memories[card.pk] = memory
        reference = scheduling.reference_seconds(card)
        ms = int(1000 * reference * math.exp(self.rng.gauss(0, 0.45)))
        elapsed = (
            (moment - memory.last_review).total_seconds() / 86400 if memory.last_review else None
        )
        correct, rating = self._review(card, memory, moment, ms)
        response = _response(self.rng, card, correct)
        self.sim.reviews.append(
            Review(
                answer_id=uuid.UUID(int=self.rng.getrandbits(128)),
                person=self.person,
                card=card,
                response=response,
                correct=correct,
                rating=int(rating) if rating else None,
                duration_ms=ms,
                elapsed_days=elapsed,
                reviewed_at=moment,
            )
        )
        result: dict[str, object] = {"duration": f"PT{ms / 1000:.1f}S"}
        if correct is not None:
            result["success"] = correct
        self.sim.events.append(
            build_event(
                actor=self.person,
                verb=verbs.COMPLETED if card.kind == Card.Kind.LESSON else verbs.ANSWERED,
                object_id=card_iri(card),
                object_name=card.title,
                skill=self.skills.get(card.pk),
                result=result,
                timestamp=moment,
                team=self.person.team,
            )
        )

    def _review(
        self, card: Card, memory: Memory, moment: datetime, ms: int
    ) -> tuple[bool | None, Rating | None]:
        """A graded card is right with the probability FSRS predicts and scheduled; a card
        not graded is only seen."""
        if not card.is_graded:
            memory.reps, memory.last_review, memory.due = 1, moment, None
            return None, None
        fc = (
            self.states[card.pk][0]
            if card.pk in self.states
            else FsrsCard(card_id=card.pk, due=moment)
        )
        r = self.sched.get_card_retrievability(fc, moment) if fc.last_review else 0.75
        correct = self.rng.random() < min(0.98, max(0.05, r + self.ability))
        rating = scheduling.infer_rating(card, correct=correct, duration_ms=ms)
        fc, _log = self.sched.review_card(fc, rating, moment)
        scheduling.apply(memory, fc, rating)
        self.states[card.pk] = (fc, memory)
        return correct, rating


def _response(rng: random.Random, card: Card, correct: bool | None) -> list[int] | str:
    """What the learner chose: the right options, or a wrong one (an ordering reversed);
    any option of a poll; a few words of a reflection."""
    if card.kind == Card.Kind.REFLECTION:
        return "…"
    if not card.options:
        return []
    response = (
        card.correct_indexes
        if correct
        else [
            rng.choice(
                [i for i in range(len(card.options)) if i not in card.correct_indexes] or [0]
            )
        ]
    )
    if card.kind == Card.Kind.ORDERING and not correct:
        response = list(range(len(card.options)))[::-1]
    if card.kind == Card.Kind.POLL:
        response = [rng.randrange(len(card.options))]
    return response


@transaction.atomic
def _clear_previous_demo() -> None:
    """Seeding again (``sylva seed --reset``) replaces the demo content instead of clashing
    with it: the demo modules (by their codes) and the demo campaigns go first."""
    codes = [textformat.parse(t).code for t in (*MODULES, LIGHT_PUBLISHED, LIGHT_SUBMITTED)]
    demo_modules = Module.objects.filter(code__in=codes)
    Campaign.objects.filter(campaignmodule__module__in=demo_modules).delete()
    demo_modules.delete()


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    _clear_previous_demo()
    skills = set(Skill.objects.values_list("code", flat=True))
    people = {
        p.user.username: p
        for p in Person.objects.select_related("user", "team").filter(user__username__in=PERSONAS)
    }
    designer = people.get("designer")
    modules = [_module(text, author=designer, skills=skills) for text in MODULES]
    by_code = {m.code: m for m in modules}
    field_author = people.get("field")
    light = _module(LIGHT_PUBLISHED, author=field_author, skills=skills, light=True)
    _module(
        LIGHT_SUBMITTED,
        author=people.get("expert"),
        skills=skills,
        light=True,
        status=Module.Status.SUBMITTED,
    )
    populations = {p.code: p for p in Population.objects.all()}

    def pops(*codes: str) -> list[Population]:
        return [populations[c] for c in codes if c in populations]

    safety = [
        by_code["chariot-securite"],
        by_code["consignation"],
        by_code["epi-atelier"],
        by_code["haccp-essentiel"],
        light,
    ]
    campaigns = [
        _campaign(
            "Sécurité au quotidien — terrain", safety, populations=pops("field"), author=designer
        ),
        _campaign(
            "Nos produits et nos clients — commerciaux",
            [
                by_code["gamme-barquettes"],
                by_code["reclamation-client"],
                by_code["food-contact-basics"],
            ],
            populations=pops("sales"),
            author=designer,
        ),
        _campaign(
            "Bienvenue chez Boréal",
            [by_code["bienvenue-boreal"], by_code["epi-atelier"]],
            newcomers=True,
            new_cards=4,
            author=designer,
        ),
        _campaign(
            "IT security for everyone",
            [by_code["phishing-awareness"]],
            rhythm="weekly",
            new_cards=2,
            author=designer,
        ),
        _campaign(
            "Qualité et relation client — bureaux",
            [by_code["haccp-essentiel"], by_code["reclamation-client"]],
            populations=pops("office", "management"),
            new_cards=2,
            author=designer,
        ),
    ]
    day = timezone.localdate()
    reach: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in campaigns:
        for pid in campaign_people(campaign, day).values_list("pk", flat=True):
            reach[pid].append(campaign)
    modules_of = {
        c.pk: list(
            CampaignModule.objects.filter(campaign=c)
            .order_by("position")
            .values_list("module_id", flat=True)
        )
        for c in campaigns
    }
    cards_of = {m.pk: list(m.cards.order_by("position")) for m in [*modules, light]}
    skill_of = {c.pk: m.skills.first() for m in [*modules, light] for c in cards_of[m.pk]}
    everyone = sorted(reach)
    sample = set(rng.sample(everyone, min(MAX_SIMULATED, len(everyone))))
    # the demo accounts have a history, except the newcomer (who starts today)
    sample |= {p.pk for u, p in people.items() if u != "newcomer" and p.pk in reach}
    sample.discard(people["newcomer"].pk if "newcomer" in people else -1)
    persons = Person.objects.select_related("team").in_bulk(sorted(sample))
    sched = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    sim = _Sim()
    now = timezone.now().astimezone(UTC)
    task = progress.add_task("Microlearning history", total=len(persons)) if progress else None
    versions = _versions([*modules, light])
    for pid in sorted(persons):
        language = reading_language(persons[pid])
        cards = [
            (c, cmp.pk)
            for cmp in reach[pid]
            for module_id in modules_of[cmp.pk]
            for c in cards_of.get(versions.get(module_id, {}).get(language, module_id), [])
        ]
        seen: set[int] = set()
        unique = [(c, k) for c, k in cards if not (c.pk in seen or seen.add(c.pk))]  # type: ignore[func-returns-value]
        _simulate(rng, persons[pid], unique, sim, sched, now, skill_of)
        if progress is not None and task is not None:
            progress.advance(task)
    Memory.objects.bulk_create(sim.memories, batch_size=2000)
    Review.objects.bulk_create(sim.reviews, batch_size=2000)
    LearningEvent.objects.bulk_create(sim.events, batch_size=2000)
    Learner.objects.bulk_create(sim.learners, batch_size=2000)
    duels = _challenges(rng, people, by_code)
    return {
        "modules": Module.objects.count(),
        "cards": Card.objects.count(),
        "campaigns": len(campaigns),
        "learners with history": len(sim.learners),
        "reviews": len(sim.reviews),
        "duels": duels,
        "team challenges": TeamChallenge.objects.count(),
    }


def _versions(modules: list[Module]) -> dict[int, dict[str, int]]:
    """Each module with versions in other languages: its work's versions by language (a
    learner's history is simulated on their language's version, as the queue gives it)."""
    works: dict[int, dict[str, int]] = defaultdict(dict)
    for m in modules:
        works[m.translation_of_id or m.pk][m.language] = m.pk
    return {pk: group for group in works.values() if len(group) > 1 for pk in group.values()}


def _challenges(rng: random.Random, people: dict[str, Person], by_code: dict[str, Module]) -> int:
    """A finished duel, duels under way for the demo accounts, a team challenge this week."""
    count = 0
    module = by_code["chariot-securite"]
    questions = list(module.cards.filter(kind__in=Card.GRADED).values_list("pk", flat=True))
    pairs = [("manager", "field", True), ("expert", "field", False), ("field", "newcomer", False)]
    for a, b, finished in pairs:
        if a not in people or b not in people:
            continue
        # the finished duel was accepted; the others wait on their opponent's answer (an
        # invitation without expiry, so that the demo keeps them)
        duel = Duel.objects.create(
            module=module,
            challenger=people[a],
            opponent=people[b],
            card_ids=questions[:5],
            state=Duel.State.ACCEPTED if finished else Duel.State.INVITED,
            answered_at=timezone.now() if finished else None,
        )
        plays = []
        for who, done in ((people[a], True), (people[b], finished)):
            answers = {}
            if done:
                for cid in duel.card_ids:
                    ok = rng.random() < 0.75
                    ms = rng.randint(3000, 15000)
                    answers[str(cid)] = {
                        "correct": ok,
                        "ms": ms,
                        "points": duel_points(correct=ok, duration_ms=ms),
                        "response": [],
                    }
            plays.append(
                DuelPlay(
                    duel=duel,
                    person=who,
                    answers=answers,
                    score=sum(v["points"] for v in answers.values()),
                    finished_at=timezone.now() if done else None,
                )
            )
        DuelPlay.objects.bulk_create(plays)
        count += 1
    manager = people.get("manager")
    if manager is not None and manager.team is not None:
        teams = list(Team.objects.filter(department_id=manager.team.department_id)[:4])
        if len(teams) >= 2:
            challenge = TeamChallenge.objects.create(
                name="Défi sécurité de la semaine",
                module=module,
                created_by=manager,
                starts_on=timezone.localdate() - timedelta(days=2),
                ends_on=timezone.localdate() + timedelta(days=4),
            )
            challenge.teams.set(teams)
    return count
