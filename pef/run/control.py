"""Pause, resume and stop a run from any thread (the CLI's signal handler, the window's buttons).

    running ⇄ paused;  running | paused → stopping → stopped;  running → completed | failed

Workers check it between files: they finish the file in hand, then wait (paused) or exit (stopping).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum


class ControlState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    STOPPED = "stopped"
    COMPLETED = "completed"
    FAILED = "failed"


_ALLOWED: dict[ControlState, frozenset[ControlState]] = {
    ControlState.RUNNING: frozenset(
        {ControlState.PAUSED, ControlState.STOPPING, ControlState.COMPLETED, ControlState.FAILED}
    ),
    ControlState.PAUSED: frozenset({ControlState.RUNNING, ControlState.STOPPING}),
    ControlState.STOPPING: frozenset({ControlState.STOPPED}),
    ControlState.STOPPED: frozenset(),
    ControlState.COMPLETED: frozenset(),
    ControlState.FAILED: frozenset(),
}

Listener = Callable[[ControlState, str], None]


class InvalidTransition(RuntimeError):
    pass


class RunControl:
    """The one control object of a run; every method is safe to call from any thread and never blocks long."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._state = ControlState.RUNNING
        self._reason = ""
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Called (on the thread that changed the state) with every new state and its reason."""
        self._listeners.append(listener)

    @property
    def state(self) -> ControlState:
        return self._state

    @property
    def reason(self) -> str:
        """Why the run is paused or failed ("" when a person asked for it)."""
        return self._reason

    def _move(self, target: ControlState, reason: str = "") -> None:
        with self._condition:
            if target not in _ALLOWED[self._state]:
                raise InvalidTransition(f"cannot go from {self._state.value} to {target.value}")
            self._state, self._reason = target, reason
            self._condition.notify_all()
        for listener in list(self._listeners):
            listener(target, reason)

    def pause(self, reason: str = "") -> None:
        self._move(ControlState.PAUSED, reason)

    def resume(self) -> None:
        self._move(ControlState.RUNNING)

    def stop(self) -> None:
        """Ask the run to stop after the files in hand; asking again while it stops does nothing."""
        with self._condition:
            if self._state in (ControlState.STOPPING, ControlState.STOPPED):
                return
        self._move(ControlState.STOPPING)

    def finish(self, completed: bool) -> None:
        """The engine's last word: completed, or stopped (after stop(), or when it ended early)."""
        if completed and self._state is ControlState.RUNNING:
            self._move(ControlState.COMPLETED)
            return
        if self._state in (ControlState.RUNNING, ControlState.PAUSED):
            self._move(ControlState.STOPPING)
        if self._state is ControlState.STOPPING:
            self._move(ControlState.STOPPED)

    def fail(self, reason: str) -> None:
        self._move(ControlState.FAILED, reason)

    @property
    def stopping(self) -> bool:
        return self._state in (ControlState.STOPPING, ControlState.STOPPED, ControlState.FAILED)

    @property
    def paused(self) -> bool:
        return self._state is ControlState.PAUSED

    def wait_while_paused(self) -> None:
        """Block, using no CPU, until the run is resumed or asked to stop."""
        with self._condition:
            self._condition.wait_for(lambda: self._state is not ControlState.PAUSED)

    def sleep(self, seconds: float) -> bool:
        """Wait up to `seconds` (a retry's backoff); False if the run was asked to stop meanwhile."""
        with self._condition:
            self._condition.wait_for(lambda: self.stopping, timeout=seconds)
            return not self.stopping
