"""The pef window: choose a Takeout, Start, watch the progress, read the summary."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pef.core.describe import human_bytes, human_duration, summary_lines
from pef.core.engine import Job
from pef.core.events import (
    ControlChanged,
    FileFinished,
    FileRetrying,
    Message,
    RunStarted,
    RunSummary,
    ScanFinished,
)
from pef.core.records import RunSettings
from pef.gui.job import EngineJob
from pef.state.outputs import default_output


class MainWindow(QMainWindow):
    run_finished = Signal(object)  # RunSummary, for tests and for whoever wants to know

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("pef — Google Photos Takeout to a clean library")
        self.job: EngineJob | None = None
        self.summary: RunSummary | None = None
        self._started_at = 0.0
        self._first_done = 0

        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("Your Takeout folder (or its Google Photos folder)")
        self.source_edit.setAccessibleName("Takeout folder")
        self.source_edit.textChanged.connect(self._source_changed)
        self.choose_button = QPushButton("&Choose Takeout folder…")
        self.choose_button.clicked.connect(self.choose_source)
        self.output_label = QLabel("Output: choose a Takeout folder first")
        self.output_label.setWordWrap(True)

        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton("&Open output folder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_output)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setFormat("%v of %m files (%p%)")
        self.status_label = QLabel("Ready.")
        self.current_label = QLabel("")
        self.current_label.setStyleSheet("color: palette(mid);")
        self.summary_view = QPlainTextEdit()
        self.summary_view.setReadOnly(True)
        self.summary_view.setAccessibleName("Summary")
        self.summary_view.setFont(QFont("monospace"))

        self.setCentralWidget(self._lay_out())
        self.resize(760, 520)

    def _lay_out(self) -> QWidget:
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout()
        layout.addLayout(source_row)
        layout.addWidget(self.output_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.current_label)
        layout.addWidget(self.summary_view, 1)
        central = QWidget()
        central.setLayout(layout)
        return central

    # source and output ------------------------------------------------------------------------
    @property
    def source(self) -> Path | None:
        text = self.source_edit.text().strip()
        path = Path(text).expanduser() if text else None
        return path.resolve() if path and path.is_dir() else None

    def choose_source(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose your Takeout folder", self.source_edit.text())
        if folder:
            self.source_edit.setText(folder)

    def _source_changed(self) -> None:
        source = self.source
        self._update_start_button()
        self.output_label.setText(
            f"Output: {default_output(source)}" if source else "Output: choose a Takeout folder first"
        )

    def _update_start_button(self) -> None:
        running = self.job is not None and self.job.running
        self.start_button.setEnabled(self.source is not None and not running)

    # running ----------------------------------------------------------------------------------
    def start(self) -> None:
        source = self.source
        if source is None or (self.job is not None and self.job.running):
            return
        output = default_output(source)
        self.summary = None
        self.summary_view.clear()
        self.progress.setRange(0, 0)  # busy until the scan says how many
        self.status_label.setText("Looking through the Takeout…")
        self.job = EngineJob(Job(source, output, RunSettings()), self)
        self.job.event.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.start_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.source_edit.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.open_button.setEnabled(False)
        self.job.start()

    def stop(self) -> None:
        if self.job is not None and self.job.running:
            self.job.stop()
            self.stop_button.setEnabled(False)
            self.status_label.setText("Stopping after the files in hand…")

    def _on_event(self, event: object) -> None:
        match event:
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self.status_label.setText(
                    f"Found {media:,} media files ({human_bytes(size)}) and {sidecars:,} sidecars."
                )
            case RunStarted(total=total, already_done=done, output=output):
                self.progress.setRange(0, max(total, 1))
                self.progress.setValue(done)
                self.output_label.setText(f"Output: {output}")
                self._started_at, self._first_done = time.monotonic(), done
            case FileFinished(finished=finished, total=total, record=record):
                self.progress.setValue(finished)
                elapsed = max(time.monotonic() - self._started_at, 1e-6)
                rate = (finished - self._first_done) / elapsed
                eta = human_duration((total - finished) / rate) if rate > 0 else "--:--:--"
                self.status_label.setText(f"{finished:,} of {total:,} files — {rate:,.1f} files/s — {eta} left")
                self.current_label.setText(record.key)
            case ControlChanged(state="paused", reason=reason) if reason:
                self.status_label.setText(f"Paused by pef: {reason}")
            case ControlChanged(state=state):
                self.status_label.setText(
                    {"paused": "Paused.", "running": "Running…", "stopping": "Stopping after the files in hand…"}.get(
                        state, ""
                    )
                )
            case FileRetrying(key=key, retry=retry, delay=delay):
                self.current_label.setText(f"{key}: retry {retry} of 3 in {delay:.0f} s")
            case Message(text=text):
                self.summary_view.appendPlainText(text)

    def _on_finished(self, summary: RunSummary) -> None:
        self.summary = summary
        self.summary_view.appendPlainText("\n".join(summary_lines(summary)))
        self.status_label.setText(f"Run {summary.status}.")
        self.current_label.setText("")
        self._reset_controls()
        self.open_button.setEnabled(True)
        self.run_finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.status_label.setText("The run could not start.")
        self.summary_view.appendPlainText(message)
        self.progress.setRange(0, 1)
        self._reset_controls()
        QMessageBox.warning(self, "pef", message)

    def _reset_controls(self) -> None:
        self.stop_button.setEnabled(False)
        self.choose_button.setEnabled(True)
        self.source_edit.setEnabled(True)
        self._update_start_button()  # the output label keeps naming the folder this run wrote

    def open_output(self) -> None:
        if self.summary and self.summary.output:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.output)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.job is not None and self.job.running:
            answer = QMessageBox.question(
                self,
                "pef",
                "A run is in progress. Stop it (progress is saved) and close?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.job.stop()
            self.job.wait()  # workers finish the file in hand; never QThread.terminate()
        event.accept()
