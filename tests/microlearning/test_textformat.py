"""The module text format: errors name the line, and every module survives a round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sylva.core.errors import ServiceError
from sylva.microlearning import textformat
from sylva.microlearning.models import Card, Module
from sylva.microlearning.services import content
from tests.microlearning.conftest import SAFETY


def test_a_module_file_is_read_into_cards() -> None:
    spec = textformat.parse(SAFETY)
    assert spec.code == "safety-basics" and spec.skills == ["machine-safety"]
    assert [c.kind for c in spec.cards] == ["lesson", "single", "multiple", "truefalse"]
    assert spec.cards[1].options[0] == {"text": "Celui qui l'a posé", "correct": True}
    assert spec.cards[1].explanation == "Le cadenas est personnel."


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (SAFETY.replace("## multiple:", "## essay:"), 19, "essay"),
        (SAFETY.replace("- [x] Celui", "- [ ] Celui"), 13, "no correct option"),
        (SAFETY.replace("- [ ] Le chef", "- Le chef"), 15, "- [x]"),
        (SAFETY.replace("code: safety-basics", "code: Safety Basics!"), 2, "code"),
        ("title: x\n", 1, "front matter"),
        (SAFETY.replace("minutes: 2", "minutes: [2"), 7, "YAML"),
        (SAFETY.replace("## lesson:", "### lesson:"), 10, "## kind: title"),
    ],
)
def test_a_malformed_file_names_the_faulty_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ServiceError) as caught:
        textformat.parse(text)
    assert caught.value.message.startswith(f"Line {line}:")
    assert words in caught.value.message


def test_an_import_with_an_error_changes_nothing(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)
    broken = (
        SAFETY.replace("title: Sécurité machine", "title: Nouveau titre")
        .replace("- [x] Électricité", "- [ ] Électricité")
        .replace("- [x] Air comprimé", "- [ ] Air")
    )
    with pytest.raises(ServiceError):
        content.save_text(author=org.designer, user=org.designer.user, text=broken)
    module.refresh_from_db()
    assert module.title == "Sécurité machine"
    assert Card.objects.filter(module=module).count() == 4


def test_an_unknown_skill_is_refused_and_nothing_is_created(org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        content.save_text(
            author=org.designer,
            user=org.designer.user,
            text=SAFETY.replace("[machine-safety]", "[no-such-skill]"),
        )
    assert caught.value.field == "skills"
    assert not Module.objects.exists()


line_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
body_text = st.lists(
    st.one_of(
        line_text,
        st.just(""),
        st.sampled_from(["- a list item", "> quoted", "## x: y", "1. first", "\\back", "---"]),
    ),
    max_size=4,
).map(lambda lines: "\n".join(lines).strip("\n"))


# titles that end like a key ("… {#x}", "{#}") must survive too
title_text = st.one_of(
    line_text,
    st.tuples(line_text, st.sampled_from([" {#x}", "{#a-1}", " {#}", " {#Not A Key}"])).map(
        "".join
    ),
)
card_key = st.from_regex(r"[a-z0-9][-a-z0-9]{0,12}", fullmatch=True)


@st.composite
def cards(draw: st.DrawFn) -> textformat.CardSpec:
    kind = draw(st.sampled_from(textformat.KINDS))
    options: list[dict[str, object]] = []
    if kind in ("single", "truefalse"):
        n = 2 if kind == "truefalse" else draw(st.integers(2, 5))
        right = draw(st.integers(0, n - 1))
        options = [{"text": draw(line_text), "correct": i == right} for i in range(n)]
    elif kind == "multiple":
        n = draw(st.integers(2, 5))
        flags = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
        options = [{"text": draw(line_text), "correct": f} for f in flags]
    elif kind in ("ordering", "poll"):
        options = [
            {"text": draw(line_text), "correct": kind == "ordering"}
            for _ in range(draw(st.integers(2, 5)))
        ]
    return textformat.CardSpec(
        kind=kind,
        title=draw(title_text),
        body=draw(body_text),
        options=options,
        explanation=draw(body_text),
        key=draw(st.one_of(st.just(""), card_key)),
    )


def _unique_keys(specs: list[textformat.CardSpec]) -> bool:
    keys = [c.key for c in specs if c.key]
    return len(keys) == len(set(keys))


@st.composite
def modules(draw: st.DrawFn) -> textformat.ModuleSpec:
    return textformat.ModuleSpec(
        code=draw(st.from_regex(r"[a-z0-9][-a-z0-9]{0,20}", fullmatch=True)),
        title=draw(line_text),
        topic=draw(st.one_of(st.just(""), line_text)),
        language=draw(st.sampled_from(["fr", "en"])),
        minutes=draw(st.integers(1, 60)),
        skills=draw(st.lists(st.from_regex(r"[a-z][-a-z0-9]{0,12}", fullmatch=True), max_size=3)),
        cards=draw(st.lists(cards(), min_size=1, max_size=5).filter(_unique_keys)),
    )


@settings(max_examples=100, deadline=None)
@given(modules())
def test_export_then_import_gives_the_same_module(spec: textformat.ModuleSpec) -> None:
    assert textformat.parse(textformat.dump(spec)) == spec
