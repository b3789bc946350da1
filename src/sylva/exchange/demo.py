"""The demo company's living exchange board: open offers and requests, exchanges in every
state with their messages and reviews, the learning events they left, and the stories some
reviews share in the showcase. Deterministic from ``seed``; written with bulk inserts so
that a 100,000-person company takes seconds.

The steps, in order: read the company (:func:`_read_company`), each member's offer and
request (:func:`_postings`), the exchanges (:func:`_plan_exchanges`), what they left
(:func:`_after_exchanges`), the stories (:func:`_write_stories`)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from rich.progress import Progress

from sylva.core.xapi import Verb
from sylva.exchange import verbs as exchange_verbs
from sylva.exchange.models import (
    LIVE_EXCHANGE,
    Exchange,
    ExchangeSettings,
    Message,
    Offer,
    Request,
    Review,
    skills_key,
)
from sylva.exchange.services.board import offer_iri, request_iri
from sylva.exchange.services.exchanges import exchange_iri
from sylva.people import verbs
from sylva.people.models import LearningEvent, LearningWish, Person, PersonSkill, Skill
from sylva.people.services import build_event

SHARE_FR = [
    "Je peux vous montrer {s} : les gestes, les pièges et mes astuces de terrain.",
    "{s} : je partage volontiers ce que j'ai appris en quelques années de pratique.",
    "Une heure sur {s}, à partir de vos cas concrets.",
]
SHARE_EN = [
    "Happy to walk you through {s}: the basics, the traps and my own tips.",
    "{s}: I share what years of practice taught me.",
]
ASK_FR = [
    "J'aimerais apprendre {s} pour être plus autonome dans mon poste.",
    "Je débute en {s} : qui peut m'expliquer les bases ?",
    "Besoin d'un coup de main sur {s} avant un projet.",
]
ASK_EN = ["I would like to learn {s} for my new role.", "Looking for someone to explain {s}."]
LEARNED = [
    "Les réglages de base et comment vérifier le résultat.",
    "Une méthode simple, que j'ai déjà appliquée le lendemain.",
    "Les erreurs fréquentes et comment les éviter.",
    "Expliquer m'a obligé à clarifier ma propre pratique.",
]
NEXT = ["Pratiquer seul puis refaire un point.", "Lire la procédure.", "Recommencer dans un mois."]
MESSAGES = [
    "Bonjour ! Mardi après-midi vous irait ?",
    "Parfait, je réserve une salle.",
    "Merci encore, c'était très clair.",
    "Je vous envoie le lien de la visio.",
]
WEIGHTED_STATES = [
    (Exchange.State.PROPOSED, 14),
    (Exchange.State.ACCEPTED, 8),
    (Exchange.State.DECLINED, 7),
    (Exchange.State.SCHEDULED, 14),
    (Exchange.State.HELD, 12),
    (Exchange.State.REVIEWED, 35),
    (Exchange.State.CANCELLED, 5),
    (Exchange.State.NO_SHOW, 5),
]
FORMAT_SETS = [("in_person",), ("in_person", "video"), ("phone", "video"), ("video",)]


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
SLOTS = [d * 24 + h for d in range(5) for h in (9, 14)]


def _counts() -> dict[str, int]:
    return {
        "offers": Offer.objects.count(),
        "requests": Request.objects.count(),
        "exchanges": Exchange.objects.count(),
        "reviews": Review.objects.count(),
        "stories shared in the showcase": Review.objects.filter(story_shared=True).count(),
    }


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    """Build the board once (running it again changes nothing), then the stories some
    reviews carry for the showcase."""
    if not (Offer.objects.exists() or Request.objects.exists()):
        company = _read_company(random.Random(seed))
        if company is not None:
            _build_board(company, _ticker(progress))
    _write_stories(random.Random(f"exchange-stories-{seed}"))
    return _counts()


def _ticker(progress: Progress | None) -> Callable[[], None]:
    task = progress.add_task("exchange board", total=4) if progress else None

    def tick() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    return tick


# --- step 1: who is in the company, what they know and wish --------------------------


@dataclass
class Company:
    """What the demo's steps read of the company (drawn once, in this order, from ``rng``)."""

    rng: random.Random
    now: datetime
    people: dict[int, Person]
    skills: dict[int, Skill]
    strong: dict[int, list[int]]  # skills held at level 3 or more, by person
    known: dict[int, dict[int, int]]  # every level, by person and skill
    wishes: dict[int, list[int]]
    accounts: dict[str, Person]  # by username
    members: list[int]  # of the network: about one person in eight, the personas always

    @property
    def skill_ids(self) -> list[int]:
        return sorted(self.skills)


