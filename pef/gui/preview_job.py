"""Look through a Takeout on a worker thread: the found-line, the preview, an unfinished run."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from pef.gui.threads import own_thread
from pef.model.records import RunSettings
from pef.run.preview import make_preview
from pef.takeout.parts import TakeoutParts


class _PreviewWorker(QObject):
    ready = Signal(object)  # Preview
    failed = Signal(str)

    def __init__(self, source: TakeoutParts, settings: RunSettings) -> None:
        super().__init__()
        self.source, self.settings = source, settings

    @Slot()
    def run(self) -> None:
        try:
            self.ready.emit(make_preview(self.source, self.settings))
        except OSError as error:
            self.failed.emit(f"Cannot read {self.source.label}: {error.strerror or error}")
        except Exception as error:  # a bug in pef: said in the window, never an endless "Looking through…"
            self.failed.emit(f"pef could not look through {self.source.label}: an error in pef ({error!r}).")


class PreviewJob(QObject):
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, source: TakeoutParts, settings: RunSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.worker = _PreviewWorker(source, settings)
        self.thread = own_thread(self, self.worker, self.worker.ready, self.worker.failed)
        self.worker.ready.connect(self.ready)
        self.worker.failed.connect(self.failed)

    def start(self) -> None:
        self.thread.start()

    def wait(self) -> None:
        self.thread.wait()
