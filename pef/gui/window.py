"""The pef window: choose a Takeout, see what it holds, run or resume, watch, pause, review."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pef.core.describe import headline, human_bytes, human_duration, summary_lines
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
from pef.core.preview import Preview, find_unfinished
from pef.core.records import RunSettings
from pef.gui.job import EngineJob
from pef.gui.preview_job import PreviewJob
from pef.gui.review import ReviewPanel
from pef.metadata.timezone import UnknownZone, resolve_zone
from pef.state.outputs import OutputChoiceError, choose_output

RECENT_LIMIT = 8
NEW, RESUME, CHOOSE = 0, 1, 2


def _banner(text_label: QLabel, button: QPushButton) -> QFrame:
    """A framed line that stands out by its frame and words, not by colour alone."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAutoFillBackground(True)
    frame.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    layout = QHBoxLayout(frame)
    text_label.setWordWrap(True)
    layout.addWidget(text_label, 1)
    layout.addWidget(button)
    return frame


ZONE_CHOICES = (
    ("Where each photo was taken (auto)", "auto"),
    ("This computer's zone (local)", "local"),
    ("UTC", "UTC"),
    ("Europe/London", "Europe/London"),
    ("Europe/Paris", "Europe/Paris"),
    ("America/New_York", "America/New_York"),
    ("Asia/Tokyo", "Asia/Tokyo"),
)


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
        self.first_progress: int | None = None  # where the bar started (prior runs' files)
        self._control_state = "running"  # files in hand still finish while paused or stopping
        self._preview_job: PreviewJob | None = None
        self._started_at, self._first_done, self._first_bytes = 0.0, 0, 0
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
        self.recent_button = QToolButton()
        self.recent_button.setText("Recent")
        self.recent_button.setAccessibleName("Recent Takeout folders")
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self)
        self.recent_button.setMenu(self.recent_menu)
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
        self.resume_banner = _banner(self.resume_label, self.resume_button)
        self.resume_banner.hide()

        self.mode_new = QRadioButton("&New output folder")
        self.mode_resume = QRadioButton("Resume the &latest unfinished run")
        self.mode_choose = QRadioButton("Use this output &folder:")
        self.modes = QButtonGroup(self)
        for mode, button in ((NEW, self.mode_new), (RESUME, self.mode_resume), (CHOOSE, self.mode_choose)):
            self.modes.addButton(button, mode)
        self.mode_new.setChecked(True)
        self.modes.idToggled.connect(lambda *_: self._update_output_label())
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName("Output folder")
        self.output_edit.textEdited.connect(lambda _: self.mode_choose.setChecked(True))
        self.output_edit.textEdited.connect(lambda _: self._update_output_label())
        self.output_button = QPushButton("C&hoose…")
        self.output_button.clicked.connect(self.choose_output)
        self.force_box = QCheckBox("Re&process every file (ignore earlier progress in that folder)")
        self.output_label = QLabel()
        self.output_label.setWordWrap(True)
        self.exif_box = QCheckBox("Write date, place, caption and people into the &files (otherwise only copy)")
        self.exif_box.setChecked(True)
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        for label, zone in ZONE_CHOICES:
            self.zone_box.addItem(label, zone)
        self.zone_box.setAccessibleName("Time zone for dates")
        self.zone_box.setToolTip(
            "auto = the zone where each photo was taken (from its place), else this computer's zone; "
            "local = always this computer's zone; or an Area/City name"
        )
        self.suffix_edit = QLineEdit()
        self.suffix_edit.setPlaceholderText("e.g. -retouche, -mine")
        self.suffix_edit.setAccessibleName("More suffixes of edited copies")

    def _build_run(self) -> None:
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.clicked.connect(self.show_preview)
        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setShortcut(QKeySequence("Ctrl+P"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton("S&top")
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton("&Open output folder")
        self.open_button.clicked.connect(self.open_output)

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
        self.pause_resume_button.clicked.connect(self.toggle_pause)
        self.pause_banner = _banner(self.pause_label, self.pause_resume_button)
        self.pause_banner.hide()

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
        source_row.addWidget(self.recent_button)
        output_row = QHBoxLayout()
        output_row.addWidget(self.mode_choose)
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(self.output_button)
        options = QGroupBox("Output")
        options_layout = QVBoxLayout(options)
        options_layout.addWidget(self.mode_new)
        options_layout.addWidget(self.mode_resume)
        options_layout.addLayout(output_row)
        options_layout.addWidget(self.force_box)
        options_layout.addWidget(self.output_label)
        metadata = QGroupBox("Metadata")
        metadata_layout = QFormLayout(metadata)
        metadata_layout.addRow(self.exif_box)
        metadata_layout.addRow("Time &zone:", self.zone_box)
        metadata_layout.addRow("More edit s&uffixes:", self.suffix_edit)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout()
        layout.addLayout(source_row)
        layout.addWidget(self.found_label)
        layout.addWidget(self.resume_banner)
        layout.addWidget(options)
        layout.addWidget(metadata)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.current_label)
        layout.addWidget(self.pause_banner)
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
        self.force_box.setChecked(self.settings.value("options/force", False, type=bool))
        self.exif_box.setChecked(self.settings.value("options/writeExif", True, type=bool))
        self._set_zone(self.settings.value("options/timezone", "auto", type=str))
        self.suffix_edit.setText(self.settings.value("options/suffixes", "", type=str))
        self._fill_recent()

    def recent_folders(self) -> list[str]:
        """Recently used Takeouts that still exist, newest first."""
        stored = self.settings.value("recent", [], type=list) or []
        return [folder for folder in stored if Path(folder).is_dir()][:RECENT_LIMIT]

    def _remember(self, source: Path) -> None:
        recent = [str(source), *[f for f in self.recent_folders() if f != str(source)]][:RECENT_LIMIT]
        self.settings.setValue("recent", recent)
        self.settings.setValue("lastFolder", str(source.parent))
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        folders = self.recent_folders()
        self.settings.setValue("recent", folders)  # missing folders are dropped
        for folder in folders:
            self.recent_menu.addAction(folder, lambda f=folder: self.set_source(f))
        self.recent_button.setEnabled(bool(folders))

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
        self._remember(source)
        self.found_label.setText("Looking through the Takeout…")
        self._offer_unfinished(source)
        self._update_output_label()
        self._preview_job = PreviewJob(source, self._settings(), self)
        self._preview_job.ready.connect(self._on_preview)
        self._preview_job.failed.connect(self.found_label.setText)
        self._preview_job.start()

    def _offer_unfinished(self, source: Path) -> None:
        unfinished = find_unfinished(source)
        self.mode_resume.setEnabled(unfinished is not None)
        if unfinished is None:
            self.resume_banner.hide()
            if self.mode_resume.isChecked():
                self.mode_new.setChecked(True)
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
        self.mode_resume.setChecked(True)
        self._show_settings(unfinished.settings)  # Resume continues the run as it was begun
        self.resume_button.setFocus()

    def _show_settings(self, settings: RunSettings) -> None:
        self.exif_box.setChecked(settings.write_exif)
        self._set_zone(settings.timezone)
        self.suffix_edit.setText(", ".join(settings.suffixes))

    def _on_preview(self, preview: Preview) -> None:
        if preview.source != self.source:
            return  # the user chose another folder meanwhile
        self.preview = preview
        self.found_label.setText(preview.found_line + ".")
        self._set_running(False)
        self.preview_ready.emit(preview)

    # output -----------------------------------------------------------------------------------
    def choose_output(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the output folder", self.output_edit.text())
        if folder:
            self.output_edit.setText(folder)
            self.mode_choose.setChecked(True)

    def output_choice(self) -> tuple[Path, bool] | None:
        """The folder a run would write to, and whether to redo every file there."""
        source = self.source
        if source is None:
            return None
        mode = self.modes.checkedId()
        if mode == RESUME and (unfinished := find_unfinished(source)):
            return unfinished.folder, self.force_box.isChecked()
        chosen = Path(self.output_edit.text().strip()) if mode == CHOOSE and self.output_edit.text().strip() else None
        # the command line's rules, from the same place: refuses what it refuses (OutputChoiceError)
        choice = choose_output(source, chosen, resume=False, force=self.force_box.isChecked() and chosen is not None)
        return choice.folder, choice.redo_all

    def _update_output_label(self) -> None:
        try:
            choice = self.output_choice()
        except OutputChoiceError as error:
            self._set_output_text(f"Cannot use that output folder: {error}.")
            return
        if choice is None:
            self._set_output_text("")
            return
        folder, redo = choice
        self._set_output_text(f"Output: {folder}" + (" — every file will be redone" if redo else ""))

    def _set_output_text(self, text: str) -> None:
        self.output_label.setText(text)
        # a wrapped label's new height is not asked for by the layout on its own: a long refusal was cut off
        self.output_label.setMinimumHeight(self.output_label.heightForWidth(max(self.output_label.width(), 200)))

    # actions ----------------------------------------------------------------------------------
    def _settings(self) -> RunSettings:
        suffixes = tuple(part.strip() for part in self.suffix_edit.text().split(",") if part.strip())
        return RunSettings(suffixes, self.exif_box.isChecked(), self._zone())

    def _zone(self) -> str:
        """The zone setting: a listed choice's value, or the Area/City name typed in."""
        text = self.zone_box.currentText().strip()
        listed = self.zone_box.findText(text)
        return (self.zone_box.itemData(listed) if listed >= 0 else text) or "auto"

    def _set_zone(self, zone: str) -> None:
        listed = self.zone_box.findData(zone)
        if listed >= 0:
            self.zone_box.setCurrentIndex(listed)
        else:
            self.zone_box.setCurrentText(zone)

    def show_preview(self) -> None:
        preview = self.preview
        if preview is None:
            return
        lines = summary_lines(preview.forecast.__class__(**{**preview.forecast.__dict__, "dry_run": True}))
        free = human_bytes(preview.free_bytes) if preview.free_bytes is not None else "unknown"
        lines.append(f"To copy: {human_bytes(preview.total_bytes)}; free on the output drive: {free}.")
        if preview.free_bytes is not None and preview.free_bytes < preview.total_bytes:
            lines.append("Warning: not enough free space. pef pauses by itself when the disk is full.")
        self.summary_view.setPlainText("\n".join(lines))
        self.tabs.setCurrentWidget(self.summary_view)

    def resume_unfinished(self) -> None:
        self.mode_resume.setChecked(True)
        self.force_box.setChecked(False)
        self.start()

    def retry_failed(self) -> None:
        if self.run_output is not None:
            self.start(output=(self.run_output, False), retry_failed=True)

    def start(self, output: tuple[Path, bool] | None = None, retry_failed: bool = False) -> None:
        source = self.source
        try:
            choice = output or self.output_choice()
        except OutputChoiceError as error:
            QMessageBox.warning(self, "pef", f"Cannot use that output folder: {error}.")
            return
        if source is None or choice is None or (self.job is not None and self.job.running):
            return
        folder, redo = choice
        if not self._enough_space():
            return
        try:
            resolve_zone(self._settings().timezone)
        except UnknownZone as error:
            QMessageBox.warning(self, "pef", str(error))
            return
        self.settings.setValue("options/force", self.force_box.isChecked())
        self.settings.setValue("options/writeExif", self.exif_box.isChecked())
        self.settings.setValue("options/timezone", self._zone())
        self.settings.setValue("options/suffixes", self.suffix_edit.text())
        self.summary, self.run_output, self.first_progress = None, folder, None
        self._control_state = "running"
        self.summary_view.clear()
        self.pause_banner.hide()
        self.resume_banner.hide()
        self.progress.setRange(0, 0)
        self.status_label.setText("Looking through the Takeout…")
        job = Job(source, folder, self._settings(), redo_all=redo, retry_failed=retry_failed)
        self.job = EngineJob(job, self)
        self.job.event.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self._set_running(True)
        self.job.start()

    def _enough_space(self) -> bool:
        preview = self.preview
        if preview is None or preview.free_bytes is None or preview.free_bytes >= preview.total_bytes:
            return True
        answer = QMessageBox.question(
            self,
            "pef",
            f"The output drive has {human_bytes(preview.free_bytes)} free, but about "
            f"{human_bytes(preview.total_bytes)} are to be copied. Start anyway? pef pauses by itself when the "
            "disk is full.",
        )
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
            self.recent_button,
            self.mode_new,
            self.mode_choose,
            self.output_edit,
            self.output_button,
            self.force_box,
            self.exif_box,
            self.zone_box,
            self.suffix_edit,
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
        if isinstance(event, ControlChanged):
            self._control_state = event.state
        match event:
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self.status_label.setText(
                    f"Found {media:,} media files ({human_bytes(size)}) and {sidecars:,} sidecars."
                )
            case RunStarted(total=total, already_done=done, output=output, done_bytes=done_bytes):
                self.progress.setRange(0, max(total, 1))
                self.progress.setValue(done)
                self.progress.setFormat(f"{done:,} of {total:,} files (%p%)")
                self.first_progress = done
                self.output_label.setText(f"Output: {output}")
                self._started_at, self._first_done, self._first_bytes = time.monotonic(), done, done_bytes
                if done:
                    self.status_label.setText(f"Resuming: {done:,} of {total:,} already done.")
            case FileFinished():
                self._on_progress(event)
            case ControlChanged(state="paused", reason=reason):
                self.pause_button.setText("&Resume")
                self.status_label.setText("Paused by pef." if reason else "Paused.")
                self.pause_label.setText(f"Paused: {reason}" if reason else "Paused. Resume when you are ready.")
                self.pause_banner.show()
            case ControlChanged(state="running"):
                self.pause_button.setText("&Pause")
                self.pause_banner.hide()
                self.status_label.setText("Running…")
            case ControlChanged(state="stopping"):
                self.pause_banner.hide()
                self.pause_button.setEnabled(False)
                self.stop_button.setEnabled(False)
                self.status_label.setText("Stopping after the files in hand…")
            case FileRetrying(key=key, retry=retry, delay=delay):
                self.current_label.setText(f"{key}: retry {retry} of 3 in {delay:.0f} s")
            case Message(text=text):
                self.summary_view.appendPlainText(text)

    def _on_progress(self, event: FileFinished) -> None:
        self.progress.setValue(event.finished)
        self.progress.setFormat(f"{event.finished:,} of {event.total:,} files (%p%)")
        elapsed = max(time.monotonic() - self._started_at, 1e-6)
        rate = (event.finished - self._first_done) / elapsed
        byte_rate = (event.bytes_done - self._first_bytes) / elapsed
        eta = human_duration((event.total - event.finished) / rate) if rate > 0 else "--:--:--"
        if self._control_state == "running":  # "Paused by pef." must not be overwritten by a late file
            self.status_label.setText(
                f"{event.finished:,} of {event.total:,} files — {rate:,.1f} files/s, "
                f"{human_bytes(byte_rate)}/s — {eta} left"
            )
        tally = event.tally
        self.counts_label.setText(
            f"Done {tally['done']:,} · Unmatched {tally['unmatched']:,} · Failed {tally['failed']:,}"
        )
        self.current_label.setText(event.record.key)

    def _on_finished(self, summary: RunSummary) -> None:
        self.summary = summary
        self.summary_view.appendPlainText("\n".join(summary_lines(summary)))
        self.status_label.setText(headline(summary) + (f" {summary.reason}" if summary.reason else ""))
        self.current_label.setText("")
        self.pause_banner.hide()
        self.review.load(self.source, self.run_output)
        self._set_running(False)
        if self.source is not None:
            self._offer_unfinished(self.source)
            if summary.status == "completed":
                self.mode_new.setChecked(True)
        self.output_label.setText(f"Output: {self.run_output}")
        self.run_finished.emit(summary)

    def _on_failed(self, message: str) -> None:
        self.status_label.setText("The run could not start.")
        self.summary_view.appendPlainText(message)
        self.progress.setRange(0, 1)
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
