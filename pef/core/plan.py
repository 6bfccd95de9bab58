"""Per media file: where its output goes (inside the output folder, never colliding) and its sidecar."""

from __future__ import annotations

from pef.core.matching import MatchResult
from pef.core.naming import nfc
from pef.core.records import FileTask
from pef.core.source import SourceEntry

RESERVED_NAMES = frozenset({"processing_state.json", "pef-report.csv", "pef.log"})


def _collision_key(relative: str) -> str:
    # outputs may land on case-insensitive or normalising file systems (exFAT, NTFS, APFS)
    return nfc(relative).casefold()


def _with_counter(relative: str, counter: int) -> str:
    folder, _, name = relative.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    renamed = f"{stem} (pef-{counter}).{ext}" if dot and stem else f"{name} (pef-{counter})"
    return f"{folder}/{renamed}" if folder else renamed


def plan_tasks(
    media: tuple[SourceEntry, ...], matches: MatchResult, albums: dict[str, str] | None = None
) -> list[FileTask]:
    """`albums`: album folder → album name, for the files that sit in one."""
    by_media = matches.by_media()
    taken: set[str] = {_collision_key(name) for name in RESERVED_NAMES}
    tasks = []
    for entry in sorted(media, key=lambda e: e.key):
        output, counter = entry.key, 1
        while _collision_key(output) in taken:
            counter += 1
            output = _with_counter(entry.key, counter)
        taken.add(_collision_key(output))
        match = by_media[entry.key]
        album = (albums or {}).get(entry.key.rpartition("/")[0], "")
        tasks.append(FileTask(entry.key, entry.size, output, match.sidecar, match.kind, match.reason, album))
    return tasks
