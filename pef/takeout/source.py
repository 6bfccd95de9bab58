"""Where a Takeout's files come from: entries keyed by their path inside the export.

A folder here; several folders and the downloaded .zip/.tgz parts in `parts_source.py`, behind the
same interface.

A key is text a person can read and every later step can store: the on-disk name in NFC, with
bytes that are not UTF-8 shown as `%XX`. Two names that would give the same key in one folder (an
NFC and an NFD `Café.jpg` side by side) keep apart: the one already in that form takes it, the other
keeps its own form. The source remembers every on-disk name that differs from its key, so each
file is opened by its real name.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from pef.state.deep_paths import FOLDER_FLAGS, NO_FOLLOW, open_folder, too_long
from pef.takeout.file_names import numbered
from pef.takeout.naming import nfc

MAX_DEPTH = 128  # folders nested deeper are reported, not entered
UNSIZED = -1  # the size of an entry not asked for (see FolderSource)


class EntryKind(StrEnum):
    FILE = "file"
    SYMLINK = "symlink"
    SPECIAL = "special"  # a FIFO, socket or device: opening it could block or never end
    UNREADABLE = "unreadable"  # a folder (or file) the scan could not look at; `problem` says why
    # entries of archive parts (and of several parts read as one) that are not read, each with its `problem`
    UNSAFE = "unsafe"  # its path would lead out of the export
    DAMAGED = "damaged"  # a part that cannot be read (further), or an entry its part ends inside
    DUPLICATE = "duplicate"  # the same file at the same path in an earlier part
    COLLISION = "collision"  # another file at the same path in an earlier part (or earlier in this one)
    MISSING = "missing"  # a numbered part that is not with the others


class SourceEntry(NamedTuple):
    """One item of the export: `key` is its `/`-separated path inside the export (see the module doc).

    A named tuple: one is made for every item of the export, at a third of a frozen dataclass's cost.
    """

    key: str
    size: int
    kind: EntryKind = EntryKind.FILE
    problem: str = ""


class TakeoutSource(Protocol):
    def entries(self) -> Iterator[SourceEntry]: ...

    def open(self, key: str) -> BinaryIO: ...

    def read_head(self, key: str, size: int) -> bytes: ...


def readable_name(name: str) -> str:
    """A file name as text: bytes that were not UTF-8 (kept by Python as lone surrogates) become %XX."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(f"%{ord(c) - 0xDC00:02X}" if "\udc80" <= c <= "\udcff" else c for c in name)
    return name


def _keys_for(names: list[str]) -> dict[str, str] | None:
    """Name → key for the names of one folder, no two keys alike; None: every name is its own key."""
    if all(map(str.isascii, names)):  # the common case: an ASCII name is in key form, and unique already
        return None
    readable = {name: readable_name(name) for name in names}
    # names already in key form first, so that they keep it whatever the listing order
    ordered = sorted(names, key=lambda name: (nfc(readable[name]) != name, name))
    keys: dict[str, str] = {}
    used: set[str] = set()
    for name in ordered:
        key = preferred = nfc(readable[name])
        if key in used:  # two names alike but for their normalisation, or for bytes that were not UTF-8
            others = (numbered(preferred, counter) for counter in itertools.count(2))
            key = next(choice for choice in itertools.chain((readable[name],), others) if choice not in used)
        used.add(key)
        keys[name] = key
    return keys


class _Listed(NamedTuple):  # one for every item of the export: a tuple is the cheapest to make
    name: str  # as on disk
    kind: EntryKind | None  # None: a folder
    size: int = 0
    problem: str = ""


class _Folder(NamedTuple):
    """A folder to look inside: its on-disk path, its key, how deep it lies."""

    relative: str
    key: str
    depth: int


def _problem(error: OSError) -> str:
    return error.strerror or str(error.__class__.__name__)


_new = tuple.__new__  # a named tuple from its fields, without its own checks: one an item of the export


