"""processing_state.json: the run's state, saved atomically, with the journal folded in."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring
from pathlib import Path

from pef.model.keys import KeyRows
from pef.model.record_table import RecordTable
from pef.model.records import Decision, FileRecord, RunSettings, now_iso
from pef.state.finished import FinishedRun
from pef.state.journal import Journal
from pef.state.layout import JOURNAL_NAME, STATE_NAME, temporary_name

VERSION = 1
# A lone surrogate (from text the OS gave) is written as the JSON escape it stands for: \udcff reads back as itself.
JSON_TEXT_ERRORS = "backslashreplace"
JOURNAL_SYNC_SECONDS = 1.0
MIN_SNAPSHOT_SECONDS = 5.0
CHUNK_RECORDS = 1000
HEAD_READ, MAX_HEAD_BYTES = 1 << 20, 256 << 20
FILES_MARKER = b',\n "files": {\n'  # where a snapshot's head ends and its records begin
SNAPSHOT_END = b"\n }\n}"
SNAPSHOT_COST_SHARE = 0.02  # snapshots may take at most this share of the run's time


class StateError(Exception):
    """A state file that cannot be used as it is."""


class RunStatus:
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    COMPLETED = "completed"


@dataclass
class RunState:
    source_path: str
    settings: RunSettings
    started: str = field(default_factory=now_iso)
    last_updated: str = field(default_factory=now_iso)
    status: str = RunStatus.RUNNING
    total: int = 0
    files: RecordTable = field(default_factory=RecordTable)
    orphan_sidecars: list[str] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)  # media key → what the person chose in Review
    parts: list[str] = field(default_factory=list)  # the folders and archives read as this Takeout
    finished: FinishedRun | None = None  # set by a run as it completes: what a run finding nothing changed says

    @property
    def part_paths(self) -> list[str]:
        """The parts this run read (a state from before parts were recorded: its source folder)."""
        return self.parts or ([self.source_path] if self.source_path else [])

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            **{status.value: count for status, count in self.files.status_counts().items()},
            "pending": max(self.total - len(self.files), 0),
        }

    def json_chunks(self) -> Iterator[bytes]:
        """The state as JSON, a thousand records at a time: never a second copy of the whole state in memory."""
        summary = files_summary(self.files)  # before the files: `pef progress` reads no further
        head = json.dumps({**self.as_head(), "summary": summary}, ensure_ascii=False, indent=1)
        yield head.removesuffix("\n}").encode("utf-8", JSON_TEXT_ERRORS) + FILES_MARKER
        records = self.files.values()
        lead = ""
        while batch := list(itertools.islice(records, CHUNK_RECORDS)):
            text = ",\n".join(f"  {encode_basestring(record.key)}: {record.json_text()}" for record in batch)
            yield (lead + text).encode("utf-8", JSON_TEXT_ERRORS)
            lead = ",\n"
        yield SNAPSHOT_END

    def as_head(self) -> dict:
        """Everything but the files."""
        return {
            "version": VERSION,
            "source_path": self.source_path,
            "parts": self.parts,
            "settings": self.settings.as_json(),
            "started": self.started,
            "last_updated": self.last_updated,
            "status": self.status,
            "stats": self.counts(),
            "orphan_sidecars": self.orphan_sidecars,
            "decisions": {key: decision.as_json() for key, decision in self.decisions.items()},
            **({"finished": self.finished.as_json()} if self.finished else {}),
        }

    @classmethod
    def from_json(
        cls,
        data: object,
        records: Iterable[tuple[str, object]] | None = None,
        keys: KeyRows | None = None,
    ) -> RunState:
        """`records`: the files read apart from `data` (a file read a line at a time), else `data["files"]`.

        `keys`: the survey's files (`TaskTable.key_rows`), whose rows their records take.
        """
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise StateError("not a version-1 pef state file")
        try:
            pairs = data["files"].items() if records is None else records
            files = RecordTable((FileRecord.from_json(key, entry) for key, entry in pairs), keys)
            return cls(
                source_path=str(data["source_path"]),
                parts=[str(part) for part in data.get("parts", [])],
                settings=RunSettings.from_json(data.get("settings", {})),
                started=str(data.get("started", "")),
                last_updated=str(data.get("last_updated", "")),
                status=str(data.get("status", RunStatus.STOPPED)),
                total=int(data.get("stats", {}).get("total", len(files))),
                files=files,
                orphan_sidecars=list(data.get("orphan_sidecars", [])),
                decisions={key: Decision.from_json(value) for key, value in data.get("decisions", {}).items()},
                finished=_finished(data.get("finished")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise StateError(f"state file is damaged ({error.__class__.__name__}: {error})") from error


def _finished(data: object) -> FinishedRun | None:
    """A completed run's account; damaged, it is only lost (the next run looks at everything again)."""
    try:
        return FinishedRun.from_json(data) if isinstance(data, dict) else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read_state(path: Path, keys: KeyRows | None = None) -> RunState:
    """A state file; written by this pef, its records are parsed a line at a time (never all as JSON values at once)."""
    found = read_head(path)
    if found is None:
        return RunState.from_json(json.loads(path.read_bytes()), keys=keys)
    head, records_at = found
    with open(path, "rb") as handle:
        handle.seek(records_at)
        return RunState.from_json(head, _record_lines(handle), keys)


