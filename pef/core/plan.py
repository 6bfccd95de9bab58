"""Per media file: where its output goes (inside the output folder, never colliding) and its sidecar."""

from __future__ import annotations

from pef.core.matching import MatchResult
from pef.core.output_names import OutputNamer
from pef.core.records import FileTask
from pef.core.source import SourceEntry


def plan_tasks(
    media: tuple[SourceEntry, ...], matches: MatchResult, albums: dict[str, str] | None = None
) -> list[FileTask]:
    """`albums`: album folder → album name, for the files that sit in one."""
    by_media = matches.by_media()
    names = OutputNamer()
    tasks = []
    for entry in sorted(media, key=lambda e: e.key):
        match = by_media[entry.key]
        album = (albums or {}).get(entry.key.rpartition("/")[0], "")
        output = names.file(entry.key)
        tasks.append(FileTask(entry.key, entry.size, output, match.sidecar, match.kind, match.reason, album))
    return tasks
