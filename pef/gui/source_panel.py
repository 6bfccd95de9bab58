"""The first step: which Takeout, what it holds, and a run of it left unfinished."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pef.gui.banner import banner
from pef.gui.recent_folders import RecentFolders
from pef.present.words import human_bytes
from pef.run.preview import Preview, UnfinishedRun
from pef.run.request import join_sources, source_problem, split_sources
from pef.takeout.parts import TakeoutParts, find_parts


class SourcePanel(QWidget):
    changed = Signal()  # the person typed, chose, dropped or picked a recent folder

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            "The Takeout folder you extracted (it holds “Google Photos”), or the downloaded .zip/.tgz parts — "
            "or drop them here"
        )
        self.edit.setAccessibleName("Takeout folder")
        self.edit.editingFinished.connect(self.changed)
        self.choose_button = QPushButton("&Choose Takeout folder…")
        self.choose_button.setToolTip("The folder Google's download became once extracted")
        self.choose_button.clicked.connect(self.choose)
        self.parts_button = QPushButton("Pic&k .zip/.tgz parts…")
        self.parts_button.setToolTip("Google's download as it came: pef reads the parts without extracting them")
        self.parts_button.clicked.connect(self.choose_parts)
        self.recent = RecentFolders(settings)
        self.recent.chosen.connect(self.set_folder)
        self.found_label = QLabel()
        self.found_label.setWordWrap(True)
        self.resume_label = QLabel()
        self.resume_button = QPushButton("Resum&e")
        self.resume_button.setAccessibleName("Resume the unfinished run")
        self.resume_button.setToolTip("Go on where the run stopped; nothing is done twice")
        bold = self.resume_button.font()
        bold.setBold(True)
        self.resume_button.setFont(bold)
        self.resume_banner = banner(self.resume_label, self.resume_button)
        self.resume_banner.hide()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.parts_button)
        row.addWidget(self.recent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.found_label)
        layout.addWidget(self.resume_banner)

    @property
    def source(self) -> TakeoutParts | None:
        """The Takeout the field names (a folder, parts, or both), or None while it names nothing readable."""
        if source_problem(self.edit.text()) is not None:
            return None
        return find_parts(split_sources(self.edit.text()))

    def _start(self) -> str:
        chosen = split_sources(self.edit.text())
        return str(chosen[0]) if chosen else self.settings.value("lastFolder", "", type=str)

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose your Takeout folder", self._start())
        if folder:
            self.set_folder(folder)

    def choose_parts(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Choose the parts of your Takeout", self._start(), "Takeout parts (*.zip *.tgz *.tar.gz *.tar)"
        )
        if files:
            self.set_paths([Path(file) for file in files])

    def set_folder(self, folder: str) -> None:
        self.edit.setText(folder)
        self.changed.emit()

    def set_paths(self, paths: list[Path]) -> None:
        """Several parts (chosen or dropped at once) in the one field."""
        self.set_folder(join_sources(paths))

    def offer(self, unfinished: UnfinishedRun | None) -> None:
        """Show the banner of a run left unfinished (or hide it)."""
        if unfinished is None:
            self.resume_banner.hide()
            return
        try:
            when = datetime.fromisoformat(unfinished.started).strftime("%d %b %Y")
        except ValueError:
            when = "an earlier day"
        self.resume_label.setText(
            f"A run from {when} was not finished: {unfinished.finished:,} of {unfinished.total:,} files "
            f"are done, in {unfinished.folder.name}. Resume it to do the rest."
        )
        self.resume_banner.show()
        self.resume_button.setFocus()

    def show_found(self, preview: Preview) -> None:
        if preview.media == 0:
            self.found_label.setText(
                f"No photos or videos in {preview.source.label}. Is this the Takeout? It holds a folder "
                "called “Google Photos” (or your language's name for it)."
            )
        else:
            parts = len(preview.source.parts)
            where = f" in {parts:,} parts" if not preview.source.is_folder else ""
            self.found_label.setText(
                f"{preview.media:,} photos and videos ({human_bytes(preview.total_bytes)}) and "
                f"{preview.sidecars:,} sidecars found{where}. Start copies them with their dates, places and words."
            )