def _record_lines(lines: Iterable[bytes]) -> Iterator[tuple[str, object]]:
    """The records of a snapshot's `files`, one a line, up to the braces that close it (a cut file raises)."""
    ends = 0  # closing braces met: " }" ends the files, "}" the state
    for line in lines:
        text = line.strip()
        if ends == 0 and text not in (b"", b"}"):
            ((key, entry),) = json.loads(b"{" + text.removesuffix(b",") + b"}").items()
            yield key, entry
        elif text == b"}" and ends < 2:
            ends += 1
        elif text:
            raise ValueError(f"unexpected text after the records: {text[:40]!r}")
    if ends < 2:
        raise ValueError("the file ends before its records do (cut)")


def files_summary(records: RecordTable) -> dict:
    """The links made and the files that failed (with what went wrong), as the state's head keeps them."""
    links = sorted((link.value, count) for link, count in records.link_counts().items())
    failed = [[r.key, r.error or (r.reason.value if r.reason else "")] for r in records.failed()]
    return {"links": dict(links), "failed": sorted(failed)}


def read_head(path: Path) -> tuple[dict, int] | None:
    """The head of a state file written with its summary, and where its records begin; None: read it whole."""
    text = bytearray()
    try:
        with open(path, "rb") as handle:
            while (end := text.find(FILES_MARKER, max(0, len(text) - HEAD_READ - len(FILES_MARKER)))) < 0:
                chunk = handle.read(HEAD_READ)
                if not chunk or len(text) > MAX_HEAD_BYTES:  # an older file: its files come amid the head
                    return None
                text += chunk
    except OSError:
        return None
    try:
        head = json.loads(bytes(text[:end]) + b"\n}")
    except ValueError:
        return None
    if not isinstance(head, dict) or not {"summary", "stats", "source_path", "status"} <= head.keys():
        return None
    return head, end + len(FILES_MARKER)


def head_state(path: Path) -> RunState | None:
    """The state in a file's head, without its files; None when the file has no usable head (read it whole)."""
    found = read_head(path)
    if found is None:
        return None
    try:
        return RunState.from_json({**found[0], "files": {}})
    except StateError:
        return None


