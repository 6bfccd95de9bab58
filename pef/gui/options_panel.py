"""The options, folded to one line once chosen: where the run writes and what it writes."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from pef.gui.library_options import LibraryOptions
from pef.gui.metadata_options import MetadataOptions
from pef.gui.output_options import OutputOptions
from pef.model.records import RunSettings


class OptionsPanel(QWidget):
    def __init__(self, output: OutputOptions, metadata: MetadataOptions, library: LibraryOptions) -> None:
        super().__init__()
        self.output, self.metadata, self.library = output, metadata, library
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setText("&Options")
        self.toggle.setAccessibleName("Show the options")
        self.toggle.setToolTip("Where pef writes, and what it writes into the files")
        self.toggle.toggled.connect(self.set_open)
        self.line = QLabel()
        self.line.setTextFormat(Qt.TextFormat.PlainText)
        self.line.setWordWrap(True)
        self.body = QWidget()
        side_by_side = QHBoxLayout(self.body)
        side_by_side.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.addWidget(output)
        left.addWidget(library)
        side_by_side.addLayout(left, 3)
        side_by_side.addWidget(metadata, 2)
        head = QHBoxLayout()
        head.addWidget(self.toggle)
        head.addWidget(self.line, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.body)
        for signal in (
            output.shown,
            metadata.exif_box.toggled,
            metadata.xmp_box.toggled,
            metadata.zone_box.currentTextChanged,
            metadata.suffix_edit.textChanged,
            library.albums_box.currentIndexChanged,
            library.layout_box.currentIndexChanged,
            library.skip_trash_box.toggled,
            library.link_duplicates_box.toggled,
        ):
            signal.connect(lambda *_: self.summarize())
        self.set_open(False)

    def settings(self) -> RunSettings:
        """What a run would write, as the options say."""
        return self.library.applied(self.metadata.settings())

    def show_settings(self, settings: RunSettings) -> None:
        self.metadata.show_settings(settings)
        self.library.show_settings(settings)

    def restore(self, saved: QSettings) -> None:
        self.output.force_box.setChecked(saved.value("options/force", False, type=bool))
        self.metadata.restore(saved)
        self.library.restore(saved)

    def remember(self, saved: QSettings) -> None:
        saved.setValue("options/force", self.output.force_box.isChecked())
        self.metadata.remember(saved)
        self.library.remember(saved)

    def set_open(self, shown: bool) -> None:
        self.toggle.setChecked(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.body.setVisible(shown)
        self.summarize()

    def summarize(self) -> None:
        """The options in one line: the folder the run would write to and what it writes."""
        where = self.output.output_label.text() or "a new folder beside the Takeout"
        settings = self.metadata.settings()
        zone = self.metadata.zone()
        zone_words = {"auto": "where each photo was taken", "local": "this computer's"}.get(zone, zone)
        what = (
            f"dates, places and words written into the files (time zone: {zone_words})"
            if settings.write_exif
            else "files copied only, nothing written into them"
        )
        if settings.write_exif and settings.xmp_files:
            what += ", and .xmp files beside them"
        self.line.setText(f"{where} · {self.library.words()} · {what}")
