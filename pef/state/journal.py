"""Append-only journal of finished files: one JSON line each, replayed into the snapshot on start."""

from __future__ import annotations

import ctypes
import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pef.model.record_table import RecordTable
from pef.model.records import FileRecord


def _load_syncfs():
    """Linux's syncfs, from the C library pef runs with (`find_library` would start `ldconfig` in every process)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_SYNCFS = _load_syncfs()


def sync_file_system(fd: int) -> None:
    """Make every write to this file system durable (outputs before the journal that names them)."""
    if _SYNCFS is not None and _SYNCFS(fd) == 0:
        return
    os.sync()


@dataclass(frozen=True)
class Replay:
    records: RecordTable  # rows of their own (a journal holds a few of the files), the last line of each key
    damaged_lines: int  # torn or garbled lines that were skipped


class Journal:
    """Appended to by the engine's thread; `sync` may run on another (the store's syncer) at the same time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._lock = threading.Lock()
        self._appended = self._synced = 0  # lines written, and lines known durable

    def open(self) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            if os.fstat(self._fd).st_size and not self._ends_with_newline():
                os.write(self._fd, b"\n")  # a torn last line must not swallow the next record

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def append_all(self, records: list[FileRecord]) -> None:
        """A line each, in one write (a kill tears at most the last line, which the replay skips)."""
        self.open()
        lines = "".join(record.json_text(key=True) + "\n" for record in records)
        data = memoryview(lines.encode("utf-8", "backslashreplace"))  # \udcXX: a JSON escape that reads back as itself
        while data:  # a full disk writes part, then refuses the rest
            data = data[os.write(self._fd, data) :]
        with self._lock:
            self._appended += len(records)

    def sync(self) -> None:
        """Make the outputs and every line written so far durable (the lock is not held while the disk works)."""
        with self._lock:
            if self._fd is None or self._synced == self._appended:
                return
            fd, lines = os.dup(self._fd), self._appended  # a copy of the descriptor: a close meanwhile cannot hurt
        try:
            sync_file_system(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        with self._lock:
            self._synced = max(self._synced, lines)

    def truncate(self) -> None:
        self.open()
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def replay(self) -> Replay:
        return replay_lines(_lines(self.path))


def _lines(path: Path) -> Iterator[bytes]:
    if not path.exists():
        return
    with open(path, "rb") as handle:
        yield from handle


def replay_lines(lines: Iterator[bytes]) -> Replay:
    records = RecordTable()
    damaged = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            record = FileRecord.from_json(data["key"], data)
        except (ValueError, KeyError, TypeError, AttributeError):
            damaged += 1
            continue
        records[record.key] = record
    return Replay(records, damaged)
