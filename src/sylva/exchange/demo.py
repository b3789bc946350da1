"""The demo company's living exchange board: open offers and requests, exchanges in every
state with their messages and reviews, and the learning events they left. Deterministic
from ``seed``; written with bulk inserts so that a 100,000-person company takes seconds."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from rich.progress import Progress

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


def _counts() -> dict[str, int]:
    return {
        "offers": Offer.objects.count(),
        "requests": Request.objects.count(),
        "exchanges": Exchange.objects.count(),
        "reviews": Review.objects.count(),
    }


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    """Build the board once (running it again changes nothing)."""
    if Offer.objects.exists() or Request.objects.exists():
        return _counts()
    rng = random.Random(seed)
    now = timezone.now()
    task = progress.add_task("exchange board", total=4) if progress else None

    def tick() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    ExchangeSettings.load()
    people = {
        p.pk: p for p in Person.objects.filter(user__is_active=True).select_related("team", "user")
    }
    if len(people) < 4:
        return _counts()
    skills = {s.pk: s for s in Skill.objects.all()}
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
    # members of the network: about one person in eight, the personas always
    candidates = sorted(pid for pid in people if strong[pid])
    rng.shuffle(candidates)
    members = list(dict.fromkeys([*persona, *candidates[: max(30, len(people) // 8)]]))
    skill_ids = sorted(skills)

    with transaction.atomic():
        offers: list[Offer] = []
        offer_skills: list[list[int]] = []
        requests: list[Request] = []
        request_skills: list[list[int]] = []
        events: list[LearningEvent] = []
        taught_list = sorted({s for pid in members for s in strong[pid]}) or skill_ids
        taught = set(taught_list)
        for pid in members:
            person = people[pid]
            teach = strong[pid] or sorted(known[pid], key=lambda s: -known[pid][s])[:1]
            if not teach:
                teach = [rng.choice(skill_ids)]
            # what they want to learn: a wish someone teaches, else a skill colleagues teach
            weak = [s for s in wishes[pid] if known[pid].get(s, 0) < 3]
            learnable = [s for s in taught_list if known[pid].get(s, 0) < 3]
            learn = (
                [s for s in weak if s in taught]
                or ([rng.choice(learnable)] if learnable and rng.random() < 0.8 else weak[:1])
                or learnable[:1]
            )
            if not learn:
                continue
            chosen = rng.sample(teach, min(len(teach), rng.choice([1, 1, 2])))
            created = now - timedelta(days=rng.randint(0, 24), hours=rng.randint(0, 20))
            english = rng.random() < 0.2
            lang_share, lang_ask = (SHARE_EN, ASK_EN) if english else (SHARE_FR, ASK_FR)
            label = "name_en" if english else "name_fr"
            formats = rng.choice(FORMAT_SETS)
            state = rng.choices(["open", "paused", "closed"], weights=[85, 10, 5])[0]
            offers.append(
                Offer(
                    person=person,
                    text=rng.choice(lang_share).format(s=getattr(skills[chosen[0]], label)),
                    in_person="in_person" in formats,
                    phone="phone" in formats,
                    video="video" in formats,
                    duration_minutes=rng.choice([30, 45, 60, 60, 90]),
                    site_id=person.site_id if rng.random() < 0.7 else None,
                    slots=sorted(rng.sample([d * 24 + h for d in range(5) for h in (9, 14)], 3)),
                    capacity=rng.choice([1, 2, 2, 3]),
                    skills_key=skills_key(chosen),
                    state=state,
                    created_at=created,
                    updated_at=created,
                )
            )
            offer_skills.append(chosen)
            asked = created + timedelta(hours=rng.randint(1, 48))
            rstate = rng.choices(["open", "paused", "expired"], weights=[85, 7, 8])[0]
            formats = rng.choice(FORMAT_SETS)
            requests.append(
                Request(
                    person=person,
                    text=rng.choice(lang_ask).format(s=getattr(skills[learn[0]], label)),
                    in_person="in_person" in formats,
                    phone="phone" in formats,
                    video="video" in formats,
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    site_id=person.site_id if rng.random() < 0.6 else None,
                    slots=sorted(rng.sample([d * 24 + h for d in range(5) for h in (9, 14)], 3)),
                    state=rstate,
                    skills_key=skills_key(learn[:1]),
                    expires_at=asked + timedelta(days=30 if rstate != "expired" else -1),
                    created_at=asked if asked < now else now,
                    updated_at=now,
                )
            )
            request_skills.append(learn[:1])
        Offer.objects.bulk_create(offers, batch_size=2000)
        Request.objects.bulk_create(requests, batch_size=2000)
        Offer.skills.through.objects.bulk_create(
            [
                Offer.skills.through(offer_id=o.pk, skill_id=s)
                for o, ss in zip(offers, offer_skills, strict=True)
                for s in ss
            ],
            batch_size=5000,
        )
        Request.skills.through.objects.bulk_create(
            [
                Request.skills.through(request_id=r.pk, skill_id=s)
                for r, ss in zip(requests, request_skills, strict=True)
                for s in ss
            ],
            batch_size=5000,
        )
        for o, ss in zip(offers, offer_skills, strict=True):
            events.append(
                build_event(
                    actor=o.person,
                    verb="offered",
                    object_id=offer_iri(o),
                    object_name=skills[ss[0]].name_fr,
                    skill=skills[ss[0]],
                    timestamp=o.created_at,
                    team=o.person.team,
                )
            )
        for r, ss in zip(requests, request_skills, strict=True):
            events.append(
                build_event(
                    actor=r.person,
                    verb="requested",
                    object_id=request_iri(r),
                    object_name=skills[ss[0]].name_fr,
                    skill=skills[ss[0]],
                    timestamp=r.created_at,
                    team=r.person.team,
                )
            )
        tick()

        # exchanges: a request answered by an offer on the same skill, someone else's
        by_skill: dict[int, list[int]] = defaultdict(list)
        for index, ss in enumerate(offer_skills):
            for s in ss:
                by_skill[s].append(index)
        pairs: list[tuple[int, int]] = []
        for r_index, ss in enumerate(request_skills):
            found = [
                i
                for i in by_skill.get(ss[0], [])
                if offers[i].person_id != requests[r_index].person_id
            ]
            if found and rng.random() < 0.7:
                pairs.append((r_index, rng.choice(found)))
        states = [s for s, _w in WEIGHTED_STATES]
        weights = [w for _s, w in WEIGHTED_STATES]
        plan: list[tuple[Exchange, str]] = []
        for n, (r_index, o_index) in enumerate(pairs):
            request, offer = requests[r_index], offers[o_index]
            # every state at least once, then as weighted
            state = states[n] if n < len(states) else rng.choices(states, weights=weights)[0]
            plan.append(
                (
                    _exchange(rng, now, request, offer, skills[request_skills[r_index][0]], state),
                    state,
                )
            )
        plan.extend(_persona_exchanges(rng, now, accounts, offers, offer_skills, skills))
        # one exchange under way per teacher, learner and skill (a unique index)
        live: set[tuple[int, int, int | None]] = set()
        unique_plan: list[tuple[Exchange, str]] = []
        for x, state in plan:
            mark = (x.teacher.pk, x.learner.pk, x.skill.pk if x.skill else None)
            if state in LIVE_EXCHANGE:
                if mark in live:
                    continue
                live.add(mark)
            unique_plan.append((x, state))
        plan = unique_plan
        Exchange.objects.bulk_create([x for x, _s in plan], batch_size=2000)
        tick()

        reviews: list[Review] = []
        messages: list[Message] = []
        for x, state in plan:
            events.extend(_events(x, state))
            if state in (Exchange.State.REVIEWED, Exchange.State.HELD) and x.starts_at:
                authors = (
                    [x.learner, x.teacher]
                    if state == Exchange.State.REVIEWED
                    else ([x.learner] if rng.random() < 0.5 else [])
                )
                for author in authors:
                    when = x.starts_at + timedelta(hours=rng.randint(2, 60))
                    reviews.append(
                        Review(
                            exchange=x,
                            author=author,
                            learned=rng.choice(LEARNED),
                            usefulness=rng.choice([3, 4, 4, 5, 5]),
                            next_step=rng.choice(NEXT),
                            created_at=min(when, now),
                        )
                    )
                    events.append(
                        build_event(
                            actor=author,
                            verb="reviewed",
                            object_id=exchange_iri(x),
                            object_name=x.skill.name_fr if x.skill else "",
                            skill=x.skill,
                            other=x.other(author),
                            timestamp=min(when, now),
                            team=author.team,
                            result={"score": {"raw": reviews[-1].usefulness, "min": 1, "max": 5}},
                        )
                    )
            if state not in (Exchange.State.DECLINED,):
                for k in range(rng.randint(0, 3)):
                    messages.append(
                        Message(
                            exchange=x,
                            author=x.learner if k % 2 == 0 else x.teacher,
                            body=rng.choice(MESSAGES),
                            created_at=x.created_at + timedelta(hours=k + 1),
                        )
                    )
        Review.objects.bulk_create(reviews, batch_size=2000)
        Message.objects.bulk_create(messages, batch_size=2000)
        tick()
        LearningEvent.objects.bulk_create(events, batch_size=2000)
        tick()
    return _counts()


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

    def add(actor: Person, verb: str, when: Any, **kwargs: Any) -> None:
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

    add(x.teacher, "proposed", x.created_at)
    if state == Exchange.State.DECLINED:
        add(x.teacher, "declined", x.created_at + timedelta(hours=5))
        return out
    if x.accepted_at:
        add(x.teacher, "accepted", x.accepted_at)
    if x.starts_at:
        add(x.teacher, "scheduled", x.accepted_at or x.created_at)
    if state in (Exchange.State.HELD, Exchange.State.REVIEWED) and x.starts_at:
        minutes = {"duration": f"PT{x.duration_minutes}M"}
        add(x.teacher, "taught", x.starts_at, other=x.learner, result=minutes)
        add(x.learner, "learned-from", x.starts_at, other=x.teacher, result=minutes)
    if state == Exchange.State.CANCELLED:
        add(x.teacher, "cancelled", x.updated_at)
    if state == Exchange.State.NO_SHOW and x.starts_at:
        add(x.learner, "no-show", x.starts_at + timedelta(hours=1))
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
