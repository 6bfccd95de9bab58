"""Continuing a run: what its saved state says, what can still be trusted, what is left to do."""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
from collections.abc import Callable
from pathlib import Path

from pef.model.events import Event, Level, Message
from pef.model.library import CopyAction, LinkKind
from pef.model.outcomes import PERMANENT_FAILURES, FileStatus
from pef.model.record_table import RecordTable
from pef.model.records import FileRecord, FileTask, RunSettings
from pef.run.copy_file import FileCopier
from pef.run.job import Job, RunRefused
from pef.run.output_files import OutputFiles
from pef.run.recovery import recover_record
from pef.state import deep_paths
from pef.state.layout import LEGACY_PARTIAL_SUFFIX, WORK_DIR
from pef.state.store import RunState, RunStatus, StateError, StateStore
from pef.takeout.file_names import XMP_SUFFIX
from pef.takeout.parts import TakeoutParts
from pef.takeout.survey import Survey


def state_conflict(state: RunState, source: TakeoutParts, settings: RunSettings) -> str | None:
    """Why a saved state cannot be continued by this run, or None.

    The same Takeout is one that shares a part with it: a part downloaded since, or the folder that
    holds the parts instead of the parts one by one, continue the run.
    """
    if state.source_path and not set(state.part_paths) & {str(path) for path in source.paths}:
        return f"it was made from another source ({state.source_path})"
    if state.source_path and state.settings != settings:
        saved, wanted = state.settings.as_json(), settings.as_json()
        differences = [
            f"{name}: saved {saved[name]!r}, now {wanted[name]!r}" for name in saved if saved[name] != wanted[name]
        ]
        return "it was made with other settings (" + "; ".join(differences) + ")"
    return None


def conflict_message(folder: Path, conflict: str) -> str:
    return (
        f"{folder} holds a run that cannot be continued: {conflict}. "
        "Use --force to redo every file there with the new settings."
    )


def remove_partials(folder: Path, unfinished: bool) -> int:
    """Empty the work folder of half-written outputs left by a run that died; returns how many there were.

    pef 0.1 wrote them beside their outputs as `.<name>.pef-partial`: an unfinished run without a
    work folder is looked through once for those.
    """
    work = folder / WORK_DIR
    removed = 0
    if work.is_dir():
        for item in os.scandir(work):
            os.unlink(item.path)
            removed += 1
        return removed
    if unfinished:
        for directory, _dirs, files in os.walk(folder):
            for name in files:
                if name.startswith(".") and name.endswith(LEGACY_PARTIAL_SUFFIX):
                    os.unlink(os.path.join(directory, name))
                    removed += 1
    work.mkdir()
    return removed


def open_state(
    job: Job, store: StateStore, survey: Survey, copier: FileCopier, emit: Callable[[Event], None]
) -> tuple[RunState, RecordTable]:
    """The state this run continues (or a fresh one), cut to the files the Takeout still holds.

    With it, what a run redoing every file replaces: the outputs it made before, to be let go of
    where they now go elsewhere (another layout).
    """
    fresh = RunState(source_path=job.source.label, settings=job.settings)
    rebuilt = False
    replaced = RecordTable()
    if job.redo_all or not store.exists():
        state = fresh
        if store.exists():  # every file is redone, with what the person decided in Review
            with contextlib.suppress(StateError, OSError, ValueError):
                earlier = store.load(set_aside=False, keys=survey.tasks.key_rows).state
                state.decisions, replaced = earlier.decisions, earlier.files
    else:
        try:
            loaded = store.load(keys=survey.tasks.key_rows)  # records in the tasks' rows: no dict of a million keys
        except StateError:
            loaded = None
        if loaded is None:
            state = fresh
        else:
            rebuilt = loaded.rebuilt
            for note in loaded.notes:
                emit(Message(Level.WARNING, note))
            conflict = state_conflict(loaded.state, job.source, job.settings)
            if conflict:
                raise RunRefused(conflict_message(job.output, conflict))
            state = loaded.state
            for gone in sorted(set(state.part_paths) - {str(path) for path in job.source.paths}):
                emit(Message(Level.WARNING, f"{gone} was read by this run before but is not among its parts now."))
            state.source_path, state.settings = job.source.label, job.settings
    state.parts = [str(path) for path in job.source.paths]
    state.files = state.files.on(survey.tasks.key_rows)  # only the files the Takeout still holds
    if rebuilt:
        recovered = 0
        for task in survey.tasks:
            if task.key not in state.files and (record := recover_record(task, job.output, copier)):
                state.files[task.key] = record
                recovered += 1
        emit(
            Message(
                Level.WARNING,
                f"{recovered:,} finished file(s) were recovered from the output folder; the others will be done again.",
            )
        )
    state.total = len(survey.tasks)
    state.orphan_sidecars = sorted(survey.orphans)
    removed = remove_partials(job.output, unfinished=state.status != RunStatus.COMPLETED)
    if removed:
        emit(Message(Level.INFO, f"Removed {removed} half-written file(s) left by an interrupted run."))
    return state, replaced


