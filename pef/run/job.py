"""What a run is asked to do, and the ways it can decline to begin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pef.model.events import EventSink, SpaceShortage
from pef.model.library import CopyAction
from pef.model.records import Decision, FileTask, RunSettings
from pef.present.words import space_question
from pef.run.output_files import OutputFiles
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


def confirm_space(job: Job, todo: Iterable[FileTask], files: OutputFiles, emit: EventSink, confirm: Confirm) -> None:
    """Ask before a run whose files need more room than the output drive has; RunDeclined if the person says no."""
    needed = sum(task.size for task in todo if task.action is CopyAction.WRITE)
    try:
        free = files.free_space(job.output)
    except OSError:
        return
    if needed <= free:
        return
    emit(SpaceShortage(needed, free))
    question = space_question(free, needed)
    if not confirm(question):
        raise RunDeclined(question.split(" Start anyway?", maxsplit=1)[0])
