"""What the window shows before a run: what the Takeout holds, what a run would do, an unfinished run."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
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
from pef.run.sidecar_verdicts import SidecarVerdicts, Verdict, day_of, verdict_of
from pef.run.stand_in import StandIns
from pef.run.summary import summarize
from pef.state.outputs import default_output, unfinished_run
from pef.state.store import StateError, StateStore
from pef.takeout.destinations import placed
from pef.takeout.name_dates import date_from_name
from pef.takeout.parts import TakeoutParts
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import Survey, read_small, survey_takeout


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


def forecast(survey: Survey, settings: RunSettings, verdicts: dict[str, Verdict] | None = None) -> Iterator[FileRecord]:
    """What a run would record for every file, reading each sidecar but writing nothing; one record at a time.

    Outputs are where the modes would put them, by the sidecar's date (a camera's own date, read only
    while writing, may move a few across a midnight); copies the modes link or leave out stand in for
    their originals, whose records alone are kept until then. `verdicts`: the sidecars worker processes
    have read already (`SidecarVerdicts`); the others are read here.
    """
    awaited = {task.copy_of for task in survey.tasks.standing_in()}
    originals: dict[str, FileRecord] = {}
    zones, verdicts = resolve_zone(settings.timezone), verdicts or {}
    for task in itertools.chain(survey.tasks.writing(), survey.tasks.standing_in()):
        original = originals.get(task.copy_of)
        stands_in = task.action is not CopyAction.WRITE and original is not None and original.status is FileStatus.DONE
        if stands_in:
            record = StandIns.foreseen(task, original)
        else:
            record = _record(task, _foresee(task, survey.source, settings, zones, verdicts))
        if task.key in awaited:
            originals[task.key] = record
        yield record


# What a file's own sidecar makes of it: its status, output, reason and where its date came from
Foreseen = tuple[FileStatus, str, Reason | None, DateSource | None]


def _record(task: FileTask, foreseen: Foreseen) -> FileRecord:
    status, output, reason, dated = foreseen
    return FileRecord(task.key, status, output, task.sidecar, reason, task.size, match=task.match, date_source=dated)


def _foresee(
    task: FileTask, source: PartsSource, settings: RunSettings, zones: ZoneRule, verdicts: dict[str, Verdict]
) -> Foreseen:
    named = settings.name_dates and settings.write_exif and task.reason is Reason.NO_SIDECAR
    name_date = date_from_name(task.key.rpartition("/")[2]) if named else None
    if name_date is not None:
        metadata = Metadata("", name_date.instant(zones.zone_at(None)))
        return FileStatus.DONE, output_of(task, settings.layout, zones, metadata), None, DateSource.FILENAME
    if task.sidecar is None:
        return FileStatus.UNMATCHED, placed(task, settings.layout, None, False), task.reason, None
    if task.sidecar in verdicts:
        verdict = verdicts[task.sidecar]
    else:
        verdict = verdict_of(read_small(source, task.sidecar), zones)
    if verdict is None:
        return FileStatus.UNMATCHED, placed(task, settings.layout, None, False), Reason.BAD_SIDECAR, None
    return FileStatus.DONE, placed(task, settings.layout, day_of(verdict), verdict[1]), None, None


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
        with SidecarVerdicts(source, settings) as verdicts:
            survey = survey_takeout(source, settings, sidecars_found=verdicts.add, read_digests=verdicts.digests)
            return survey, summarize(forecast(survey, settings, verdicts.found()), survey, output, "completed")
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
