"""A task's files in a Takeout folder, by their place on the disk: all a worker process needs to read them."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pef.state import deep_paths
from pef.takeout.parts import Part
from pef.takeout.source import open_file, read_file_head


@dataclass(frozen=True)
class LocatedFiles:
    """Reads the entries it names as `PartsSource` does, without the listing of the whole export."""

    places: dict[str, tuple[str, str]]  # key → (the folder part's root, the entry's on-disk path inside it)

    def _place(self, key: str) -> tuple[str, str]:
        try:
            return self.places[key]
        except KeyError:
            raise FileNotFoundError(f"{key} is not one of this task's files") from None

    def open(self, key: str) -> BinaryIO:
        return open_file(*self._place(key), key)

    def read_head(self, key: str, size: int) -> bytes:
        return read_file_head(*self._place(key), key, size)

    def release(self, _key: str) -> None:
        """Nothing was unpacked: a folder's file is read where it lies."""

    def reachable(self, key: str) -> bool:
        root, relative = self._place(key)
        try:
            return stat.S_ISDIR(deep_paths.stat((Path(root) / relative).parent).st_mode)
        except OSError:
            return False

    def part_of(self, _key: str) -> Part | None:
        return None  # only an archive's entry is named with its part
