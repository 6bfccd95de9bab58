"""Continuing a run: what its saved state says, what can still be trusted, what is left to do."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from pef.model.events import Event, Level, Message
from pef.model.outcomes import PERMANENT_FAILURES, FileStatus
from pef.model.records import FileRecord, FileTask, RunSettings
from pef.run.copy_file import FileCopier
from pef.run.job import Job, RunRefused
from pef.run.recovery import recover_record
from pef.state import deep_paths
from pef.state.layout import LEGACY_PARTIAL_SUFFIX, WORK_DIR
from pef.state.store import RunState, RunStatus, StateError, StateStore
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
) -> RunState:
    """The state this run continues (or a fresh one), cut to the files the Takeout still holds."""
    fresh = RunState(source_path=job.source.label, settings=job.settings)
    rebuilt = False
    if job.redo_all or not store.exists():
        state = fresh
        if store.exists():  # every file is redone, with what the person decided in Review
            with contextlib.suppress(StateError, OSError, ValueError):
                state.decisions = store.peek().decisions
    else:
        try:
            loaded = store.load()
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
    keys = {task.key for task in survey.tasks}
    state.files = {key: record for key, record in state.files.items() if key in keys}
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
    return state


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
