"""One row of Review, and what can be done about it: a sidecar to choose, the date in its name, a date typed in."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pef.gui.background import Background
from pef.gui.dialogs import DateDialog
from pef.gui.review_table import ReviewRow, ReviewRows
from pef.gui.thumbnails import Thumbnails
from pef.model.outcomes import DecisionKind
from pef.model.photo import Metadata
from pef.model.records import Decision
from pef.takeout.candidates import Candidate, rank_candidates, rank_owners
from pef.takeout.name_dates import NameDate, date_from_name, wall_instant
from pef.takeout.parts import TakeoutParts
from pef.takeout.parts_source import PartsSource
from pef.takeout.sidecar import parse_sidecar
from pef.takeout.survey import read_small

PICTURE = 160
WHAT_TO_DO = {
    "unmatched": "\nGive it one of the sidecars below, the date in its name, or a date by hand: pef writes it in.",
    "orphans": "\nIf one of the photos below is its own, give it to that photo: pef writes its metadata in.",
    "failed": "\nRetry failed tries it again once the cause is fixed.",
    "duplicates": "\nThe same photo was uploaded twice. pef keeps both unless the option “Link photos uploaded "
    "twice” (--duplicates link) is on: then the second is a link to the first and takes no room.",
}


def _when(taken: int | None) -> str:
    return datetime.fromtimestamp(taken).strftime("%d %b %Y %H:%M") if taken is not None else "no date"


@dataclass(frozen=True)
class Context:
    """What the view needs to know of the run it reviews."""

    source: TakeoutParts
    output: Path
    zone: tzinfo | None  # the run's fixed zone (None: this computer's), for dates from names and typed ones
    zone_name: str  # in words
    rows: ReviewRows


@functools.lru_cache(maxsize=1)
def listed(parts: TakeoutParts) -> PartsSource:
    """The Takeout under review, listed once (a .tgz is read through for it), then read by key."""
    source = PartsSource(parts)
    for _entry in source.entries():
        pass
    return source


def _candidates(context: Context, key: str) -> list[Candidate]:
    folder = key.rpartition("/")[0]
    orphans = frozenset(row.source for row in context.rows.orphans)
    pool = [*orphans, *(s for s in context.rows.used_sidecars if s.rpartition("/")[0] == folder)]
    source = listed(context.source)
    dates = []
    if (modified := source.modified(key)) is not None:
        dates.append(modified)
    if (named := date_from_name(key.rpartition("/")[2])) is not None:
        dates.append(named.instant(context.zone))
    return rank_candidates(key, tuple(dates), pool, orphans, lambda k: read_small(source, k))


def _owners(context: Context, key: str) -> tuple[Metadata | None, list[str]]:
    data = read_small(listed(context.source), key)
    parsed = parse_sidecar(data) if data is not None else None
    metadata = parsed if isinstance(parsed, Metadata) else None
    return metadata, rank_owners(key, metadata.title if metadata else "", (r.source for r in context.rows.unmatched))


class ResolveView(QWidget):
    decide = Signal(object)  # dict[str, Decision]

    def __init__(self) -> None:
        super().__init__()
        self.context: Context | None = None
        self.row: ReviewRow | None = None
        self.kind = ""
        self.name_date: NameDate | None = None
        self.thumbnails = Thumbnails(PICTURE, self)
        self.thumbnails.ready.connect(self._picture_arrived)
        self.background = Background(self)
        self.background.done.connect(self._found)
        self.picture = QLabel()
        self.picture.setFixedSize(PICTURE, PICTURE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel()
        self.name_label.setTextFormat(Qt.TextFormat.RichText)
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.name_date_label = QLabel()
        self.name_date_label.setWordWrap(True)
        self.name_date_button = QPushButton("Use the date &given by its name")
        self.name_date_button.setToolTip("Write this date into the photo, as a sidecar's date would be written")
        self.name_date_button.clicked.connect(self._use_name_date)
        self.candidates_label = QLabel()
        self.candidates_label.setWordWrap(True)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates")
        self.candidates.setMinimumHeight(60)
        self.candidates.currentRowChanged.connect(lambda _row: self._enable())
        self.candidates.itemDoubleClicked.connect(lambda _item: self.use_button.click())
        self.use_button = QPushButton("&Use this sidecar")
        self.use_button.clicked.connect(self._use_candidate)
        self.date_button = QPushButton("Set date &by hand…")
        self.date_button.setToolTip("Type the date and time the photo was taken")
        self.date_button.clicked.connect(self._set_date)
        self._lay_out()
        self.show_row("", None)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        for label in (self.name_label, self.why_label):
            words.addWidget(label)
        words.addStretch(1)
        top.addLayout(words, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.use_button)
        actions.addWidget(self.date_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.name_date_label)
        layout.addWidget(self.name_date_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidates, 1)
        layout.addLayout(actions)

    def set_context(self, context: Context | None) -> None:
        self.context = context
        self.show_row("", None)

    def show_row(self, kind: str, row: ReviewRow | None) -> None:
        """Show a row of the Unmatched, Orphan sidecars or Failed tab (None: nothing selected)."""
        self.kind, self.row = kind, row
        self.candidates.clear()
        self.name_date = date_from_name(row.source.rpartition("/")[2]) if row and kind == "unmatched" else None
        self.name_label.setText(f"<b>{escape(row.source)}</b>" if row else "")  # a name is text, never markup
        if row is None:
            self.why_label.setText("Select a file to see what can be done.")
        else:
            details = f"\n{row.details}" if row.details else ""
            self.why_label.setText(f"{row.sentence}{details}{WHAT_TO_DO.get(kind, '')}")
        self.name_date_label.setVisible(self.name_date is not None)
        self.name_date_button.setVisible(self.name_date is not None)
        if self.name_date is not None:
            self.name_date_label.setText(f"Its name says when it was taken: {self.name_date.words()}.")
        self.picture.setVisible(kind == "unmatched")
        self.candidates_label.setVisible(kind in ("unmatched", "orphans"))
        self.candidates.setVisible(kind in ("unmatched", "orphans"))
        self.use_button.setVisible(kind in ("unmatched", "orphans"))
        self.date_button.setVisible(kind == "unmatched")
        self.use_button.setText("&Use this sidecar" if kind == "unmatched" else "&Use it for this photo")
        if row is not None and self.context is not None and kind in ("unmatched", "orphans"):
            self.candidates_label.setText(
                "Looking for sidecars that may be its own…" if kind == "unmatched" else "Reading it…"
            )
            if kind == "unmatched":
                self._show_picture()
                self.background.run((kind, row.source), lambda key=row.source: _candidates(self.context, key))
            else:
                self.background.run((kind, row.source), lambda key=row.source: _owners(self.context, key))
        self._enable()

    def _show_picture(self) -> None:
        if self.row is None or self.context is None:
            return
        path = self.context.output / self.row.output if self.row.output else self.context.source / self.row.source
        pixmap = self.thumbnails.get(path)
        self.picture.setPixmap(pixmap) if pixmap is not None else self.picture.setText("…")
        self.picture.setToolTip(str(path))

    def _picture_arrived(self, _path: str) -> None:
        self._show_picture()

    def _found(self, tag: tuple[str, str], result: object) -> None:
        if self.row is None or tag != (self.kind, self.row.source):
            return  # another row was selected meanwhile
        if isinstance(result, Exception):
            self.candidates_label.setText(f"Could not look for candidates: {result}")
            return
        if self.kind == "unmatched":
            self._list_candidates(result)
        else:
            self._list_owners(*result)
        self._enable()

    def _list_candidates(self, found: list[Candidate]) -> None:
        self.candidates_label.setText(
            "Sidecars that may be its own (orphans first):" if found else "No sidecar looks like its own."
        )
        for candidate in found:
            orphan = " · orphan" if candidate.orphan else " · used by another file"
            item = QListWidgetItem(f"{candidate.title} — {_when(candidate.taken)}{orphan}\n{candidate.key}")
            item.setData(Qt.ItemDataRole.UserRole, candidate.key)
            item.setToolTip(candidate.key)
            self.candidates.addItem(item)
        if found:
            self.candidates.setCurrentRow(0)

    def _list_owners(self, metadata: Metadata | None, owners: list[str]) -> None:
        said = f"“{metadata.title}”, taken {_when(metadata.taken)}" if metadata else "it cannot be read"
        self.candidates_label.setText(
            f"This sidecar says {said}. Photos it may belong to:" if owners else f"This sidecar says {said}."
        )
        for key in owners:
            item = QListWidgetItem(key)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.candidates.addItem(item)
        if owners and metadata is not None:
            self.candidates.setCurrentRow(0)

    def _enable(self) -> None:
        self.use_button.setEnabled(self.candidates.currentItem() is not None)

    def _chosen(self) -> str | None:
        item = self.candidates.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _use_candidate(self) -> None:
        chosen = self._chosen()
        if self.row is None or chosen is None:
            return
        media, sidecar = (self.row.source, chosen) if self.kind == "unmatched" else (chosen, self.row.source)
        self.decide.emit({media: Decision(DecisionKind.SIDECAR, sidecar=sidecar)})

    def _use_name_date(self) -> None:
        if self.row is not None and self.name_date is not None and self.context is not None:
            self.decide.emit({self.row.source: self.name_date.decision(self.context.zone)})

    def _set_date(self) -> None:
        if self.row is None or self.context is None:
            return
        name, start = self.row.source.rpartition("/")[2], self.name_date.wall if self.name_date else None
        dialog = DateDialog(self, name, start, self.context.zone_name)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            taken = wall_instant(dialog.wall(), self.context.zone)
            self.decide.emit({self.row.source: Decision(DecisionKind.MANUAL, taken=taken)})

    def wait(self) -> None:
        self.background.wait()
        self.thumbnails.wait()
