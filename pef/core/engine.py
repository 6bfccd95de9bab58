"""The run: survey → load or start the state → process files on a worker pool → record → report."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from pef.core import deep_paths
from pef.core.autopause import ENVIRONMENT_FAILURES, STREAK_LIMIT, explain_streak
from pef.core.control import ControlState, RunControl
from pef.core.describe import human_bytes
from pef.core.events import (
    ControlChanged,
    EventSink,
    FileFinished,
    FileRetrying,
    Level,
    Message,
    RunFinished,
    RunStarted,
    RunSummary,
    ScanFinished,
    SpaceShortage,
)
from pef.core.outcomes import FileStatus, Reason
from pef.core.output_files import OutputFiles
from pef.core.process import FileProcessor
from pef.core.records import FileRecord, FileTask, RunSettings, now_iso
from pef.core.recovery import recover_record
from pef.core.report import media_row, write_report
from pef.core.runlog import RunLog
from pef.core.source import FolderSource
from pef.core.survey import Survey, survey_takeout
from pef.metadata.timezone import ZoneRule, resolve_zone
from pef.state.layout import LEGACY_PARTIAL_SUFFIX, REPORT_NAME, WORK_DIR
from pef.state.outputs import OutputChoiceError, OutputLock, OutputLocked, check_output_folder
from pef.state.reserve import SpaceReserve
from pef.state.store import RunState, RunStatus, StateError, StateStore

# Failures that a later attempt cannot fix: recorded once, never retried (the window's "Retry failed" does).
PERMANENT_FAILURES = frozenset(
    {Reason.CORRUPT_MEDIA, Reason.METADATA_TOO_LARGE, Reason.VERIFY_MISMATCH, Reason.INTERNAL_ERROR}
)


class RunRefused(Exception):
    """The output folder holds a run that this one must not continue (without --force)."""


@dataclass(frozen=True)
class Job:
    source: Path
    output: Path
    settings: RunSettings
    workers: int = 4
    redo_all: bool = False  # reprocess every file in place, ignoring the saved progress
    retry_failed: bool = False  # also retry failures that a retry cannot usually fix (the window's "Retry failed")


def state_conflict(state: RunState, source: Path, settings: RunSettings) -> str | None:
    """Why a saved state cannot be continued by this run, or None."""
    if state.source_path and Path(state.source_path) != source:
        return f"it was made from another source ({state.source_path})"
    if state.source_path and state.settings != settings:
        saved, wanted = state.settings.as_json(), settings.as_json()
        differences = [
            f"{name}: saved {saved[name]!r}, now {wanted[name]!r}" for name in saved if saved[name] != wanted[name]
        ]
        return "it was made with other settings (" + "; ".join(differences) + ")"
    return None


def summarize(state: RunState, survey: Survey, output: Path | None, status: str, reason: str = "") -> RunSummary:
    unmatched: Counter = Counter()
    failed: Counter = Counter()
    dates: Counter = Counter()
    failures = []
    done = 0
    for record in state.files.values():
        if record.date_source is not None:
            dates[record.date_source.value] += 1
        if record.status is FileStatus.DONE:
            done += 1
        elif record.status is FileStatus.UNMATCHED:
            unmatched[record.reason.value if record.reason else "unknown"] += 1
        else:
            failed[record.reason.value if record.reason else "unknown"] += 1
            failures.append(record)
    return RunSummary(
        output=output,
        total=len(survey.tasks),
        done=done,
        unmatched=unmatched,
        failed=failed,
        dates=dates,
        orphans=survey.orphan_counts(),
        skipped=survey.skipped_counts(),
        status=status,
        reason=reason,
        report=output / REPORT_NAME if output else None,
        failures=tuple(sorted(failures, key=lambda r: r.key)),
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


class RunDeclined(Exception):
    """The person chose not to start (the output drive looks too small)."""


Confirm = Callable[[str], bool]


class Engine:
    def __init__(
        self,
        job: Job,
        sink: EventSink,
        control: RunControl | None = None,
        *,
        files: OutputFiles | None = None,
        sleep: Callable[[float], bool] | None = None,
        confirm: Confirm = lambda _question: True,
        stop_on_auto_pause: bool = False,
    ) -> None:
        self.job = job
        self.control = control or RunControl()
        self.files = files or OutputFiles()
        self.sleep = sleep or self.control.sleep  # tests inject a clock here: backoff without sleeping
        self.confirm = confirm
        self.stop_on_auto_pause = stop_on_auto_pause  # the CLI exits on an auto-pause; the window waits
        self._sinks: list[EventSink] = [sink]
        self._pause_reason = ""
        self._reserve: SpaceReserve | None = None
        self._tally: Counter = Counter()
        # workers report retries while the engine reports the rest; a sink may pause the run from inside an event
        self._emit_lock = threading.RLock()
        self.control.subscribe(lambda state, reason: self._emit(ControlChanged(state.value, reason)))

    def _emit(self, event) -> None:
        with self._emit_lock:
            for sink in self._sinks:
                sink(event)

    def survey(self) -> Survey:
        survey = survey_takeout(FolderSource(self.job.source), self.job.settings)
        self._emit(ScanFinished(len(survey.tasks), len(survey.scan.sidecars), survey.total_bytes))
        return survey

    def run(self) -> RunSummary:
        """The whole run. An unexpected error ends it in the failed state (and is raised to the caller)."""
        try:
            return self._run()
        except (RunDeclined, RunRefused, OutputLocked, OutputChoiceError):
            raise  # the run never began: nothing failed
        except Exception as error:
            if self.control.state is ControlState.RUNNING:
                self.control.fail(f"{error.__class__.__name__}: {error}")
            raise

    def _run(self) -> RunSummary:
        job = self.job
        zones = resolve_zone(job.settings.timezone)
        check_output_folder(job.source, job.output)  # whichever face asked: never among the user's own files
        survey = self.survey()
        created = not job.output.exists()
        job.output.mkdir(parents=True, exist_ok=True)
        try:
            with OutputLock(job.output):
                return self._run_locked(survey, zones)
        except RunDeclined:
            if created:
                shutil.rmtree(job.output, ignore_errors=True)
            raise

    def _run_locked(self, survey: Survey, zones: ZoneRule) -> RunSummary:
        job = self.job
        store = StateStore(job.output)
        log = RunLog(job.output)
        self._sinks.append(log)
        try:
            for key, trace in survey.problems:
                self._emit(Message(Level.ERROR, f"{key}: an error in pef while reading it; it is left out", trace))
            processor = FileProcessor(
                survey.source,
                job.output,
                job.settings,
                zones,
                self.files,
                self.sleep,
                lambda task, retry, delay, error: self._emit(FileRetrying(task.key, retry, delay, error)),
            )
            state = self._open_state(store, survey, processor)
            todo = [task for task in survey.tasks if self._needs_work(task, state.files.get(task.key))]
            if not todo and state.status == RunStatus.COMPLETED:
                self._emit(Message(Level.INFO, "Nothing to do: every file of this run is already finished."))
            self._check_space(todo)
            for task in todo:
                state.files.pop(task.key, None)
            store.begin(state)
            self._reserve = SpaceReserve(job.output, len(survey.tasks))
            if not self._reserve.hold():
                self._emit(Message(Level.WARNING, "The output drive is almost full: progress may not be saved."))
            done_bytes = sum(r.size for r in state.files.values())
            self._tally = Counter(record.status.value for record in state.files.values())
            self._emit(RunStarted(job.output, len(survey.tasks), len(state.files), survey.total_bytes, done_bytes))
            started = time.monotonic()
            status = self._execute(todo, processor, store, len(survey.tasks), done_bytes)
            self._save(store, status, self._reserve.path)  # written into the reserve's room: a full disk cannot refuse
            self.control.finish(status == RunStatus.COMPLETED)
            if status == RunStatus.COMPLETED:
                with contextlib.suppress(OSError):  # empty now: a finished library keeps no pef work folder
                    (job.output / WORK_DIR).rmdir()
            elapsed = time.monotonic() - started
            share = 100 * store.seconds_spent / max(elapsed, 1e-9)
            log(
                Message(
                    Level.INFO,
                    f"saving progress took {store.seconds_spent:.2f} s of {elapsed:.2f} s "
                    f"({share:.1f}%), {store.snapshots} snapshot(s)",
                )
            )
            summary = summarize(state, survey, job.output, status, self._pause_reason)
            self._write_report(survey, state)
            self._emit(RunFinished(summary))
            return summary
        finally:
            if self._reserve is not None:
                self._reserve.release()
            store.close()
            self._sinks.remove(log)
            log.close()
            if log.failure is not None:
                self._emit(Message(Level.WARNING, f"pef.log is incomplete: {log.failure.strerror or log.failure}."))

    def _record(self, store: StateStore, record: FileRecord) -> None:
        previous = store.state.files.get(record.key)
        if previous is not None:  # a retried file replaces its earlier outcome
            self._tally[previous.status.value] -= 1
        self._tally[record.status.value] += 1
        try:
            store.record(record)
        except OSError as error:  # the journal hit a full disk: the record is in memory, save it whole
            try:
                store.snapshot(RunStatus.RUNNING, room=self._reserve.path)
            except OSError:
                self._emit(Message(Level.ERROR, f"Progress cannot be saved ({error.strerror or error}); stopping."))
                self.control.stop()
            self._reserve.hold()  # the old snapshot's room, freed by the new one: kept for the save at the pause

    def _save(self, store: StateStore, status: str, room: Path | None = None) -> None:
        """Snapshot the state; when even that fails (a full disk), the journal still holds every finished file."""
        try:
            store.snapshot(status, room)
        except OSError as error:
            self._emit(
                Message(
                    Level.ERROR,
                    f"Could not save {store.path.name} ({error.strerror or error}); the "
                    f"journal beside it holds the progress, so the next run resumes.",
                )
            )

    def _check_space(self, todo: list[FileTask]) -> None:
        needed = sum(task.size for task in todo)
        try:
            free = self.files.free_space(self.job.output)
        except OSError:
            return
        if needed <= free:
            return
        self._emit(SpaceShortage(needed, free))
        question = (
            f"The output drive has {human_bytes(free)} free, but about {human_bytes(needed)} are still "
            "to be copied. Start anyway? (pef pauses by itself when the disk is full.)"
        )
        if not self.confirm(question):
            raise RunDeclined(question.split(" Start anyway?", maxsplit=1)[0])

    def _open_state(self, store: StateStore, survey: Survey, processor: FileProcessor) -> RunState:
        job = self.job
        fresh = RunState(source_path=str(job.source), settings=job.settings)
        rebuilt = False
        if job.redo_all or not store.exists():
            state = fresh
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
                    self._emit(Message(Level.WARNING, note))
                conflict = state_conflict(loaded.state, job.source, job.settings)
                if conflict:
                    raise RunRefused(
                        f"{job.output} holds a run that cannot be continued: {conflict}. "
                        "Use --force to redo every file there with the new settings."
                    )
                state = loaded.state
                state.source_path, state.settings = str(job.source), job.settings
        keys = {task.key for task in survey.tasks}
        state.files = {key: record for key, record in state.files.items() if key in keys}
        if rebuilt:
            recovered = 0
            for task in survey.tasks:
                if task.key not in state.files and (record := recover_record(task, job.output, processor)):
                    state.files[task.key] = record
                    recovered += 1
            self._emit(
                Message(
                    Level.WARNING,
                    f"{recovered:,} finished file(s) were recovered from the output "
                    "folder; the others will be done again.",
                )
            )
        state.total = len(survey.tasks)
        state.orphan_sidecars = sorted(survey.orphans)
        removed = remove_partials(job.output, unfinished=state.status != RunStatus.COMPLETED)
        if removed:
            self._emit(Message(Level.INFO, f"Removed {removed} half-written file(s) left by an interrupted run."))
        return state

    def _needs_work(self, task: FileTask, record: FileRecord | None) -> bool:
        if record is None or self.job.redo_all:
            return True
        if record.status is FileStatus.FAILED and (self.job.retry_failed or record.reason not in PERMANENT_FAILURES):
            return True
        if record.output:
            try:
                found = deep_paths.stat(self.job.output / record.output)
            except OSError:
                return True  # deleted by hand: do it again
            changed = record.mtime_ns and found.st_mtime_ns != record.mtime_ns
            return found.st_size != record.size or bool(changed)  # truncated, replaced or edited since
        return False

    def _process(self, processor: FileProcessor, task: FileTask) -> FileRecord:
        try:
            return processor.process(task)
        except Exception as error:  # a bug must cost no file and not the run, and must be seen
            trace = traceback.format_exc()
            text = f"{task.key}: an error in pef ({error.__class__.__name__}); copied unchanged, see pef.log"
            self._emit(Message(Level.ERROR, text, trace))
        try:
            return processor.copy_unchanged(task, text)
        except Exception as again:
            self._emit(Message(Level.ERROR, f"{task.key}: could not even be copied unchanged", traceback.format_exc()))
            return FileRecord(
                task.key, FileStatus.FAILED, None, task.sidecar, Reason.INTERNAL_ERROR, 0, 1, now_iso(),
                f"{text} ({again.__class__.__name__})", task.match,
            )  # fmt: skip

    def _execute(
        self, todo: list[FileTask], processor: FileProcessor, store: StateStore, total: int, bytes_done: int
    ) -> str:
        """Process the files; returns the run's status: completed, stopped, or paused (by itself)."""
        control, limit = self.control, 2 * self.job.workers
        queue = deque(todo)
        pending: dict[Future[FileRecord], FileTask] = {}
        streak: list[tuple[FileTask, FileRecord]] = []
        order: dict[Future[FileRecord], int] = {}
        handed_out = itertools.count()
        self._pause_reason = ""
        with ThreadPoolExecutor(max_workers=self.job.workers, thread_name_prefix="pef-worker") as pool:
            while True:
                if self._pause_reason and control.state is ControlState.RUNNING:  # resumed after pef paused
                    self._reserve.hold()
                    queue.extendleft(reversed([task for task, _ in streak]))  # retry that streak first
                    streak.clear()
                    self._pause_reason = ""
                while queue and control.state is ControlState.RUNNING and len(pending) < limit:
                    task = queue.popleft()
                    future = pool.submit(self._process, processor, task)
                    pending[future] = task
                    order[future] = next(handed_out)
                if not pending:
                    if control.stopping or not queue:
                        break
                    room = self._reserve.path if self._pause_reason else None  # the disk may be full
                    self._save(store, RunStatus.PAUSED, room)  # paused: nothing in hand, everything saved
                    if self._pause_reason and self.stop_on_auto_pause:
                        control.stop()
                        continue
                    control.wait_while_paused()
                    continue
                done, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=order.__getitem__):  # record in the order handed out
                    task, record = pending.pop(future), future.result()
                    del order[future]
                    self._record(store, record)
                    bytes_done += record.size
                    tally = Counter(self._tally)
                    self._emit(FileFinished(record, len(store.state.files), total, bytes_done, tally))
                    if record.status is FileStatus.FAILED and record.reason in ENVIRONMENT_FAILURES:
                        streak.append((task, record))
                        if len(streak) >= STREAK_LIMIT and control.state is ControlState.RUNNING:
                            self._auto_pause(streak, queue, store)
                    elif not self._pause_reason:
                        streak.clear()
                store.checkpoint_if_due()
        if not queue:
            return RunStatus.COMPLETED
        return RunStatus.PAUSED if self._pause_reason else RunStatus.STOPPED

    def _auto_pause(self, streak: list[tuple[FileTask, FileRecord]], queue: deque[FileTask], store: StateStore) -> None:
        left = sum(task.size for task in queue) + sum(task.size for task, _ in streak)
        try:
            free = self.files.free_space(self.job.output)
        except OSError:
            free = None
        records = [record for _, record in streak]
        self._pause_reason = explain_streak(records, self.job.source, self.job.output, left, free)
        self.control.pause(self._pause_reason)

    def _write_report(self, survey: Survey, state: RunState) -> None:
        rows = [media_row(task, state.files.get(task.key)) for task in survey.tasks]
        try:
            write_report(self.job.output / REPORT_NAME, [*rows, *survey.other_rows()])
        except OSError as error:
            self._emit(
                Message(
                    Level.ERROR,
                    f"Could not write {REPORT_NAME} ({error.strerror or error}); the next run writes it again.",
                )
            )
