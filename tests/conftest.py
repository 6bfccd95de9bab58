"""Shared test setup: offscreen Qt before any QApplication, the exiftool oracle, running the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EXIFTOOL = shutil.which("exiftool")
REPO = Path(__file__).resolve().parents[1]


def require_tool(name: str, package: str) -> str:
    """A program's path; skip where it is missing, except in CI, where .ci/run must have installed it."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: .ci/run must install {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def require_exiftool() -> str:
    return require_tool("exiftool", "libimage-exiftool-perl")


def exiftool_json(path: Path, *tags: str) -> dict:
    """What exiftool (an independent reader) sees in a file: -n numbers, one dict."""
    require_exiftool()
    result = subprocess.run(
        [EXIFTOOL, "-j", "-n", "-a", "-G1", *tags, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)[0]


def exiftool_warnings(path: Path) -> list[str]:
    """Every warning of `exiftool -validate` for a file (JSON output would keep only the first)."""
    require_exiftool()
    result = subprocess.run(
        [EXIFTOOL, "-a", "-validate", "-warning", "-s3", str(path)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    return sorted(lines[1:]) if lines and lines[0] != "OK" else []


def run_pef(*args: str | Path, check_code: int | None = 0, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as a user would."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pef", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=REPO,
    )
    if check_code is not None and result.returncode != check_code:
        raise AssertionError(f"pef exited {result.returncode}, not {check_code}\n{result.stdout}\n{result.stderr}")
    return result
