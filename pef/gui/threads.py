"""Run a worker object on a thread of its own (Picard's discipline: workers never touch widgets)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, SignalInstance


def own_thread(owner: QObject, worker: QObject, *done: SignalInstance) -> QThread:
    """A thread that runs `worker.run` when started and quits when any of `done` is emitted.

    The quit is connected directly, from the worker's thread: the GUI thread may be blocked in
    `wait()` (closing the window) and could not deliver a queued quit.
    """
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in done:
        signal.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    return thread
