"""albums.csv: every album of the Takeout, its photos in order, and the output that holds each one.

Written in every mode, so another tool can rebuild the albums whatever pef did with the album folders
(copies, links, or nothing but the albums' names in each photo's metadata).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pef.run.listing import write_listing
from pef.state.store import RunState
from pef.takeout.survey import Survey

COLUMNS = ("album", "position", "output", "source")


@dataclass(frozen=True)
class AlbumRow:
    album: str
    position: int  # 1, 2, … in the order of the album's folder
    output: str  # the file (or link) that holds the photo, relative to the output folder; "" while not done
    source: str  # the album's own entry in the Takeout


def album_rows(survey: Survey, state: RunState) -> list[AlbumRow]:
    rows: list[AlbumRow] = []
    positions: dict[str, int] = {}
    for task in survey.tasks.in_key_order():
        folder = task.key.rpartition("/")[0]
        album = survey.library.album_of(task.key)
        if not album:
            continue
        positions[folder] = positions.get(folder, 0) + 1
        record = state.files.get(task.key)
        rows.append(AlbumRow(album, positions[folder], (record.output or "") if record else "", task.key))
    return rows


def write_albums(path: Path, rows: Iterable[AlbumRow]) -> None:
    write_listing(path, COLUMNS, rows)
