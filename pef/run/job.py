"""What a run is asked to do, and the ways it can decline to begin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pef.model.records import Decision, RunSettings
from pef.takeout.parts import TakeoutParts


@dataclass(frozen=True)
class Job:
    source: TakeoutParts
    output: Path
    settings: RunSettings
    workers: int = 4
    redo_all: bool = False  # reprocess every file in place, ignoring the saved progress
    retry_failed: bool = False  # also retry failures that a retry cannot usually fix (the window's "Retry failed")
    decisions: dict[str, Decision] = field(default_factory=dict)  # new Review decisions, kept in the state


class RunRefused(Exception):
    """The output folder holds a run that this one must not continue (without --force)."""


class RunDeclined(Exception):
    """The person chose not to start (the output drive looks too small)."""


Confirm = Callable[[str], bool]
