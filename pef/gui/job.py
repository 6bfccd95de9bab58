"""The engine on a QThread. Workers never touch widgets: events reach the GUI only as queued signals."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal, Slot

from pef.gui.threads import own_thread
from pef.model.events import Event, FileFinished, RunFinished
from pef.run.control import RunControl
from pef.run.engine import Engine
from pef.run.job import Job

UI_INTERVAL_SECONDS = 0.05  # at most 20 progress updates a second reach the window


class EngineWorker(QObject):
    """Lives on the job thread; turns engine events into signals."""

    event = Signal(object)
    finished = Signal(object)  # RunSummary
    failed = Signal(str)

    def __init__(self, job: Job, control: RunControl) -> None:
        super().__init__()
        self.job = job
        self.control = control
        self._last_progress = 0.0

    def _sink(self, event: Event) -> None:
        if isinstance(event, FileFinished):
            now = time.monotonic()
            if now - self._last_progress < UI_INTERVAL_SECONDS and event.finished < event.total:
                return
            self._last_progress = now
        if not isinstance(event, RunFinished):
            self.event.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            summary = Engine(self.job, self._sink, self.control).run()
        except Exception as error:  # shown to the user; the engine already recorded per-file errors
            self.failed.emit(f"{error.__class__.__name__}: {error}")
            return
        self.finished.emit(summary)


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

    def start(self) -> None:
        self.thread.start()

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
        self.finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.thread.wait()
        self.failed.emit(message)
