"""Output folders: their names (SRC_pefProcessed, (1), (2) …), the latest unfinished one, the lock."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pef.state.layout import LOCK_NAME, OWN_NAMES, RUN_MARKERS, STATE_NAME

SUFFIX = "_pefProcessed"


def default_output(source: Path) -> Path:
    """The first free name: SRC_pefProcessed, SRC_pefProcessed(1), (2) …"""
    base = source.parent / f"{source.name}{SUFFIX}"
    candidate, counter = base, 0
    while candidate.exists():
        counter += 1
        candidate = base.with_name(f"{base.name}({counter})")
    return candidate


def _names(folder: Path) -> set[str] | None:
    try:
        return {item.name for item in os.scandir(folder)}
    except OSError:
        return None


def holds_pef_run(folder: Path) -> bool:
    """A folder a pef run has used: its state, or only pef's own files (a run killed before its first save)."""
    names = _names(folder)
    return bool(names) and (bool(names & RUN_MARKERS) or names <= OWN_NAMES)  # type: ignore[operator]


def _last_used(folder: Path) -> float:
    for marker in (folder / STATE_NAME, folder):
        try:
            return marker.stat().st_mtime
        except OSError:
            continue
    return 0.0


def output_candidates(source: Path) -> list[Path]:
    """Existing SRC_pefProcessed* folders that a pef run has used, most recently updated first."""
    pattern = re.compile(re.escape(f"{source.name}{SUFFIX}") + r"(\(\d+\))?$")
    if not source.parent.is_dir():
        return []
    found = [
        child
        for child in source.parent.iterdir()
        if pattern.match(child.name) and child.is_dir() and not child.is_symlink() and holds_pef_run(child)
    ]
    return sorted(found, key=_last_used, reverse=True)


def is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _holder_of(lock_fd: int) -> str:
    """The pid a run wrote into the lock file it holds."""
    return os.pread(lock_fd, 32, 0).decode(errors="replace").strip() or "another process"


def in_use_message(folder: Path, holder: str) -> str:
    return f"{folder} is in use by another pef run (pid {holder}); wait for it or stop it first"


def lock_holder(folder: Path) -> str | None:
    """The pid of the run holding this folder, or None when no run holds it (asked without taking it)."""
    import fcntl

    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _holder_of(fd)
    finally:
        os.close(fd)  # closing drops a shared lock taken only to ask
    return None


class OutputLocked(Exception):
    """Another pef run is using this output folder."""


class OutputLock:
    """One run per output folder. The OS drops the lock when its holder dies, even by kill -9."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_of(fd)
            os.close(fd)
            raise OutputLocked(in_use_message(self.path.parent, holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)  # while still held, so no second run can slip in between
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class OutputChoiceError(ValueError):
    """The output folder asked for cannot be used (the same words whichever face asked)."""


def check_output_folder(source: Path, folder: Path) -> None:
    """Refuse an output that would mix with the source or with files pef did not write."""
    if is_inside(folder, source) or is_inside(source, folder):
        raise OutputChoiceError(
            f"the output folder {folder} and the Takeout {source} must not contain each other "
            "(a run would read its own outputs as new photos)"
        )
    if folder.exists() and not folder.is_dir():
        raise OutputChoiceError(f"{folder} is not a folder")
    names = _names(folder) if folder.is_dir() else set()
    if names is None:
        raise OutputChoiceError(f"cannot look inside {folder}")
    if names and not holds_pef_run(folder):
        items = f"{len(names):,} item{'' if len(names) == 1 else 's'}"
        raise OutputChoiceError(
            f"{folder} already holds files that pef did not write ({items}), and pef never writes among "
            "your own files. Choose an empty or a new folder"
        )


@dataclass(frozen=True)
class OutputChoice:
    folder: Path
    redo_all: bool  # redo every file in place (--force on an existing folder)
    note: str = ""  # what to tell the user about the choice


def unfinished_run(source: Path) -> Path | None:
    """The latest output folder of this source whose run did not complete."""
    for folder in output_candidates(source):
        try:
            status = json.loads((folder / STATE_NAME).read_bytes()).get("status")
        except (OSError, ValueError, AttributeError):
            status = None  # none saved yet, or damaged: not known to be complete
        return folder if status != "completed" else None
    return None


def choose_output(
    source: Path, output: Path | None, resume: bool, force: bool, parts: tuple[Path, ...] = ()
) -> OutputChoice:
    """The table of flags in docs (both faces ask here; the engine checks the folder again before it writes).

    `source` names the default folders (SRC_pefProcessed); `parts` are what the run reads, when more than it.
    """
    if output is not None:
        folder = output.expanduser().resolve()
        for part in parts or (source,):
            check_output_folder(part, folder)
        return OutputChoice(folder, redo_all=force)
    if resume:
        candidates = output_candidates(source)
        if candidates:
            return OutputChoice(candidates[0], redo_all=force, note=f"Resuming in {candidates[0]}")
        return OutputChoice(default_output(source), False, "No earlier run of this source was found; starting fresh.")
    return OutputChoice(default_output(source), False)
