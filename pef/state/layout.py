"""The names pef gives its own files in an output folder: one list, so no media output can take one."""

from __future__ import annotations

STATE_NAME = "processing_state.json"
JOURNAL_NAME = "processing_state.journal"
REPORT_NAME = "pef-report.csv"
ALBUMS_NAME = "albums.csv"  # every album: its photos' outputs, in order (other tools rebuild the albums from it)
LOG_NAME = "pef.log"
LOCK_NAME = ".pef.lock"
RESERVE_NAME = ".pef-reserve"
WORK_DIR = ".pef-work"  # outputs being written, under short names of pef's own; emptied on every start
LEGACY_PARTIAL_SUFFIX = ".pef-partial"  # pef 0.1 wrote `.<name>.pef-partial` beside each output


def temporary_name(name: str) -> str:
    """The name a file is written under before it atomically replaces `name`."""
    return f".{name}.tmp"


_ATOMIC = (STATE_NAME, REPORT_NAME, ALBUMS_NAME)
OWN_NAMES = frozenset(
    {STATE_NAME, JOURNAL_NAME, REPORT_NAME, ALBUMS_NAME, LOG_NAME, LOCK_NAME, RESERVE_NAME, WORK_DIR}
    | {temporary_name(name) for name in _ATOMIC}
)
# Files whose presence proves that a pef run used the folder (a kill -9 can leave only the lock or the log).
RUN_MARKERS = frozenset({STATE_NAME, JOURNAL_NAME})
