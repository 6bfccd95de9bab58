"""House rules that a reader should not have to check by eye."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "pef"
MAX_MODULE_LINES = 400


def test_import_contracts_hold() -> None:
    """Every import points down; model, metadata and state stay leaves; no Qt below the window (pyproject.toml)."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run([command, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_nothing_points_outside_the_repository() -> None:
    """A person who clones the repository has no ../shared: docs live in docs/."""
    texts = [REPO / "README.md", *PACKAGE.rglob("*.py"), *(REPO / "docs").rglob("*.md")]
    offenders = [str(path.relative_to(REPO)) for path in texts if "shared/docs" in path.read_text()]
    assert offenders == []


def test_every_package_is_installed() -> None:
    """pyproject lists pef's packages by hand (pef.resources lives in resources/): a new folder must be listed."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(path.parent.relative_to(REPO).parts)
        for path in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in str(path)
    }
    assert listed == folders | {"pef.resources"}
    assert (REPO / "resources" / "__init__.py").is_file()
