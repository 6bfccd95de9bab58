"""What a saved run amounts to (`pef progress`): read from the state file's head alone when the journal adds nothing.

The snapshot writes its files last and a summary of them (counts, links, failures) before them, so a
finished or cleanly stopped run of a million files is described without reading its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pef.model.records import RunSettings
from pef.state.layout import JOURNAL_NAME, STATE_NAME
from pef.state.store import RunState, StateStore, files_summary, read_head


@dataclass(frozen=True)
class SavedRun:
    source_path: str
    parts: tuple[str, ...]
    status: str
    settings: RunSettings
    started: str
    last_updated: str
    counts: dict[str, int]  # total, each status, pending
    links: dict[str, int]  # link kind → album copies and duplicates standing in that way
    failed: tuple[tuple[str, str], ...]  # key, what went wrong; in key order

    @classmethod
    def of_state(cls, state: RunState) -> SavedRun:
        return cls._of(state.as_head(), state.counts(), files_summary(state.files))

    @classmethod
    def _of(cls, head: dict, counts: dict[str, int], summary: dict) -> SavedRun:
        return cls(
            str(head["source_path"]), tuple(head.get("parts", ())), str(head["status"]),
            RunSettings.from_json(head.get("settings", {})), str(head.get("started", "")),
            str(head.get("last_updated", "")), dict(counts), dict(summary["links"]),
            tuple((str(key), str(text)) for key, text in summary["failed"]),
        )  # fmt: skip


def read_saved_run(folder: Path) -> SavedRun:
    """The run saved in `folder` (raises StateError); its head alone when no journal line follows the snapshot."""
    journal = folder / JOURNAL_NAME
    if not (journal.exists() and journal.stat().st_size):
        found = read_head(folder / STATE_NAME)
        if found is not None:
            head, _records_at = found
            return SavedRun._of(head, head["stats"], head["summary"])
    return SavedRun.of_state(StateStore(folder).peek())
