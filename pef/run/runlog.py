"""pef.log: the run's own account, one line per event worth keeping (appended across resumes)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pef.model.events import Event, EventSink, FileFinished, Level, Message, RunFinished, RunStarted, ScanFinished
from pef.model.outcomes import FileStatus
from pef.state.layout import LOG_NAME


class RunLog:
    """An event sink that writes to OUTPUT/pef.log."""

    def __init__(self, folder: Path) -> None:
        # backslashreplace: text from the OS (names that are not UTF-8) must never stop the log
        self._handle: TextIO = open(folder / LOG_NAME, "a", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        self.failure: OSError | None = None  # the log stops at the first failed write (a full disk)

    def _line(self, text: str) -> None:
        if self.failure is None:
            try:
                self._handle.write(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S%z} {text}\n")
            except OSError as error:
                self.failure = error

    def __call__(self, event: Event) -> None:
        match event:
            case Message(level=level, text=text, detail=detail):
                self._line(f"{level.value.upper()}: {text}" + (f"\n{detail.rstrip()}" if detail else ""))
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self._line(f"scan: {media} media files ({size} bytes), {sidecars} sidecars")
            case RunStarted(output=output, total=total, already_done=done):
                self._line(f"run started into {output}: {total} media files, {done} already finished")
            case FileFinished(record=record) if record.status is not FileStatus.DONE:
                reason = record.reason.value if record.reason else ""
                detail = f" — {record.error}" if record.error else ""
                self._line(f"{record.status.value} [{reason}] {record.key}{detail}")
            case RunFinished(summary=summary):
                self._line(
                    f"run {summary.status}: {summary.done} done, {sum(summary.unmatched.values())} unmatched, "
                    f"{sum(summary.failed.values())} failed of {summary.total}"
                )
                self._flush()

    def _flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as error:
            self.failure = self.failure or error

    def close(self) -> None:
        self._flush()
        try:
            self._handle.close()
        except OSError as error:
            self.failure = self.failure or error


@contextlib.contextmanager
def logging_to(folder: Path, sinks: list[EventSink], emit: Callable[[Event], None]) -> Iterator[RunLog]:
    """Events go to the folder's pef.log too, while in this block; a log that could not be kept whole is said."""
    log = RunLog(folder)
    sinks.append(log)
    try:
        yield log
    finally:
        sinks.remove(log)
        log.close()
        if log.failure is not None:
            emit(Message(Level.WARNING, f"pef.log is incomplete: {log.failure.strerror or log.failure}."))
