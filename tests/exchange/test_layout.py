"""The exchange's modules import at the top: an import inside a function is kept only for
the matching package, whose numpy, SciPy and OR-Tools load when matching runs, not with
every page (an import that dodged a cycle hid a layering fault)."""

from __future__ import annotations

import ast
from pathlib import Path

import sylva.exchange

ROOT = Path(sylva.exchange.__file__).parent
LAZY = ("sylva.exchange.matching",)


def test_no_import_inside_a_function_but_the_lazy_matching_package() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and not (node.module or "").startswith(LAZY):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}")
                elif isinstance(node, ast.Import):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
