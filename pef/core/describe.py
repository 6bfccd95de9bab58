"""Plain words for counts, sizes and durations: shared by the terminal and the window."""

from __future__ import annotations

import re

from pef.core.events import RunSummary
from pef.core.outcomes import DateSource

# What a terminal would act on instead of showing: control characters (escape sequences, carriage
# returns), direction overrides that reorder what follows, and lone surrogates from non-UTF-8 names.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """Text a terminal shows as it is: what it would act on is written as an escape (\\x1b, \\n, \\u202e)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def headline(summary: RunSummary) -> str:
    """The run's outcome in one line; never a plain "completed" when files failed."""
    if summary.dry_run:
        return "Dry run — nothing was written. A run would process:"
    problems = sum(summary.failed.values())
    if summary.status == "completed" and problems:
        return f"Completed with {problems:,} problem{'s' if problems != 1 else ''} (see Failed files)."
    return f"Run {summary.status}."


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


DATE_SOURCES = {  # the report's date_source column, in words
    DateSource.SIDECAR: "sidecar date",
    DateSource.CAMERA: "camera's time",
    DateSource.SIDECAR_OVER_CAMERA: "date corrected",
}


def summary_lines(summary: RunSummary) -> list[str]:
    unmatched, failed = sum(summary.unmatched.values()), sum(summary.failed.values())
    lines = [headline(summary), f"  media files     {summary.total:>9,}"]
    lines.append(f"  with metadata   {summary.done:>9,}")
    lines += [f"    {DATE_SOURCES[DateSource(key)]:<14}{count:>9,}" for key, count in sorted(summary.dates.items())]
    lines.append(f"  unmatched       {unmatched:>9,}  (copied unchanged)")
    lines += [f"    {reason:<14}{count:>9,}" for reason, count in sorted(summary.unmatched.items())]
    if not summary.dry_run:
        lines.append(f"  failed          {failed:>9,}")
        lines += [f"    {reason:<14}{count:>9,}" for reason, count in sorted(summary.failed.items())]
    orphans = sum(summary.orphans.values())
    if orphans:
        lines.append(f"  orphan sidecars {orphans:>9,}  (no media file)")
        lines += [f"    {reason:<14}{count:>9,}" for reason, count in sorted(summary.orphans.items())]
    skipped = sum(summary.skipped.values())
    if skipped:
        lines.append(f"  other files     {skipped:>9,}  (not copied)")
        lines += [f"    {reason:<14}{count:>9,}" for reason, count in sorted(summary.skipped.items())]
    if summary.status != "completed" and not summary.dry_run:
        pending = summary.total - summary.done - unmatched - failed
        lines.append(f"  not yet done    {pending:>9,}")
    if summary.failures:
        lines.append("Failed files:")
        lines += [f"  {record.error or record.key}" for record in summary.failures[:50]]
        if len(summary.failures) > 50:
            lines.append(f"  … and {len(summary.failures) - 50} more (see the report)")
    if summary.output:
        lines.append(f"Output: {summary.output}" if not summary.dry_run else f"Output would be: {summary.output}")
    if summary.report and not summary.dry_run:
        lines.append(f"Report: {summary.report}")
    return lines
