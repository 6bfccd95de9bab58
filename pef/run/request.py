"""One run request, resolved once, by the same rules whichever face asked (command line or window).

The resolver decides the output folder, refuses what must be refused (an output inside the Takeout
or around it, a folder holding the person's own files, a run of another source or with other
settings, a folder another run holds), lets a continued run keep its own time zone and library modes
unless others are asked for, and measures
the free space on the folder actually chosen.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pef.metadata.timezone import AUTO, UnknownZone, resolve_zone
from pef.model.library import AlbumMode, DuplicateMode, Layout
from pef.model.records import Decision, RunSettings
from pef.run.job import Job
from pef.run.resume import conflict_message, state_conflict
from pef.run.workers import workers_for
from pef.state.layout import STATE_NAME
from pef.state.outputs import OutputChoiceError, choose_output, in_use_message, lock_holder
from pef.state.store import RunState, StateError, StateStore
from pef.takeout.parts import chosen_problem, find_parts


class RequestRefused(ValueError):
    """The run cannot begin as asked; the message says why, in words for people."""


@dataclass(frozen=True)
class RunRequest:
    source: Path | tuple[Path, ...]  # a Takeout folder, a folder of parts, archives, or several of these
    output: Path | None = None  # None: a new SRC_pefProcessed folder (or, with resume, the latest run)
    resume: bool = False
    force: bool = False  # a new folder ignoring progress; with a folder named: redo every file there
    timezone: str | None = None  # None: auto, or the zone of the run being continued
    write_exif: bool = True
    suffixes: tuple[str, ...] = ()
    workers: int | None = None  # None: one per core, fewer on a spinning drive (`workers_for`)
    retry_failed: bool = False  # also redo failures a retry cannot usually fix (the window's Retry failed)
    decisions: dict[str, Decision] = field(default_factory=dict)  # Review's choices for files it could not match
    name_dates: bool = True
    xmp_files: bool = False
    # the library's modes; None: the continued run's own, or the default for a new one
    albums: AlbumMode | None = None
    layout: Layout | None = None
    skip_trash: bool | None = None
    duplicates: DuplicateMode | None = None

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.source if isinstance(self.source, tuple) else (self.source,)

    @classmethod
    def of(
        cls, source: Path | tuple[Path, ...], output: Path | None, settings: RunSettings, **more: object
    ) -> RunRequest:
        """A request to write as `settings` say (the window's options, or a saved run's)."""
        return cls(
            source, output, timezone=settings.timezone, write_exif=settings.write_exif, suffixes=settings.suffixes,
            name_dates=settings.name_dates, xmp_files=settings.xmp_files, albums=settings.albums,
            layout=settings.layout, skip_trash=settings.skip_trash, duplicates=settings.duplicates,
            **more,  # type: ignore[arg-type]
        )  # fmt: skip


@dataclass(frozen=True)
class ResolvedRun:
    job: Job
    note: str  # what to tell the person about the folder chosen ("" when nothing)
    free_bytes: int | None  # on the drive that holds the folder chosen


def _saved_state(folder: Path) -> RunState | None:
    if not (folder / STATE_NAME).exists():
        return None
    with contextlib.suppress(StateError, OSError, ValueError):
        return StateStore(folder).peek_head()
    return None


def free_space(folder: Path) -> int | None:
    """Free bytes on the drive of `folder`, or of its nearest existing parent when it is still to be made."""
    for candidate in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            if candidate.is_dir():
                return shutil.disk_usage(candidate).free
    return None


SEPARATOR = ";"  # between the paths of several parts in one line of text (the window's source field)


def split_sources(text: str) -> tuple[Path, ...]:
    """The paths a line of text names: one path, or several separated by ";"."""
    text = text.strip()
    if not text:
        return ()
    if SEPARATOR not in text or Path(text).expanduser().exists():
        return (Path(text).expanduser(),)
    return tuple(Path(piece.strip()).expanduser() for piece in text.split(SEPARATOR) if piece.strip())


def join_sources(paths: tuple[Path, ...] | list[Path]) -> str:
    return f"{SEPARATOR} ".join(str(path) for path in paths)


def source_problem(source: str | Path | tuple[Path, ...]) -> str | None:
    """Why this cannot be a Takeout to read (both faces say the same), or None."""
    if isinstance(source, Path):
        source = (source,)
    paths = split_sources(source) if isinstance(source, str) else source
    if not paths:
        return (
            "Choose your Takeout: the folder you extracted from Google's download (it holds “Google Photos”), "
            "or the downloaded .zip/.tgz parts."
        )
    return next((problem for path in paths if (problem := chosen_problem(path.expanduser()))), None)


def resolve_run(request: RunRequest) -> ResolvedRun:
    problem = source_problem(request.source)
    if problem is not None:
        raise RequestRefused(problem.rstrip("."))
    source = find_parts(request.paths)
    if request.workers is not None and request.workers < 1:
        raise RequestRefused("--workers must be at least 1")
    try:
        choice = choose_output(source.home, request.output, request.resume, request.force, source.paths)
    except OutputChoiceError as error:
        raise RequestRefused(str(error)) from None
    saved = None if choice.redo_all else _saved_state(choice.folder)
    zone = request.timezone or (saved.settings.timezone if saved else AUTO)  # a continued run keeps its own zone
    try:
        resolve_zone(zone)
    except UnknownZone as error:
        raise RequestRefused(str(error)) from None
    kept = saved.settings if saved else RunSettings()  # a continued run keeps its own modes unless asked
    settings = RunSettings(
        request.suffixes, request.write_exif, zone, request.name_dates, request.xmp_files,
        request.albums or kept.albums, request.layout or kept.layout,
        kept.skip_trash if request.skip_trash is None else request.skip_trash, request.duplicates or kept.duplicates,
    )  # fmt: skip
    conflict = state_conflict(saved, source, settings) if saved is not None else None
    if conflict:
        raise RequestRefused(conflict_message(choice.folder, conflict))
    holder = lock_holder(choice.folder)
    if holder is not None:
        raise RequestRefused(in_use_message(choice.folder, holder))
    job = Job(
        source,
        choice.folder,
        settings,
        request.workers or workers_for(choice.folder),
        choice.redo_all,
        request.retry_failed,
        request.decisions,
    )
    return ResolvedRun(job, choice.note, free_space(choice.folder))
