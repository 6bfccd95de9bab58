"""The run as it goes: the bar, what it is doing, the live counts, and the banner when it pauses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from pef.gui.banner import banner
from pef.model.events import ControlChanged, FileFinished, FileRetrying, RunStarted, RunSummary, ScanFinished
from pef.present.meter import RateMeter
from pef.present.words import headline, human_bytes


class RunView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setFormat("%v of %m files (%p%)")
        self.status_label = QLabel("Ready.")
        self.counts_label = QLabel("")
        self.current_label = QLabel("")
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pause_label = QLabel()
        self.pause_resume_button = QPushButton("Resume")
        self.pause_resume_button.setAccessibleName("Resume after pef paused")
        self.pause_banner = banner(self.pause_label, self.pause_resume_button)
        self.pause_banner.hide()
        self.meter = RateMeter()
        self.first_progress: int | None = None  # where the bar started (prior runs' files)
        self._control_state = "running"  # files in hand still finish while paused or stopping
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.progress, self.status_label, self.counts_label, self.current_label, self.pause_banner):
            layout.addWidget(widget)

    def begin(self) -> None:
        """A run was asked for: the bar waits for the scan."""
        self.first_progress, self._control_state = None, "running"
        self.pause_banner.hide()
        self.progress.setRange(0, 0)
        self.status_label.setText("Looking through the Takeout…")

    def show_event(self, event: object) -> None:
        match event:
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self.status_label.setText(
                    f"Found {media:,} media files ({human_bytes(size)}) and {sidecars:,} sidecars."
                )
            case RunStarted(total=total, already_done=done, done_bytes=done_bytes):
                self.progress.setRange(0, max(total, 1))
                self.progress.setValue(done)
                self.progress.setFormat(f"{done:,} of {total:,} files (%p%)")
                self.first_progress = done
                self.meter.start(done, done_bytes)
                if done:
                    self.status_label.setText(f"Resuming: {done:,} of {total:,} already done.")
            case FileFinished():
                self._progress(event)
            case ControlChanged(state=state, reason=reason):
                self._control(state, reason)
            case FileRetrying(key=key, retry=retry, delay=delay):
                self.current_label.setText(f"{key}: retry {retry} of 3 in {delay:.0f} s")

    def _control(self, state: str, reason: str) -> None:
        self._control_state = state
        if state == "paused":
            self.meter.pause()
            self.status_label.setText("Paused by pef." if reason else "Paused.")
            self.pause_label.setText(f"Paused: {reason}" if reason else "Paused. Resume when you are ready.")
            self.pause_banner.show()
        elif state == "running":
            self.meter.resume()
            self.pause_banner.hide()
            self.status_label.setText("Running…")
        elif state == "stopping":
            self.pause_banner.hide()
            self.status_label.setText("Stopping after the files in hand…")

    def _progress(self, event: FileFinished) -> None:
        self.progress.setValue(event.finished)
        self.progress.setFormat(f"{event.finished:,} of {event.total:,} files (%p%)")
        if self._control_state == "running":  # "Paused by pef." must not be overwritten by a late file
            reading = self.meter.read(event.finished, event.total, event.bytes_done)
            self.status_label.setText(f"{event.finished:,} of {event.total:,} files — {reading.words()}")
        tally = event.tally
        self.counts_label.setText(
            f"Done {tally['done']:,} · Unmatched {tally['unmatched']:,} · Failed {tally['failed']:,}"
        )
        self.current_label.setText(event.record.key)

    def finish(self, summary: RunSummary) -> None:
        self.status_label.setText(headline(summary) + (f" {summary.reason}" if summary.reason else ""))
        self.current_label.setText("")
        self.pause_banner.hide()

    def fail(self) -> None:
        self.status_label.setText("The run could not start.")
        self.progress.setRange(0, 1)
