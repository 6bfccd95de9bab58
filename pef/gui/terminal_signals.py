"""Ctrl+C in the terminal that started the window, or SIGTERM, closes the window as its close button does.

Python runs a signal handler only between bytecodes, and Qt's event loop runs none while it waits,
so the signal is written to a socket Qt watches (`signal.set_wakeup_fd`) and answered from the loop.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QWidget

CLOSING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class TerminalSignals:
    """Catches the closing signals from now on; `close_with(window)` says which window they close."""

    def __init__(self) -> None:
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for number in CLOSING_SIGNALS:
            signal.signal(number, lambda _number, _frame: None)  # the wakeup byte does the work
        self._notifier: QSocketNotifier | None = None

    def close_with(self, window: QWidget, stop_run: Callable[[], None]) -> None:
        """From the event loop on, a closing signal stops the run in hand (`stop_run`) and closes `window`."""
        notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, window)

        def arrived() -> None:
            try:
                numbers = self._reader.recv(64)
            except BlockingIOError:
                return
            if any(number in CLOSING_SIGNALS for number in numbers):
                stop_run()
                window.close()

        notifier.activated.connect(arrived)
        self._notifier = notifier
