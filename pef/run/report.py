"""pef-report.csv: one row per source file, saying what became of it and why."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from pef.model.records import FileRecord, FileTask
from pef.present.words import explanation
from pef.run.listing import write_listing
from pef.takeout.survey import Survey

COLUMNS = (
    "source", "kind", "status", "reason", "why", "sidecar", "output", "match", "date_source", "copy", "copy_of", "link",
    "error", "note",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
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


def other_rows(survey: Survey) -> Iterator[ReportRow]:
    """Report rows of every source file that is not a media file, in order of source."""
    used = (ReportRow(key, "sidecar", "used") for key in survey.used_sidecars())
    orphans = (
        ReportRow(key, "sidecar", "orphan", reason.value, error=detail)
        for key, (reason, detail) in sorted(survey.orphans.items())
    )
    skipped = (
        ReportRow(item.entry.key, "other", "skipped", item.reason.value, error=item.detail)
        for item in sorted(survey.skipped, key=lambda item: item.entry.key)
    )
    return heapq.merge(used, orphans, skipped, key=attrgetter("source"))


def report_rows(survey: Survey, files: Mapping[str, FileRecord]) -> Iterator[ReportRow]:
    """Every row of the report in order of source, made one at a time (a million rows are never all in memory)."""
    media = (media_row(task, files.get(task.key)) for task in survey.tasks.in_key_order())
    return heapq.merge(media, other_rows(survey), key=attrgetter("source"))


def write_report(path: Path, rows: Iterable[ReportRow]) -> None:
    """`rows` in order of source."""
    write_listing(path, COLUMNS, rows)
