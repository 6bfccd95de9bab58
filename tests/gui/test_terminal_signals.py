"""Ctrl+C in the terminal that started the window, or SIGTERM, closes it as its close button does."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from tests.window_process import open_and_close


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_closing_signal_closes_the_window_cleanly(tmp_path: Path, number: int) -> None:
    closed = open_and_close([sys.executable, "-m", "pef"], tmp_path, number)
    assert closed.returncode == 0, closed.stderr
    assert "Traceback" not in closed.stderr and "KeyboardInterrupt" not in closed.stderr
    assert "geometry=" in closed.settings  # the window's own close path ran: it saved where it was
