"""Start the window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from pef.gui.identity import present
from pef.gui.terminal_signals import TerminalSignals
from pef.gui.window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    signals = TerminalSignals()  # first of all: from here on Ctrl+C closes the window, never a traceback
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    present(app)
    window = MainWindow()
    signals.close_with(window, lambda: stop_run(window))
    window.show()
    return app.exec()


def stop_run(window: MainWindow) -> None:
    """Stop the run in hand, if any, and wait for the file in hand: its progress is saved to resume."""
    if window.job is not None and window.job.running:
        window.job.stop()
        window.job.wait()
