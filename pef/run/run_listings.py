"""The run's listings, written at its end: the report, and albums.csv where there are albums."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pef.model.events import Event, Level, Message
from pef.run.albums_file import album_rows, write_albums
from pef.run.report import report_rows, write_report
from pef.state.layout import ALBUMS_NAME, REPORT_NAME
from pef.state.store import RunState
from pef.takeout.survey import Survey


def write_run_listings(output: Path, survey: Survey, state: RunState, emit: Callable[[Event], None]) -> bool:
    """Both listings; False when one could not be written (said, and written again by the next run)."""
    written = _write(output, REPORT_NAME, lambda path: write_report(path, report_rows(survey, state.files)), emit)
    albums = album_rows(survey, state)
    if albums or (output / ALBUMS_NAME).exists():
        written &= _write(output, ALBUMS_NAME, lambda path: write_albums(path, albums), emit)
    return written


def _write(output: Path, name: str, write: Callable[[Path], None], emit: Callable[[Event], None]) -> bool:
    try:
        write(output / name)
    except OSError as error:
        emit(Message(Level.ERROR, f"Could not write {name} ({error.strerror or error}); the next run writes it again."))
        return False
    return True
