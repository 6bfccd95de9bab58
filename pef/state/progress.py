"""`pef progress --clear`: forgetting a run's progress (its copied files stay)."""

from __future__ import annotations

from pathlib import Path

from pef.state.journal import Journal
from pef.state.layout import JOURNAL_NAME, STATE_NAME
from pef.state.outputs import OutputLock


def clear_progress(folder: Path) -> None:
    """Forget a folder's progress (its copied files stay); refused while a run holds the folder."""
    with OutputLock(folder):
        (folder / STATE_NAME).unlink(missing_ok=True)
        Journal(folder / JOURNAL_NAME).path.unlink(missing_ok=True)
