"""A run's counts, from its records and its survey."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pef.model.events import RunSummary
from pef.model.library import CopyKind
from pef.model.outcomes import FileStatus
from pef.model.records import FileRecord
from pef.state.layout import REPORT_NAME
from pef.takeout.survey import Survey


def summarize(
    records: Iterable[FileRecord], survey: Survey, output: Path | None, status: str, reason: str = ""
) -> RunSummary:
    """`records`: each file's, read once (a forecast's are made as they are counted)."""
    unmatched: Counter = Counter()
    failed: Counter = Counter()
    dates: Counter = Counter()
    failures = []
    done = 0
    folders: Counter = Counter()
    links: Counter = Counter()
    saved = 0
    for record in records:
        if record.link is not None:
            links[record.link.value] += 1
            saved += record.size
        if record.owns_output and record.output:
            folders[record.output.split("/", 1)[0] if "/" in record.output else "(top)"] += 1
        if record.date_source is not None:
            dates[record.date_source.value] += 1
        if record.status is FileStatus.DONE:
            done += 1
        elif record.status is FileStatus.UNMATCHED:
            unmatched[record.reason.value if record.reason else "unknown"] += 1
        else:
            failed[record.reason.value if record.reason else "unknown"] += 1
            failures.append(record)
    return RunSummary(
        output=output,
        total=len(survey.tasks),
        done=done,
        unmatched=unmatched,
        failed=failed,
        dates=dates,
        orphans=survey.orphan_counts(),
        skipped=survey.skipped_counts(),
        status=status,
        reason=reason,
        report=output / REPORT_NAME if output else None,
        failures=tuple(sorted(failures, key=lambda r: r.key)),
        folders=folders,
        links=links,
        saved_bytes=saved,
        album_copies=survey.tasks.copies(CopyKind.ALBUM_COPY),
        duplicates=survey.tasks.copies(CopyKind.DUPLICATE),
    )