class FolderSource:
    """A Takeout extracted into a folder. Symlinks are reported, never followed.

    `size_json`: False gives a `.json` file's size as UNSIZED, unread (an `lstat` saved for each of a
    million sidecars, whose sizes a lone folder never uses).
    """

    def __init__(self, root: Path, size_json: bool = True) -> None:
        self.root = root.resolve()
        self._size_json = size_json
        self._on_disk: dict[str, str] = {}  # key → relative on-disk path, where the two differ
        self.files = self.size = 0  # the files `entries` has listed so far, and their bytes (UNSIZED ones left out)

    def entries(self) -> Iterator[SourceEntry]:
        """Every item, in key order: a folder's items come where `folder/` sorts (the plan need not sort them)."""
        self.files = self.size = 0
        stack = [iter(self._items(_Folder("", "", 0)))]
        while stack:
            for item in stack[-1]:
                if type(item) is _Folder:
                    stack.append(iter(self._items(item)))
                    break
                yield item
            else:
                stack.pop()

    def _items(self, folder: _Folder) -> list[SourceEntry | _Folder]:
        """One folder's items in key order: its files as entries, its folders to look inside (one that cannot be
        read: an entry)."""
        relative, key, depth = folder
        if depth > MAX_DEPTH:
            return [SourceEntry(key, 0, EntryKind.UNREADABLE, f"folders nested more than {MAX_DEPTH} deep")]
        try:
            listing, folders = self._list(relative)
        except OSError as error:
            return [SourceEntry(key, 0, EntryKind.UNREADABLE, f"cannot look inside this folder: {_problem(error)}")]
        keys = _keys_for([item.name for item in listing])
        if keys is None and not folders:  # most folders of photos: every name its own key, and no folder within
            listing.sort()  # by name: no two alike
        else:
            name_key = (lambda name: name) if keys is None else keys.__getitem__
            listing.sort(key=lambda item: name_key(item.name) + ("/" if item.kind is None else ""))
        on_disk = f"{relative}/" if relative else ""
        if keys is None and key == relative:  # every key here is its path on the disk
            return [
                _new(SourceEntry, (on_disk + name, size, kind, problem))
                if kind is not None
                else _Folder(on_disk + name, on_disk + name, depth + 1)
                for name, kind, size, problem in listing
            ]
        items: list[SourceEntry | _Folder] = []
        in_key = f"{key}/" if key else ""
        for name, kind, size, problem in listing:
            child, child_key = on_disk + name, in_key + (name if keys is None else keys[name])
            if child_key != child:
                self._on_disk[child_key] = child
            items.append(
                SourceEntry(child_key, size, kind, problem)
                if kind is not None
                else _Folder(child, child_key, depth + 1)
            )
        return items

    def _list(self, relative: str) -> tuple[list[_Listed], int]:
        """Every item of one folder, read through a descriptor, and how many are folders."""
        fd = self._open_folder(relative)
        try:
            found: list[_Listed] = []
            folders = files = total = 0
            size_json = self._size_json
            with os.scandir(fd) as listing:
                for item in listing:
                    name = item.name
                    try:  # a file first: most items are
                        if item.is_file(follow_symlinks=False):
                            if not size_json and name[-5:].lower() == ".json":
                                found.append(_new(_Listed, (name, EntryKind.FILE, UNSIZED, "")))
                            else:
                                size = item.stat(follow_symlinks=False).st_size
                                found.append(_new(_Listed, (name, EntryKind.FILE, size, "")))
                                total += size
                            files += 1
                        elif item.is_dir(follow_symlinks=False):
                            found.append(_Listed(name, None))
                            folders += 1
                        elif item.is_symlink():
                            found.append(_Listed(name, EntryKind.SYMLINK))
                        else:
                            found.append(_Listed(name, EntryKind.SPECIAL))
                    except OSError as error:  # gone or unreadable between the listing and the look
                        found.append(_Listed(name, EntryKind.UNREADABLE, problem=_problem(error)))
            self.files, self.size = self.files + files, self.size + total
            return found, folders
        finally:
            os.close(fd)

    def _open_folder(self, relative: str) -> int:
        if not relative:
            return os.open(self.root, FOLDER_FLAGS)
        try:
            return os.open(os.path.join(self.root, relative), FOLDER_FLAGS | NO_FOLLOW)
        except OSError as error:
            if not too_long(error):
                raise
            return open_folder(self.root, relative.split("/"), follow=False)

    def on_disk(self, key: str) -> str:
        """The relative on-disk path of an entry (its name may be NFD, or not UTF-8)."""
        return self._on_disk.get(key, key)

    def path_of(self, key: str) -> Path:
        """The real path of an entry."""
        return self.root / self.on_disk(key)

    def open(self, key: str) -> BinaryIO:
        return open_file(self.root, self.on_disk(key), key)

    def read_head(self, key: str, size: int) -> bytes:
        return read_file_head(self.root, self.on_disk(key), key, size)


# O_NOFOLLOW: a file swapped for a symlink after the scan must not lead out of the source;
# O_NONBLOCK: one swapped for a FIFO must not hang the run
_READ_FLAGS = os.O_RDONLY | NO_FOLLOW | getattr(os, "O_NONBLOCK", 0)


def open_regular(root: Path | str, relative: str, key: str) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file of a Takeout folder, by its on-disk path (`key`: its name in messages)."""
    flags = _READ_FLAGS
    try:
        fd = os.open(f"{root}/{relative}", flags)  # `relative` is `/`-separated, and never absolute
    except OSError as error:
        if not too_long(error):
            raise
        folder, _, name = relative.rpartition("/")
        parent = open_folder(root, folder.split("/"), follow=False)
        try:
            fd = os.open(name, flags, dir_fd=parent)
        finally:
            os.close(parent)
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{key} is not a regular file")
    return fd, found


def open_file(root: Path | str, relative: str, key: str) -> BinaryIO:
    fd, _ = open_regular(root, relative, key)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb", buffering=0)  # read in large blocks or by descriptor: a buffer adds only system calls


def read_file_head(root: Path | str, relative: str, key: str, size: int) -> bytes:
    """Up to `size` bytes of a regular file of a Takeout folder, read into one buffer of the file's size."""
    fd, found = open_regular(root, relative, key)
    try:
        wanted = min(size, found.st_size + 1)  # + 1: a file grown since its listing reads as longer than it was
        data = os.read(fd, wanted)
        # all of it as it was when opened (no second read to meet its end), all that was asked, or its end
        if len(data) in (found.st_size, wanted) or not data:
            return data
        chunks, got = [data], len(data)
        while got < wanted and (chunk := os.read(fd, wanted - got)):
            chunks.append(chunk)
            got += len(chunk)
            if got == found.st_size:
                break
        return b"".join(chunks)
    finally:
        os.close(fd)
