"""pef-report.csv: one row per source file, saying what became of it and why."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pef.core.describe import EXPLANATIONS
from pef.core.outcomes import Reason
from pef.core.records import FileRecord, FileTask
from pef.state.store import write_atomically

COLUMNS = ("source", "kind", "status", "reason", "why", "sidecar", "output", "match", "date_source", "error", "note")


@dataclass(frozen=True)
class ReportRow:
    source: str
    kind: str  # media, sidecar, other
    status: str
    reason: str = ""
    sidecar: str = ""
    output: str = ""
    match: str = ""
    date_source: str = ""  # sidecar, camera or sidecar_over_camera: where the written date came from
    error: str = ""
    note: str = ""

    @property
    def why(self) -> str:
        """The reason in a sentence for people."""
        return EXPLANATIONS[Reason(self.reason)] if self.reason else ""


def media_row(task: FileTask, record: FileRecord | None) -> ReportRow:
    if record is None:
        return ReportRow(task.key, "media", "pending", "", task.sidecar or "", task.output)
    return ReportRow(
        task.key,
        "media",
        record.status.value,
        record.reason.value if record.reason else "",
        record.sidecar or "",
        record.output or "",
        record.match.value if record.match else "",
        record.date_source.value if record.date_source else "",
        record.error or "",
        record.note,
    )


def write_report(path: Path, rows: Iterable[ReportRow]) -> None:
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.source):
        writer.writerow([getattr(row, column) for column in COLUMNS])
    write_atomically(path, buffer.getvalue().encode("utf-8-sig", "backslashreplace"))  # BOM: Excel then reads UTF-8
