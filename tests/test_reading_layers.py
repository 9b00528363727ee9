"""The reading layer is pure: it never imports the database layer nor takes a Session."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

READING = Path(__file__).resolve().parent.parent / "factbase" / "reading"
# What a reading module may import: the standard library, its libraries, its siblings, and
# factbase.errors (the bottom layer: it imports nothing of factbase).
ALLOWED_THIRD_PARTY = {"lemminflect", "pint", "dateutil"}
ALLOWED_BELOW = {"..errors"}
FORBIDDEN = {"sqlalchemy", "factbase.claims", "factbase.importer", "factbase.db", "factbase.cli"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", sorted(READING.glob("*.py")), ids=lambda p: p.name)
def test_reading_modules_import_only_their_siblings(path: Path) -> None:
    import sys

    for name in _imports(path):
        if name.startswith("."):
            assert name in ALLOWED_BELOW or not name.startswith(".."), (
                f"{path.name} reaches out of reading: {name}"
            )
            continue
        top = name.split(".")[0]
        assert name not in FORBIDDEN and top != "factbase", f"{path.name} imports {name}"
        assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__"
        assert "Session" not in path.read_text("utf-8")
