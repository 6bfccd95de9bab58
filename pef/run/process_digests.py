"""Copy detection's reading on worker processes: the digests of a Takeout's small files, a few chunks at a time.

The survey hands over their first bytes after its scan (`DigestReader`); the run's worker processes, or a
forecast's readers, read them while the survey matches, and a thread of this process gathers what they read.
The few whose first bytes agree with another's are handed over again, to be read whole.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from pef.run.workers import results_ahead
from pef.takeout.file_digests import HEAD_BYTES, UNREAD, content_digest, head_digest
from pef.takeout.located import LocatedFiles
from pef.takeout.parts_source import PartsSource

CHUNK = 2_000  # small files a worker process reads at a time


class ProcessDigests:
    """A survey's `DigestReader` on a pool of worker processes (its owner shuts the pool down)."""

    def __init__(self, pool: ProcessPoolExecutor, processes: int, source: PartsSource) -> None:
        self._pool, self._ahead, self._source = pool, 2 * processes, source
        self._gatherers: list[threading.Thread] = []
        self._stop = threading.Event()
        self.idle = threading.Event()  # clear while digests are being read: other work on the pool may wait for it
        self.idle.set()

    def __call__(self, keys: Iterator[str], count: int, limit: int | None) -> Callable[[], bytearray | None]:
        read = bytearray()
        self.idle.clear()
        work = functools.partial(_digest_chunk, limit=limit)
        gatherer = threading.Thread(target=self._gather, args=(keys, read, work), name="pef-digests", daemon=True)
        self._gatherers.append(gatherer)
        gatherer.start()

        def wait() -> bytearray | None:
            gatherer.join()
            return read if len(read) == count * len(UNREAD) else None  # a worker died: the survey reads them

        return wait

    def _gather(self, keys: Iterator[str], read: bytearray, work: Callable[[LocatedFiles], bytes]) -> None:
        try:
            for _chunk, digests in results_ahead(self._pool, work, self._chunks(keys), self._ahead):
                read += digests
        except (BrokenProcessPool, CancelledError):
            return
        except Exception:  # the survey reads them itself, and meets the same error where it is kept
            return
        finally:
            self.idle.set()

    def _chunks(self, keys: Iterator[str]) -> Iterator[LocatedFiles]:
        """The files a chunk at a time; none more once one lies in an archive (they are then read by the survey)."""
        while (chunk := list(islice(keys, CHUNK))) and not self._stop.is_set():
            if (located := self._source.located(chunk)) is None:
                return
            yield located

    def close(self) -> None:
        self._stop.set()
        for gatherer in self._gatherers:
            gatherer.join()


def _digest_chunk(located: LocatedFiles, limit: int | None) -> bytes:
    """The digests of the first `limit` bytes of a chunk's files (of all their bytes: None; all are small)."""
    if limit is None:
        return b"".join(content_digest(located, key, HEAD_BYTES) or UNREAD for key in located.places)
    return b"".join(head_digest(located, key, limit) or UNREAD for key in located.places)
