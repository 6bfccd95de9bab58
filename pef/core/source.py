"""Where a Takeout's files come from: entries keyed by their path inside the export.

A folder today; the numbered zip/tgz parts of a download later, behind the same interface.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from pef.core.naming import nfc


@dataclass(frozen=True)
class SourceEntry:
    """One file of the export: `key` is its `/`-separated NFC path inside the export."""

    key: str
    size: int
    is_symlink: bool = False


class TakeoutSource(Protocol):
    root: Path

    def entries(self) -> Iterator[SourceEntry]: ...

    def open(self, key: str) -> BinaryIO: ...

    def read_head(self, key: str, size: int) -> bytes: ...


class FolderSource:
    """A Takeout extracted into a folder. Symlinks are reported, never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._paths: dict[str, str] = {}

    def entries(self) -> Iterator[SourceEntry]:
        stack = [""]
        while stack:
            relative = stack.pop()
            directory = os.path.join(self.root, relative) if relative else str(self.root)
            with os.scandir(directory) as listing:
                children = sorted(listing, key=lambda child: child.name)
            for child in children:
                child_rel = f"{relative}/{child.name}" if relative else child.name
                if child.is_symlink():
                    yield self._remember(child_rel, 0, is_symlink=True)
                elif child.is_dir(follow_symlinks=False):
                    stack.append(child_rel)
                elif child.is_file(follow_symlinks=False):
                    yield self._remember(child_rel, child.stat(follow_symlinks=False).st_size)

    def _remember(self, relative: str, size: int, is_symlink: bool = False) -> SourceEntry:
        key = nfc(relative)
        self._paths[key] = relative
        return SourceEntry(key, size, is_symlink)

    def path_of(self, key: str) -> Path:
        """The real path of an entry (its on-disk name may be NFD)."""
        return self.root / self._paths.get(key, key)

    def open(self, key: str) -> BinaryIO:
        path = self.path_of(key)
        # O_NOFOLLOW: a file swapped for a symlink after the scan must not lead out of the source
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise IsADirectoryError(f"{path} is not a regular file")
        return os.fdopen(fd, "rb")

    def read_head(self, key: str, size: int) -> bytes:
        with self.open(key) as handle:
            return handle.read(size)
