"""Every refusal Sylva raises reads in the reader's language.

A message given to ``ServiceError``, ``Forbidden``, ``NotFound``, ``PermissionDenied`` or
``Http404`` as a bare string (or an f-string, or a string formatted before it is
translated) never reaches the catalogues: a French reader gets it in English. This walks
the source and fails on each one, with its file and line. The schema errors of the API
(pydantic's) are put in Sylva's words, in French too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import Org

SOURCE = Path(__file__).resolve().parents[2] / "src" / "sylva"
REFUSALS = {"ServiceError", "Forbidden", "NotFound", "PermissionDenied", "Http404"}


def _untranslated(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in REFUSALS:
            continue
        message = node.args[0]
        if isinstance(message, ast.BinOp):  # "…" % x translated after formatting
            message = message.left
        if isinstance(message, ast.JoinedStr) or (
            isinstance(message, ast.Constant) and isinstance(message.value, str)
        ):
            found.append((node.lineno, ast.unparse(node.args[0])[:80]))
    return found


def test_the_walk_finds_a_bare_message() -> None:
    """The check itself: each form of an untranslated message is found, a translated one not."""
    code = (
        "raise ServiceError('Bare.')\n"
        "raise errors.NotFound(f'No {x}.')\n"
        "raise Forbidden('%s' % x)\n"
        "raise ServiceError(_('Fine %(x)s.') % {'x': x})\n"
        "raise PermissionDenied(_('Fine.'))\n"
    )
    assert [line for line, _text in _untranslated(ast.parse(code))] == [1, 2, 3]


def test_no_refusal_is_raised_with_an_untranslated_message() -> None:
    bare = [
        f"{path.relative_to(SOURCE)}:{line}: {text}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in _untranslated(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bare, "refusals that never reach the catalogues (wrap them in _()):\n" + "\n".join(
        bare
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "missing", "number"),
    [
        ("fr", "Ce champ est obligatoire.", "Donnez un nombre entier."),
        ("en", "This field is required.", "Give a whole number."),
    ],
)
def test_the_api_schema_errors_speak_the_readers_language(
    org: Org, language: str, missing: str, number: str
) -> None:
    client = Client(headers={"accept-language": language})
    client.force_login(org.learner.user)
    response = client.post(
        "/api/v1/exchange/requests",
        {"duration_minutes": "an hour"},
        content_type="application/json",
    )
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages.get("skills") == missing, messages
    assert number in messages.values(), messages
