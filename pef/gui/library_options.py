"""The options that shape the library a run writes: albums, folders, the Trash, duplicates."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout

from pef.model.library import AlbumMode, DuplicateMode, Layout
from pef.model.records import RunSettings

ALBUM_CHOICES = (
    ("One file per photo, albums as keywords", AlbumMode.KEYWORDS),
    ("Album folders of links to the photos", AlbumMode.LINK),
    ("Full copies in every album folder", AlbumMode.COPY),
)
LAYOUT_CHOICES = (
    ("As in the Takeout (Photos from 2019, albums)", Layout.TAKEOUT),
    ("By year (2019)", Layout.YEAR),
    ("By year and month (2019/07)", Layout.MONTH),
    ("By day (2019/07/14)", Layout.DAY),
)
ALBUM_WORDS = {
    AlbumMode.KEYWORDS: "albums as keywords",
    AlbumMode.LINK: "albums as links",
    AlbumMode.COPY: "albums copied",
}
LAYOUT_WORDS = {
    Layout.TAKEOUT: "folders as in the Takeout",
    Layout.YEAR: "folders by year",
    Layout.MONTH: "folders by month",
    Layout.DAY: "folders by day",
}


def _combo(name: str, tip: str, choices: tuple) -> QComboBox:
    box = QComboBox()
    for label, value in choices:
        box.addItem(label, value)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    return box


class LibraryOptions(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Your library")
        self.albums_box = _combo(
            "What becomes of album folders",
            "Google's download holds a photo once in its year folder and again in every album. Keywords: one "
            "file per photo, its albums written into it (photo apps show them as tags) and listed in albums.csv. "
            "Links: album folders hold links to the one file. Copies: full copies, as Google's download has.",
            ALBUM_CHOICES,
        )
        self.layout_box = _combo(
            "Folders",
            "As in the Takeout, or folders by the date written into each photo; photos without a date go to "
            "Undated. Trash, Archive, Locked Folder and a partner's photos always get folders of their own.",
            LAYOUT_CHOICES,
        )
        self.skip_trash_box = QCheckBox("Leave out the Trash")
        self.skip_trash_box.setToolTip(
            "Photos you deleted in Google Photos are in its Trash (Bin). Unticked: they go to a Trash folder of "
            "their own; ticked: they are left out and listed in the report."
        )
        self.link_duplicates_box = QCheckBox("Link photos uploaded twice")
        self.link_duplicates_box.setToolTip(
            "The same bytes twice in the library (a photo uploaded twice): ticked, the second is a link to the "
            "first, so its bytes are not stored twice. Either way, the summary and the report name them."
        )
        layout = QFormLayout(self)
        layout.addRow("Albums:", self.albums_box)
        layout.addRow("Folders:", self.layout_box)
        boxes = QHBoxLayout()
        boxes.addWidget(self.skip_trash_box)
        boxes.addWidget(self.link_duplicates_box)
        boxes.addStretch(1)
        layout.addRow(boxes)

    def applied(self, settings: RunSettings) -> RunSettings:
        """`settings` with the modes chosen here."""
        return replace(
            settings,
            albums=AlbumMode(self.albums_box.currentData()),  # a combo box gives its data back as plain text
            layout=Layout(self.layout_box.currentData()),
            skip_trash=self.skip_trash_box.isChecked(),
            duplicates=DuplicateMode.LINK if self.link_duplicates_box.isChecked() else DuplicateMode.KEEP,
        )

    def show_settings(self, settings: RunSettings) -> None:
        self.albums_box.setCurrentIndex(self.albums_box.findData(settings.albums.value))
        self.layout_box.setCurrentIndex(self.layout_box.findData(settings.layout.value))
        self.skip_trash_box.setChecked(settings.skip_trash)
        self.link_duplicates_box.setChecked(settings.duplicates is DuplicateMode.LINK)

    def restore(self, settings: QSettings) -> None:
        defaults = RunSettings()
        self.show_settings(
            replace(
                defaults,
                albums=AlbumMode(settings.value("library/albums", defaults.albums.value, type=str)),
                layout=Layout(settings.value("library/layout", defaults.layout.value, type=str)),
                skip_trash=settings.value("library/skipTrash", False, type=bool),
                duplicates=DuplicateMode(settings.value("library/duplicates", defaults.duplicates.value, type=str)),
            )
        )

    def remember(self, settings: QSettings) -> None:
        chosen = self.applied(RunSettings())
        settings.setValue("library/albums", chosen.albums.value)
        settings.setValue("library/layout", chosen.layout.value)
        settings.setValue("library/skipTrash", chosen.skip_trash)
        settings.setValue("library/duplicates", chosen.duplicates.value)

    def words(self) -> str:
        """The modes in a few words, for the folded options line."""
        chosen = self.applied(RunSettings())
        words = [LAYOUT_WORDS[chosen.layout], ALBUM_WORDS[chosen.albums]]
        if chosen.skip_trash:
            words.append("Trash left out")
        if chosen.duplicates is DuplicateMode.LINK:
            words.append("duplicates linked")
        return ", ".join(words)
