"""The options that change what a run writes: metadata on or off, name dates, .xmp files, the zone, suffixes."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit

from pef.model.records import RunSettings

ZONE_CHOICES = (
    ("Where each photo was taken (auto)", "auto"),
    ("This computer's zone (local)", "local"),
    ("UTC", "UTC"),
    ("Europe/London", "Europe/London"),
    ("Europe/Paris", "Europe/Paris"),
    ("America/New_York", "America/New_York"),
    ("Asia/Tokyo", "Asia/Tokyo"),
)


def _checkbox(text: str, tip: str, checked: bool = True) -> QCheckBox:
    box = QCheckBox(text)
    box.setToolTip(tip)
    box.setChecked(checked)
    return box


class MetadataOptions(QGroupBox):
    def __init__(self) -> None:
        super().__init__("What to write")
        self.exif_box = _checkbox(
            "Write date, place and words into the files",
            "Each photo's sidecar (the .json file Google puts beside it) holds its date, place, caption and "
            "people: pef writes them into the copy. Unticked: files are only copied, with their dates as file times.",
        )
        self.name_dates_box = _checkbox(
            "Date files without a sidecar from their names",
            "Many names carry the moment a photo was taken (IMG_20190512_123456.jpg, WhatsApp Image 2023-12-25 "
            "at 14.30.45.jpeg). Ticked: files with no usable sidecar get that date; the report says it came "
            "from the name.",
        )
        self.xmp_box = _checkbox(
            "Also put an .xmp file beside each file",
            "The metadata always goes inside the files pef can write into. Some asset managers (darktable, "
            "digiKam, Lightroom) prefer an .xmp file beside each one as well.",
            checked=False,
        )
        self.exif_box.toggled.connect(self.name_dates_box.setEnabled)
        self.exif_box.toggled.connect(self.xmp_box.setEnabled)
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        for label, zone in ZONE_CHOICES:
            self.zone_box.addItem(label, zone)
        self.zone_box.setAccessibleName("Time zone for dates")
        self.zone_box.setMaximumWidth(320)
        self.zone_box.setToolTip(
            "auto = the zone where each photo was taken (from its place), else this computer's zone; "
            "local = always this computer's zone; or an Area/City name"
        )
        self.suffix_edit = QLineEdit()
        self.suffix_edit.setPlaceholderText("e.g. -retouche, -mine")
        self.suffix_edit.setAccessibleName("More suffixes of edited copies")
        self.suffix_edit.setMaximumWidth(320)
        self.suffix_edit.setToolTip(
            "An edited copy (IMG_1-edited.jpg) shares its original's sidecar. Google's suffixes are known; "
            "add those of your language here, separated by commas."
        )
        layout = QFormLayout(self)
        layout.addRow(self.exif_box)
        layout.addRow(self.name_dates_box)
        layout.addRow(self.xmp_box)
        layout.addRow("Time &zone:", self.zone_box)
        layout.addRow("Edit suffi&xes:", self.suffix_edit)

    def restore(self, settings: QSettings) -> None:
        self.exif_box.setChecked(settings.value("options/writeExif", True, type=bool))
        self.name_dates_box.setChecked(settings.value("options/nameDates", True, type=bool))
        self.xmp_box.setChecked(settings.value("options/xmpFiles", False, type=bool))
        self.set_zone(settings.value("options/timezone", "auto", type=str))
        self.suffix_edit.setText(settings.value("options/suffixes", "", type=str))

    def remember(self, settings: QSettings) -> None:
        settings.setValue("options/writeExif", self.exif_box.isChecked())
        settings.setValue("options/nameDates", self.name_dates_box.isChecked())
        settings.setValue("options/xmpFiles", self.xmp_box.isChecked())
        settings.setValue("options/timezone", self.zone())
        settings.setValue("options/suffixes", self.suffix_edit.text())

    def settings(self) -> RunSettings:
        suffixes = tuple(part.strip() for part in self.suffix_edit.text().split(",") if part.strip())
        return RunSettings(
            suffixes, self.exif_box.isChecked(), self.zone(), self.name_dates_box.isChecked(), self.xmp_box.isChecked()
        )

    def show_settings(self, settings: RunSettings) -> None:
        self.exif_box.setChecked(settings.write_exif)
        self.name_dates_box.setChecked(settings.name_dates)
        self.xmp_box.setChecked(settings.xmp_files)
        self.set_zone(settings.timezone)
        self.suffix_edit.setText(", ".join(settings.suffixes))

    def zone(self) -> str:
        """The zone setting: a listed choice's value, or the Area/City name typed in."""
        text = self.zone_box.currentText().strip()
        listed = self.zone_box.findText(text)
        return (self.zone_box.itemData(listed) if listed >= 0 else text) or "auto"

    def set_zone(self, zone: str) -> None:
        listed = self.zone_box.findData(zone)
        if listed >= 0:
            self.zone_box.setCurrentIndex(listed)
        else:
            self.zone_box.setCurrentText(zone)
