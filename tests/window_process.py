"""pef's real window in a child process, closed as a person at its terminal would: Ctrl+C or SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ClosedWindow:
    returncode: int
    settings: str  # what the window saved as it closed (QSettings' file), "" if nothing
    stderr: str


def _platform_loaded(pid: int) -> bool:
    """Qt's platform plugin is mapped: QApplication exists, so pef's signal handling is in place."""
    try:
        return "libqoffscreen" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def open_and_close(command: list[str], config_home: Path, number: int = signal.SIGINT) -> ClosedWindow:
    """Start `command` (pef with no arguments) offscreen, wait for its window, send `number`, wait for the end."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config_home)}
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        give_up = time.monotonic() + 180  # a hang guard, not a speed limit: a bundle's first start is slow
        while not _platform_loaded(process.pid):
            if process.poll() is not None or time.monotonic() > give_up:
                raise AssertionError(f"the window never came up (exit {process.poll()}): {process.stderr.read()}")
            time.sleep(0.05)
        os.kill(process.pid, number)
        _out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    saved = config_home / "pef" / "pef.conf"
    return ClosedWindow(process.returncode, saved.read_text() if saved.exists() else "", err)
