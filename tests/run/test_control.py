"""RunControl: every transition, refused ones, and a pause that costs no CPU."""

from __future__ import annotations

import threading
import time

import pytest

from pef.run.control import ControlState, InvalidTransition, RunControl

S = ControlState
VALID = {
    S.RUNNING: {S.PAUSED, S.STOPPING, S.COMPLETED, S.FAILED},
    S.PAUSED: {S.RUNNING, S.STOPPING},
    S.STOPPING: {S.STOPPED},
}


def control_in(state: ControlState) -> RunControl:
    control = RunControl()
    path = {
        S.RUNNING: [],
        S.PAUSED: [control.pause],
        S.STOPPING: [control.stop],
        S.STOPPED: [control.stop, lambda: control.finish(False)],
        S.COMPLETED: [lambda: control.finish(True)],
        S.FAILED: [lambda: control.fail("boom")],
    }[state]
    for step in path:
        step()
    assert control.state is state
    return control


def move(control: RunControl, target: ControlState) -> None:
    {
        S.RUNNING: control.resume,
        S.PAUSED: control.pause,
        S.STOPPING: control.stop,
        S.STOPPED: lambda: control._move(S.STOPPED),
        S.COMPLETED: lambda: control._move(S.COMPLETED),
        S.FAILED: lambda: control.fail("x"),
    }[target]()


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition(source: ControlState, target: ControlState) -> None:
    control = control_in(source)
    seen = []
    control.subscribe(lambda state, reason: seen.append(state))
    if target in VALID.get(source, set()):
        move(control, target)
        assert control.state is target and seen == [target]
    elif source in (S.STOPPING, S.STOPPED) and target is S.STOPPING:
        move(control, target)  # asking to stop again is harmless
        assert control.state is source and seen == []
    else:
        with pytest.raises(InvalidTransition, match=f"from {source.value} to {target.value}"):
            move(control, target)
        assert control.state is source and seen == []


def test_auto_pause_carries_its_reason() -> None:
    control = RunControl()
    heard = []
    control.subscribe(lambda state, reason: heard.append((state, reason)))
    control.pause("The output disk is full.")
    assert control.reason == "The output disk is full." and heard == [(S.PAUSED, "The output disk is full.")]
    control.resume()
    assert control.reason == ""


def test_pause_waits_without_cpu_and_stop_wakes_it() -> None:
    control = RunControl()
    control.pause()
    cpu = {}

    def worker() -> None:
        start = time.thread_time()
        control.wait_while_paused()
        cpu["used"] = time.thread_time() - start

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive()
    control.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert cpu["used"] < 0.05  # a polling loop would burn most of the 0.5 s


def test_backoff_sleep_is_cut_short_by_stop() -> None:
    control = RunControl()
    threading.Timer(0.1, control.stop).start()
    assert control.sleep(30) is False
    assert RunControl().sleep(0.01) is True


def test_finish_after_stop_is_stopped_and_after_running_is_completed() -> None:
    stopped = control_in(S.STOPPING)
    stopped.finish(True)
    assert stopped.state is S.STOPPED
    paused = control_in(S.PAUSED)
    paused.finish(False)
    assert paused.state is S.STOPPED
    done = RunControl()
    done.finish(True)
    assert done.state is S.COMPLETED
