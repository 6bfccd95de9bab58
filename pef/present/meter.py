"""One rate and time-left meter for both faces: files and bytes per second of running time, pauses left out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pef.present.words import human_bytes, human_duration


@dataclass(frozen=True)
class Reading:
    files_per_second: float
    bytes_per_second: float
    left: str  # h:mm:ss, or --:--:-- before anything was measured

    def words(self) -> str:
        return f"{self.files_per_second:,.1f} files/s, {human_bytes(self.bytes_per_second)}/s — {self.left} left"


class RateMeter:
    """Counts from the files finished since this run (re)started; time spent paused does not count."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._first_files = self._first_bytes = 0
        self._running_since: float | None = None
        self._banked = 0.0  # seconds of running time before the last pause

    def start(self, files_done: int, bytes_done: int) -> None:
        self._first_files, self._first_bytes = files_done, bytes_done
        self._banked, self._running_since = 0.0, self._clock()

    def pause(self) -> None:
        if self._running_since is not None:
            self._banked += self._clock() - self._running_since
            self._running_since = None

    def resume(self) -> None:
        if self._running_since is None:
            self._running_since = self._clock()

    def running_seconds(self) -> float:
        live = self._clock() - self._running_since if self._running_since is not None else 0.0
        return max(self._banked + live, 1e-6)

    def read(self, files_done: int, total: int, bytes_done: int) -> Reading:
        seconds = self.running_seconds()
        rate = (files_done - self._first_files) / seconds
        byte_rate = (bytes_done - self._first_bytes) / seconds
        left = human_duration((total - files_done) / rate) if rate > 0 else "--:--:--"
        return Reading(rate, byte_rate, left)
