"""Where files are processed: worker processes for a Takeout folder's files, threads for the rest.

Processing a file is Python-bound (a sidecar parsed, a header built and read back), so threads take
turns on one core. A folder's files go to processes, one per worker, each reading the files by their
place on the disk (`LocatedFiles`). An archive's entries are read by one stream in this process, and a
run that brings its own drive or clock (the tests' fault injection) keeps everything in this process:
those go to threads. Whichever did the work, the engine receives a record and the messages to say.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.queues import SimpleQueue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import TypeVar

from pef.metadata.timezone import resolve_zone
from pef.model.events import FileRetrying, Level, Message
from pef.model.outcomes import FileStatus, Reason
from pef.model.records import FileRecord, FileTask, RunSettings, now_iso
from pef.run.control import RunControl
from pef.run.copy_file import FileCopier
from pef.run.output_files import OutputFiles
from pef.takeout.located import LocatedFiles
from pef.takeout.parts_source import PartsSource

R = TypeVar("R")

PROCESS_MIN_FILES = 200  # fewer files than this are done sooner than worker processes start
BROKEN = "A worker process stopped; the rest of the run goes on in pef's own process, more slowly"
PR_SET_PDEATHSIG = 1
NOTICE_SECONDS = 0.25
MIN_BATCH_FILES, MAX_BATCH_FILES, BATCH_BYTES = 16, 64, 4 << 20
BATCHES_A_WORKER = 32  # at least, in a run: a batch stays a small step of the progress, and of what a kill redoes
SPINNING_WORKERS = 2
SPAWN = multiprocessing.get_context("spawn")  # a fork would copy the lock, the window, the threads
Done = tuple[FileRecord, list[Message]]  # a file's record, and what to tell the person about it


def workers_for(drive: Path) -> int:
    """One worker per core (the work is bound by the processor); two on a spinning disk, which seeks between them."""
    cores = max(2, min(8, os.cpu_count() or 2))
    return min(cores, SPINNING_WORKERS) if spinning(drive) else cores


def spinning(path: Path) -> bool:
    """Whether the drive holding `path` (or the nearest folder above it that exists) is a rotating disk (Linux)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        device = path.stat().st_dev
        block = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}").resolve()
        # a partition's queue is its disk's
        flag = next(folder / "queue/rotational" for folder in (block, block.parent) if (folder / "queue").is_dir())
        return flag.read_text().strip() == "1"
    except (OSError, StopIteration):
        return False


def process_safely(copier: FileCopier, task: FileTask, original: FileRecord | None) -> Done:
    """Process one file; a bug in pef costs no file and not the run (copied unchanged, and seen)."""
    messages: list[Message] = []
    try:
        return copier.process(task, original), messages
    except Exception as error:
        text = f"{task.key}: an error in pef ({error.__class__.__name__}); copied unchanged, see pef.log"
        messages.append(Message(Level.ERROR, text, traceback.format_exc()))
    try:
        return copier.copy_unchanged(task, text), messages
    except Exception as again:
        messages.append(Message(Level.ERROR, f"{task.key}: could not even be copied unchanged", traceback.format_exc()))
        record = FileRecord(
            task.key, FileStatus.FAILED, None, task.sidecar, Reason.INTERNAL_ERROR, 0, 1, now_iso(),
            f"{text} ({again.__class__.__name__})", task.match,
            decided=task.decision.token if task.decision else "",
        )  # fmt: skip
        return record, messages


@dataclass(frozen=True)
class _Handed:
    """A file handed to a worker process: what it needs, and where its outcome goes."""

    task: FileTask
    original: FileRecord | None
    located: LocatedFiles
    done: Future[Done]


