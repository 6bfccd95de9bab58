"""What the window shows before a run: what the Takeout holds, what a run would do, an unfinished run."""

from __future__ import annotations

import contextlib
import shutil
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from pef.metadata.timezone import ZoneRule, resolve_zone
from pef.model.events import RunSummary
from pef.model.library import CopyAction
from pef.model.outcomes import DateSource, FileStatus, Reason
from pef.model.photo import Metadata
from pef.model.records import FileRecord, FileTask, RunSettings
from pef.present.parts import part_warnings, parts_lines
from pef.present.words import human_bytes, summary_lines
from pef.run.copy_file import output_of
from pef.run.stand_in import StandIns
from pef.run.summary import summarize
from pef.run.workers import bound_processes, workers_for
from pef.state.outputs import default_output, unfinished_run
from pef.state.store import StateError, StateStore
from pef.takeout.located import LocatedFiles
from pef.takeout.name_dates import date_from_name
from pef.takeout.parts import TakeoutParts
from pef.takeout.parts_source import PartsSource
from pef.takeout.sidecar import parse_sidecar
from pef.takeout.survey import Survey, read_small, survey_takeout

FORECAST_PROCESS_MIN = 5_000  # fewer sidecars are read sooner than worker processes start
FORECAST_CHUNK = 500  # files a worker process is handed at a time


@dataclass(frozen=True)
class UnfinishedRun:
    folder: Path
    started: str
    finished: int
    total: int
    settings: RunSettings  # what it writes: continuing it needs the same


@dataclass(frozen=True)
class Preview:
    source: TakeoutParts
    media: int
    sidecars: int
    total_bytes: int
    forecast: RunSummary  # what a run would record, file by file
    new_output: Path
    free_bytes: int | None  # on the drive that would hold the new output
    unfinished: UnfinishedRun | None
    parts: tuple[str, ...] = ()  # the parts and what each holds, then what is wrong with any (none for a folder)
    settings: RunSettings = field(default_factory=RunSettings)  # the options it was made with

    @property
    def to_copy(self) -> int:
        """Bytes a run would write: album copies and duplicates that stand in for their photo take none."""
        return self.total_bytes - self.forecast.saved_bytes

    @property
    def found_line(self) -> str:
        return f"Takeout with {self.media:,} media files and {self.sidecars:,} sidecars"


def forecast(survey: Survey, settings: RunSettings, processes_from: int = FORECAST_PROCESS_MIN) -> Iterator[FileRecord]:
    """What a run would record for every file, reading each sidecar but writing nothing; one record at a time.

    Outputs are where the modes would put them, by the sidecar's date (a camera's own date, read only
    while writing, may move a few across a midnight); copies the modes link or leave out stand in for
    their originals, whose records alone are kept until then. From `processes_from` sidecars in a
    Takeout folder on, worker processes read and parse them, a chunk each at a time (parsing is bound
    by the processor, as a run is).
    """
    tasks = sorted(survey.tasks, key=lambda task: task.action is not CopyAction.WRITE)
    awaited = {task.copy_of for task in tasks if task.action is not CopyAction.WRITE}
    originals: dict[str, FileRecord] = {}
    for task, own in zip(tasks, _foreseen(tasks, survey.source, settings, processes_from), strict=True):
        original = originals.get(task.copy_of)
        stands_in = task.action is not CopyAction.WRITE and original is not None and original.status is FileStatus.DONE
        record = StandIns.foreseen(task, original) if stands_in else own
        if task.key in awaited:
            originals[task.key] = record
        yield record


# What a file's own sidecar makes of it: its status, output, reason and where its date came from
Foreseen = tuple[FileStatus, str, Reason | None, DateSource | None]


def _foreseen(
    tasks: list[FileTask], source: PartsSource, settings: RunSettings, processes_from: int
) -> Iterator[FileRecord]:
    """Each task's record as its own sidecar makes it, in order: here, or on worker processes."""
    zones = resolve_zone(settings.timezone)
    if sum(task.sidecar is not None for task in tasks) < processes_from:
        yield from (_record(task, _foresee(task, source, settings, zones)) for task in tasks)
        return
    chunks = (tasks[start : start + FORECAST_CHUNK] for start in range(0, len(tasks), FORECAST_CHUNK))
    count = workers_for(source.root)

    def here(chunk: list[FileTask]) -> list[Foreseen]:
        return [_foresee(task, source, settings, zones) for task in chunk]

    def records(chunk: list[FileTask], foreseen: Future[list[Foreseen]]) -> Iterator[FileRecord]:
        try:
            found = foreseen.result()
        except BrokenProcessPool:  # a worker process died (out of memory?): what it had is read here
            found = here(chunk)
        return map(_record, chunk, found)

    with bound_processes(count, _start_forecaster, settings) as pool:
        waiting: deque[tuple[list[FileTask], Future[list[Foreseen]]]] = deque()
        for chunk in chunks:
            located = source.located([task.sidecar for task in chunk if task.sidecar])
            future: Future[list[Foreseen]] | None = None
            if located is not None:  # an archive's sidecars are read by this process's stream, in order
                with contextlib.suppress(BrokenProcessPool):  # the processes broke: read here from now on
                    future = pool.submit(_foresee_chunk, chunk, located)
            if future is None:
                future = Future()
                future.set_result(here(chunk))
            waiting.append((chunk, future))
            while len(waiting) > 2 * count:  # a few chunks ahead: the rest are not pickled into the queue yet
                yield from records(*waiting.popleft())
        while waiting:
            yield from records(*waiting.popleft())


