"""PySide6 6.12.0 aborts Python 3.11 after ~570 emissions (bool_dealloc): this must never come back."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

EMISSIONS = 12_000


class Emitter(QObject):
    flag = Signal(bool)
    value = Signal(object)
    done = Signal()

    @Slot()
    def run(self) -> None:
        for index in range(EMISSIONS):
            self.flag.emit(index % 2 == 0)
            self.value.emit((index, True, None))
        self.done.emit()


def test_many_cross_thread_emissions(qtbot) -> None:
    received = {"flag": 0, "value": 0}
    emitter, thread = Emitter(), QThread()
    emitter.moveToThread(thread)
    emitter.flag.connect(lambda _: received.__setitem__("flag", received["flag"] + 1))
    emitter.value.connect(lambda _: received.__setitem__("value", received["value"] + 1))
    thread.started.connect(emitter.run)
    with qtbot.waitSignal(emitter.done, timeout=120_000):
        thread.start()
    qtbot.waitUntil(lambda: received["value"] == EMISSIONS, timeout=120_000)
    thread.quit()
    thread.wait()
    assert received == {"flag": EMISSIONS, "value": EMISSIONS}
    assert threading.main_thread() is threading.current_thread()


def test_many_engine_events_through_the_bridge(qtbot, tmp_path) -> None:
    """Each message first sends the progress waiting before it: 24,000 emissions, in the engine's order."""
    from pef.gui.job import EngineWorker
    from pef.model.events import FileFinished, Level, Message
    from pef.model.outcomes import FileStatus
    from pef.model.records import FileRecord

    worker = EngineWorker(job=None, control=None)
    seen = []
    worker.event.connect(seen.append)
    record = FileRecord("a.jpg", FileStatus.DONE, "a.jpg")
    for index in range(1, EMISSIONS + 1):
        worker._sink(FileFinished(record, index, EMISSIONS, index))
        worker._sink(Message(Level.INFO, f"after {index}"))
    assert len(seen) == 2 * EMISSIONS
    assert [event.finished for event in seen[::2]] == list(range(1, EMISSIONS + 1))
    assert seen[-1].text == f"after {EMISSIONS}" and worker.take_progress() is None