class Workers:
    """Hands files to the workers; `submit` returns a future of the record and its messages.

    Files for worker processes go in batches (a few small files, or one big one): handing files over
    one by one cost the main process more than recording them.
    """

    def __init__(
        self, copier: FileCopier, count: int, control: RunControl, *, processes: WorkerProcesses | None, files: int = 0
    ) -> None:
        self._copier, self._count = copier, count
        # big runs in big batches: each hand-over costs the main process a few thread switches
        self._batch_files = max(MIN_BATCH_FILES, min(MAX_BATCH_FILES, files // (count * BATCHES_A_WORKER)))
        self._threads = ThreadPoolExecutor(max_workers=count, thread_name_prefix="pef-worker")
        self._processes: ProcessPoolExecutor | None = None  # None: every file on threads from now on
        self._pool: ProcessPoolExecutor | None = None
        self._batch: list[_Handed] = []
        self._batch_bytes = 0
        self._on_thread = 0  # files handed to the threads and not yet done
        self._batches = 0  # batches handed to the worker processes and not yet done
        self._lock = threading.Lock()
        self._looked = 0.0
        if processes is not None:
            self._notices = processes.notices
            self._processes = self._pool = processes.pool
            control.subscribe(lambda _state, _reason: processes.stop.set() if control.stopping else None)

    def has_room(self) -> bool:
        """Whether to hand out another file: up to two batches a process and two files a thread in hand."""
        with self._lock:
            return self._batches < 2 * self._count and self._on_thread < 2 * self._count

    def submit(self, task: FileTask, original: FileRecord | None) -> Future[Done]:
        located = self._located(task)
        if located is None:
            return self._on_threads(task, original)
        done: Future[Done] = Future()
        self._batch.append(_Handed(task, original, located, done))
        self._batch_bytes += task.size
        if len(self._batch) >= self._batch_files or self._batch_bytes >= BATCH_BYTES:
            self.flush()
        return done

    def flush(self) -> None:
        """Send the files gathered so far (the engine calls this before it waits)."""
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        if not batch:
            return
        if self._processes is None:  # the processes broke since these were gathered
            self._redo_on_threads(batch, "")
            return
        with self._lock:
            self._batches += 1
        places = {key: place for item in batch for key, place in item.located.places.items()}
        work = [(item.task, item.original) for item in batch]
        future = self._processes.submit(_process_batch, LocatedFiles(places), work)

        def finished(future: Future[list[Done]]) -> None:
            with self._lock:
                self._batches -= 1
            try:
                outcomes = future.result()
            except BrokenProcessPool as error:  # a worker was killed (out of memory?): its files are done here
                first = self._processes is not None
                self._processes = None
                self._redo_on_threads(batch, f"{BROKEN} ({error})" if first else "")
                return
            for item, (record, messages) in zip(batch, outcomes, strict=True):
                item.done.set_result((record, messages))

        future.add_done_callback(finished)

    def _on_threads(self, task: FileTask, original: FileRecord | None) -> Future[Done]:
        with self._lock:
            self._on_thread += 1
        future = self._threads.submit(process_safely, self._copier, task, original)
        future.add_done_callback(self._thread_done)
        return future

    def _thread_done(self, _future: Future[Done]) -> None:
        with self._lock:
            self._on_thread -= 1

    def _redo_on_threads(self, batch: list[_Handed], warning: str) -> None:
        """`warning`: said with the first file's outcome (the run's account says why it slowed down)."""
        for index, item in enumerate(batch):
            said = [Message(Level.WARNING, warning)] if warning and index == 0 else []
            again = self._on_threads(item.task, item.original)
            again.add_done_callback(
                lambda again, done=item.done, said=said: done.set_result((again.result()[0], said + again.result()[1]))
            )

    def _located(self, task: FileTask) -> LocatedFiles | None:
        if self._processes is None or not isinstance(self._copier.source, PartsSource):
            return None
        return self._copier.source.located([task.key, *([task.sidecar] if task.sidecar else [])])

    def notices(self) -> Iterator[FileRetrying]:
        """The retries the worker processes reported since the last look (looked for a few times a second)."""
        now = time.monotonic()
        if self._processes is None or now - self._looked < NOTICE_SECONDS:
            return
        self._looked = now
        while not self._notices.empty():
            yield self._notices.get()

    def close(self) -> None:
        self._threads.shutdown()
        if self._pool is not None:
            self._pool.shutdown()


@dataclass(frozen=True)
class WorkerProcesses:
    """A run's worker processes. Each takes a fifth of a second to start: a run starts them while it surveys."""

    pool: ProcessPoolExecutor
    stop: EventType  # set when the run stops: a worker waiting out a backoff gives up
    notices: SimpleQueue  # the retries the workers report

    @classmethod
    def start(cls, count: int, output: Path, settings: RunSettings) -> WorkerProcesses:
        stop, notices = SPAWN.Event(), SPAWN.SimpleQueue()
        return cls(bound_processes(count, _start_worker, output, settings, stop, notices), stop, notices)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


# In a worker process: its copier, made once by `_start_worker`.
_WORKER: dict[str, FileCopier] = {}


def bound_processes(count: int, initializer: Callable[..., None], *initargs: object) -> ProcessPoolExecutor:
    """Worker processes that die with pef (even a kill -9) and leave Ctrl+C to it, each set up by `initializer`.

    All are started now, by the calling thread: they die with the thread that started them, not with the
    process (PR_SET_PDEATHSIG), and the pool would otherwise start one with a later call from any thread.
    """
    pool = ProcessPoolExecutor(count, SPAWN, initializer=_start_bound, initargs=(os.getpid(), initializer, initargs))
    for _ in range(count):  # the pool starts a process for each call it has no idle one for: all of them, now
        pool.submit(os.getpid)
    return pool


def results_ahead(
    pool: ProcessPoolExecutor, work: Callable[[LocatedFiles], R], chunks: Iterable[LocatedFiles], ahead: int
) -> Iterator[tuple[LocatedFiles, R]]:
    """Each chunk with what `work` made of it on the pool, in order; no more than `ahead` handed out and not yet
    taken (the rest are not made and pickled before they are needed)."""
    waiting: deque[tuple[LocatedFiles, Future[R]]] = deque()
    for chunk in chunks:
        waiting.append((chunk, pool.submit(work, chunk)))
        while len(waiting) > ahead:
            handed, future = waiting.popleft()
            yield handed, future.result()
    for handed, future in waiting:
        yield handed, future.result()


def _start_bound(parent: int, initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends Ctrl+C to the whole group: pef decides
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # pef died before the line above took effect
        os._exit(1)
    initializer(*initargs)


def _start_worker(output: Path, settings: RunSettings, stop, notices) -> None:
    """A run's worker process: waits out backoffs unless stopped."""

    def notice(task: FileTask, retry: int, delay: float, error: str) -> None:
        notices.put(FileRetrying(task.key, retry, delay, error))

    _WORKER["copier"] = FileCopier(
        LocatedFiles({}),
        output,
        settings,
        resolve_zone(settings.timezone),
        OutputFiles(),
        lambda seconds: not stop.wait(seconds),
        notice,
    )


def _process_batch(located: LocatedFiles, batch: list[tuple[FileTask, FileRecord | None]]) -> list[Done]:
    """A batch's files, read where `located` (the batch's files, all of them) says they lie."""
    copier = replace(_WORKER["copier"], source=located)
    return [process_safely(copier, task, original) for task, original in batch]
