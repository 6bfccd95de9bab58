"""Review what a run could not do fully, and resolve it: unmatched media, orphan sidecars, failed files."""

from __future__ import annotations

import csv
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from pef.gui.resolve_view import Context, ResolveView
from pef.gui.review_table import ROW_HEIGHT, ReviewRow, ReviewRows, ReviewTable, read_review
from pef.gui.thumbnails import Thumbnails
from pef.model.records import Decision
from pef.takeout.name_dates import date_from_name
from pef.takeout.parts import TakeoutParts

KINDS = ("unmatched", "orphans", "failed", "duplicates")


class ReviewPanel(QWidget):
    retry_failed = Signal()
    decide = Signal(object)  # dict[str, Decision]: the run continues with them

    def __init__(self) -> None:
        super().__init__()
        self.source: TakeoutParts | None = None
        self.output: Path | None = None
        self.rows = ReviewRows()
        self.zone: tzinfo | None = None
        self.thumbnails = Thumbnails(ROW_HEIGHT - 6, self)
        self.tabs = QTabWidget()
        self.unmatched = ReviewTable("unmatched media", self._picture)
        self.orphans = ReviewTable("orphan sidecars")
        self.failed = ReviewTable("failed files")
        self.duplicates = ReviewTable("photos uploaded twice")
        self.thumbnails.ready.connect(self._picture_arrived)
        for table, tip in (
            (self.unmatched, "Photos and videos copied without metadata: pef found no sidecar it could be sure of"),
            (self.orphans, "Sidecars (the .json files with dates and places) that no photo or video uses"),
            (self.failed, "Files pef could not copy, or copied without the metadata they should have"),
            (self.duplicates, "Photos in the library twice with the same bytes (uploaded twice), and what pef did"),
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(table, ""), tip)
            table.view.doubleClicked.connect(lambda _index, t=table: self.open_file(t))
            table.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.tabs.currentChanged.connect(lambda _index: self._selected())
        self.resolve = ResolveView()
        self.resolve.decide.connect(self.decide)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.resolve)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.show_button = QPushButton("Show in folder")
        self.show_button.clicked.connect(self.show_in_folder)
        self.all_dates_button = QPushButton("Dates from names for &all")
        self.all_dates_button.setToolTip("Write the date each unmatched file's name carries (IMG_20190512_123456…)")
        self.all_dates_button.clicked.connect(self._all_name_dates)
        self.retry_button = QPushButton("Retr&y failed")
        self.retry_button.setToolTip("Try every failed file again, also those a retry usually cannot fix")
        self.retry_button.clicked.connect(self.retry_failed)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the rows shown in this tab to a spreadsheet file")
        self.export_button.clicked.connect(lambda _checked=False: self.export_csv())
        buttons = QHBoxLayout()
        for button in (self.show_button, self.all_dates_button, self.retry_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.load(None, None)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name): a laptop screen has room for few rows
        return QSize(super().minimumSizeHint().width(), 110)

    def load(
        self, source: TakeoutParts | None, output: Path | None, zone: tzinfo | None = None, zone_name: str = ""
    ) -> None:
        self.source, self.output, self.zone = source, output, zone
        self.rows = read_review(output) if output else ReviewRows()
        for index, (table, label, items) in enumerate(
            (
                (self.unmatched, "Un&matched", self.rows.unmatched),
                (self.orphans, "Orphan s&idecars", self.rows.orphans),
                (self.failed, "Fai&led", self.rows.failed),
                (self.duplicates, "Duplicates", self.rows.duplicates),
            )
        ):
            table.set_rows(items)
            table.view.setColumnWidth(0, 260)
            table.view.setColumnWidth(1, 130)
            self.tabs.setTabText(index, f"{label} ({len(items):,})")
        self.retry_button.setEnabled(bool(self.rows.failed))
        named = self._name_dates()
        self.all_dates_button.setText(f"Dates from names for &all ({len(named):,})")
        self.all_dates_button.setEnabled(bool(named))
        context = Context(source, output, zone, zone_name or "this computer's time zone", self.rows)
        self.resolve.set_context(context if source and output else None)
        self._selected()

    def current(self) -> ReviewTable:
        return self.tabs.currentWidget()

    def _selected(self) -> None:
        table = self.current()
        self.resolve.show_row(KINDS[self.tabs.currentIndex()], table.selected())
        self.show_button.setEnabled(table.selected() is not None)

    def _picture(self, row: ReviewRow):
        path = self._path_of(row)
        return self.thumbnails.icon(path) if path is not None else None

    def _picture_arrived(self, path: str) -> None:
        for row in self.rows.unmatched:
            if str(self._path_of(row)) == path:
                self.unmatched.model.refresh_pictures(row.source)
                return

    def _name_dates(self) -> dict[str, Decision]:
        decisions = {}
        for row in self.rows.unmatched:
            named = date_from_name(row.source.rpartition("/")[2])
            if named is not None:
                decisions[row.source] = named.decision(self.zone)
        return decisions

    def _all_name_dates(self) -> None:
        decisions = self._name_dates()
        if decisions:
            self.decide.emit(decisions)

    def _path_of(self, row: ReviewRow) -> Path | None:
        if row.output and self.output:
            return self.output / row.output
        if self.source is not None and self.source.is_folder:
            return self.source.parts[0].path / row.source
        return None  # inside a downloaded part: nothing to open until it is copied

    def open_file(self, table: ReviewTable) -> None:
        row = table.selected()
        if row and (path := self._path_of(row)):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def show_in_folder(self) -> None:
        row = self.current().selected()
        if row and (path := self._path_of(row)):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def export_csv(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the rows shown", str(Path.home() / "pef-review.csv"), "CSV (*.csv)"
        )
        if not target:
            return
        with open(target, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "reason", "why", "details"])
            for row in self.current().visible_rows():
                writer.writerow([row.source, row.reason, row.sentence, row.details])

    def select_first(self) -> None:
        """Select the first row of the tab shown (after a load), so its details are there at once."""
        view = self.current().view
        if view.model().rowCount() and not view.selectionModel().hasSelection():
            view.selectRow(0)
            view.setCurrentIndex(view.model().index(0, 0, QModelIndex()))

    def wait(self) -> None:
        self.thumbnails.wait()
        self.resolve.wait()
