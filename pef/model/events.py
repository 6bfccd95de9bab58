"""What the engine tells its subscribers (the CLI, the window, the log). Plain values, no Qt."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from pef.model.records import FileRecord


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Message:
    level: Level
    text: str  # one line for people
    detail: str = ""  # for pef.log only (a traceback)


@dataclass(frozen=True)
class ScanFinished:
    media: int
    sidecars: int
    media_bytes: int


@dataclass(frozen=True)
class RunStarted:
    output: Path
    total: int
    already_done: int
    total_bytes: int
    done_bytes: int


@dataclass(frozen=True)
class FileFinished:
    record: FileRecord
    finished: int  # files finished so far, prior runs included
    total: int
    bytes_done: int
    tally: Counter = field(default_factory=Counter)  # status → files, prior runs included


@dataclass(frozen=True)
class ControlChanged:
    """The run was paused, resumed, told to stop … `reason` says why when pef did it by itself."""

    state: str
    reason: str = ""


@dataclass(frozen=True)
class FileRetrying:
    key: str
    retry: int  # 1, 2, 3
    delay: float  # seconds before this retry
    error: str


@dataclass(frozen=True)
class SpaceShortage:
    needed: int  # bytes still to copy
    free: int  # bytes free on the output drive


@dataclass(frozen=True)
class RunSummary:
    """The counts of a run (or of a dry run's forecast), as shown at its end."""

    output: Path | None
    total: int
    done: int
    unmatched: Counter = field(default_factory=Counter)  # reason → count
    failed: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)  # date source → files whose date came from it
    orphans: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    status: str = "completed"
    reason: str = ""  # why a run paused itself
    dry_run: bool = False
    report: Path | None = None
    failures: tuple[FileRecord, ...] = ()
    folders: Counter = field(default_factory=Counter)  # top-level output folder → outputs there (links too)
    links: Counter = field(default_factory=Counter)  # link kind → outputs standing in for another's file
    saved_bytes: int = 0  # bytes not written twice, thanks to those
    album_copies: int = 0  # files recognised as copies of a photo, in album folders
    duplicates: int = 0  # … and in the library (uploaded twice)


@dataclass(frozen=True)
class RunFinished:
    summary: RunSummary


Event = Message | ScanFinished | RunStarted | FileFinished | RunFinished | ControlChanged | FileRetrying | SpaceShortage


class EventSink(Protocol):
    def __call__(self, event: Event) -> None: ...
