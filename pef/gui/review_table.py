"""Review's tables: unmatched media, orphan sidecars, failed files, duplicates, from the run's pef-report.csv.

A table model behind a sort/filter proxy keeps 100k rows fast; thumbnails are asked for only for the
rows on screen.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from pef.model.library import CopyKind
from pef.present.words import explanation, reason_words
from pef.state.layout import REPORT_NAME

COLUMNS = ("File", "Why", "Details")
DUPLICATE = CopyKind.DUPLICATE.value  # the Why of a duplicate: not a reason, a finding
ROW_HEIGHT = 44


@dataclass(frozen=True)
class ReviewRow:
    source: str  # path inside the Takeout
    reason: str  # the reason code (the report's words for machines)
    details: str
    output: str  # path inside the output folder ("" when nothing was written)

    @property
    def why(self) -> str:
        return reason_words(self.reason) if self.reason else ""

    @property
    def sentence(self) -> str:
        return explanation(self.reason)


@dataclass(frozen=True)
class ReviewRows:
    unmatched: tuple[ReviewRow, ...] = ()
    orphans: tuple[ReviewRow, ...] = ()
    failed: tuple[ReviewRow, ...] = ()
    duplicates: tuple[ReviewRow, ...] = ()  # a photo uploaded twice: the second of each pair
    used_sidecars: tuple[str, ...] = ()  # sidecars a file uses: candidates for a file in the same folder


def _details(row: dict[str, str]) -> str:
    """The error without the path it starts with (the File column has it)."""
    error = row["error"]
    for prefix in (f"{row['source']}: ", f"{row['sidecar']}: " if row["sidecar"] else None):
        if prefix and error.startswith(prefix):
            error = error[len(prefix) :]
    return error or (f"sidecar: {row['sidecar']}" if row["sidecar"] else "")


def read_review(output: Path) -> ReviewRows:
    """The rows to review, from an output folder's report (empty when it has none yet)."""
    groups: dict[str, list[ReviewRow]] = {"unmatched": [], "orphans": [], "failed": [], "duplicates": []}
    used: list[str] = []
    try:
        with open(output / REPORT_NAME, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["kind"] == "sidecar" and row["status"] == "used":
                    used.append(row["source"])
                group = {"unmatched": "unmatched", "orphan": "orphans", "failed": "failed"}.get(row["status"])
                if group:
                    groups[group].append(ReviewRow(row["source"], row["reason"], _details(row), row["output"]))
                if row.get("copy") == CopyKind.DUPLICATE:
                    groups["duplicates"].append(ReviewRow(row["source"], DUPLICATE, _twin(row), row["output"]))
    except FileNotFoundError:
        pass
    return ReviewRows(*(tuple(groups[name]) for name in ("unmatched", "orphans", "failed", "duplicates")), tuple(used))


def _twin(row: dict[str, str]) -> str:
    how = {"hard": "a hard link to its file", "symbolic": "a symbolic link to its file"}.get(
        row["link"], "a file of its own"
    )
    return f"the same bytes as {row['copy_of']}; written as {how}"


class ReviewModel(QAbstractTableModel):
    def __init__(self, rows: tuple[ReviewRow, ...] = (), picture: Callable[[ReviewRow], QIcon | None] | None = None):
        super().__init__()
        self._rows = rows
        self._text: list[str] = []
        self._picture = picture  # a row's thumbnail (None while it is decoded)

    def set_rows(self, rows: tuple[ReviewRow, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._text = [f"{r.source}\t{r.why}\t{r.details}".casefold() for r in rows]
        self.endResetModel()

    def matches(self, row: int, needle: str) -> bool:
        return needle in self._text[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python in one pass: a proxy's sort would call data() a million times for 100k rows."""
        self.layoutAboutToBeChanged.emit()
        key = (lambda r: r.source, lambda r: r.why, lambda r: r.details)[column] if column >= 0 else None
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

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.source.rpartition("/")[2], row.why, row.details)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (row.source, row.sentence, row.details)[index.column()] or None
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and self._picture is not None:
            return self._picture(row)
        return None

    def refresh_pictures(self, source_key: str) -> None:
        """A thumbnail arrived: repaint the rows of that file."""
        for number, row in enumerate(self._rows):
            if row.source == source_key:
                index = self.index(number, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

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

    def __init__(self, name: str, picture: Callable[[ReviewRow], QIcon | None] | None = None) -> None:
        super().__init__()
        self.model = ReviewModel(picture=picture)
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
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName(name)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        if picture is not None:
            self.view.setIconSize(QSize(ROW_HEIGHT - 6, ROW_HEIGHT - 6))
            self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def set_rows(self, rows: tuple[ReviewRow, ...]) -> None:
        """New rows, in the order the header's arrow shows."""
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

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
