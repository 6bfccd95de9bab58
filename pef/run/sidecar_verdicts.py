"""Every sidecar of a Takeout folder read on worker processes while the survey goes on: what a forecast needs.

A forecast (the dry run, the window's preview) reads every sidecar. Parsing them is bound by the
processor, and so is the survey; the two need not wait for each other. Once the scan has found
`PROCESS_MIN` sidecars (and the Takeout has a folder), worker processes read them, a chunk at a time
as the scan finds them, while this process scans, matches, finds copies and plans, and a thread of
this process gathers what they say. They run at a lower priority: on two cores one reads beside the
survey, and both once it is done. A sidecar they did not judge (an archive's, or any once a worker
died) is read by the forecast itself.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date

from pef.metadata.timezone import ZoneRule, resolve_zone
from pef.model.photo import Metadata
from pef.model.records import RunSettings
from pef.run.copy_file import sidecar_day
from pef.run.process_digests import ProcessDigests
from pef.run.workers import bound_processes, results_ahead, workers_for
from pef.takeout.located import LocatedFiles
from pef.takeout.parts import PartKind
from pef.takeout.parts_source import PartsSource
from pef.takeout.sidecar import parse_sidecar
from pef.takeout.survey import read_small

PROCESS_MIN = 5_000  # fewer sidecars are read sooner than worker processes start
CHUNK = 500  # sidecars a worker process is handed at a time
READ_AHEAD = 4 * 1024 * 1024  # bytes of sidecars a worker process holds before it parses them
NICENESS = 10  # the readers yield a core to the survey while it runs (one process a core), and take it after

# A usable sidecar: the day of its date (an ordinal, 0 without a date) and whether a partner shared the
# photo; None: a sidecar that says nothing usable. All an output's place needs, and cheap to pickle.
Verdict = tuple[int, bool] | None


def verdict_of(data: bytes | None, zones: ZoneRule) -> Verdict:
    parsed = parse_sidecar(data) if data is not None else None
    if not isinstance(parsed, Metadata):
        return None
    day = sidecar_day(parsed, zones)
    return (day.toordinal() if day is not None else 0), parsed.from_partner


def day_of(verdict: tuple[int, bool]) -> date | None:
    return date.fromordinal(verdict[0]) if verdict[0] else None


class SidecarVerdicts:
    """The verdicts of a Takeout's sidecars, read by worker processes as its scan finds them.

    `add` is the scan's `sidecars_found`; `found` waits for the readers and hands what they said.
    """

    def __init__(self, source: PartsSource, settings: RunSettings, processes_from: int = PROCESS_MIN) -> None:
        self._source, self._settings, self._processes_from = source, settings, processes_from
        self._in_folders = any(part.kind is PartKind.FOLDER for part in source.parts.parts)
        self._found: dict[str, Verdict] = {}
        self._alike: dict[Verdict, Verdict] = {}  # one tuple for each verdict: a day holds many photos
        self._early: list[str] = []  # keys found before there were enough to start the readers
        self._batches: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()  # None: no more
        self._pool: ProcessPoolExecutor | None = None
        self._gatherer: threading.Thread | None = None
        self._digests: ProcessDigests | None = None
        self._stop = threading.Event()
        self._error: BaseException | None = None

    def add(self, keys: list[str]) -> None:
        """The keys of more sidecars the scan found."""
        if self._gatherer is not None:
            self._batches.put(keys)
            return
        self._early += keys
        if len(self._early) >= self._processes_from and self._in_folders:
            count = workers_for(self._source.root)
            self._pool = bound_processes(count, _start_judge, self._settings)  # by this thread: see there
            self._digests = ProcessDigests(self._pool, count, self._source)
            self._batches.put(self._early)
            self._early = []
            self._gatherer = threading.Thread(target=self._gather, args=(count,), name="pef-sidecars", daemon=True)
            self._gatherer.start()

    def _gather(self, count: int) -> None:
        assert self._pool is not None
        try:
            for located, verdicts in results_ahead(self._pool, _judge_chunk, self._chunks(), 2 * count):
                if self._stop.is_set():
                    return
                self._take(located, verdicts)
        except (BrokenProcessPool, CancelledError):  # a worker died (out of memory?): the rest is read here
            return
        except BaseException as error:  # an error in pef: raised where the verdicts are asked for
            self._error = error

    def _chunks(self) -> Iterator[LocatedFiles]:
        """The sidecars as the scan tells of them, a chunk at a time, until it is done or the forecast stops."""
        while (keys := self._batches.get()) is not None:
            for start in range(0, len(keys), CHUNK):
                # copies' digests first: the survey waits for them before its plan, for the verdicts only after it
                if self._digests is not None:
                    self._digests.idle.wait()
                if self._stop.is_set():
                    return
                located = self._source.located(keys[start : start + CHUNK])
                if located is not None:  # else an archive's sidecars: the forecast reads them with the part's stream
                    yield located

    def _take(self, located: LocatedFiles, verdicts: list[Verdict]) -> None:
        alike = self._alike
        self._found.update(
            zip(located.places, (alike.setdefault(verdict, verdict) for verdict in verdicts), strict=True)
        )

    def digests(self, keys: Iterator[str], count: int, limit: int | None) -> Callable[[], bytearray | None] | None:
        """The survey's `DigestReader`: the small files that may be copies, read by the same worker processes."""
        return self._digests(keys, count, limit) if self._digests is not None else None

    def found(self) -> dict[str, Verdict]:
        """Sidecar key → verdict, for those the worker processes read (all of a folder's, unless one died)."""
        if self._gatherer is not None:
            self._batches.put(None)
            self._gatherer.join()
        if self._error is not None:
            raise self._error
        return self._found

    def close(self) -> None:
        self._stop.set()
        self._batches.put(None)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self._gatherer is not None:
            self._gatherer.join()
        if self._digests is not None:
            self._digests.close()

    def __enter__(self) -> SidecarVerdicts:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# In a worker process: the settings' zones, set once by `_start_judge`.
_ZONES: dict[str, ZoneRule] = {}


def _start_judge(settings: RunSettings) -> None:
    if hasattr(os, "nice"):  # behind the survey, which this process would otherwise share a core with
        os.nice(NICENESS)
    _ZONES["zones"] = resolve_zone(settings.timezone)


def _judge_chunk(located: LocatedFiles) -> list[Verdict]:
    """The chunk's sidecars read, up to `READ_AHEAD` bytes at a time, before they are parsed: after each read's
    system calls a parse takes longer (a third more processor time a sidecar here, read and parsed in turn)."""
    zones, verdicts, read, held = _ZONES["zones"], [], [], 0
    for key in located.places:
        read.append(data := read_small(located, key))
        held += len(data) if data else 0
        if held >= READ_AHEAD:
            verdicts += [verdict_of(one, zones) for one in read]
            read, held = [], 0
    return verdicts + [verdict_of(one, zones) for one in read]
