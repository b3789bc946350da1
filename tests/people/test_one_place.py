"""People's rules have one place each: pages and API operations ask
``sylva.people.web.current_person`` who is asking (never ``ensure_person`` themselves), and
no module of people imports inside a function to dodge a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

PEOPLE = Path(__file__).resolve().parents[2] / "src" / "sylva" / "people"
#: where a function-local import is genuinely lazy, and why
LAZY_IMPORTS = {"apps.py": "Django loads apps.py before the models"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(PEOPLE)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PEOPLE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _is_web(name: str) -> bool:
    stem = Path(name).stem
    return stem.startswith("views") or stem in {"api", "admin"} or name.startswith("templatetags")


def test_pages_and_operations_ask_current_person_who_is_asking() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        if _is_web(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "ensure_person")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "ensure_person")
        )
    ]
    assert found == []


def test_no_import_hides_inside_a_function() -> None:
    found = []
    for name, tree in _modules():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom) and name not in LAZY_IMPORTS:
                    found.append(f"{name}:{node.lineno}")
    assert found == []
