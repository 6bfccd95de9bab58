"""The one rate and time-left meter both faces show."""

from __future__ import annotations

from pef.present.meter import RateMeter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_paused_time_does_not_count() -> None:
    clock = Clock()
    meter = RateMeter(clock)
    meter.start(files_done=50, bytes_done=5_000)
    clock.now += 2.0
    assert meter.read(150, 1150, 15_000).files_per_second == 50.0
    meter.pause()
    clock.now += 600.0  # ten minutes away from the desk
    meter.resume()
    clock.now += 2.0
    reading = meter.read(250, 1150, 25_000)
    assert (reading.files_per_second, reading.bytes_per_second) == (50.0, 5_000.0)
    assert reading.left == "0:00:18"
    assert reading.words() == "50.0 files/s, 5.0 KB/s — 0:00:18 left"


def test_nothing_measured_yet_says_so() -> None:
    meter = RateMeter(Clock())
    meter.start(0, 0)
    assert meter.read(0, 10, 0).left == "--:--:--"
