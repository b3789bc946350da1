"""Re-importing a module keeps every card's identity: cards are matched by key, never by
position, so that learners' memory, answers and analytics stay on the same content; the
preview changes nothing; the import is all or nothing."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from sylva.core.errors import ServiceError
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, ContentVersion, Memory, Module, Review
from sylva.microlearning.queries import catalogue
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.services import content, imports
from tests.factories import Org
from tests.microlearning.conftest import SAFETY


def _save(org: Org, text: str, **kw: object) -> Module:
    return content.save_text(author=org.designer, user=org.designer.user, text=text, **kw)  # type: ignore[arg-type]


@pytest.fixture
def designer(org: Org, login):  # type: ignore[no-untyped-def]
    """The designer signed in, reading Sylva in English (the messages checked here)."""
    from django.conf import settings

    client = login(org.designer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _meet(org: Org, card: Card) -> None:
    """The learner has met ``card``: a memory and an answer."""
    now = timezone.now()
    Memory.objects.create(person=org.learner, card=card, due=now + timedelta(days=3), reps=1)
    Review.objects.create(person=org.learner, card=card, correct=True, reviewed_at=now)


def _snapshot() -> list[tuple[object, ...]]:
    cards = Card.everything.order_by("pk").values_list(
        "pk", "module_id", "key", "position", "kind", "title", "body", "options", "retired_at"
    )
    return [
        *cards,
        *Module.objects.order_by("pk").values_list("pk", "code", "title", "updated_at"),
        *Memory.objects.order_by("pk").values_list("pk", "card_id", "due"),
        *Review.objects.order_by("pk").values_list("pk", "card_id"),
        *ContentVersion.objects.values_list("token"),
    ]


def test_inserting_a_card_at_the_top_keeps_every_history_on_its_content(org, module) -> None:  # type: ignore[no-untyped-def]
    """The bug: cards were matched by position, so every history moved one card down."""
    before = {c.pk: c.title for c in module.cards.all()}
    for card in module.cards.all():
        _meet(org, card)
    text = content.export_text(module).replace(
        "\n## lesson:", "\n## lesson: Un nouveau départ\nBonjour.\n\n## lesson:", 1
    )
    _save(org, text)
    after = {c.pk: c.title for c in Card.objects.filter(pk__in=before)}
    assert after == before
    assert module.cards.count() == 5
    for review in Review.objects.select_related("card"):
        assert review.card.title == before[review.card_id]
    assert Memory.objects.count() == 4


def test_a_file_without_keys_matches_cards_by_their_question_not_their_place(org, module) -> None:  # type: ignore[no-untyped-def]
    """A file written before keys existed: a card with the same kind and question is that
    card, wherever it stands; the others are new."""
    ids = {c.title: c.pk for c in module.cards.all()}
    lesson, rest = SAFETY.split("\n## single:", 1)
    reordered = lesson.replace("## lesson: Avant de démarrer\nVérifiez les carters.\n", "")
    reordered += "\n## single:" + rest + "\n## lesson: Avant de démarrer\nVérifiez les carters.\n"
    _save(org, reordered)
    assert {c.title: c.pk for c in module.cards.all()} == ids
    assert module.cards.order_by("position").last().title == "Avant de démarrer"  # type: ignore[union-attr]


def test_the_preview_names_each_change_and_changes_nothing(org, module) -> None:  # type: ignore[no-untyped-def]
    cards = list(module.cards.order_by("position"))
    _meet(org, cards[1])  # the single-choice question has a history
    text = content.export_text(module)
    lesson, single, _multiple, truefalse = text.split("\n## ")[1:]
    edited = (
        text.split("\n## ")[0]
        + "\n## truefalse: Un carter ouvert se referme seul.\n- [ ] Vrai\n- [x] Faux\n"
        + "\n## "
        + single.replace(
            "- [x] Celui qui l'a posé\n- [ ] Le chef", "- [ ] Celui qui l'a posé\n- [x] Le chef"
        )
        + "\n## "
        + truefalse.replace("Il n'isole pas", "Il ne consigne pas")
        + "\n## "
        + lesson
    ).replace("title: Sécurité machine", "title: Sécurité des machines")
    cards[0].memories.all().delete()
    before = _snapshot()
    plan = content.preview_text(author=org.designer, user=org.designer.user, text=edited)
    assert _snapshot() == before
    assert plan.module_changes == ["title"]
    assert [c.title for c in plan.added] == ["Un carter ouvert se referme seul."]
    assert {c.card.pk: c.changes for c in plan.changed} == {  # type: ignore[union-attr]
        cards[1].pk: ["answer"],
        cards[3].pk: ["explanation"],
    }
    assert [c.card.pk for c in plan.reset] == [cards[1].pk]  # type: ignore[union-attr]
    assert [c.card.pk for c in plan.moved] == [cards[0].pk]  # type: ignore[union-attr]
    assert [c.card.pk for c in plan.removed] == [cards[2].pk]  # type: ignore[union-attr]
    assert plan.retired == []
    _save(org, edited, token=plan.token)
    assert not Card.everything.filter(pk=cards[2].pk).exists()  # no history: removed
    assert not Memory.objects.filter(card=cards[1]).exists()  # the right answer changed
    assert Review.objects.filter(card=cards[1]).count() == 1  # the history stays


def test_a_card_left_out_with_a_history_is_retired_and_its_key_brings_it_back(
    org,  # type: ignore[no-untyped-def]
    module,
    campaign,
    designer,
) -> None:
    question = module.cards.get(kind="single")
    _meet(org, question)
    Memory.objects.filter(card=question).update(due=timezone.now() - timedelta(hours=1))
    text = content.export_text(module)
    without = "\n## ".join(p for p in text.split("\n## ") if not p.startswith("single:"))
    plan = content.preview_text(author=org.designer, user=org.designer.user, text=without)
    assert [c.card.pk for c in plan.retired] == [question.pk]  # type: ignore[union-attr]
    token = ContentVersion.objects.get().token
    _save(org, without)
    assert ContentVersion.objects.get().token != token  # the catalogue is reloaded
    question.refresh_from_db()
    assert question.retired_at is not None
    assert not module.cards.filter(pk=question.pk).exists()
    assert Memory.objects.filter(card=question).exists() and question.reviews.exists()
    assert question.pk not in {c.pk for c in today_queries.today(org.learner).cards}
    assert f"{{#{question.key}}}" not in content.export_text(module)
    assert catalogue.current(catalogue.token_now()).published(question.pk) is None
    page = designer.get(reverse("microlearning:module", args=[module.code])).content.decode()
    assert "1 retired card" in page and question.title not in page
    back = content.preview_text(author=org.designer, user=org.designer.user, text=text)
    assert [c.card.pk for c in back.revived] == [question.pk]  # type: ignore[union-attr]
    _save(org, text)
    question.refresh_from_db()
    assert question.retired_at is None and Memory.objects.filter(card=question).exists()
    assert question.pk in {c.pk for c in today_queries.today(org.learner).cards}


def test_a_stale_preview_is_not_applied(org, module) -> None:  # type: ignore[no-untyped-def]
    text = content.export_text(module).replace("Vérifiez les carters.", "Vérifiez tout.")
    plan = content.preview_text(author=org.designer, user=org.designer.user, text=text)
    _save(org, content.export_text(module).replace("title: Sécurité machine", "title: Autre"))
    before = _snapshot()
    with pytest.raises(ServiceError) as caught:
        _save(org, text, token=plan.token)
    assert caught.value.status == 409
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (lambda t: t.replace("{#", "{#Bad_", 1), 11),
        (lambda t: t.replace("- [x] Celui", "- [ ] Celui"), 14),
        (lambda t: t + "\n## lesson: Copie {#" + t.split("{#")[1].split("}")[0] + "}\n", 31),
    ],
)
def test_a_faulty_file_names_its_line_in_the_preview_and_changes_nothing(
    org,  # type: ignore[no-untyped-def]
    module,
    change,
    line,
) -> None:
    text = change(content.export_text(module))
    before = _snapshot()
    for attempt in (content.preview_text, content.save_text):
        with pytest.raises(ServiceError) as caught:
            attempt(author=org.designer, user=org.designer.user, text=text)
        assert caught.value.message.startswith(f"Line {line}:"), caught.value.message
    assert _snapshot() == before


# -- the property: any edit script keeps every surviving card on its content -------------

kinds = st.sampled_from(["lesson", "single", "truefalse", "poll"])


def _card(kind: str, title: str) -> textformat.CardSpec:
    options: list[dict[str, object]] = []
    if kind in ("single", "truefalse"):
        options = [{"text": "oui", "correct": True}, {"text": "non", "correct": False}]
    elif kind == "poll":
        options = [{"text": "a", "correct": False}, {"text": "b", "correct": False}]
    return textformat.CardSpec(kind=kind, title=title, body="texte", options=options)


@dataclass
class Edit:
    op: str  # insert, delete, restore, move, text, question, answer, kind
    at: int
    to: int = 0
    kind: str = "lesson"


edits = st.lists(
    st.builds(
        Edit,
        op=st.sampled_from(
            ["insert", "delete", "restore", "move", "text", "question", "answer", "kind"]
        ),
        at=st.integers(0, 20),
        to=st.integers(0, 20),
        kind=kinds,
    ),
    max_size=8,
)


def _edit(
    cards: list[textformat.CardSpec],
    script: list[Edit],
    gone: list[textformat.CardSpec],
    round_name: str = "",
) -> list[textformat.CardSpec]:
    """``script`` applied to a copy of ``cards``; ``gone`` holds the cards deleted in earlier
    rounds too (a "restore" puts one back, with its key)."""
    cards = copy.deepcopy(cards)
    for n, e in enumerate(script):
        label = f"{round_name}{n}"
        if e.op == "insert":
            cards.insert(e.at % (len(cards) + 1), _card(e.kind, f"nouvelle {label}"))
        elif e.op == "restore":
            if gone:
                restored = copy.deepcopy(gone.pop(e.at % len(gone)))
                cards.insert(e.to % (len(cards) + 1), restored)
        elif e.op == "delete" and len(cards) > 1:
            gone.append(cards.pop(e.at % len(cards)))
        elif e.op == "move" and len(cards) > 1:
            i = e.at % len(cards)
            cards.insert(e.to % len(cards), cards.pop(i))
        elif len(cards) > 1:
            _change(cards[e.at % len(cards)], e.op, label)
    return cards


def _change(card: textformat.CardSpec, op: str, label: str) -> None:
    """An edit of one card in place: its text, its question, its answer or its kind."""
    if op == "text":
        card.body += f" (revu {label})"
    elif op == "question":
        card.title += f" (reformulée {label})"
    elif op == "answer" and card.kind in ("single", "truefalse"):
        for option in card.options:
            option["correct"] = not option["correct"]
    elif op == "kind" and card.kind in ("single", "multiple"):
        card.kind = "multiple" if card.kind == "single" else "single"


def _material(was: textformat.CardSpec, now: textformat.CardSpec) -> bool:
    return (was.kind, was.title) != (now.kind, now.title) or imports.right_answer(
        was.kind, was.options
    ) != imports.right_answer(now.kind, now.options)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(kinds, min_size=1, max_size=6), st.lists(edits, min_size=1, max_size=3))
def test_export_edit_import_keeps_every_surviving_card_on_its_content(
    org,  # type: ignore[no-untyped-def]
    start: list[str],
    rounds: list[list[Edit]],
) -> None:
    """Any module, any rounds of export → edit (insert, delete, restore a deleted card by its
    key, move, reword, change the right answer or the kind) → import: every card of the file
    with a key is the same row with its content, its answers and — unless its kind, question
    or right answer changed — its memory; every card left out is retired with its history."""
    note(f"start={start!r} rounds={rounds!r}")
    with transaction.atomic():
        spec = textformat.ModuleSpec(
            code="proprietes",
            title="Propriétés",
            cards=[_card(kind, f"carte {i}") for i, kind in enumerate(start)],
        )
        module = _save(org, textformat.dump(spec))
        for card in module.cards.all():
            _meet(org, card)
        pks = {c.key: c.pk for c in module.cards.all()}  # the original cards, by key
        reset: set[str] = set()  # keys whose memory a material change reset
        gone: list[textformat.CardSpec] = []
        for number, script in enumerate(rounds):
            exported = textformat.parse(content.export_text(module))
            before = {c.key: copy.deepcopy(c) for c in [*exported.cards, *gone]}
            exported.cards = edited = _edit(exported.cards, script, gone, f"{number}.")
            _save(org, textformat.dump(exported))
            reset |= {c.key for c in edited if c.key and _material(before[c.key], c)}
            # a card left out keeps the content it had, not what the round did to it
            gone[:] = [before.get(c.key, c) if c.key else c for c in gone]

            by_key = {c.key: c for c in Card.everything.filter(module=module)}
            live = [c.title for c in module.cards.order_by("position")]
            assert live == [c.title for c in edited]
            for card_spec in edited:
                if not card_spec.key:  # inserted: a new card, without a history
                    assert not by_key[_key_of(module, card_spec)].reviews.exists()
                    continue
                card = by_key[card_spec.key]
                assert card.pk == pks.get(card_spec.key, card.pk)  # the same row
                assert (card.kind, card.title, card.body, card.options) == (
                    card_spec.kind,
                    card_spec.title,
                    card_spec.body,
                    card_spec.options,
                )
                assert card.retired_at is None
                if card_spec.key in pks:
                    assert card.reviews.count() == 1  # its history, on its content
                    assert card.memories.exists() is (card_spec.key not in reset)
            for card_spec in gone:  # left out: retired (history) or removed (none)
                card = by_key.get(card_spec.key)
                if card_spec.key in pks:
                    assert card is not None and card.retired_at is not None
                    assert card.reviews.count() == 1
                else:
                    assert card is None
        assert Review.objects.filter(card__module=module).count() == len(start)
        transaction.set_rollback(True)


def _key_of(module: Module, card_spec: textformat.CardSpec) -> str:
    return module.cards.get(title=card_spec.title).key


def test_a_retired_card_leaves_every_reading_of_the_module_but_a_duel_under_way(
    org, module
) -> None:  # type: ignore[no-untyped-def]
    """Retired: not offered, not in a new duel, not counted for completion, analytics or the
    skill map; a duel that already holds it can still be finished."""
    from sylva.microlearning.queries import analytics
    from sylva.microlearning.services import challenges

    question = module.cards.get(kind="single")
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    _meet(org, question)
    text = content.export_text(module)
    _save(org, "\n## ".join(p for p in text.split("\n## ") if not p.startswith("single:")))
    assert analytics.modules_overview().get(pk=module.pk).card_count == 3  # type: ignore[attr-defined]
    # a new duel (with another colleague: one duel at a time between two people)
    fresh = challenges.start_duel(challenger=org.learner, opponent=org.manager, module=module)
    assert question.pk not in fresh.card_ids
    play = challenges.play_of(duel, org.learner)
    for card_id in list(duel.card_ids):
        card = Card.everything.get(pk=card_id)
        serve = getattr(challenges, "serve_question", None)  # the server times each question
        if serve is not None:
            assert serve(duel=duel, person=org.learner)[1] is not None
        else:
            assert challenges.next_question(duel, play) is not None
        play = challenges.answer_duel(
            person=org.learner,
            duel=duel,
            card_id=card_id,
            response=card.correct_indexes,
            duration_ms=4000,
        )
    assert play.finished_at is not None


def test_the_import_page_shows_the_changes_and_applies_them_only_when_confirmed(
    org,  # type: ignore[no-untyped-def]
    designer,
    module,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = designer
    question = module.cards.get(kind="single")
    _meet(org, question)
    text = content.export_text(module)
    text = text.replace("Qui retire le cadenas de consignation ?", "Qui ôte le cadenas ?")
    text = text.replace(
        "\n## lesson:", "\n## poll: Portez-vous vos gants ?\n- Oui\n- Non\n\n## lesson:"
    )
    before = _snapshot()
    upload = SimpleUploadedFile("safety.md", text.encode(), content_type="text/markdown")
    page = client.post(reverse("microlearning:import"), {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 card added" in html and "Portez-vous vos gants ?" in html
    assert "1 card changed" in html and "question" in html
    assert "the memory of 1 learner is reset" in html
    assert _snapshot() == before  # the preview wrote nothing
    token = page.context["plan"].token
    stale = client.post(reverse("microlearning:import"), {"text": text, "token": "0" * 32})
    assert stale.status_code == 200 and "changed since the preview" in stale.content.decode()
    assert _snapshot() == before
    done = client.post(reverse("microlearning:import"), {"text": text, "token": token})
    assert done.status_code == 302
    question.refresh_from_db()
    assert question.title == "Qui ôte le cadenas ?" and not question.memories.exists()
    assert module.cards.count() == 5


def test_a_faulty_file_on_the_import_page_names_its_line_and_changes_nothing(
    org,  # type: ignore[no-untyped-def]
    designer,
    module,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = designer
    text = content.export_text(module).replace("- [x] Celui", "- [ ] Celui")
    before = _snapshot()
    upload = SimpleUploadedFile("safety.md", text.encode(), content_type="text/markdown")
    page = client.post(reverse("microlearning:import"), {"file": upload})
    assert page.status_code == 200 and "Line 14:" in page.content.decode()
    assert page.context["plan"] is None
    assert _snapshot() == before


def test_the_api_previews_an_import_and_applies_only_that_preview(org, designer, module) -> None:  # type: ignore[no-untyped-def]
    client = designer
    text = content.export_text(module).replace("Vérifiez les carters.", "Vérifiez tout.")
    before = _snapshot()
    preview = client.post(
        "/api/v1/learn/modules/import/preview", {"text": text}, content_type="application/json"
    )
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert [c["changes"] for c in body["cards"] if c["changes"]] == [["body"]]
    assert not body["creates"] and _snapshot() == before
    stale = client.post(
        "/api/v1/learn/modules/import",
        {"text": text, "token": "0" * 32},
        content_type="application/json",
    )
    assert stale.status_code == 409 and _snapshot() == before
    done = client.post(
        "/api/v1/learn/modules/import",
        {"text": text, "token": body["token"]},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert module.cards.get(kind="lesson").body == "Vérifiez tout."


def test_the_editor_keeps_identities_and_its_preview_says_what_saving_changes(
    org,  # type: ignore[no-untyped-def]
    designer,
    module,
) -> None:
    client = designer
    page = client.get(reverse("microlearning:edit_module", args=[module.code]))
    text = page.context["form"].initial["text"]
    lesson = module.cards.get(kind="lesson")
    assert f"{{#{lesson.key}}}" in text
    head, *cards = text.split("\n## ")
    reordered = "\n## ".join([head, *cards[1:], cards[0]])  # the lesson moved to the end
    preview = client.post(
        reverse("microlearning:preview"), {"text": reordered, "module": module.code}
    )
    assert "1 card moved" in preview.content.decode()
    ids = {c.pk: c.title for c in module.cards.all()}
    saved = client.post(
        reverse("microlearning:edit_module", args=[module.code]), {"text": reordered}
    )
    assert saved.status_code == 302
    assert "Module saved: 1 moved." in designer.get(saved.url).content.decode()
    assert {c.pk: c.title for c in module.cards.all()} == ids
    assert module.cards.order_by("position").last().pk == lesson.pk  # type: ignore[union-attr]


def test_every_demo_module_loads_and_its_export_imports_to_no_change(org) -> None:  # type: ignore[no-untyped-def]
    from sylva.microlearning.demo_content import LIGHT_PUBLISHED, LIGHT_SUBMITTED, MODULES

    for text in (*MODULES, LIGHT_PUBLISHED, LIGHT_SUBMITTED):
        spec = textformat.parse(text)
        spec.skills = []
        module = content.write_spec(Module(code=spec.code, author=org.designer), spec)
        assert len({c.key for c in module.cards.all()}) == len(spec.cards)
        exported = content.export_text(module)
        plan = content.preview_text(author=org.designer, user=org.designer.user, text=exported)
        assert not plan.has_changes, (spec.code, plan.cards)


def test_the_api_names_the_faulty_line_and_refuses_learners(org, designer, login, module) -> None:  # type: ignore[no-untyped-def]
    text = content.export_text(module).replace("- [x] Celui", "- [ ] Celui")
    before = _snapshot()
    for path in ("/api/v1/learn/modules/import/preview", "/api/v1/learn/modules/import"):
        response = designer.post(path, {"text": text}, content_type="application/json")
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["message"].startswith("Line 14:")
    learner = login(org.learner)
    response = learner.post(
        "/api/v1/learn/modules/import/preview",
        {"text": content.export_text(module)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_a_key_the_module_does_not_know_makes_a_new_card_that_keeps_it(org, module) -> None:  # type: ignore[no-untyped-def]
    text = content.export_text(module) + "\n## lesson: Écrite à la main {#zone-pietonne}\nVert.\n"
    plan = content.preview_text(author=org.designer, user=org.designer.user, text=text)
    assert [(c.title, c.key) for c in plan.added] == [("Écrite à la main", "zone-pietonne")]
    _save(org, text)
    assert module.cards.get(key="zone-pietonne").title == "Écrite à la main"
    assert "{#zone-pietonne}" in content.export_text(module)
