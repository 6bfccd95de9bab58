"""House rules that a reader should not have to check by eye."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pef"


def test_engine_metadata_and_state_never_import_qt() -> None:
    offenders = []
    for folder in ("core", "metadata", "state"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(
                    (name.split(".")[0] in ("PySide6", "shiboken6", "pef") and "gui" in name.split("."))
                    or name.split(".")[0] in ("PySide6", "shiboken6")
                    for name in names
                ):
                    offenders.append(f"{path.relative_to(PACKAGE)}: {names}")
    assert offenders == []
