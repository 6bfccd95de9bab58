"""The pef window, in steps: the Takeout, the options (folded once chosen), the run, the results."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QVBoxLayout, QWidget

from pef.gui.appearance import apply_appearance
from pef.gui.desktop import LONG_RUN_SECONDS, KeepAwake, notify
from pef.gui.dialogs import ask, tell
from pef.gui.identity import app_icon
from pef.gui.job import EngineJob
from pef.gui.library_options import LibraryOptions
from pef.gui.menus import build_menus
from pef.gui.metadata_options import MetadataOptions
from pef.gui.options_panel import OptionsPanel
from pef.gui.output_options import OutputOptions
from pef.gui.preview_job import PreviewJob
from pef.gui.results import Results
from pef.gui.run_view import RunView
from pef.gui.source_panel import SourcePanel
from pef.metadata.timezone import resolve_zone
from pef.model.events import ControlChanged, Message, RunStarted, RunSummary
from pef.model.records import Decision
from pef.present.words import headline, space_question, summary_lines
from pef.run.preview import Preview, find_unfinished, preview_lines
from pef.run.request import RequestRefused, RunRequest, free_space, resolve_run, source_problem
from pef.state.layout import LOG_NAME, REPORT_NAME
from pef.state.outputs import OutputChoiceError
from pef.state.store import StateError, StateStore
from pef.takeout.parts import TakeoutParts

MAX_CONTENT_WIDTH = 1180  # wider, lines get too long to read: the window's content stays centred


class MainWindow(QMainWindow):
    run_finished = Signal(object)  # RunSummary
    preview_ready = Signal(object)  # Preview

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("pef — Google Photos Takeout to a clean library")
        self.setWindowIcon(app_icon())  # the About box shows it too
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        self.job: EngineJob | None = None
        self.preview: Preview | None = None
        self.summary: RunSummary | None = None
        self.run_output: Path | None = None
        self._preview_job: PreviewJob | None = None
        self._started_at = 0.0
        self.keep_awake = KeepAwake()
        self._build()
        self.setCentralWidget(self._lay_out())
        self.actions_ = build_menus(self, self._slots(), self.recent.menu_, self.set_appearance)
        self._restore()

    def _build(self) -> None:
        self.source_panel = SourcePanel(self.settings)
        self.source_panel.changed.connect(self._source_changed)
        self.source_panel.resume_button.clicked.connect(self.resume_unfinished)
        panel = self.source_panel  # the names tests and menus know them by
        self.source_edit, self.choose_button, self.recent = panel.edit, panel.choose_button, panel.recent
        self.found_label, self.resume_banner = panel.found_label, panel.resume_banner
        self.resume_label, self.resume_button = panel.resume_label, panel.resume_button
        self.output_options = OutputOptions(lambda: self.source)
        self.metadata = MetadataOptions()
        self.library = LibraryOptions()
        self.options = OptionsPanel(self.output_options, self.metadata, self.library)
        self._build_run()

    def _build_run(self) -> None:
        self.preview_button = QPushButton("Previe&w")
        self.preview_button.setToolTip("What a run would do, file by file counted; writes nothing")
        self.preview_button.clicked.connect(self.show_preview)
        self.start_button = QPushButton("&Start")
        self.start_button.setToolTip("Copy every photo and video with its metadata (Enter)")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self.start())  # noqa: PLW0108 (clicked(bool) is no output)
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setToolTip("Pause after the files in hand; Resume goes on (Ctrl+P)")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setToolTip("Stop after the files in hand; progress is saved and can be resumed")
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton("Open output folder")
        self.open_button.clicked.connect(lambda _checked=False: self.open_output())

        self.run_view = RunView()
        self.run_view.pause_resume_button.clicked.connect(self.toggle_pause)
        self.tabs = Results()
        self.summary_view, self.review = self.tabs.summary_view, self.tabs.review
        self.review.retry_failed.connect(lambda: self._continue(retry_failed=True))
        self.review.decide.connect(lambda decisions: self._continue(decisions=decisions))

    def _lay_out(self) -> QWidget:
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        content = QWidget()
        content.setMaximumWidth(MAX_CONTENT_WIDTH)
        layout = QVBoxLayout(content)
        for step in (self.source_panel, self.options, buttons, self.run_view):
            layout.addLayout(step) if isinstance(step, QHBoxLayout) else layout.addWidget(step)
        layout.addWidget(self.tabs, 1)
        central = QWidget()
        QHBoxLayout(central).addWidget(content)
        central.layout().setContentsMargins(0, 0, 0, 0)
        return central

    def _slots(self) -> dict:
        return {
            "choose": self.source_panel.choose,
            "open_output": self.open_output,
            "open_report": lambda: self.open_output(REPORT_NAME),
            "open_log": lambda: self.open_output(LOG_NAME),
            "export": self.review.export_csv,
            "preview": self.show_preview,
            "start": self.start,
            "pause": self.toggle_pause,
            "stop": self.stop,
            "retry": lambda: self._continue(retry_failed=True),
            "options": lambda: self.options.set_open(not self.options.toggle.isChecked()),
            "summary": lambda: self.tabs.setCurrentWidget(self.summary_view),
            "review": lambda: self.tabs.setCurrentWidget(self.review),
        }

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 700)
        self.options.restore(self.settings)
        self.set_appearance(self.settings.value("view/appearance", "system", type=str))
        last = self.recent.folders()
        if last:  # the Takeout of last time, and with it any run left unfinished
            self.source_panel.set_folder(last[0])
        else:
            self._source_changed()

    def set_appearance(self, name: str) -> None:
        apply_appearance(name)
        self.settings.setValue("view/appearance", name)
        for action in self.actions_.appearance.actions():
            action.setChecked(action.data() == name)

    @property
    def source(self) -> TakeoutParts | None:
        return self.source_panel.source

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()  # a file is taken too, to say why it cannot be used

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and not (self.job and self.job.running):
            self.source_panel.set_paths(paths)  # a folder, or the parts dropped together
            event.acceptProposedAction()

    def _source_changed(self) -> None:
        source = self.source
        if source is not None and self.preview is not None and source == self.preview.source:
            return  # the field only lost focus: the folder is the same
        self.preview, self.summary, self.run_output = None, None, None
        self.resume_banner.hide()
        self.run_view.clear()
        self.tabs.clear(welcome=source is None)
        self.output_options.refresh()
        problem = source_problem(self.source_edit.text())
        if problem is not None:
            self.found_label.setText(problem)
            self._set_running(False)
            return
        self.recent.remember(source)
        self.found_label.setText("Looking through the Takeout…")
        self._offer_unfinished(source)
        self._set_running(False)
        self._look_through(source)

    def _look_through(self, source: TakeoutParts, then_show: bool = False) -> None:
        self._preview_job = PreviewJob(source, self.options.settings(), self)
        self._preview_job.ready.connect(self._on_preview)
        if then_show:  # Preview was asked for with options the preview was not made with
            self._preview_job.ready.connect(lambda _preview: self.show_preview())
        self._preview_job.failed.connect(self.found_label.setText)
        self._preview_job.start()

    def _offer_unfinished(self, source: TakeoutParts) -> None:
        unfinished = find_unfinished(source.home)
        self.source_panel.offer(unfinished)
        self.output_options.mode_resume.setVisible(unfinished is not None)
        if unfinished is not None:
            self.output_options.mode_resume.setChecked(True)
            self.options.show_settings(unfinished.settings)  # Resume continues the run as it was begun
        elif self.output_options.mode_resume.isChecked():
            self.output_options.mode_new.setChecked(True)

    def _on_preview(self, preview: Preview) -> None:
        if preview.source != self.source:
            return  # the user chose another folder meanwhile
        self.preview = preview
        self.source_panel.show_found(preview)
        self._set_running(False)
        self.preview_ready.emit(preview)

    def show_preview(self) -> None:
        preview, source = self.preview, self.source
        if preview is None or source is None:
            return
        if preview.settings != self.options.settings():  # the options changed since: what they would do now
            self.summary_view.setPlainText("Looking through the Takeout again with the options chosen…")
            self.tabs.setCurrentWidget(self.summary_view)
            self._look_through(source, then_show=True)
            return
        try:
            choice = self.output_options.choice()
        except OutputChoiceError:
            choice = None
        free_bytes = free_space(choice[0]) if choice else preview.free_bytes  # the drive of the folder chosen
        self.summary_view.setPlainText("\n".join(preview_lines(preview, free_bytes)))
        self.tabs.setCurrentWidget(self.summary_view)

    def resume_unfinished(self) -> None:
        self.output_options.mode_resume.setChecked(True)
        self.output_options.force_box.setChecked(False)
        self.start()

    def _continue(self, retry_failed: bool = False, decisions: dict[str, Decision] | None = None) -> None:
        """Run again on the output just shown, with its own settings: Retry failed, and Review's decisions."""
        output, source = self.run_output, self.source
        if output is None or source is None:
            return
        try:
            saved = StateStore(output).peek_head().settings
        except (StateError, OSError, ValueError) as error:
            tell(self, "Cannot continue that run", f"The progress saved in {output} cannot be read: {error}.")
            return
        request = RunRequest.of(source.chosen, output, saved, retry_failed=retry_failed, decisions=decisions or {})
        self._launch(request)

    def start(self) -> None:
        """Start a run into the folder the options say, through the command line's resolver."""
        source = self.source
        if source is None or not self.start_button.isEnabled():
            return
        folder, force = self.output_options.target()
        request = RunRequest.of(source.chosen, folder, self.options.settings(), force=force)
        self.options.remember(self.settings)
        self._launch(request)

    def _launch(self, request: RunRequest) -> None:
        if self.job is not None and self.job.running:
            return
        try:
            resolved = resolve_run(request)
        except RequestRefused as error:
            tell(self, "The run cannot start", f"{error}.")
            return
        if not self._enough_space(resolved.free_bytes):
            return
        self.summary, self.run_output = None, resolved.job.output
        self.summary_view.clear()
        self.resume_banner.hide()
        self.options.set_open(False)
        self.run_view.begin()
        self.job = EngineJob(resolved.job, self)
        self.job.event.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self._set_running(True)
        self._started_at = time.monotonic()
        self.keep_awake.hold("Copying photos from a Google Takeout")
        self.job.start()

    def _enough_space(self, free: int | None) -> bool:
        """Ask before a run the chosen folder's drive looks too small for (the engine asks again, exactly)."""
        preview = self.preview
        if preview is None or free is None or free >= preview.to_copy:
            return True
        question = space_question(free, preview.to_copy)
        return ask(self, "Not enough free space", question, "Start anyway", "Cancel")

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

    def open_output(self, name: str = "") -> None:
        """Open the output folder, or a file of pef's in it, with the desktop's own application."""
        if self.run_output is not None and (self.run_output / name).exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.run_output / name)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Enter starts, wherever the focus is, once the Takeout is looked through (a field passes Enter on)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.start_button.isEnabled():
            self.start_button.click()
            return
        super().keyPressEvent(event)

    def _set_running(self, running: bool) -> None:
        ready = self.preview is not None and self.preview.media > 0 and not running
        self.source_panel.setEnabled(not running)
        self.options.setVisible(not running)  # while a run goes, it owns the window
        has_output = not running and self.run_output is not None and self.run_output.exists()
        has_failed = bool(self.review.rows.failed) and not running
        actions = self.actions_
        for enabled, widgets in (
            (ready, (self.start_button, actions.start, self.preview_button, actions.preview)),
            (not running, (self.resume_button, self.review, self.options)),
            (running, (self.pause_button, self.stop_button, actions.pause, actions.stop)),
            (has_output, (self.open_button, actions.open_output, actions.open_report, actions.open_log)),
            (has_failed, (actions.retry,)),
        ):
            for widget in widgets:
                widget.setEnabled(enabled)
        self.pause_button.setVisible(True)
        if not running:
            self.pause_button.setText("&Pause")

    def _on_event(self, event: object) -> None:
        self.run_view.show_event(event)
        match event:
            case RunStarted(output=output):
                self.output_options.show_text(f"Writing into {output}")
            case ControlChanged(state="paused", reason=reason):
                self.pause_button.setText("Resume")
                self.pause_button.setVisible(not reason)  # pef paused itself: its banner has the one Resume
                self.keep_awake.release()
            case ControlChanged(state="running"):
                self.pause_button.setText("&Pause")
                self.pause_button.setVisible(True)
                self.keep_awake.hold("Copying photos from a Google Takeout")
            case ControlChanged(state="stopping"):
                self.pause_button.setEnabled(False)
                self.stop_button.setEnabled(False)
            case Message(text=text):
                self.summary_view.appendPlainText(text)

    def _on_finished(self, summary: RunSummary) -> None:
        self.keep_awake.release()
        self.summary = summary
        self.summary_view.appendPlainText("\n".join(summary_lines(summary)))
        self.run_view.finish(summary)
        self._load_review()
        self._set_running(False)
        if self.source is not None:
            self._offer_unfinished(self.source)
        self.output_options.refresh()  # what Start would write to now
        if time.monotonic() - self._started_at >= LONG_RUN_SECONDS:
            notify(self, "pef: the run ended", headline(summary))
        self.run_finished.emit(summary)

    def _load_review(self) -> None:
        """Review the run just ended; dates it writes from names or typed in are in that run's zone."""
        try:
            zone = StateStore(self.run_output).peek_head().settings.timezone if self.run_output else "auto"
            fixed = resolve_zone(zone).fixed
        except (StateError, OSError, ValueError):
            zone, fixed = "auto", None
        self.tabs.review_run(self.source, self.run_output, fixed, zone if fixed is not None else "")

    def _on_failed(self, message: str) -> None:
        self.keep_awake.release()
        self.run_view.fail(message)
        self.summary_view.appendPlainText(message)
        self._set_running(False)
        tell(self, "The run stopped", message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.job is not None and self.job.running:
            question = "A run is going. Stop it and close? Its progress is saved: the next start offers to resume."
            if not ask(self, "Stop the run and close?", question, "Stop and close", "Keep running"):
                event.ignore()
                return
            self.job.stop()
            self.job.wait()  # workers finish the file in hand; never QThread.terminate()
        self.keep_awake.release()
        if self._preview_job is not None:
            self._preview_job.wait()
        self.review.wait()
        self.settings.setValue("window/geometry", self.saveGeometry())
        event.accept()
