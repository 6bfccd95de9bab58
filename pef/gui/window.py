"""The pef window: choose a Takeout, see what it holds, run or resume, watch, pause, review."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pef.gui.banner import banner
from pef.gui.job import EngineJob
from pef.gui.metadata_options import MetadataOptions
from pef.gui.output_options import OutputOptions
from pef.gui.preview_job import PreviewJob
from pef.gui.recent_folders import RecentFolders
from pef.gui.review import ReviewPanel
from pef.gui.run_view import RunView
from pef.model.events import (
    ControlChanged,
    Message,
    RunStarted,
    RunSummary,
)
from pef.present.words import human_bytes, space_question, summary_lines
from pef.run.preview import Preview, find_unfinished
from pef.run.request import RequestRefused, RunRequest, free_space, resolve_run
from pef.state.outputs import OutputChoiceError


class MainWindow(QMainWindow):
    run_finished = Signal(object)  # RunSummary
    preview_ready = Signal(object)  # Preview

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("pef — Google Photos Takeout to a clean library")
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        self.job: EngineJob | None = None
        self.preview: Preview | None = None
        self.summary: RunSummary | None = None
        self.run_output: Path | None = None
        self._preview_job: PreviewJob | None = None
        self._build()
        self.setCentralWidget(self._lay_out())
        self._restore()

    # building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("Your Takeout folder (or its Google Photos folder) — or drop it here")
        self.source_edit.setAccessibleName("Takeout folder")
        self.source_edit.editingFinished.connect(self._source_changed)
        self.choose_button = QPushButton("&Choose Takeout folder…")
        self.choose_button.clicked.connect(self.choose_source)
        self.recent = RecentFolders(self.settings)
        self.recent.chosen.connect(self.set_source)
        self.found_label = QLabel("Choose a Takeout folder to begin.")

        self._build_output()
        self._build_run()

    def _build_output(self) -> None:
        self.resume_label = QLabel()
        self.resume_button = QPushButton("&Resume")
        self.resume_button.setAccessibleName("Resume the unfinished run")
        bold = self.resume_button.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.resume_button.setFont(bold)
        self.resume_button.clicked.connect(self.resume_unfinished)
        self.resume_banner = banner(self.resume_label, self.resume_button)
        self.resume_banner.hide()

        self.output_options = OutputOptions(lambda: self.source)
        self.metadata = MetadataOptions()

    def _build_run(self) -> None:
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.clicked.connect(self.show_preview)
        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self.start())  # noqa: PLW0108 (clicked(bool) is no output)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setShortcut(QKeySequence("Ctrl+P"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton("S&top")
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton("&Open output folder")
        self.open_button.clicked.connect(self.open_output)

        self.run_view = RunView()
        self.run_view.pause_resume_button.clicked.connect(self.toggle_pause)
        self.summary_view = QPlainTextEdit()
        self.summary_view.setReadOnly(True)
        self.summary_view.setAccessibleName("Summary")
        self.summary_view.setFont(QFont("monospace"))
        self.review = ReviewPanel()
        self.review.retry_failed.connect(self.retry_failed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.summary_view, "Summar&y")
        self.tabs.addTab(self.review, "Re&view")
        self._set_running(False)

    def _lay_out(self) -> QWidget:
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(self.choose_button)
        source_row.addWidget(self.recent)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout()
        layout.addLayout(source_row)
        layout.addWidget(self.found_label)
        layout.addWidget(self.resume_banner)
        layout.addWidget(self.output_options)
        layout.addWidget(self.metadata)
        layout.addLayout(buttons)
        layout.addWidget(self.run_view)
        layout.addWidget(self.tabs, 1)
        central = QWidget()
        central.setLayout(layout)
        return central

    # settings ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(860, 720)
        self.output_options.force_box.setChecked(self.settings.value("options/force", False, type=bool))
        self.metadata.exif_box.setChecked(self.settings.value("options/writeExif", True, type=bool))
        self.metadata.set_zone(self.settings.value("options/timezone", "auto", type=str))
        self.metadata.suffix_edit.setText(self.settings.value("options/suffixes", "", type=str))

    # source -----------------------------------------------------------------------------------
    @property
    def source(self) -> Path | None:
        text = self.source_edit.text().strip()
        path = Path(text).expanduser() if text else None
        return path.resolve() if path and path.is_dir() else None

    def choose_source(self) -> None:
        start = self.source_edit.text() or self.settings.value("lastFolder", "", type=str)
        folder = QFileDialog.getExistingDirectory(self, "Choose your Takeout folder", start)
        if folder:
            self.set_source(folder)

    def set_source(self, folder: str | Path) -> None:
        self.source_edit.setText(str(folder))
        self._source_changed()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
            self.set_source(urls[0].toLocalFile())
            event.acceptProposedAction()

    def _source_changed(self) -> None:
        source = self.source
        if source is not None and self.preview is not None and source == self.preview.source:
            return  # the field only lost focus: the folder is the same
        self.preview = None
        self.resume_banner.hide()
        self._set_running(False)
        if source is None:
            self.found_label.setText(
                "Choose a Takeout folder to begin." if not self.source_edit.text() else "That folder does not exist."
            )
            return
        self.recent.remember(source)
        self.found_label.setText("Looking through the Takeout…")
        self._offer_unfinished(source)
        self.output_options.refresh()
        self._preview_job = PreviewJob(source, self.metadata.settings(), self)
        self._preview_job.ready.connect(self._on_preview)
        self._preview_job.failed.connect(self.found_label.setText)
        self._preview_job.start()

    def _offer_unfinished(self, source: Path) -> None:
        unfinished = find_unfinished(source)
        self.output_options.mode_resume.setEnabled(unfinished is not None)
        if unfinished is None:
            self.resume_banner.hide()
            if self.output_options.mode_resume.isChecked():
                self.output_options.mode_new.setChecked(True)
            return
        try:
            when = datetime.fromisoformat(unfinished.started).strftime("%d %b %Y")
        except ValueError:
            when = "an earlier day"
        self.resume_label.setText(
            f"Unfinished run from {when}: {unfinished.finished:,} of {unfinished.total:,} "
            f"done, in {unfinished.folder.name}."
        )
        self.resume_banner.show()
        self.output_options.mode_resume.setChecked(True)
        self.metadata.show_settings(unfinished.settings)  # Resume continues the run as it was begun
        self.resume_button.setFocus()

    def _on_preview(self, preview: Preview) -> None:
        if preview.source != self.source:
            return  # the user chose another folder meanwhile
        self.preview = preview
        self.found_label.setText(preview.found_line + ".")
        self._set_running(False)
        self.preview_ready.emit(preview)

    # actions ----------------------------------------------------------------------------------
    def show_preview(self) -> None:
        preview = self.preview
        if preview is None:
            return
        lines = summary_lines(preview.forecast.__class__(**{**preview.forecast.__dict__, "dry_run": True}))
        try:
            choice = self.output_options.choice()
        except OutputChoiceError:
            choice = None
        free_bytes = free_space(choice[0]) if choice else preview.free_bytes  # the drive of the folder chosen
        free = human_bytes(free_bytes) if free_bytes is not None else "unknown"
        lines.append(f"To copy: {human_bytes(preview.total_bytes)}; free on the output drive: {free}.")
        if free_bytes is not None and free_bytes < preview.total_bytes:
            lines.append("Warning: not enough free space. pef pauses by itself when the disk is full.")
        self.summary_view.setPlainText("\n".join(lines))
        self.tabs.setCurrentWidget(self.summary_view)

    def resume_unfinished(self) -> None:
        self.output_options.mode_resume.setChecked(True)
        self.output_options.force_box.setChecked(False)
        self.start()

    def retry_failed(self) -> None:
        if self.run_output is not None:
            self.start(output=self.run_output, retry_failed=True)

    def start(self, output: Path | None = None, retry_failed: bool = False) -> None:
        """Start a run into `output` (None: the folder the options say), through the command line's resolver."""
        source = self.source
        if source is None or (self.job is not None and self.job.running):
            return
        folder, force = (output, False) if output is not None else self.output_options.target()
        settings = self.metadata.settings()
        request = RunRequest(
            source, folder, force=force, timezone=settings.timezone, write_exif=settings.write_exif,
            suffixes=settings.suffixes, retry_failed=retry_failed,
        )  # fmt: skip
        try:
            resolved = resolve_run(request)
        except RequestRefused as error:
            QMessageBox.warning(self, "pef", f"Cannot start: {error}.")
            return
        if not self._enough_space(resolved.free_bytes):
            return
        self.settings.setValue("options/force", self.output_options.force_box.isChecked())
        self.settings.setValue("options/writeExif", self.metadata.exif_box.isChecked())
        self.settings.setValue("options/timezone", self.metadata.zone())
        self.settings.setValue("options/suffixes", self.metadata.suffix_edit.text())
        self.summary, self.run_output = None, resolved.job.output
        self.summary_view.clear()
        self.resume_banner.hide()
        self.run_view.begin()
        self.job = EngineJob(resolved.job, self)
        self.job.event.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self._set_running(True)
        self.job.start()

    def _enough_space(self, free: int | None) -> bool:
        """Ask before a run the chosen folder's drive looks too small for (the engine asks again, exactly)."""
        preview = self.preview
        if preview is None or free is None or free >= preview.total_bytes:
            return True
        answer = QMessageBox.question(self, "pef", space_question(free, preview.total_bytes))
        return answer == QMessageBox.StandardButton.Yes

    def toggle_pause(self) -> None:
        if self.job is None or not self.job.running:
            return
        if self.job.control.paused:
            self.job.resume()
        else:
            self.job.pause()

    def stop(self) -> None:
        if self.job is not None and self.job.running:
            self.job.stop()

    def open_output(self) -> None:
        if self.run_output is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.run_output)))

    # what the run says ------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        ready = self.source is not None and not running
        for widget in (
            self.source_edit,
            self.choose_button,
            self.recent,
            self.output_options,
            self.metadata,
        ):
            widget.setEnabled(not running)
        self.start_button.setEnabled(ready)
        self.preview_button.setEnabled(ready and self.preview is not None)
        self.resume_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.open_button.setEnabled(not running and self.run_output is not None and self.run_output.exists())
        if not running:
            self.pause_button.setText("&Pause")

    def _on_event(self, event: object) -> None:
        self.run_view.show_event(event)
        match event:
            case RunStarted(output=output):
                self.output_options.show_text(f"Output: {output}")
            case ControlChanged(state="paused"):
                self.pause_button.setText("&Resume")
            case ControlChanged(state="running"):
                self.pause_button.setText("&Pause")
            case ControlChanged(state="stopping"):
                self.pause_button.setEnabled(False)
                self.stop_button.setEnabled(False)
            case Message(text=text):
                self.summary_view.appendPlainText(text)

    def _on_finished(self, summary: RunSummary) -> None:
        self.summary = summary
        self.summary_view.appendPlainText("\n".join(summary_lines(summary)))
        self.run_view.finish(summary)
        self.review.load(self.source, self.run_output)
        self._set_running(False)
        if self.source is not None:
            self._offer_unfinished(self.source)
            if summary.status == "completed":
                self.output_options.mode_new.setChecked(True)
        self.output_options.show_text(f"Output: {self.run_output}")
        self.run_finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.run_view.fail()
        self.summary_view.appendPlainText(message)
        self._set_running(False)
        QMessageBox.warning(self, "pef", message)

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
        if self._preview_job is not None:
            self._preview_job.wait()
        self.settings.setValue("window/geometry", self.saveGeometry())
        event.accept()