def ends_whole(path: Path) -> bool:
    """Whether a state file ends as a snapshot does (one cut short does not)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - len(SNAPSHOT_END)))
            return handle.read() == SNAPSHOT_END
    except OSError:
        return False


def write_atomically(path: Path, data: bytes | Iterable[bytes], room: Path | None = None) -> None:
    """Temp file in the same folder, flush, fsync, rename, fsync the folder: never a torn file.

    `room`: a file whose blocks are already allocated (the space reserve); it becomes the temp file,
    so a full disk cannot refuse the write and no other writer can take the space first.
    """
    temporary = path.with_name(temporary_name(path.name))
    if room is not None:
        with contextlib.suppress(FileNotFoundError):
            os.replace(room, temporary)
    with open(temporary, "r+b" if temporary.exists() else "wb") as handle:
        for chunk in [data] if isinstance(data, bytes) else data:
            handle.write(chunk)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@dataclass(frozen=True)
class Loaded:
    state: RunState
    notes: tuple[str, ...]  # what the user must be told (a damaged file set aside, lines skipped)
    rebuilt: bool = False  # the snapshot was lost: what the journal lacks must be found in the outputs


class StateStore:
    """Owns the state of one output folder. Used from the engine's thread; its syncer makes the journal durable."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / STATE_NAME
        self.journal = Journal(folder / JOURNAL_NAME)
        self.state: RunState | None = None
        self._held: list[FileRecord] = []  # recorded in memory, not yet in the journal
        self._last_snapshot = time.monotonic()
        self._closing = threading.Event()
        self._syncer = threading.Thread(target=self._sync_in_background, name="pef-syncer", daemon=True)
        self._snapshot_interval = MIN_SNAPSHOT_SECONDS
        # in journal writes and snapshots: what being resumable costs the run (the syncer works beside it)
        self.seconds_spent = 0.0
        self.snapshots = 0

    def exists(self) -> bool:
        return self.path.exists() or self.journal.path.exists()

    def peek(self) -> RunState:
        """The saved state with the journal folded in; changes nothing on disk."""
        return self.load(set_aside=False).state

    def peek_head(self) -> RunState:
        """The saved state without its files (source, parts, settings): from the file's head where it can be."""
        return head_state(self.path) or self.peek()

    def load(self, set_aside: bool = True, keys: KeyRows | None = None) -> Loaded:
        """`keys`: the survey's files (`TaskTable.key_rows`), whose rows their records take."""
        notes: list[str] = []
        state: RunState | None = None
        if self.path.exists():
            try:
                state = read_state(self.path, keys)
            except (OSError, ValueError, StateError) as error:
                if not set_aside:
                    raise StateError(f"the state file is unreadable ({error})") from error
                aside = self.path.with_name(f"{STATE_NAME}.corrupt-{datetime.now():%Y%m%d-%H%M%S}")
                while aside.exists():  # never overwrite an earlier damaged file
                    aside = aside.with_name(aside.name + "+")
                os.replace(self.path, aside)
                notes.append(
                    f"The state file was unreadable ({error}); it was kept as {aside.name} and the "
                    "progress was rebuilt from the journal and the output folder."
                )
        replay = self.journal.replay()
        if replay.damaged_lines:
            notes.append(
                f"{replay.damaged_lines} damaged journal line(s) were skipped (a torn last write); "
                "those files will be done again."
            )
        rebuilt = state is None or not state.source_path
        if state is None:
            if not replay.records and not notes:
                raise StateError(f"no state in {self.folder}")
            state = RunState(source_path="", settings=RunSettings())
        state.files.update(replay.records)
        return Loaded(state, tuple(notes), rebuilt)

    def begin(self, state: RunState, save: bool = True) -> None:
        self.state = state
        if save:
            self.snapshot(RunStatus.RUNNING)
        self._syncer.start()

    def hold(self, record: FileRecord) -> None:
        """A finished file, in the state now and in the journal with the next `write_held`."""
        assert self.state is not None
        self.state.files[record.key] = record
        self._held.append(record)

    def write_held(self) -> None:
        """The files held since the last call, into the journal in one write; then a snapshot if one is due."""
        started = time.monotonic()
        if self._held:
            self.journal.append_all(self._held)
            self._held = []
        self.checkpoint_if_due()
        self.seconds_spent += time.monotonic() - started

    def checkpoint_if_due(self) -> None:
        if time.monotonic() - self._last_snapshot >= self._snapshot_interval:
            self.snapshot(RunStatus.RUNNING)

    def _sync_in_background(self) -> None:
        """Every second, the outputs and the journal lines written so far made durable, while the run goes on."""
        while not self._closing.wait(JOURNAL_SYNC_SECONDS):
            with contextlib.suppress(OSError):  # a drive gone or full: the engine meets it on its next write
                self.journal.sync()

    def snapshot(self, status: str, room: Path | None = None) -> None:
        """Fold the journal into the state file and empty the journal (`room`: see write_atomically)."""
        assert self.state is not None
        started = time.monotonic()
        self.journal.sync()  # outputs and journal durable before the snapshot that replaces them
        self.state.status = status
        self.state.last_updated = now_iso()
        write_atomically(self.path, self.state.json_chunks(), room)
        self.journal.truncate()
        self._held = []  # in the snapshot
        if status == RunStatus.COMPLETED:
            self.journal.close()
            self.journal.path.unlink(missing_ok=True)
        finished = time.monotonic()
        self.snapshots += 1
        self.seconds_spent += finished - started
        # a snapshot costs O(files): space them out so their total stays a small share of the run
        self._snapshot_interval = max(MIN_SNAPSHOT_SECONDS, (finished - started) / SNAPSHOT_COST_SHARE)
        self._last_snapshot = finished

    def close(self) -> None:
        self._closing.set()
        if self._syncer.is_alive():
            self._syncer.join()
        self.journal.close()
