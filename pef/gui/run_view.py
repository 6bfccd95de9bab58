"""The run as it goes: the bar, the live counts, what it is doing, and the banner when pef pauses itself.

Every number here is the engine's: the bar and the counts come from its events, and its summary
sets them once more at the end, so they always agree with the report and with `pef progress`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from pef.gui.banner import banner
from pef.model.events import ControlChanged, FileFinished, FileRetrying, RunStarted, RunSummary, ScanFinished
from pef.present.meter import RateMeter
from pef.present.words import headline, human_bytes


def counts_words(done: int, unmatched: int, failed: int) -> str:
    return f"With metadata {done:,} · Copied as they are {unmatched:,} · Failed {failed:,}"


class RunView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setFormat("%v of %m files (%p%)")
        self.progress.setRange(0, 1)
        self.progress.reset()
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.counts_label = QLabel("")
        self.counts_label.setToolTip(
            "With metadata: the date, place and words of its sidecar are in the file. "
            "Copied as they are: no sidecar could be matched (see Review). Failed: see Review."
        )
        big = self.counts_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.15)
        big.setBold(True)
        self.counts_label.setFont(big)
        self.current_label = QLabel("")
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.current_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pause_label = QLabel()
        self.pause_resume_button = QPushButton("Resume")
        self.pause_resume_button.setAccessibleName("Resume after pef paused")
        self.pause_banner = banner(self.pause_label, self.pause_resume_button)
        self.pause_banner.hide()
        self.meter = RateMeter()
        self._control_state = "running"  # files in hand still finish while paused or stopping
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.progress, self.counts_label, self.status_label, self.current_label, self.pause_banner):
            layout.addWidget(widget)

    def clear(self) -> None:
        """Nothing run yet for the Takeout shown."""
        self.progress.setRange(0, 1)
        self.progress.reset()
        self.progress.setFormat("")
        self.hide()  # shown when a run begins: before, the options and the results have its room
        for label in (self.status_label, self.counts_label, self.current_label):
            label.setText("")
        self.pause_banner.hide()

    def begin(self) -> None:
        """A run was asked for: the bar waits for the scan."""
        self._control_state = "running"
        self.pause_banner.hide()
        self.show()
        self.progress.setRange(0, 0)
        self.progress.reset()
        self.counts_label.setText("")
        self.status_label.setText("Looking through the Takeout…")

    def show_event(self, event: object) -> None:
        match event:
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self.status_label.setText(
                    f"Found {media:,} photos and videos ({human_bytes(size)}) and {sidecars:,} sidecars."
                )
            case RunStarted(total=total, already_done=done, done_bytes=done_bytes):
                self._bar(done, total)
                self.meter.start(done, done_bytes)
                if done:
                    self.status_label.setText(f"Resuming: {done:,} of {total:,} already done.")
            case FileFinished():
                self._progress(event)
            case ControlChanged(state=state, reason=reason):
                self._control(state, reason)
            case FileRetrying(key=key, retry=retry, delay=delay):
                self.current_label.setText(f"{key}: retry {retry} of 3 in {delay:.0f} s")

    def _bar(self, finished: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(finished)
        self.progress.setFormat(f"{finished:,} of {total:,} files (%p%)")

    def _control(self, state: str, reason: str) -> None:
        self._control_state = state
        if state == "paused":
            self.meter.pause()
            if reason:
                self.status_label.setText("Paused by pef.")
                self.pause_label.setText(f"pef paused by itself: {reason}")
                self.pause_banner.show()
            else:
                self.status_label.setText("Paused. Progress is saved; Resume goes on where it stopped.")
        elif state == "running":
            self.meter.resume()
            self.pause_banner.hide()
            self.status_label.setText("Running…")
        elif state == "stopping":
            self.pause_banner.hide()
            self.status_label.setText("Stopping after the files in hand…")

    def _progress(self, event: FileFinished) -> None:
        if event.finished < self.progress.value():
            return  # an older count that arrived late: the bar never goes back
        self._bar(event.finished, event.total)
        if self._control_state == "running":  # "Paused by pef." must not be overwritten by a late file
            reading = self.meter.read(event.finished, event.total, event.bytes_done)
            self.status_label.setText(reading.words())
        tally = event.tally
        self.counts_label.setText(counts_words(tally["done"], tally["unmatched"], tally["failed"]))
        self.current_label.setText(event.record.key)

    def finish(self, summary: RunSummary) -> None:
        """The run's own totals, shown once more: whatever the last events said, these are the numbers."""
        unmatched, failed = sum(summary.unmatched.values()), sum(summary.failed.values())
        self._bar(summary.done + unmatched + failed, summary.total)
        self.counts_label.setText(counts_words(summary.done, unmatched, failed))
        self.status_label.setText(headline(summary) + (f" {summary.reason}" if summary.reason else ""))
        self.current_label.setText("")
        self.pause_banner.hide()

    def fail(self, message: str) -> None:
        self.status_label.setText(message)
        self.progress.setRange(0, 1)
        self.progress.reset()
