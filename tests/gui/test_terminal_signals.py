"""Ctrl+C in the terminal that started the window, or SIGTERM, closes it as its close button does."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from pef.gui.app import stop_run
from pef.gui.terminal_signals import CLOSING_SIGNALS, TerminalSignals
from pef.gui.window import MainWindow
from tests.conftest import run_pef
from tests.gui.conftest import make_takeout
from tests.gui.user import LONG, answering, click, press, state_of, type_takeout
from tests.window_process import open_and_close


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_closing_signal_closes_the_window_cleanly(tmp_path: Path, number: int) -> None:
    closed = open_and_close([sys.executable, "-m", "pef"], tmp_path, number)
    assert closed.returncode == 0, closed.stderr
    assert "Traceback" not in closed.stderr and "KeyboardInterrupt" not in closed.stderr
    assert "geometry=" in closed.settings  # the window's own close path ran: it saved where it was


def test_ctrl_c_during_a_run_stops_it_saves_its_progress_and_closes_without_asking(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tree = make_takeout(tmp_path, 1500)
    type_takeout(qtbot, window, tree.root)
    handlers = {number: signal.getsignal(number) for number in CLOSING_SIGNALS}
    wakeup = signal.set_wakeup_fd(-1)
    try:
        TerminalSignals().close_with(window, lambda: stop_run(window))  # as run_app wires the window
        click(qtbot, window.start_button)
        qtbot.waitUntil(lambda: window.run_view.progress.value() >= 50, timeout=LONG)
        with answering(qtbot, press("Stop and close")) as asked:  # so that a question fails the test, not hangs it
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C in the terminal
            qtbot.waitUntil(lambda: not window.isVisible(), timeout=LONG)
    finally:
        signal.set_wakeup_fd(wakeup)
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert asked == [], "closed without a question: the person at the terminal already said"
    assert not window.job.running
    state = state_of(tmp_path / "Takeout_pefProcessed")
    assert state["status"] == "stopped" and 50 <= len(state["files"]) < 1501
    resumed = run_pef("--path", tree.root, "--resume", "--yes")
    assert "Run completed." in resumed.stdout + resumed.stderr
    assert len(state_of(tmp_path / "Takeout_pefProcessed")["files"]) == 1501
