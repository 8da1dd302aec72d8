"""No function in pipeline/, schemas/ or extractors/ runs over 80 lines unless a comment
right above it says why (one SQL query, say): a long function is split along its phases."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 80
REASON = "# Longer than the rest:"


def long_functions(root: Path) -> list[str]:
    """`path:line name (n lines)` of each function over MAX_LINES without a reason above it."""
    found = []
    for package in ("pipeline", "schemas", "extractors"):
        for path in sorted((root / package).rglob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                above = lines[start - 2].strip() if start >= 2 else ""
                if length > MAX_LINES and not above.startswith(REASON):
                    rel = path.relative_to(root)
                    found.append(f"{rel}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_long_function_without_a_reason():
    assert long_functions(REPO) == []


def test_a_long_function_is_found(tmp_path: Path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "pipeline" / "m.py").write_text(f"def f():\n{body}\n")
    (tmp_path / "schemas" / "n.py").write_text(f"{REASON} a table\ndef g():\n{body}\n")
    assert long_functions(tmp_path) == [f"pipeline/m.py:1 f ({MAX_LINES + 1} lines)"]
