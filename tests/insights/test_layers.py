"""Insights keep the layers of .importlinter without tricks."""

from __future__ import annotations

import ast
from pathlib import Path

import sylva.insights


def test_insights_import_at_the_top_of_their_modules() -> None:
    """No import hides inside a function (one that only dodged a cycle broke the layers:
    services now enqueue the task declared beside them, see insights/services.py)."""
    root = Path(sylva.insights.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [
                    f"{path.relative_to(root)}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                ]
    assert found == []
