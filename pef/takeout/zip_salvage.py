"""A .zip whose end is gone (a download cut short): its entries read from their local headers, up to the cut.

Without the central directory there are no links and no permissions to read: every entry is a file
(its bytes, never followed). An entry written with a data descriptor and deflated is found to end by
inflating it; a stored one of unknown length ends the salvage.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from pef.takeout.part_members import PartDamaged

LOCAL, CENTRAL, DESCRIPTOR = b"PK\x03\x04", b"PK\x01\x02", b"PK\x07\x08"
HEADER = struct.Struct("<4s5H3I2H")  # signature, version, flags, method, time, date, crc, sizes, name and extra lengths
STORED, DEFLATED = 0, 8
CHUNK = 1024 * 1024
ZIP64 = 0x0001


@dataclass(frozen=True)
class LocalEntry:
    name: bytes
    flags: int
    method: int
    dos: tuple[int, int]  # DOS time and date
    extra: bytes
    crc: int
    size: int
    data_offset: int
    packed: int  # compressed length


def _zip64_sizes(extra: bytes) -> tuple[int, int] | None:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        if tag == ZIP64 and length >= 16:
            size, packed = struct.unpack_from("<QQ", extra, at + 4)
            return size, packed
        at += 4 + length
    return None


class EntryStream(io.RawIOBase):
    """One entry's bytes, inflated a bounded piece at a time; its CRC and length checked at its end."""

    def __init__(self, fd: int, entry: LocalEntry) -> None:
        self._fd, self._entry = fd, entry
        self._at, self._left = entry.data_offset, entry.packed
        self._inflate = zlib.decompressobj(-15) if entry.method == DEFLATED else None
        self._crc = self._made = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        size = CHUNK if size is None or size < 0 else size
        while not self._done:
            tail = self._inflate.unconsumed_tail if self._inflate else b""
            if not tail and not self._left:
                data = self._inflate.flush() if self._inflate else b""
                self._done = True
            else:
                if not tail:
                    tail = os.pread(self._fd, min(CHUNK, self._left), self._at)
                    if not tail:
                        raise EOFError("its part ends inside it")
                    self._at, self._left = self._at + len(tail), self._left - len(tail)
                data = self._inflate.decompress(tail, size) if self._inflate else tail
            if data or self._done:
                self._crc, self._made = zlib.crc32(data, self._crc), self._made + len(data)
                if self._done and (self._crc != self._entry.crc or self._made != self._entry.size):
                    raise EOFError("its bytes do not match their checksum")
                return data
        return b""


def _inflated_length(fd: int, offset: int) -> tuple[int, int, int]:
    """(compressed length, length, CRC) of a deflated stream, found by inflating it to its end."""
    inflate, at, crc, made = zlib.decompressobj(-15), offset, 0, 0
    while not inflate.eof:
        data = inflate.unconsumed_tail or os.pread(fd, CHUNK, at)
        if not data:
            raise EOFError("its part ends inside it")
        if not inflate.unconsumed_tail:
            at += len(data)
        out = inflate.decompress(data, CHUNK)
        crc, made = zlib.crc32(out, crc), made + len(out)
    return at - offset - len(inflate.unused_data), made, crc


def local_entries(fd: int) -> Iterator[LocalEntry]:
    """Every whole entry before the cut; then PartDamaged saying where the part ends."""
    at, count = 0, 0
    while True:
        head = os.pread(fd, HEADER.size, at)
        if head[:4] == CENTRAL:
            raise PartDamaged(f"its table of contents is cut short (all {count:,} entries were read)")
        if len(head) < HEADER.size or head[:4] != LOCAL:
            raise PartDamaged(f"it is cut short or damaged after {count:,} whole entries: was the download cut?")
        _sig, _version, flags, method, time, date, crc, packed, size, name_length, extra_length = HEADER.unpack(head)
        name = os.pread(fd, name_length, at + HEADER.size)
        extra = os.pread(fd, extra_length, at + HEADER.size + name_length)
        data = at + HEADER.size + name_length + extra_length
        wide = _zip64_sizes(extra)
        if wide and (packed == 0xFFFFFFFF or size == 0xFFFFFFFF):
            size, packed = wide
        end = data + packed
        if flags & 0x08:  # sizes and CRC follow the data, in a data descriptor
            if method != DEFLATED:
                raise PartDamaged(f"it is cut short; {count:,} entries were read before one pef cannot measure")
            try:
                packed, size, crc = _inflated_length(fd, data)
            except (EOFError, zlib.error):
                raise PartDamaged(f"it is cut short or damaged after {count:,} whole entries") from None
            end = data + packed + (4 if os.pread(fd, 4, data + packed) == DESCRIPTOR else 0) + (20 if wide else 12)
        elif os.fstat(fd).st_size < end:
            raise PartDamaged(f"it is cut short after {count:,} whole entries: was the download cut?")
        yield LocalEntry(name, flags, method, (time, date), extra, crc, size, data, packed)
        at, count = end, count + 1
