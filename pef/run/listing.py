"""The run's CSV listings (pef-report.csv, albums.csv): streamed to disk a thousand rows at a time, atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from operator import attrgetter
from pathlib import Path

from pef.state.store import write_atomically

CHUNK_ROWS = 1000


def csv_chunks(columns: tuple[str, ...], rows: Iterable[object]) -> Iterator[bytes]:
    """The header and each row's attributes named by `columns`; a BOM first, so that Excel reads UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    encoding = "utf-8-sig"
    values = attrgetter(*columns)
    for number, row in enumerate(rows, 1):
        writer.writerow(values(row) if len(columns) > 1 else (values(row),))
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode(encoding, "backslashreplace")
            buffer.seek(0)
            buffer.truncate()
            encoding = "utf-8"
    yield buffer.getvalue().encode(encoding, "backslashreplace")


def write_listing(path: Path, columns: tuple[str, ...], rows: Iterable[object]) -> None:
    write_atomically(path, csv_chunks(columns, rows))
