"""One .zip part: listed by its central directory, entries unpacked one at a time (zip64, deflate, store)."""

from __future__ import annotations

import stat
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from pef.takeout.archive_names import unflagged_name
from pef.takeout.member_files import DamagedEntry, unpack
from pef.takeout.part_members import Member, PartDamaged
from pef.takeout.source import EntryKind
from pef.takeout.zip_salvage import EntryStream, LocalEntry, local_entries

UTF8_FLAG = 0x800
UNIX = 3
EXTENDED_TIME = 0x5455  # Info-ZIP's "UT" field: the modification time in Unix seconds
ENTRY_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, struct.error)


def _kind(info: zipfile.ZipInfo) -> EntryKind | None:
    if info.is_dir():
        return None
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == UNIX else 0
    if kind in (0, stat.S_IFREG):  # permissions alone say nothing about the kind
        return EntryKind.FILE
    return EntryKind.SYMLINK if kind == stat.S_IFLNK else EntryKind.SPECIAL


def _mtime_ns(extra: bytes, date_time: tuple[int, ...]) -> int:
    """The UT field's time when there is one, else the DOS time read as local time (as unzip does)."""
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + length]
        if tag == EXTENDED_TIME and len(body) >= 5 and body[0] & 1:
            return struct.unpack_from("<i", body, 1)[0] * 1_000_000_000
        at += 4 + length
    return int(time.mktime((*date_time, 0, 0, -1))) * 1_000_000_000


def _dos(clock: int, day: int) -> tuple[int, ...]:
    return (day >> 9) + 1980, (day >> 5) & 0xF, day & 0x1F, clock >> 11, (clock >> 5) & 0x3F, (clock & 0x1F) * 2


def entry_problem(error: Exception) -> str:
    """Why an entry's bytes could not be read, in words."""
    if isinstance(error, NotImplementedError):
        return f"it is packed with a method pef cannot unpack ({error}); extract it with another program"
    if isinstance(error, RuntimeError):
        return "it is encrypted"
    return f"its bytes are damaged ({error})"


class ZipPart:
    """Thread-safe: the zip module reads each entry through its own position in one shared file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = None
        self._zip: zipfile.ZipFile | None = None
        self._infos: list[zipfile.ZipInfo] = []
        self._measures: list[tuple[int, int]] = []  # (size, time) of each entry, by index
        self._salvaged: list[LocalEntry] = []  # entries read from their own headers: the part's end is gone
        self._lock = threading.Lock()

    def members(self) -> Iterator[Member]:
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 (kept open for the run; closed by close())
        except OSError as error:
            raise PartDamaged(f"it cannot be read ({error.strerror or error})") from None
        try:
            self._zip = zipfile.ZipFile(self._file)  # a file we own: the zip module never closes it under us
        except (OSError, *ENTRY_ERRORS):
            yield from self._salvage()  # ends with PartDamaged, naming where the part ends
            return
        self._infos = sorted(self._zip.infolist(), key=lambda info: info.header_offset)
        for index, info in enumerate(self._infos):
            # the zip module read an unflagged name as CP437, which maps every byte: its bytes come back whole
            name = info.filename if info.flag_bits & UTF8_FLAG else unflagged_name(info.orig_filename.encode("cp437"))
            yield self._listed(
                Member(index, name, info.file_size, _kind(info), _mtime_ns(info.extra, info.date_time), info.CRC)
            )

    def _salvage(self) -> Iterator[Member]:
        assert self._file is not None
        for index, entry in enumerate(local_entries(self._file.fileno())):
            self._salvaged.append(entry)
            name = entry.name.decode("utf-8", "replace") if entry.flags & UTF8_FLAG else unflagged_name(entry.name)
            kind = None if name.endswith("/") else EntryKind.FILE
            yield self._listed(
                Member(index, name, entry.size, kind, _mtime_ns(entry.extra, _dos(*entry.dos)), entry.crc)
            )

    def _listed(self, member: Member) -> Member:
        self._measures.append((member.size, member.mtime_ns))
        return member

    def _open(self, index: int):
        if self._salvaged:
            return EntryStream(self._file.fileno(), self._salvaged[index])  # type: ignore[union-attr]
        if self._zip is None:
            raise PartDamaged("it could not be read")
        with self._lock:
            return self._zip.open(self._infos[index])

    def read(self, index: int, limit: int) -> bytes:
        try:
            with self._open(index) as stream:
                return stream.read(limit)
        except ENTRY_ERRORS as error:
            raise DamagedEntry(entry_problem(error)) from None

    def unpack(self, index: int, folder: Path | None) -> int:
        size, mtime_ns = self._measures[index]
        try:
            with self._open(index) as stream:
                return unpack(stream, size, mtime_ns, folder)
        except ENTRY_ERRORS as error:
            raise DamagedEntry(entry_problem(error)) from None

    def release(self, index: int) -> None:
        """Nothing is kept: any entry can be read again."""

    def expect(self, indexes: set[int]) -> None:
        """Nothing to prepare: entries are read where they lie."""

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._file is not None:
            self._file.close()
            self._file = None
