"""What a completed run saw and said, kept in its state's head: a later run that finds nothing changed says it again.

The prints (see `tree_print`) are of the Takeout's listing, taken before the run read it, and of the
output folder as the run left it. A run that finds both the same has nothing to do, and ends at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from pef.model.events import Level, Message, RunStarted, RunSummary, ScanFinished
from pef.model.records import FileRecord
from pef.state.layout import REPORT_NAME

_COUNTS = ("unmatched", "failed", "dates", "orphans", "skipped", "folders", "links")
_NUMBERS = ("total", "done", "saved_bytes", "album_copies", "duplicates")


@dataclass(frozen=True)
class FinishedRun:
    source: str  # print of the Takeout's listing, with the settings and pef's version
    outputs: str  # print of the output folder, pef's own bookkeeping left out
    said: tuple[Message, ...]  # what the run said of the Takeout before it began (its parts, files it could not read)
    scan: ScanFinished
    done_bytes: int
    summary: RunSummary  # its output and report paths are the folder's, wherever it is now

    def started(self, output: Path, already_done: int) -> RunStarted:
        return RunStarted(output, self.summary.total, already_done, self.scan.media_bytes, self.done_bytes)

    def summary_in(self, output: Path) -> RunSummary:
        return replace(self.summary, output=output, report=output / REPORT_NAME)

    def as_json(self) -> dict:
        summary = self.summary
        return {
            "source": self.source,
            "outputs": self.outputs,
            "said": [[message.level.value, message.text, message.detail] for message in self.said],
            "scan": [self.scan.media, self.scan.sidecars, self.scan.media_bytes],
            "done_bytes": self.done_bytes,
            "summary": {
                **{name: getattr(summary, name) for name in _NUMBERS},
                **{name: dict(getattr(summary, name)) for name in _COUNTS},
                "failures": [[record.key, record.as_json()] for record in summary.failures],
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> FinishedRun:
        """Raises KeyError, TypeError or ValueError on a damaged value (the run then looks at everything again)."""
        saved = data["summary"]
        summary = RunSummary(
            output=None,
            **{name: int(saved[name]) for name in _NUMBERS},
            **{name: Counter({str(key): int(count) for key, count in saved[name].items()}) for name in _COUNTS},
            failures=tuple(FileRecord.from_json(str(key), entry) for key, entry in saved["failures"]),
        )
        media, sidecars, media_bytes = (int(number) for number in data["scan"])
        return cls(
            source=str(data["source"]),
            outputs=str(data["outputs"]),
            said=tuple(Message(Level(level), str(text), str(detail)) for level, text, detail in data["said"]),
            scan=ScanFinished(media, sidecars, media_bytes),
            done_bytes=int(data["done_bytes"]),
            summary=summary,
        )