def _record(task: FileTask, foreseen: Foreseen) -> FileRecord:
    """The record, sharing its strings with the task (also when the rest came through a pipe)."""
    status, output, reason, dated = foreseen
    return FileRecord(
        task.key,
        status,
        task.output if output == task.output else output,
        task.sidecar,
        reason,
        task.size,
        match=task.match,
        date_source=dated,
    )


def _foresee(task: FileTask, source: PartsSource | LocatedFiles, settings: RunSettings, zones: ZoneRule) -> Foreseen:
    status, reason, dated, metadata = FileStatus.UNMATCHED, task.reason, None, None
    named = settings.name_dates and settings.write_exif and task.reason is Reason.NO_SIDECAR
    name_date = date_from_name(task.key.rpartition("/")[2]) if named else None
    if name_date is not None:
        status, reason, dated = FileStatus.DONE, None, DateSource.FILENAME
        metadata = Metadata("", name_date.instant(zones.zone_at(None)))
    elif task.sidecar is not None:
        data = read_small(source, task.sidecar)
        parsed = parse_sidecar(data) if data is not None else None
        if isinstance(parsed, Metadata):
            status, reason, metadata = FileStatus.DONE, None, parsed
        else:
            reason = Reason.BAD_SIDECAR
    return status, output_of(task, settings.layout, zones, metadata), reason, dated


# In a forecasting worker process: the settings and their zones, set once by `_start_forecaster`.
_FORECASTER: dict[str, tuple[RunSettings, ZoneRule]] = {}


def _start_forecaster(settings: RunSettings) -> None:
    _FORECASTER["settings"] = (settings, resolve_zone(settings.timezone))


def _foresee_chunk(chunk: list[FileTask], located: LocatedFiles) -> list[Foreseen]:
    settings, zones = _FORECASTER["settings"]
    return [_foresee(task, located, settings, zones) for task in chunk]


def find_unfinished(source: Path) -> UnfinishedRun | None:
    folder = unfinished_run(source)
    if folder is None:
        return None
    try:
        state = StateStore(folder).peek()
    except (StateError, OSError, ValueError):
        return None
    return UnfinishedRun(folder, state.started, len(state.files), state.total, state.settings)


def look_through(parts: TakeoutParts, settings: RunSettings, output: Path | None = None) -> tuple[Survey, RunSummary]:
    """The survey of a Takeout and the summary of what a run would record (the dry run and the preview).

    The records are counted as they are foreseen, never all held; the parts are closed.
    """
    source = PartsSource(parts)
    try:
        survey = survey_takeout(source, settings)
        return survey, summarize(forecast(survey, settings), survey, output, "completed")
    finally:
        source.close()


def make_preview(parts: TakeoutParts, settings: RunSettings) -> Preview:
    survey, summary = look_through(parts, settings)
    new_output = default_output(parts.home)
    try:
        free = shutil.disk_usage(new_output.parent).free
    except OSError:
        free = None
    return Preview(
        parts,
        len(survey.tasks),
        survey.found_in.sidecars.total(),
        survey.total_bytes,
        summary,
        new_output,
        free,
        find_unfinished(parts.home),
        (*parts_lines(survey), *part_warnings(survey.source)),
        settings,
    )


def preview_lines(preview: Preview, free_bytes: int | None) -> list[str]:
    """What a run would do, and whether the drive of the folder chosen (`free_bytes` free) holds it."""
    lines = [*preview.parts, *summary_lines(replace(preview.forecast, dry_run=True))]
    free = human_bytes(free_bytes) if free_bytes is not None else "unknown"
    lines.append(f"To copy: {human_bytes(preview.to_copy)}; free on the output drive: {free}.")
    if free_bytes is not None and free_bytes < preview.to_copy:
        lines.append("Warning: not enough free space. pef pauses by itself when the disk is full.")
    return lines
