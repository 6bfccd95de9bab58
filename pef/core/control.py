"""Pause, resume and stop a run from any thread (the CLI's signal handler, the window's buttons)."""

from __future__ import annotations

import threading


class RunControl:
    """Workers check it between files: they finish the file in hand, then wait (pause) or exit (stop)."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake paused workers so they can exit

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def wait_while_paused(self) -> None:
        """Block without using CPU while paused; return at once when running or stopping."""
        self._running.wait()
