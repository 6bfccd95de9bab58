"""Where each media file goes: its own relative path, unless a drive could not hold it; and its sidecar.

A name is changed only as far as needed, and then reported: characters Windows drives refuse,
names they reserve, trailing dots and spaces, names longer than 255 bytes (less room for the `.xmp`
pef may put beside it), and names that another output, pef's own files or the `.xmp` of another
output would collide with on a case-insensitive or normalising drive (exFAT, NTFS, APFS).
"""

from __future__ import annotations

import itertools

from pef.model.records import FileTask
from pef.state.layout import OWN_NAMES
from pef.takeout.file_names import XMP_SUFFIX, collision_key, numbered, portable_name
from pef.takeout.matching import MatchResult
from pef.takeout.source import SourceEntry


class OutputNamer:
    """Hands out output paths in the order asked (callers ask in sorted order: the result is stable)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {"": ""}  # source folder key → output folder
        self._taken: set[str] = {collision_key(name) for name in OWN_NAMES}

    def file(self, key: str) -> str:
        folder, _, name = key.rpartition("/")
        return self._claim(self.folder(folder), portable_name(name), with_xmp=True)

    def folder(self, key: str) -> str:
        known = self._folders.get(key)
        if known is None:
            parent, _, name = key.rpartition("/")
            known = self._folders[key] = self._claim(self.folder(parent), portable_name(name), with_xmp=False)
        return known

    def _claim(self, parent: str, name: str, with_xmp: bool) -> str:
        for candidate in itertools.chain([name], (numbered(name, counter) for counter in itertools.count(2))):
            path = f"{parent}/{candidate}" if parent else candidate
            wanted = [collision_key(path)] + ([collision_key(path + XMP_SUFFIX)] if with_xmp else [])
            if not any(key in self._taken for key in wanted):
                self._taken.update(wanted)
                return path
        raise AssertionError("unreachable: the counter always finds a free name")


def plan_tasks(
    media: tuple[SourceEntry, ...], matches: MatchResult, albums: dict[str, str] | None = None
) -> list[FileTask]:
    """Per media file: its output path and its sidecar. `albums`: album folder → album name."""
    by_media = matches.by_media()
    names = OutputNamer()
    tasks = []
    for entry in sorted(media, key=lambda e: e.key):
        match = by_media[entry.key]
        album = (albums or {}).get(entry.key.rpartition("/")[0], "")
        output = names.file(entry.key)
        tasks.append(FileTask(entry.key, entry.size, output, match.sidecar, match.kind, match.reason, album))
    return tasks
