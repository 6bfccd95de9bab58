"""One .tgz (or .tar) part: read as one stream, front to back, never seeking (PAX and GNU long names).

The listing pass keeps what later steps need without a second look: every sidecar's bytes (in a
spool file, not in memory) and the first bytes of everything else. A run's pass then unpacks the
entries it was told to expect as the stream reaches them, so workers asking in archive order never
make it go back; an entry asked for again after the stream passed it (a retry) restarts the stream.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pef.metadata.formats import SNIFF_BYTES
from pef.takeout.member_files import DamagedEntry, unpack
from pef.takeout.part_members import Member, PartDamaged
from pef.takeout.sidecar import MAX_SIDECAR_BYTES
from pef.takeout.source import EntryKind

STREAM_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


def _kind(info: tarfile.TarInfo) -> EntryKind | None:
    if info.isdir():
        return None
    if info.isreg():
        return EntryKind.FILE
    return EntryKind.SYMLINK if info.issym() or info.islnk() else EntryKind.SPECIAL


def _mtime_ns(info: tarfile.TarInfo) -> int:
    return round(info.mtime * 1_000_000_000)


class _Stream:
    """The part opened once, front to back: its entries, then a check that the compressed stream ended whole."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 (closed by close())
        try:
            gzipped = os.pread(self._file.fileno(), 2, 0) == b"\x1f\x8b"
            self._raw: BinaryIO = gzip.GzipFile(fileobj=self._file) if gzipped else self._file  # type: ignore[assignment]
            self.tar = tarfile.open(fileobj=self._raw, mode="r|", errorlevel=1)  # noqa: SIM115 (closed by close())
        except BaseException:
            self._file.close()
            raise

    def infos(self) -> Iterator[tarfile.TarInfo]:
        for info in self.tar:
            self.tar.members.clear()  # the tar module keeps every header it read: not for a million entries
            yield info
        while self._raw.read(1024 * 1024):  # gzip checks its length and checksum at its end
            pass

    def close(self) -> None:
        self.tar.close()
        self._raw.close()
        self._file.close()


class TarPart:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._names: list[str] = []
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (the sidecars' bytes; closed by close())
        self._small: dict[int, tuple[int, int]] = {}  # index → (offset, length) in the spool
        self._heads: dict[int, bytes] = {}
        self._lock = threading.Lock()
        self._stream: _Stream | None = None
        self._infos: Iterator[tarfile.TarInfo] | None = None
        self._position = -1  # the index of the last entry the run's stream reached
        self._wanted: set[int] = set()
        self._ready: dict[int, int] = {}  # index → descriptor of an entry unpacked ahead of its asking
        self._damaged: dict[int, str] = {}

    def members(self) -> Iterator[Member]:
        """Every entry; one is given only once the stream moved past it, so a cut inside it is known."""
        held: Member | None = None
        stream: _Stream | None = None
        try:
            stream = _Stream(self.path)
            for index, info in enumerate(stream.infos()):
                if held is not None:
                    yield held
                self._names.append(info.name)
                held = self._listed(index, info, stream.tar)
            if held is not None:
                yield held
        except STREAM_ERRORS as error:
            problem = f"its part ends inside it ({error})"
            if held is not None:
                yield Member(held.index, held.name, held.size, held.kind, held.mtime_ns, problem=problem)
            count = len(self._names) - (held is not None)
            raise PartDamaged(f"it is cut short or damaged after {count:,} whole entries ({error})") from None
        finally:
            if stream is not None:
                stream.close()

    def _listed(self, index: int, info: tarfile.TarInfo, tar: tarfile.TarFile) -> Member:
        kind = _kind(info)
        if kind is EntryKind.FILE:
            handle = tar.extractfile(info)
            if handle is not None:
                if info.name.lower().endswith(".json"):
                    data = handle.read(MAX_SIDECAR_BYTES + 1)
                    self._small[index] = (self._spool.seek(0, os.SEEK_END), len(data))
                    self._spool.write(data)
                else:
                    self._heads[index] = handle.read(SNIFF_BYTES)
        return Member(index, info.name, info.size, kind, _mtime_ns(info))

    def read(self, index: int, limit: int) -> bytes:
        if index in self._small:
            offset, length = self._small[index]
            self._spool.flush()
            return os.pread(self._spool.fileno(), min(length, limit), offset)
        if limit <= SNIFF_BYTES and index in self._heads:
            return self._heads[index][:limit]
        fd = self.unpack(index, None)
        try:
            return os.pread(fd, limit, 0)
        finally:
            os.close(fd)

    def expect(self, indexes: set[int]) -> None:
        with self._lock:
            self._wanted |= indexes

    def unpack(self, index: int, folder: Path | None) -> int:
        """A descriptor of the entry's bytes (a copy: close it); unpacked now or when the stream passed it."""
        with self._lock:
            if index not in self._ready and index not in self._damaged:
                self._advance_to(index, folder)
            if index in self._damaged:
                raise DamagedEntry(self._damaged[index])
            return os.dup(self._ready[index])

    def _advance_to(self, index: int, folder: Path | None) -> None:
        if self._infos is None or self._position >= index:
            self._restart()
        assert self._infos is not None
        try:
            for info in self._infos:
                self._position += 1
                if self._position == index or self._position in self._wanted:
                    self._unpack_here(self._position, info, folder)
                if self._position == index:
                    return
        except STREAM_ERRORS as error:
            self._restart_later()
            if isinstance(error, OSError) and error.errno is not None:
                raise  # the drive, not the part: a full output drive, a source that went away
            raise DamagedEntry(f"its part is damaged at or before it ({error})") from None
        self._restart_later()
        raise DamagedEntry(f"it is no longer in {self.path.name}; run pef again")

    def _unpack_here(self, at: int, info: tarfile.TarInfo, folder: Path | None) -> None:
        assert self._stream is not None
        handle = self._stream.tar.extractfile(info)
        if self._names[at] != info.name or handle is None:
            raise DamagedEntry(f"{self.path.name} changed since pef listed it; run pef again")
        try:
            self._ready[at] = unpack(handle, info.size, _mtime_ns(info), folder)
        except DamagedEntry as error:
            self._damaged[at] = str(error)

    def _restart(self) -> None:
        self._restart_later()
        self._stream = _Stream(self.path)
        self._infos = self._stream.infos()
        self._position = -1

    def _restart_later(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream, self._infos = None, None

    def release(self, index: int) -> None:
        with self._lock:
            fd = self._ready.pop(index, None)
            self._wanted.discard(index)
            if fd is not None:
                os.close(fd)

    def close(self) -> None:
        with self._lock:
            self._restart_later()
            for fd in self._ready.values():
                os.close(fd)
            self._ready.clear()
            self._spool.close()
