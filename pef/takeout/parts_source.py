"""All parts of a Takeout read as one export, keyed by the path inside it, so a pair split across parts matches.

The first part holding a path keeps it. A later entry at the same path is the same file again when
its size (and a zip's checksum) agree, else a clash; either way it is left out with its reason,
never written over the first. Entries whose path would leave the export are refused; a part that
cannot be read (further) is named, and everything it did give is used.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pef.state import deep_paths
from pef.takeout.archive_names import inner_key
from pef.takeout.located import LocatedFiles
from pef.takeout.member_files import DamagedEntry
from pef.takeout.part_members import PartDamaged
from pef.takeout.parts import Part, PartKind, TakeoutParts
from pef.takeout.source import EntryKind, FolderSource, SourceEntry
from pef.takeout.tar_part import TarPart
from pef.takeout.zip_part import ZipPart

Reader = FolderSource | ZipPart | TarPart
IN_LONE_FOLDER = (0, 0, 0)  # where every entry of a lone folder lies: part 0, read by its path
MISSING = "not found beside the other parts: download it, put it with them and resume"


def _reader(part: Part, alone: bool) -> Reader:
    if part.kind is PartKind.ZIP:
        return ZipPart(part.path)
    if part.kind is PartKind.TAR:
        return TarPart(part.path)
    # a lone folder's sidecars are not sized: a part's size is shown only for parts, and only parts have a
    # path twice, told apart by size
    return FolderSource(part.path, size_json=not alone)


@dataclass(frozen=True)
class PartHolding:
    """What one part gave: its files, their bytes, and why it could not give more ("" when whole)."""

    part: Part
    files: int
    size: int  # of a lone folder, without its .json files (never shown)
    problem: str


@dataclass(frozen=True, slots=True)
class _First:
    part: int
    size: int
    fingerprint: int | None


class PartsSource:
    """A TakeoutSource over every part; entries come part after part, each part in its own order."""

    def __init__(self, parts: TakeoutParts, work: Path | None = None) -> None:
        self.parts = parts
        self.work = work  # where a run unpacks large entries (its output's work folder); None: the system's
        self._alone = len(parts.parts) == 1 and parts.parts[0].kind is PartKind.FOLDER
        self._readers: list[Reader] = [_reader(part, self._alone) for part in parts.parts]
        # key → (part, index in it, time in ns); a lone folder holds every path once, all in part 0: no
        # record of each (a million of them)
        self._where: dict[str, tuple[int, int, int]] = {}
        self.held: list[PartHolding] = []

    @property
    def lone_folder(self) -> bool:
        """Whether the Takeout is one folder: every entry is read by its path, in any order."""
        return self._alone

    @property
    def root(self) -> Path:
        return self.parts.home

    def entries(self) -> Iterator[SourceEntry]:
        return self._lone_entries() if self._alone else self._parts_entries()

    def _lone_entries(self) -> Iterator[SourceEntry]:
        """A lone folder's: every path once, each read by its path (nothing to compare or keep)."""
        folder = self._readers[0]
        assert isinstance(folder, FolderSource)
        self.held = []
        yield from folder.entries()
        self.held.append(PartHolding(self.parts.parts[0], folder.files, folder.size, ""))

    def _parts_entries(self) -> Iterator[SourceEntry]:
        first: dict[str, _First] = {}
        self.held = []
        for number, part in enumerate(self.parts.parts):
            files = size = 0
            problem = ""
            in_folder = (number, 0, 0)  # one tuple for every file of a folder part
            try:
                for entry, fingerprint, index, mtime_ns in self._listed(number):
                    if entry.kind is EntryKind.FILE:
                        files, size = files + 1, size + entry.size
                    if entry.key in first:
                        yield self._again(part, entry, first[entry.key], fingerprint)
                        continue
                    first[entry.key] = _First(number, entry.size, fingerprint)
                    self._where[entry.key] = (number, index, mtime_ns) if index or mtime_ns else in_folder
                    yield entry
            except PartDamaged as error:
                problem = str(error)
                yield SourceEntry(part.name, 0, EntryKind.DAMAGED, problem)
            self.held.append(PartHolding(part, files, size, problem))
        for name in self.parts.missing():
            yield SourceEntry(name, 0, EntryKind.MISSING, MISSING)

    def _listed(self, number: int) -> Iterator[tuple[SourceEntry, int | None, int, int]]:
        """(entry, checksum, index in the part, time) for each item of one part."""
        reader, part = self._readers[number], self.parts.parts[number]
        if isinstance(reader, FolderSource):
            for entry in reader.entries():
                yield entry, None, 0, 0
            return
        for member in reader.members():
            if member.kind is None:
                continue
            key, unsafe = inner_key(member.name)
            if unsafe:
                yield SourceEntry(f"{part.name}: {member.name}", member.size, EntryKind.UNSAFE, unsafe), None, 0, 0
            elif member.problem:
                yield SourceEntry(key, member.size, EntryKind.DAMAGED, member.problem), None, member.index, 0
            else:
                entry = SourceEntry(key, member.size, member.kind)
                yield entry, member.fingerprint, member.index, member.mtime_ns

    def _again(self, part: Part, entry: SourceEntry, kept: _First, fingerprint: int | None) -> SourceEntry:
        """An entry at a path an earlier entry holds: the same file again, or another one (a clash)."""
        where = "this part" if kept.part == self.parts.parts.index(part) else self.parts.parts[kept.part].name
        same = (
            entry.kind is EntryKind.FILE
            and entry.size == kept.size
            and (fingerprint is None or kept.fingerprint is None or fingerprint == kept.fingerprint)
        )
        key = f"{part.name}: {entry.key}"
        if same:
            return SourceEntry(
                key, entry.size, EntryKind.DUPLICATE, f"the same file (path and size) is also in {where}"
            )
        return SourceEntry(key, entry.size, EntryKind.COLLISION, f"{where} holds another file at the same path")

    def _place(self, key: str) -> tuple[int, int, int]:
        found = self._where.get(key, IN_LONE_FOLDER if self._alone else None)
        if found is None:
            raise FileNotFoundError(f"{key} is in none of the parts")
        return found

    def _at(self, key: str) -> tuple[Reader, int]:
        number, index, _ = self._place(key)
        return self._readers[number], index

    def open(self, key: str) -> BinaryIO:
        reader, index = self._at(key)
        if isinstance(reader, FolderSource):
            return reader.open(key)
        fd = reader.unpack(index, self.work)
        os.lseek(fd, 0, os.SEEK_SET)  # a copy of a descriptor shares its position: pef's writers read by offset
        return os.fdopen(fd, "rb")

    def read_head(self, key: str, size: int) -> bytes:
        reader, index = self._at(key)
        if isinstance(reader, FolderSource):
            return reader.read_head(key, size)
        return reader.read(index, size)

    def modified(self, key: str) -> int | None:
        """The entry's time in seconds, when it can be known."""
        reader, _ = self._at(key)
        if isinstance(reader, FolderSource):
            try:
                return int(os.stat(reader.path_of(key)).st_mtime)
            except OSError:
                return None
        return self._place(key)[2] // 1_000_000_000

    def reachable(self, key: str) -> bool:
        """Whether the place holding the entry is still there (else the drive went, not the file)."""
        reader, _ = self._at(key)
        try:
            if isinstance(reader, FolderSource):
                return stat.S_ISDIR(deep_paths.stat(reader.path_of(key).parent).st_mode)
            return stat.S_ISREG(os.stat(reader.path).st_mode)
        except OSError:
            return False

    def located(self, keys: list[str]) -> LocatedFiles | None:
        """Where these entries lie on the disk, when every one is a file of a folder (an archive's are read here)."""
        places = {}
        for key in keys:
            reader, _ = self._at(key)
            if not isinstance(reader, FolderSource):
                return None
            places[key] = (str(reader.root), reader.on_disk(key))  # a Path keeps its string: one, pickled once
        return LocatedFiles(places)

    def part_of(self, key: str) -> Part | None:
        try:
            return self.parts.parts[self._place(key)[0]]
        except FileNotFoundError:
            return None

    def position(self, key: str) -> tuple[int, int]:
        """Where the entry lies: its part, then its place in the part (reading in this order never seeks back)."""
        number, index, _ = self._where.get(key, (0, 0, 0))
        return number, index

    def expect(self, keys: Iterable[str]) -> None:
        """The entries a run will ask for: a stream unpacks them as it passes them."""
        if self._alone:
            return  # a folder is read by its paths, in any order
        wanted: dict[int, set[int]] = {}
        for key in keys:
            if key in self._where:
                number, index, _ = self._where[key]
                wanted.setdefault(number, set()).add(index)
        for number, indexes in wanted.items():
            reader = self._readers[number]
            if not isinstance(reader, FolderSource):
                reader.expect(indexes)

    def release(self, key: str) -> None:
        """The run is done with an entry: what was unpacked for it is let go."""
        if key in self._where:
            reader, index = self._at(key)
            if not isinstance(reader, FolderSource):
                reader.release(index)

    def close(self) -> None:
        for reader in self._readers:
            if not isinstance(reader, FolderSource):
                reader.close()


def entry_failure(error: DamagedEntry, part: Part | None) -> str:
    """Why an entry could not be unpacked, naming its part."""
    return f"{error} (in {part.name})" if part is not None else str(error)