def _read_company(rng: random.Random) -> Company | None:
    ExchangeSettings.load()
    people = {
        p.pk: p for p in Person.objects.filter(user__is_active=True).select_related("team", "user")
    }
    if len(people) < 4:
        return None
    strong: dict[int, list[int]] = defaultdict(list)
    known: dict[int, dict[int, int]] = defaultdict(dict)
    for person_id, skill_id, level in PersonSkill.objects.values_list(
        "person_id", "skill_id", "level"
    ).iterator(chunk_size=5000):
        known[person_id][skill_id] = level
        if level >= 3:
            strong[person_id].append(skill_id)
    wishes: dict[int, list[int]] = defaultdict(list)
    for person_id, skill_id in LearningWish.objects.values_list("person_id", "skill_id"):
        wishes[person_id].append(skill_id)
    accounts = {p.user.username: p for p in people.values()}
    persona = [accounts[n].pk for n in ("expert", "newcomer", "field") if n in accounts]
    candidates = sorted(pid for pid in people if strong[pid])
    rng.shuffle(candidates)
    members = list(dict.fromkeys([*persona, *candidates[: max(30, len(people) // 8)]]))
    return Company(
        rng=rng,
        now=timezone.now(),
        people=people,
        skills={s.pk: s for s in Skill.objects.all()},
        strong=strong,
        known=known,
        wishes=wishes,
        accounts=accounts,
        members=members,
    )


def _build_board(c: Company, tick: Callable[[], None]) -> None:
    with transaction.atomic():
        board = _postings(c)
        _save_postings(board)
        _declare_offered(c, board)
        events = _posting_events(c, board)
        tick()
        plan = _plan_exchanges(c, board)
        Exchange.objects.bulk_create([x for x, _s in plan], batch_size=2000)
        tick()
        reviews, messages = _after_exchanges(c, plan, events)
        Review.objects.bulk_create(reviews, batch_size=2000)
        Message.objects.bulk_create(messages, batch_size=2000)
        tick()
        LearningEvent.objects.bulk_create(events, batch_size=2000)
        tick()


# --- step 2: each member's offer and request ------------------------------------------


@dataclass
class Board:
    offers: list[Offer] = field(default_factory=list)
    offer_skills: list[list[int]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    request_skills: list[list[int]] = field(default_factory=list)


def _teach(c: Company, pid: int) -> list[int]:
    """What a member can teach: their strong skills, else their best one, else any."""
    known = c.known[pid]
    teach = c.strong[pid] or sorted(known, key=lambda s: -known[s])[:1]
    return teach or [c.rng.choice(c.skill_ids)]


def _learn(c: Company, pid: int, taught_list: list[int], taught: set[int]) -> list[int]:
    """What a member wants to learn: a wish someone teaches, else a skill colleagues teach."""
    known = c.known[pid]
    weak = [s for s in c.wishes[pid] if known.get(s, 0) < 3]
    learnable = [s for s in taught_list if known.get(s, 0) < 3]
    return (
        [s for s in weak if s in taught]
        or ([c.rng.choice(learnable)] if learnable and c.rng.random() < 0.8 else weak[:1])
        or learnable[:1]
    )


def _offer(
    c: Company, person: Person, chosen: list[int], created: datetime, english: bool
) -> Offer:
    rng = c.rng
    label = "name_en" if english else "name_fr"
    formats = rng.choice(FORMAT_SETS)
    state = rng.choices(["open", "paused", "closed"], weights=[85, 10, 5])[0]
    return Offer(
        person=person,
        text=rng.choice(SHARE_EN if english else SHARE_FR).format(
            s=getattr(c.skills[chosen[0]], label)
        ),
        in_person="in_person" in formats,
        phone="phone" in formats,
        video="video" in formats,
        duration_minutes=rng.choice([30, 45, 60, 60, 90]),
        site_id=person.site_id if rng.random() < 0.7 else None,
        slots=sorted(rng.sample(SLOTS, 3)),
        capacity=rng.choice([1, 2, 2, 3]),
        language="en" if english else "fr",
        skills_key=skills_key(chosen),
        state=state,
        created_at=created,
        updated_at=created,
    )


def _request(
    c: Company, person: Person, learn: list[int], created: datetime, english: bool
) -> Request:
    rng, now = c.rng, c.now
    label = "name_en" if english else "name_fr"
    asked = created + timedelta(hours=rng.randint(1, 48))
    state = rng.choices(["open", "paused", "expired"], weights=[85, 7, 8])[0]
    formats = rng.choice(FORMAT_SETS)
    return Request(
        person=person,
        text=rng.choice(ASK_EN if english else ASK_FR).format(s=getattr(c.skills[learn[0]], label)),
        in_person="in_person" in formats,
        phone="phone" in formats,
        video="video" in formats,
        duration_minutes=rng.choice([30, 45, 60, 90]),
        site_id=person.site_id if rng.random() < 0.6 else None,
        slots=sorted(rng.sample(SLOTS, 3)),
        state=state,
        language="en" if english else "fr",
        skills_key=skills_key(learn[:1]),
        expires_at=asked + timedelta(days=30 if state != "expired" else -1),
        created_at=asked if asked < now else now,
        updated_at=now,
    )


def _postings(c: Company) -> Board:
    board = Board()
    rng = c.rng
    taught_list = sorted({s for pid in c.members for s in c.strong[pid]}) or c.skill_ids
    taught = set(taught_list)
    for pid in c.members:
        teach = _teach(c, pid)
        learn = _learn(c, pid, taught_list, taught)
        if not learn:
            continue
        chosen = rng.sample(teach, min(len(teach), rng.choice([1, 1, 2])))
        created = c.now - timedelta(days=rng.randint(0, 24), hours=rng.randint(0, 20))
        english = rng.random() < 0.2
        board.offers.append(_offer(c, c.people[pid], chosen, created, english))
        board.offer_skills.append(chosen)
        board.requests.append(_request(c, c.people[pid], learn, created, english))
        board.request_skills.append(learn[:1])
    return board


def _save_postings(board: Board) -> None:
    Offer.objects.bulk_create(board.offers, batch_size=2000)
    Request.objects.bulk_create(board.requests, batch_size=2000)
    Offer.skills.through.objects.bulk_create(
        [
            Offer.skills.through(offer_id=o.pk, skill_id=s)
            for o, ss in zip(board.offers, board.offer_skills, strict=True)
            for s in ss
        ],
        batch_size=5000,
    )
    Request.skills.through.objects.bulk_create(
        [
            Request.skills.through(request_id=r.pk, skill_id=s)
            for r, ss in zip(board.requests, board.request_skills, strict=True)
            for s in ss
        ],
        batch_size=5000,
    )


def _declare_offered(c: Company, board: Board) -> None:
    """Offering implies knowing, in the demo as in the offer form: a skill offered by a
    member who holds it below level 3 (mastering) is declared at level 3 with the offer."""
    raise_to: dict[tuple[int, int], int] = {}
    for offer, skills in zip(board.offers, board.offer_skills, strict=True):
        for skill_id in skills:
            if c.known[offer.person_id].get(skill_id, 0) < 3:
                raise_to[(offer.person_id, skill_id)] = 3
    if not raise_to:
        return
    held = {
        (ps.person_id, ps.skill_id): ps
        for ps in PersonSkill.objects.filter(
            person_id__in={p for p, _s in raise_to}, skill_id__in={s for _p, s in raise_to}
        )
    }
    updated, created = [], []
    for (person_id, skill_id), level in raise_to.items():
        c.known[person_id][skill_id] = level
        c.strong[person_id].append(skill_id)
        found = held.get((person_id, skill_id))
        if found is None:
            created.append(
                PersonSkill(person_id=person_id, skill_id=skill_id, level=level, updated_at=c.now)
            )
        else:
            found.level = level
            updated.append(found)
    PersonSkill.objects.bulk_update(updated, ["level"])
    PersonSkill.objects.bulk_create(created)


def _posting_events(c: Company, board: Board) -> list[LearningEvent]:
    published: list[tuple[Offer | Request, list[int], Verb, str]] = [
        *(
            (o, ss, verbs.OFFERED, offer_iri(o))
            for o, ss in zip(board.offers, board.offer_skills, strict=True)
        ),
        *(
            (r, ss, verbs.REQUESTED, request_iri(r))
            for r, ss in zip(board.requests, board.request_skills, strict=True)
        ),
    ]
    return [
        build_event(
            actor=posting.person,
            verb=verb,
            object_id=iri,
            object_name=c.skills[ss[0]].name_fr,
            skill=c.skills[ss[0]],
            timestamp=posting.created_at,
            team=posting.person.team,
        )
        for posting, ss, verb, iri in published
    ]


# --- step 3: exchanges, in every state -----------------------------------------------


def _pairs(c: Company, board: Board) -> list[tuple[int, int]]:
    """A request answered by an offer on the same skill, someone else's."""
    by_skill: dict[int, list[int]] = defaultdict(list)
    for index, ss in enumerate(board.offer_skills):
        for s in ss:
            by_skill[s].append(index)
    pairs: list[tuple[int, int]] = []
    for r_index, ss in enumerate(board.request_skills):
        person_id = board.requests[r_index].person_id
        found = [i for i in by_skill.get(ss[0], []) if board.offers[i].person_id != person_id]
        if found and c.rng.random() < 0.7:
            pairs.append((r_index, c.rng.choice(found)))
    return pairs


def _one_under_way(plan: list[tuple[Exchange, str]]) -> list[tuple[Exchange, str]]:
    """One exchange under way per teacher, learner and skill (a unique index)."""
    live: set[tuple[int, int, int | None]] = set()
    kept: list[tuple[Exchange, str]] = []
    for x, state in plan:
        mark = (x.teacher.pk, x.learner.pk, x.skill.pk if x.skill else None)
        if state in LIVE_EXCHANGE:
            if mark in live:
                continue
            live.add(mark)
        kept.append((x, state))
    return kept


def _plan_exchanges(c: Company, board: Board) -> list[tuple[Exchange, str]]:
    states = [s for s, _w in WEIGHTED_STATES]
    weights = [w for _s, w in WEIGHTED_STATES]
    plan: list[tuple[Exchange, str]] = []
    for n, (r_index, o_index) in enumerate(_pairs(c, board)):
        request, offer = board.requests[r_index], board.offers[o_index]
        # every state at least once, then as weighted
        state = states[n] if n < len(states) else c.rng.choices(states, weights=weights)[0]
        skill = c.skills[board.request_skills[r_index][0]]
        plan.append((_exchange(c.rng, c.now, request, offer, skill, state), state))
    plan.extend(
        _persona_exchanges(c.rng, c.now, c.accounts, board.offers, board.offer_skills, c.skills)
    )
    return _one_under_way(plan)


# --- step 4: what the exchanges left: events, reviews, messages ----------------------


def _reviews(c: Company, x: Exchange, state: str) -> list[Review]:
    """Both reviews of a reviewed exchange; the learner's, one time in two, of a held one."""
    if state not in (Exchange.State.REVIEWED, Exchange.State.HELD) or not x.starts_at:
        return []
    rng = c.rng
    if state == Exchange.State.REVIEWED:
        authors = [x.learner, x.teacher]
    else:
        authors = [x.learner] if rng.random() < 0.5 else []
    out = []
    for author in authors:
        when = x.starts_at + timedelta(hours=rng.randint(2, 60))
        out.append(
            Review(
                exchange=x,
                author=author,
                learned=rng.choice(LEARNED),
                usefulness=rng.choice([3, 4, 4, 5, 5]),
                next_step=rng.choice(NEXT),
                created_at=min(when, c.now),
            )
        )
    return out


def _review_event(x: Exchange, review: Review) -> LearningEvent:
    author = review.author
    return build_event(
        actor=author,
        verb=verbs.REVIEWED,
        object_id=exchange_iri(x),
        object_name=x.skill.name_fr if x.skill else "",
        skill=x.skill,
        other=x.other(author),
        timestamp=review.created_at,
        team=author.team,
        result={"score": {"raw": review.usefulness, "min": 1, "max": 5}},
    )


def _messages(c: Company, x: Exchange, state: str) -> list[Message]:
    if state == Exchange.State.DECLINED:
        return []
    return [
        Message(
            exchange=x,
            author=x.learner if k % 2 == 0 else x.teacher,
            body=c.rng.choice(MESSAGES),
            created_at=x.created_at + timedelta(hours=k + 1),
        )
        for k in range(c.rng.randint(0, 3))
    ]


def _after_exchanges(
    c: Company, plan: list[tuple[Exchange, str]], events: list[LearningEvent]
) -> tuple[list[Review], list[Message]]:
    """The reviews and messages of the planned exchanges; their events join ``events``."""
    reviews: list[Review] = []
    messages: list[Message] = []
    for x, state in plan:
        events.extend(_events(x, state))
        written = _reviews(c, x, state)
        events.extend(_review_event(x, r) for r in written)
        reviews.extend(written)
        messages.extend(_messages(c, x, state))
    return reviews, messages


# --- step 5: stories written for the showcase ----------------------------------------


def _write_stories(rng: random.Random) -> int:
    """Some reviews carry a story their author shares in the showcase (and a few a story
    kept private), so that the showcase has something to show; once (none written yet).
    Returns how many are shared."""
    if Review.objects.exclude(story="").exists():
        return 0
    changed: list[Review] = []
    for review in Review.objects.select_related(
        "exchange__skill", "exchange__teacher", "exchange__learner"
    ).order_by("pk"):
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


def _exchange(
    rng: random.Random, now: Any, request: Request | None, offer: Offer, skill: Skill, state: str
) -> Exchange:
    learner = request.person if request else None
    created = now - timedelta(days=rng.randint(1, 20))
    past = state in (Exchange.State.HELD, Exchange.State.REVIEWED, Exchange.State.NO_SHOW)
    future = state == Exchange.State.SCHEDULED
    done = state in (Exchange.State.HELD, Exchange.State.REVIEWED)
    starts = None
    if past:
        starts = now - timedelta(days=rng.randint(1, 15), hours=rng.randint(0, 6))
        created = starts - timedelta(days=rng.randint(2, 8))
    elif future:
        starts = (now + timedelta(days=rng.randint(1, 14))).replace(
            hour=rng.choice([9, 10, 14, 15]), minute=0, second=0, microsecond=0
        )
    mode = rng.choice(["in_person", "video", "phone"]) if starts else ""
    accepted = state not in (Exchange.State.PROPOSED, Exchange.State.DECLINED)
    x = Exchange(
        teacher=offer.person,
        learner=learner,
        offer=offer,
        request=request,
        skill=skill,
        origin=rng.choice(["board", "board", "run", "newcomer"]),
        state=state,
        teacher_accepted=accepted,
        learner_accepted=True,
        decline_reason="Pas disponible ce mois-ci"
        if state == Exchange.State.DECLINED
        else ("Changement de planning" if state == Exchange.State.CANCELLED else ""),
        declined_by=offer.person
        if state in (Exchange.State.DECLINED, Exchange.State.CANCELLED)
        else None,
        starts_at=starts,
        duration_minutes=rng.choice([30, 45, 60, 90]),
        mode=mode,
        place={
            "in_person": "Salle de pause, bâtiment B",
            "video": "https://visio.example/sylva",
            "phone": "Appel",
        }.get(mode, ""),
        teacher_confirmed=bool(starts),
        learner_confirmed=bool(starts) and rng.random() < 0.6,
        # held on both people's word, after its end (the ledger's rule)
        teacher_held_at=starts + timedelta(hours=2) if starts and done else None,
        learner_held_at=starts + timedelta(hours=3) if starts and done else None,
        created_at=created,
        accepted_at=created + timedelta(hours=rng.randint(1, 30)) if accepted else None,
        updated_at=min(now, (starts or created) + timedelta(hours=3)),
        sequence=1 if starts else 0,
    )
    return x


def _events(x: Exchange, state: str) -> list[LearningEvent]:
    out: list[LearningEvent] = []
    name = x.skill.name_fr if x.skill else ""

    def add(actor: Person, verb: Verb, when: Any, **kwargs: Any) -> None:
        out.append(
            build_event(
                actor=actor,
                verb=verb,
                object_id=exchange_iri(x),
                object_name=name,
                skill=x.skill,
                other=kwargs.pop("other", x.other(actor)),
                timestamp=when,
                team=actor.team,
                **kwargs,
            )
        )

    add(x.teacher, verbs.PROPOSED, x.created_at)
    if state == Exchange.State.DECLINED:
        add(x.teacher, verbs.DECLINED, x.created_at + timedelta(hours=5))
        return out
    if x.accepted_at:
        add(x.teacher, verbs.ACCEPTED, x.accepted_at)
    if x.starts_at:
        add(x.teacher, verbs.SCHEDULED, x.accepted_at or x.created_at)
    if state in (Exchange.State.HELD, Exchange.State.REVIEWED) and x.starts_at:
        minutes = {"duration": f"PT{x.duration_minutes}M"}
        add(x.teacher, verbs.TAUGHT, x.starts_at, other=x.learner, result=minutes)
        add(x.learner, verbs.LEARNED_FROM, x.starts_at, other=x.teacher, result=minutes)
    if state == Exchange.State.CANCELLED:
        add(x.teacher, verbs.CANCELLED, x.updated_at)
    if state == Exchange.State.NO_SHOW and x.starts_at:
        add(x.learner, exchange_verbs.NO_SHOW, x.starts_at + timedelta(hours=1))
    return out


def _persona_exchanges(
    rng: random.Random,
    now: Any,
    accounts: dict[str, Person],
    offers: list[Offer],
    offer_skills: list[list[int]],
    skills: dict[int, Skill],
) -> list[tuple[Exchange, str]]:
    """The demo accounts see something at once: the expert teaches the newcomer and the
    field worker (one proposed, one scheduled, one held awaiting reviews, one reviewed)."""
    expert = accounts.get("expert")
    if expert is None:
        return []
    mine = [(o, ss) for o, ss in zip(offers, offer_skills, strict=True) if o.person_id == expert.pk]
    if not mine:
        return []
    offer, ss = mine[0]
    skill = skills[ss[0]]
    out: list[tuple[Exchange, str]] = []
    learners = [accounts[n] for n in ("newcomer", "field") if n in accounts]
    for learner, state in zip(
        [*learners, *learners],
        [
            Exchange.State.PROPOSED,
            Exchange.State.SCHEDULED,
            Exchange.State.HELD,
            Exchange.State.REVIEWED,
        ],
        strict=False,
    ):
        x = _exchange(rng, now, None, offer, skill, state)
        x.learner = learner
        x.origin = Exchange.Origin.NEWCOMER if learner.user.username == "newcomer" else "board"
        if state == Exchange.State.PROPOSED:
            x.teacher_accepted, x.learner_accepted = True, False
        out.append((x, state))
    return out
