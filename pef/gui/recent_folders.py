"""The Recent button: Takeouts used before that still exist (folders or parts), newest first, remembered."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMenu, QToolButton

from pef.run.request import join_sources, split_sources
from pef.takeout.parts import TakeoutParts

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
        return [text for text in stored if all(path.exists() for path in split_sources(text))][:RECENT_LIMIT]

    def remember(self, source: TakeoutParts) -> None:
        text = join_sources(source.chosen)
        recent = [text, *[f for f in self.folders() if f != text]][:RECENT_LIMIT]
        self.settings.setValue("recent", recent)
        self.settings.setValue("lastFolder", str(source.chosen[0].parent))
        self.fill()

    def fill(self) -> None:
        self.menu_.clear()
        folders = self.folders()
        self.settings.setValue("recent", folders)  # missing folders are dropped
        for folder in folders:
            self.menu_.addAction(folder, lambda f=folder: self.chosen.emit(f))
        self.setEnabled(bool(folders))
