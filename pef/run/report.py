"""pef-report.csv: one row per source file, saying what became of it and why."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pef.model.records import FileRecord, FileTask
from pef.present.words import explanation
from pef.state.store import write_atomically
from pef.takeout.survey import Survey

COLUMNS = (
    "source", "kind", "status", "reason", "why", "sidecar", "output", "match", "date_source", "copy", "copy_of", "link",
    "error", "note",
)  # fmt: skip


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
    copy: str = ""  # album_copy or duplicate: a file with the same bytes as another photo
    copy_of: str = ""  # that photo
    link: str = ""  # hard, symbolic, none: how its output stands for that photo's file
    error: str = ""
    note: str = ""

    @property
    def why(self) -> str:
        """The reason in a sentence for people."""
        return explanation(self.reason)


def media_row(task: FileTask, record: FileRecord | None) -> ReportRow:
    if record is None:
        copy = task.copy_kind.value if task.copy_kind else ""
        return ReportRow(
            task.key, "media", "pending", "", task.sidecar or "", task.output, copy=copy, copy_of=task.copy_of
        )
    return ReportRow(
        task.key,
        "media",
        record.status.value,
        record.reason.value if record.reason else "",
        record.sidecar or "",
        record.output or "",
        record.match.value if record.match else "",
        record.date_source.value if record.date_source else "",
        task.copy_kind.value if task.copy_kind else "",
        task.copy_of,
        record.link.value if record.link else "",
        record.error or "",
        record.note,
    )


def other_rows(survey: Survey) -> list[ReportRow]:
    """Report rows of every source file that is not a media file."""
    rows = [ReportRow(key, "sidecar", "used") for key in sorted(survey.used_sidecars)]
    rows += [
        ReportRow(key, "sidecar", "orphan", reason.value, error=detail)
        for key, (reason, detail) in survey.orphans.items()
    ]
    rows += [
        ReportRow(item.entry.key, "other", "skipped", item.reason.value, error=item.detail) for item in survey.skipped
    ]
    return rows


def write_report(path: Path, rows: Iterable[ReportRow]) -> None:
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.source):
        writer.writerow([getattr(row, column) for column in COLUMNS])
    write_atomically(path, buffer.getvalue().encode("utf-8-sig", "backslashreplace"))  # BOM: Excel then reads UTF-8
