"""A run on a finished output with nothing changed since: found by two prints, said again without reading a file."""

from __future__ import annotations

import os
from pathlib import Path

from pef.model.events import Event, Level, Message, RunSummary, ScanFinished
from pef.present.words import NOTHING_TO_DO
from pef.run.job import Job
from pef.state.finished import FinishedRun
from pef.state.layout import ALBUMS_NAME, JOURNAL_NAME, OWN_NAMES, REPORT_NAME, STATE_NAME
from pef.state.store import RunState, RunStatus, ends_whole, head_state
from pef.state.tree_print import tree_print

# pef's bookkeeping changes whatever a run does; its listings (the report, albums.csv) are outputs like the photos
BOOKKEEPING = OWN_NAMES - {REPORT_NAME, ALBUMS_NAME}


def outputs_print(job: Job) -> str | None:
    return tree_print(job.output, BOOKKEEPING)


def unchanged_finish(job: Job, listing: str) -> FinishedRun | None:
    """The completed run saved in the output, when the Takeout's print and the output's are the ones it left."""
    if job.redo_all or job.decisions:
        return None
    try:
        if os.stat(job.output / JOURNAL_NAME).st_size:
            return None  # a later run was interrupted: what it did is in the journal
    except FileNotFoundError:
        pass
    except OSError:
        return None
    state = head_state(job.output / STATE_NAME)
    if state is None or not ends_whole(job.output / STATE_NAME):
        return None  # a state file cut short is set aside by a run that looks at everything
    finished = state.finished
    if state.status != RunStatus.COMPLETED or finished is None or finished.source != listing:
        return None
    if job.retry_failed and finished.summary.failed:
        return None
    return finished if outputs_print(job) == finished.outputs else None


def finished_run(
    job: Job, listing: str | None, said: list[Message], scan: ScanFinished, state: RunState, summary: RunSummary
) -> FinishedRun | None:
    """What a later run finding nothing changed will say; None when the Takeout or the output cannot be printed."""
    if listing is None or (outputs := outputs_print(job)) is None:
        return None
    return FinishedRun(listing, outputs, tuple(said), scan, state.files.total_size, summary)


def said_again(finished: FinishedRun, output: Path) -> list[Event]:
    """What a run finding nothing changed says before its summary: the same as a run that looked at everything."""
    started = finished.started(output, already_done=finished.summary.total)
    return [*finished.said, finished.scan, Message(Level.INFO, NOTHING_TO_DO), started]
