"""The Recent button: Takeouts used before that still exist, newest first, remembered in the settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMenu, QToolButton

RECENT_LIMIT = 8


class RecentFolders(QToolButton):
    chosen = Signal(str)  # a folder picked from the menu

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.settings = settings
        self.setText("Recent")
        self.setAccessibleName("Recent Takeout folders")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.fill()

    def folders(self) -> list[str]:
        stored = self.settings.value("recent", [], type=list) or []
        return [folder for folder in stored if Path(folder).is_dir()][:RECENT_LIMIT]

    def remember(self, source: Path) -> None:
        recent = [str(source), *[f for f in self.folders() if f != str(source)]][:RECENT_LIMIT]
        self.settings.setValue("recent", recent)
        self.settings.setValue("lastFolder", str(source.parent))
        self.fill()

    def fill(self) -> None:
        self.menu_.clear()
        folders = self.folders()
        self.settings.setValue("recent", folders)  # missing folders are dropped
        for folder in folders:
            self.menu_.addAction(folder, lambda f=folder: self.chosen.emit(f))
        self.setEnabled(bool(folders))
