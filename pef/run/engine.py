"""The run: survey → load or start the state → process files on a worker pool → record → report."""

from __future__ import annotations

import contextlib
import itertools
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path

from pef.metadata.timezone import ZoneRule, resolve_zone
from pef.model.events import (
    ControlChanged,
    EventSink,
    FileFinished,
    FileRetrying,
    Level,
    Message,
    RunFinished,
    RunStarted,
    RunSummary,
)
from pef.model.outcomes import ENVIRONMENT_FAILURES, FileStatus
from pef.model.record_table import RecordTable
from pef.model.records import FileRecord, FileTask
from pef.present.parts import part_messages, part_warnings
from pef.present.words import NOTHING_TO_DO
from pef.run.autopause import STREAK_LIMIT, explain_streak
from pef.run.control import ControlState, RunControl
from pef.run.copy_file import FileCopier
from pef.run.job import Confirm, Job, RunDeclined, RunRefused, confirm_space
from pef.run.output_files import OutputFiles
from pef.run.process_digests import ProcessDigests
from pef.run.rerun import finished_run, said_again, unchanged_finish
from pef.run.resume import open_state, remove_partials, retire_output
from pef.run.run_listings import write_run_listings
from pef.run.runlog import RunLog, logging_to
from pef.run.stand_in import AwaitedOriginals
from pef.run.summary import summarize
from pef.run.todo import TaskQueue, Todo, files_to_do
from pef.run.workers import PROCESS_MIN_FILES, Done, WorkerProcesses, Workers
from pef.state.layout import STATE_NAME, WORK_DIR
from pef.state.outputs import OutputChoiceError, OutputLock, OutputLocked, check_output_folder
from pef.state.reserve import SpaceReserve
from pef.state.store import RunState, RunStatus, StateStore
from pef.takeout.parts_print import listing_print
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import PartCounts, Survey, survey_takeout


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
        self._in_process_only = files is not None or sleep is not None  # a drive or clock of the tests' own
        self.control = control or RunControl()
        self.files = files or OutputFiles()
        self.sleep = sleep or self.control.sleep  # tests inject a clock here: backoff without sleeping
        self.confirm = confirm
        self.stop_on_auto_pause = stop_on_auto_pause  # the CLI exits on an auto-pause; the window waits
        self._sinks: list[EventSink] = [sink]
        self._pause_reason = ""
        self._said: list[Message] = []  # what this run said of the Takeout before it began
        self._reserve: SpaceReserve | None = None
        self._tally: Counter = Counter()
        self._source: PartsSource | None = None
        self._processes: WorkerProcesses | None = None  # started during the survey when the run may use them
        self._digests: ProcessDigests | None = None  # the survey's reading of copies on them
        self._previous = RecordTable()  # what files being redone became before: their old outputs
        self._contested: set[str | None] = set()  # outputs of files being redone: let go of when no record holds them
        self._owned: set[str | None] = set()  # those the records hold now: never let go of
        # workers report retries while the engine reports the rest; a sink may pause the run from inside an event
        self._emit_lock = threading.RLock()
        self.control.subscribe(lambda state, reason: self._emit(ControlChanged(state.value, reason)))
        if self.control.state is not ControlState.RUNNING:  # paused or stopped before the engine listened
            self._emit(ControlChanged(self.control.state.value, self.control.reason))

    def _emit(self, event) -> None:
        with self._emit_lock:
            for sink in self._sinks:
                sink(event)

    def _emit_all(self, events: Iterable[object]) -> None:
        for event in events:
            self._emit(event)

    def survey(self) -> Survey:
        self._source = PartsSource(self.job.source, work=self.job.output / WORK_DIR)
        survey = survey_takeout(self._source, self.job.settings, self._start_processes, read_digests=self._read_digests)
        self._said = part_messages(survey)
        self._emit_all(self._said)
        self._emit(survey.found)
        return survey

    def _start_processes(self, found: PartCounts) -> None:
        """Worker processes take a while to start: a run that may use them starts them while it surveys."""
        if not self._in_process_only and found.media_in_folders >= PROCESS_MIN_FILES:
            self._processes = WorkerProcesses.start(self.job.workers, self.job.output, self.job.settings)
            self._digests = ProcessDigests(self._processes.pool, self.job.workers, self._source)  # type: ignore[arg-type]

    def _read_digests(
        self, keys: Iterator[str], count: int, limit: int | None
    ) -> Callable[[], bytearray | None] | None:
        """The survey's small files that may be copies, read by the worker processes while this one matches."""
        return self._digests(keys, count, limit) if self._digests is not None else None

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
        for part in job.source.paths:  # whichever face asked: never among the user's own files
            check_output_folder(part, job.output)
        listing = listing_print(job.source, job.settings)  # before the survey: what changes after it shows next time
        if (again := self._again_if_unchanged(listing)) is not None:
            return again
        created = not job.output.exists()
        try:
            survey = self.survey()
            job.output.mkdir(parents=True, exist_ok=True)
            with OutputLock(job.output), logging_to(job.output, self._sinks, self._emit) as log:
                return self._run_locked(survey, zones, listing, log)
        except RunDeclined:
            if created:
                shutil.rmtree(job.output, ignore_errors=True)
            raise
        finally:
            if self._source is not None:
                self._source.close()
            if self._processes is not None:  # unused (too few files to do), or a run that never began
                self._processes.close()
            if self._digests is not None:
                self._digests.close()

    def _again_if_unchanged(self, listing: str | None) -> RunSummary | None:
        """A finished run in the output, nothing changed since: what it said, said again; nothing read or written."""
        job = self.job
        if listing is None or not (job.output / STATE_NAME).is_file():
            return None
        with OutputLock(job.output):
            finished = unchanged_finish(job, listing)
            if finished is None:
                return None
            with logging_to(job.output, self._sinks, self._emit):
                self._emit_all(said_again(finished, job.output))
                self.control.finish(True)
                summary = finished.summary_in(job.output)
                self._emit(RunFinished(summary))
                return summary

    def _run_locked(self, survey: Survey, zones: ZoneRule, listing: str | None, log: RunLog) -> RunSummary:
        job = self.job
        store = StateStore(job.output)
        try:
            for key, trace in survey.problems:
                problem = Message(Level.ERROR, f"{key}: an error in pef while reading it; it is left out", trace)
                self._said.append(problem)
                self._emit(problem)
            copier = FileCopier(
                survey.source,
                job.output,
                job.settings,
                zones,
                self.files,
                self.sleep,
                lambda task, retry, delay, error: self._emit(FileRetrying(task.key, retry, delay, error)),
            )
            state, survey, todo = self._begin(store, survey, copier)
            store.begin(state, save=bool(todo))  # nothing to do: the end's save is the only one
            self._reserve = SpaceReserve(job.output, len(survey.tasks))
            if not self._reserve.hold():
                self._emit(Message(Level.WARNING, "The output drive is almost full: progress may not be saved."))
            done_bytes = state.files.total_size
            self._tally = Counter({status.value: n for status, n in state.files.status_counts().items() if n})
            self._emit(RunStarted(job.output, len(survey.tasks), len(state.files), survey.total_bytes, done_bytes))
            started = time.monotonic()
            status = self._execute(todo, copier, store, len(survey.tasks), done_bytes)
            with contextlib.suppress(OSError):  # every worker is done: a partial left is a dead worker's
                remove_partials(job.output, unfinished=False)
            unread = part_warnings(survey.source)
            if status == RunStatus.COMPLETED and unread:  # every file in hand is done, but not every part was read
                status, self._pause_reason = RunStatus.STOPPED, " ".join(unread)
            summary = summarize(state.files.values(), survey, job.output, status, self._pause_reason)
            listed = write_run_listings(job.output, survey, state, self._emit)
            if status == RunStatus.COMPLETED and listed:
                state.finished = finished_run(job, listing, self._said, survey.found, state, summary)
            self._save(store, status, self._reserve.path)  # written into the reserve's room: a full disk cannot refuse
            self.control.finish(status == RunStatus.COMPLETED)
            if status == RunStatus.COMPLETED:
                with contextlib.suppress(OSError):  # empty now: a finished library keeps no pef work folder
                    (job.output / WORK_DIR).rmdir()
            elapsed = time.monotonic() - started
            share = 100 * store.seconds_spent / max(elapsed, 1e-9)
            saving = f"saving progress took {store.seconds_spent:.2f} s of {elapsed:.2f} s ({share:.1f}%)"
            log(Message(Level.INFO, f"{saving}, {store.snapshots} snapshot(s)"))
            self._emit(RunFinished(summary))
            return summary
        finally:
            if self._reserve is not None:
                self._reserve.release()
            store.close()

    def _begin(self, store: StateStore, survey: Survey, copier: FileCopier) -> tuple[RunState, Survey, Todo]:
        """The state continued, the survey with the person's decisions, the files to do (their records set aside)."""
        state, self._previous = open_state(self.job, store, survey, copier, self._emit)
        state.decisions.update(self.job.decisions)
        survey = survey.decided(state.decisions)
        state.orphan_sidecars = sorted(survey.orphans)
        todo = files_to_do(self.job, survey, state.files)
        if not todo and state.status == RunStatus.COMPLETED:
            self._emit(Message(Level.INFO, NOTHING_TO_DO))
        state.finished = None  # said again only by the run that completes this one
        confirm_space(self.job, todo, self.files, self._emit, self.confirm)
        for task in todo:
            if (previous := state.files.pop(task.key, None)) is not None:
                self._previous[task.key] = previous
        # only the outputs redone files held can be let go: which of them another record holds now
        self._contested = {earlier.output for earlier in self._previous.values() if earlier.owns_output}
        self._owned = {r.output for r in state.files.values() if r.output in self._contested and r.owns_output}
        return state, survey, todo

    def _record(self, store: StateStore, record: FileRecord) -> None:
        if record.reason not in ENVIRONMENT_FAILURES:  # those are tried again soon: keep what was unpacked for them
            self._source.release(record.key)
            if record.output in self._contested and record.owns_output:
                self._owned.add(record.output)
            earlier = self._previous.pop(record.key, None)
            if earlier is not None and earlier.owns_output and earlier.output not in self._owned:
                retire_output(self.job.output, earlier, self.files, self._emit)
        previous = store.state.files.get(record.key)
        if previous is not None:  # a retried file replaces its earlier outcome
            self._tally[previous.status.value] -= 1
        self._tally[record.status.value] += 1
        store.hold(record)

    def _write_held(self, store: StateStore) -> None:
        """The files recorded since the last call, into the journal (one write for all of them)."""
        try:
            store.write_held()
        except OSError as error:  # the journal hit a full disk: the records are in memory, save them whole
            try:
                store.snapshot(RunStatus.RUNNING, room=self._reserve.path)
            except OSError:
                if not self.control.stopping:  # said once: the files still in hand meet the same full drive
                    why = error.strerror or error
                    self._emit(Message(Level.ERROR, f"Progress cannot be saved as files finish ({why}); stopping."))
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

    def _execute(self, todo: Todo, copier: FileCopier, store: StateStore, total: int, bytes_done: int) -> str:
        """Process the files; returns the run's status: completed, stopped, or paused (by itself)."""
        control = self.control
        queue = TaskQueue(todo)
        pending: dict[Future[Done], FileTask] = {}
        streak: list[tuple[FileTask, FileRecord]] = []  # environmental failures in a row: five pause the run
        blocked: list[FileTask] = []  # every environmental failure since the last resume: retried at the resume
        order: dict[Future[Done], int] = {}
        numbers = itertools.count()  # the order files are handed out in
        resumed_from = 0  # files handed out before this number met the drives as they were before the resume
        awaited = AwaitedOriginals(todo)
        self._pause_reason = ""
        processes = self._processes if len(todo) >= PROCESS_MIN_FILES else None
        workers = Workers(copier, self.job.workers, control, processes=processes, files=len(todo))
        try:
            while True:
                if self._pause_reason and control.state is ControlState.RUNNING:  # resumed after pef paused
                    self._take_in_resume(queue, streak, blocked)
                    resumed_from = next(numbers)
                while queue and control.state is ControlState.RUNNING and workers.has_room():
                    task = queue.popleft()
                    if awaited.holds(task):
                        continue
                    future = workers.submit(task, store.state.files.get(task.copy_of))
                    pending[future], order[future] = task, next(numbers)
                if not pending:
                    if self._nothing_in_hand(store, bool(queue), bool(blocked)):
                        break
                    continue
                workers.flush()
                done, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                self._emit_all(workers.notices())
                for future in sorted(done, key=order.__getitem__):  # record in the order handed out
                    task, number = pending.pop(future), order.pop(future)
                    record, messages = future.result()
                    self._emit_all(messages)
                    self._record(store, record)
                    queue.extend(awaited.recorded(record))
                    bytes_done += record.size
                    self._emit(FileFinished(record, len(store.state.files), total, bytes_done, Counter(self._tally)))
                    if record.status is FileStatus.FAILED and record.reason in ENVIRONMENT_FAILURES:
                        self._refused(task, record, number < resumed_from, queue, streak, blocked, store)
                    elif not self._pause_reason:
                        streak.clear()
                self._write_held(store)
        finally:
            workers.close()
        if not queue and not awaited and not (self._pause_reason and blocked):
            return RunStatus.COMPLETED
        return RunStatus.PAUSED if self._pause_reason else RunStatus.STOPPED

    def _nothing_in_hand(self, store: StateStore, queued: bool, blocked: bool) -> bool:
        """Nothing being processed: True when the run is over, else (paused) wait for the person."""
        # paused by itself: the refused files wait
        if self.control.stopping or not (queued or (self._pause_reason and blocked)):
            return True
        room = self._reserve.path if self._pause_reason else None  # the disk may be full
        self._save(store, RunStatus.PAUSED, room)  # paused: nothing in hand, everything saved
        if self._pause_reason and self.stop_on_auto_pause:
            self.control.stop()
        else:
            self.control.wait_while_paused()
        return False

    def _refused(
        self,
        task: FileTask,
        record: FileRecord,
        before_resume: bool,
        queue: TaskQueue,
        streak: list[tuple[FileTask, FileRecord]],
        blocked: list[FileTask],
        store: StateStore,
    ) -> None:
        """A drive refused a file: five in a row pause the run; refused before the person resumed, it is tried again."""
        if before_resume:  # not counted
            queue.appendleft(task)
            return
        streak.append((task, record))
        blocked.append(task)
        # once paused, not again until the resume is taken in (a quick click is RUNNING already)
        if len(streak) >= STREAK_LIMIT and not self._pause_reason and self.control.state is ControlState.RUNNING:
            self._auto_pause(streak, queue, store)

    def _take_in_resume(
        self, queue: TaskQueue, streak: list[tuple[FileTask, FileRecord]], blocked: list[FileTask]
    ) -> None:
        """The person resumed after pef paused itself: what the drives refused is retried first, a new streak begins."""
        self._reserve.hold()
        queue.extendleft(reversed(blocked))
        streak.clear()
        blocked.clear()
        self._pause_reason = ""

    def _auto_pause(self, streak: list[tuple[FileTask, FileRecord]], queue: TaskQueue, store: StateStore) -> None:
        left = sum(task.size for task in queue) + sum(task.size for task, _ in streak)
        try:
            free = self.files.free_space(self.job.output)
        except OSError:
            free = None
        records = [record for _, record in streak]
        self._pause_reason = explain_streak(records, self.job.source.paths, self.job.output, left, free)
        self.control.pause(self._pause_reason)
