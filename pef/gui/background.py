"""Slow reads (thumbnails, candidate sidecars) on the thread pool; their results come back as signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Call(QRunnable):
    def __init__(self, relay: Background, tag: object, work: Callable[[], Any]) -> None:
        super().__init__()
        self.relay, self.tag, self.work = relay, tag, work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # shown where the result would have been; never lost on a pool thread
            result = error
        self.relay.done.emit(self.tag, result)


class Background(QObject):
    """Runs work off the GUI thread; `done(tag, result)` arrives on the GUI thread (an exception as the result)."""

    done = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)

    def run(self, tag: object, work: Callable[[], Any]) -> None:
        self.pool.start(_Call(self, tag, work))

    def wait(self) -> None:
        self.pool.waitForDone()
