"""The engine on a QThread. Workers never touch widgets: events reach the GUI only as queued signals.

Progress is not sent file by file (10,000 signals a minute would flood the window): the newest
FileFinished waits in one slot that the window's timer empties 20 times a second, and that every
other event and the end of the run empty first, so the window never shows an older count than the
engine's and never misses the last.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from pef.gui.threads import own_thread
from pef.model.events import Event, FileFinished, RunFinished
from pef.present.words import describe_error
from pef.run.control import RunControl
from pef.run.engine import Engine
from pef.run.job import Job

UI_INTERVAL_MS = 50  # at most 20 progress updates a second reach the window


class EngineWorker(QObject):
    """Lives on the job thread; turns engine events into signals."""

    event = Signal(object)
    finished = Signal(object)  # RunSummary
    failed = Signal(str)

    def __init__(self, job: Job, control: RunControl) -> None:
        super().__init__()
        self.job = job
        self.control = control
        self._lock = threading.Lock()
        self._latest: FileFinished | None = None

    def take_progress(self) -> FileFinished | None:
        """The newest progress not yet shown (any thread)."""
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def _sink(self, event: Event) -> None:
        if isinstance(event, FileFinished):
            with self._lock:
                self._latest = event
            return
        if not isinstance(event, RunFinished):
            if (latest := self.take_progress()) is not None:
                self.event.emit(latest)  # what came before this event is shown before it
            self.event.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            summary = Engine(self.job, self._sink, self.control).run()
        except Exception as error:  # shown to the user; the engine already recorded per-file errors
            self._flush()
            self.failed.emit(describe_error(error))
            return
        self._flush()
        self.finished.emit(summary)

    def _flush(self) -> None:
        if (latest := self.take_progress()) is not None:
            self.event.emit(latest)


class EngineJob(QObject):
    """Starts a run on its own thread and relays what it says."""

    event = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control = RunControl()
        self.worker = EngineWorker(job, self.control)
        self.thread = own_thread(self, self.worker, self.worker.finished, self.worker.failed)
        self.worker.event.connect(self.event)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.timer = QTimer(self)
        self.timer.setInterval(UI_INTERVAL_MS)
        self.timer.timeout.connect(self._show_progress)

    def start(self) -> None:
        self.timer.start()
        self.thread.start()

    def _show_progress(self) -> None:
        if (latest := self.worker.take_progress()) is not None:
            self.event.emit(latest)

    def stop(self) -> None:
        self.control.stop()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def wait(self, milliseconds: int = -1) -> bool:
        return self.thread.wait() if milliseconds < 0 else self.thread.wait(milliseconds)

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def _on_finished(self, summary: object) -> None:
        self.thread.wait()
        self.timer.stop()
        self._show_progress()
        self.finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.thread.wait()
        self.timer.stop()
        self._show_progress()
        self.failed.emit(message)