def stands_in(root: Path, record: FileRecord, original: FileRecord | None) -> bool:
    """Whether a copy's record still stands in for its original's output as it is now."""
    if original is None or original.status is not FileStatus.DONE or not original.output or not record.output:
        return False
    if record.link is LinkKind.NONE:
        return record.output == original.output
    try:
        one, other = deep_paths.stat(root / record.output), deep_paths.stat(root / original.output)
    except OSError:
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)  # a link follows a rewritten original


def copy_needs_work(root: Path, task: FileTask, record: FileRecord | None, original: FileRecord | None) -> bool:
    """A copy the modes link or leave out is redone when its original changed, or can be stood in for now."""
    if task.action is CopyAction.WRITE or record is None:
        return False
    if record.link is not None:
        return not stands_in(root, record, original)
    return not record.copy_of and original is not None and original.status is FileStatus.DONE


def needs_work(job: Job, task: FileTask, record: FileRecord | None) -> bool:
    """Whether a file must be (re)done: never finished, failed for a reason a retry may fix, or its output changed."""
    if record is None or job.redo_all:
        return True
    if record.decided != (task.decision.token if task.decision else ""):
        return True  # decided (or decided otherwise) in Review since
    if record.sidecar != task.sidecar:
        return True  # its sidecar came with a part read since (or left with one that is gone)
    if record.status is FileStatus.FAILED and (job.retry_failed or record.reason not in PERMANENT_FAILURES):
        return True
    if record.output:
        try:
            found = deep_paths.stat(job.output / record.output)
        except OSError:
            return True  # deleted by hand: do it again
        changed = record.mtime_ns and found.st_mtime_ns != record.mtime_ns
        return found.st_size != record.size or bool(changed)  # truncated, replaced or edited since
    return False


def retire_output(root: Path, earlier: FileRecord, files: OutputFiles, emit: Callable[[Event], None]) -> None:
    """Let go of an output a file had before it went elsewhere (another date, a link now), if it is still pef's."""
    assert earlier.output is not None
    path = root / earlier.output
    try:
        found = os.lstat(path)
        ours = stat_module.S_ISLNK(found.st_mode) or (
            found.st_size == earlier.size and (not earlier.mtime_ns or found.st_mtime_ns == earlier.mtime_ns)
        )
        if not ours:
            return  # changed since pef made it: the person's now
        files.remove(path)
        xmp = path.with_name(path.name + XMP_SUFFIX)
        if os.path.lexists(xmp) and os.lstat(xmp).st_mtime_ns == found.st_mtime_ns:  # pef gives it the output's time
            files.remove(xmp)
        folder = path.parent
        while folder != root and _empty(folder):  # folders it leaves empty go too
            folder.rmdir()
            folder = folder.parent
    except OSError as error:
        emit(Message(Level.WARNING, f"{earlier.output} is left where it was ({error.strerror or error})."))


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None
