"""The architecture, held by tests that walk the whole source (the import layers are held
by `lint-imports`, see .importlinter). Each rule has one place; a second copy anywhere in
``src/sylva`` fails here, with the file and line to look at."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "sylva"
APPS = ("people", "exchange", "microlearning", "insights")


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


MODULES = list(_modules())


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', 0)}"


def _is_web(path: Path) -> bool:
    rel = path.relative_to(SRC)
    return rel.parts[0] in APPS and (
        rel.stem.startswith("views") or (len(rel.parts) > 2 and rel.parts[1] == "views")
    )


def _is_reads(path: Path) -> bool:
    rel = path.relative_to(SRC)
    return rel.parts[0] in APPS and (
        rel.stem == "queries" or (len(rel.parts) > 2 and rel.parts[1] == "queries")
    )


def test_no_page_view_catches_a_service_refusal_by_hand() -> None:
    """Pages turn refusals into form errors or messages through sylva.core.web (on_form,
    refusals_go_to, ServiceErrorMiddleware), as the API does through its handler."""
    found = []
    for path, tree in MODULES:
        if not _is_web(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
                if "ServiceError" in names:
                    found.append(_where(path, node))
    assert found == []


WRITES = {
    "save",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "delete",
    "update",
}


def test_reads_modules_never_write() -> None:
    """``queries`` modules read; every write is a service's."""
    found = []
    for path, tree in MODULES:
        if not _is_reads(path):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                # dict.update / set.update on a local value is not a write to the database
                and not (node.func.attr == "update" and not node.args and not node.keywords)
                and not (
                    node.func.attr == "update"
                    and node.args
                    and not isinstance(node.func.value, ast.Call)
                )
            ):
                found.append(f"{_where(path, node)} .{node.func.attr}()")
    assert found == []


#: helpers that exist once, where they are defined here
ONE_PLACE = {
    "perm_page": "core/web.py",
    "require_perm": "core/web.py",
    "page_of": "core/web.py",
    "apply_error": "core/web.py",
    "attempt": "core/web.py",
    "on_form": "core/web.py",
    "refusals_go_to": "core/web.py",
    "query_without_page": "core/web.py",
    "current_person": "people/web.py",
    "me": None,  # every "who is asking" helper is current_person
    "_me": None,
    "_person": None,
    "too_long": "core/validation.py",
}


def test_each_web_helper_is_defined_once() -> None:
    found = []
    for path, tree in MODULES:
        rel = str(path.relative_to(SRC))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in ONE_PLACE:
                home = ONE_PLACE[node.name]
                if rel != home and not _is_api_operation(node):
                    found.append(f"{_where(path, node)} {node.name}")
    assert found == []


def _is_api_operation(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@router.get("/me")`` def me(...) is an operation named after its route, not a helper."""
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in {"get", "post", "put", "patch", "delete", "api_operation"}
        for d in node.decorator_list
    ) or any(isinstance(d, ast.Name) and d.id in {"login_required"} for d in node.decorator_list)


def _string_constants(tree: ast.Module) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def test_the_length_refusal_is_written_once() -> None:
    found = [
        _where(path, node)
        for path, tree in MODULES
        if path.relative_to(SRC) != Path("core/validation.py")
        for node in _string_constants(tree)
        if "At most %(limit)d characters" in node.value
    ]
    assert found == []


def test_xapi_iris_live_in_one_module() -> None:
    found = [
        _where(path, node)
        for path, tree in MODULES
        if path.relative_to(SRC) != Path("core/xapi.py")
        for node in _string_constants(tree)
        if node.value.startswith(("https://sylva.education/xapi", "http://adlnet.gov/expapi"))
    ]
    assert found == []


def test_events_are_written_with_verb_constants() -> None:
    """``record_event(verb=verbs.TAUGHT)``: a typo is a mypy error, not a KeyError at run time."""
    found = []
    for path, tree in MODULES:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (
                        keyword.arg == "verb"
                        and isinstance(keyword.value, ast.Constant)
                        and isinstance(keyword.value.value, str)
                    ):
                        found.append(_where(path, node))
    assert found == []


@pytest.mark.parametrize("app", APPS)
def test_core_and_the_ground_name_no_pillar_by_string(app: str) -> None:
    """No dotted path to a pillar hides in core or people (the contract names them)."""
    if app == "people":
        pytest.skip("people is the ground: its own paths are fine")
    found = [
        _where(path, node)
        for path, tree in MODULES
        if path.relative_to(SRC).parts[0] in ("core", "people")
        for node in _string_constants(tree)
        if node.value.startswith(f"sylva.{app}")
    ]
    assert found == []
