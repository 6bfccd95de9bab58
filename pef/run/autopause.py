"""Why a run paused itself, in words a person can act on."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from pef.model.outcomes import Reason
from pef.model.records import FileRecord
from pef.present.words import human_bytes

STREAK_LIMIT = 5


def _reachable(place: Path) -> bool:
    try:
        return (place.is_dir() or place.is_file()) and os.access(place, os.R_OK)
    except OSError:
        return False


def explain_streak(
    streak: list[FileRecord], parts: tuple[Path, ...], output: Path, bytes_left: int, free: int | None
) -> str:
    """The message shown when STREAK_LIMIT files in a row failed."""
    if not _reachable(output):
        return "The output folder is no longer reachable (was the drive disconnected?). Reconnect it, then resume."
    if not all(_reachable(part) for part in parts):
        return "Cannot read the Takeout (was the drive disconnected?). Reconnect it, then resume."
    reason = Counter(record.reason for record in streak).most_common(1)[0][0]
    if reason is Reason.DISK_FULL:
        short = max(bytes_left - (free or 0), 0)
        need = f" (needs about {human_bytes(short)} more)" if short else ""
        return f"The output disk is full{need}. Free some space, then resume."
    if reason is Reason.PERMISSION_DENIED:
        return "pef is not allowed to write into the output folder (permission denied). Fix that, then resume."
    if reason is Reason.SOURCE_UNREACHABLE:
        return f"{len(streak)} files in a row could not be read from the source. Check the source drive, then resume."
    last = streak[-1].error or streak[-1].key
    return f"{len(streak)} files in a row failed (the last: {last}). Check the folders, then resume."
