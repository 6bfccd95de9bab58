"""Questions and notices with a title of their own and buttons that say what they do."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


def ask(parent: QWidget, title: str, text: str, do: str, dont: str = "Cancel") -> bool:
    """A question answered by a verb: True when the person clicked `do`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(do, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(dont, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def tell(parent: QWidget, title: str, text: str, detail: str = "") -> None:
    """A notice that something could not be done, and why."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setInformativeText(detail)
    box.exec()


class DateDialog(QDialog):
    """Set date…: the moment a photo was taken, as a wall-clock time on this computer."""

    def __init__(self, parent: QWidget, name: str, start: datetime | None, zone: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set the date taken")
        label = QLabel(f"When was <b>{escape(name)}</b> taken? (time in {escape(zone)})")
        label.setWordWrap(True)
        self.edit = QDateTimeEdit(QDateTime(start) if start else QDateTime.currentDateTime())
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.edit.setCalendarPopup(True)
        self.edit.setAccessibleName("Date and time taken")
        buttons = QDialogButtonBox()
        buttons.addButton("Set this date", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    def wall(self) -> datetime:
        """The date and time typed, as a wall-clock time (the run's zone makes it an instant)."""
        return self.edit.dateTime().toPython().replace(tzinfo=None, microsecond=0)
