"""Review what a run could not do fully: unmatched media, orphan sidecars, failed files.

Rows come from the run's pef-report.csv (its own record of every source file). A table model behind a
sort/filter proxy keeps 100k rows fast.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pef.state.layout import REPORT_NAME

COLUMNS = ("File", "Reason", "Details")


@dataclass(frozen=True)
class ReviewRow:
    source: str  # path inside the Takeout
    reason: str
    details: str
    output: str  # path inside the output folder ("" when nothing was written)


@dataclass(frozen=True)
class ReviewRows:
    unmatched: tuple[ReviewRow, ...] = ()
    orphans: tuple[ReviewRow, ...] = ()
    failed: tuple[ReviewRow, ...] = ()


def read_review(output: Path) -> ReviewRows:
    """The rows to review, from an output folder's report (empty when it has none yet)."""
    groups: dict[str, list[ReviewRow]] = {"unmatched": [], "orphans": [], "failed": []}
    try:
        with open(output / REPORT_NAME, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                group = {"unmatched": "unmatched", "orphan": "orphans", "failed": "failed"}.get(row["status"])
                if group:
                    details = row["error"] or (f"sidecar: {row['sidecar']}" if row["sidecar"] else "")
                    groups[group].append(ReviewRow(row["source"], row["reason"], details, row["output"]))
    except FileNotFoundError:
        pass
    return ReviewRows(*(tuple(groups[name]) for name in ("unmatched", "orphans", "failed")))


class ReviewModel(QAbstractTableModel):
    def __init__(self, rows: tuple[ReviewRow, ...] = ()) -> None:
        super().__init__()
        self._rows = rows
        self._text: list[str] = []

    def set_rows(self, rows: tuple[ReviewRow, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._text = [f"{r.source}\t{r.reason}\t{r.details}".casefold() for r in rows]
        self.endResetModel()

    def matches(self, row: int, needle: str) -> bool:
        return needle in self._text[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python in one pass: a proxy's sort would call data() a million times for 100k rows."""
        self.layoutAboutToBeChanged.emit()
        key = (lambda r: r.source, lambda r: r.reason, lambda r: r.details)[column] if column >= 0 else None
        paired = sorted(
            zip(self._rows, self._text, strict=True),
            key=lambda p: key(p[0]) if key else 0,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._rows, self._text = tuple(p[0] for p in paired), [p[1] for p in paired]
        self.layoutChanged.emit()

    def row_at(self, row: int) -> ReviewRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 (Qt's names)
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        return (row.source, row.reason, row.details)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class ReviewProxy(QSortFilterProxyModel):
    """Filters on one precomputed text per row and lets the model sort itself (both fast at 100k rows)."""

    def __init__(self) -> None:
        super().__init__()
        self._needle = ""

    def set_needle(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 on; invalidateRowsFilter() before
            self.beginFilterChange()
            self._needle = text.casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.casefold()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex) -> bool:  # noqa: N802 (Qt's name)
        return not self._needle or self.sourceModel().matches(source_row, self._needle)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class ReviewTable(QWidget):
    """One tab: a filter box and a sortable table."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.model = ReviewModel()
        self.proxy = ReviewProxy()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(f"Filter {name}…")
        self.filter.setAccessibleName(f"Filter {name}")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_needle)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def selected(self) -> ReviewRow | None:
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(self.proxy.mapToSource(indexes[0]).row())

    def visible_rows(self) -> list[ReviewRow]:
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]


class ReviewPanel(QWidget):
    retry_failed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.source: Path | None = None
        self.output: Path | None = None
        self.tabs = QTabWidget()
        self.unmatched = ReviewTable("unmatched media")
        self.orphans = ReviewTable("orphan sidecars")
        self.failed = ReviewTable("failed files")
        for table in (self.unmatched, self.orphans, self.failed):
            self.tabs.addTab(table, "")
            table.view.doubleClicked.connect(lambda _index, t=table: self.open_file(t))
        self.show_button = QPushButton("Show in &folder")
        self.show_button.clicked.connect(self.show_in_folder)
        self.retry_button = QPushButton("&Retry failed")
        self.retry_button.clicked.connect(self.retry_failed)
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.clicked.connect(self.export_csv)
        buttons = QHBoxLayout()
        for button in (self.show_button, self.retry_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(buttons)
        self.load(None, None)

    def load(self, source: Path | None, output: Path | None) -> None:
        self.source, self.output = source, output
        rows = read_review(output) if output else ReviewRows()
        for index, (table, label, items) in enumerate(
            (
                (self.unmatched, "&Unmatched", rows.unmatched),
                (self.orphans, "&Orphan sidecars", rows.orphans),
                (self.failed, "F&ailed", rows.failed),
            )
        ):
            table.model.set_rows(items)
            table.view.resizeColumnToContents(0)
            self.tabs.setTabText(index, f"{label} ({len(items):,})")
        self.retry_button.setEnabled(bool(rows.failed))

    def current(self) -> ReviewTable:
        return self.tabs.currentWidget()

    def _path_of(self, row: ReviewRow) -> Path | None:
        if row.output and self.output:
            return self.output / row.output
        return self.source / row.source if self.source else None

    def open_file(self, table: ReviewTable) -> None:
        row = table.selected()
        if row and (path := self._path_of(row)):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def show_in_folder(self) -> None:
        row = self.current().selected()
        if row and (path := self._path_of(row)):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def export_csv(self, target: str | None = None) -> None:
        if target is None:
            target, _ = QFileDialog.getSaveFileName(self, "Export the rows shown", "pef-review.csv", "CSV (*.csv)")
        if not target:
            return
        with open(target, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "reason", "details"])
            for row in self.current().visible_rows():
                writer.writerow([row.source, row.reason, row.details])
