"""Edit an EXIF (TIFF) block without moving a byte of what is already there.

Re-serialising camera EXIF moves the MakerNote and breaks the offsets inside it. Instead, the old
block stays as it is, byte for byte and at the same offsets; the IFDs that change are written anew
after it (old entries copied verbatim, so their values are still found where they were), and the
header or parent pointer is turned to the new IFD. The old IFD becomes a few dead bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple, Protocol


class TiffType(IntEnum):
    BYTE = 1
    ASCII = 2
    SHORT = 3
    LONG = 4
    RATIONAL = 5
    UNDEFINED = 7
    SLONG = 9
    SRATIONAL = 10


_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

EXIF_POINTER = 0x8769
GPS_POINTER = 0x8825
MAX_ENTRIES = 1000


class TiffError(ValueError):
    """The existing block cannot be read well enough to extend it safely."""


class Block(Protocol):
    """Bytes, or a file read through a window (a TIFF file is one TIFF block)."""

    def __len__(self) -> int: ...

    def __getitem__(self, span: slice) -> bytes: ...


_EMPTY_BLOCK = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"  # a header, then IFD0 at 8 with no entries


class TiffValue(NamedTuple):  # a tuple: a block takes a few dozen, made a file at a time
    type: TiffType
    count: int
    payload: bytes  # already in the block's byte order


@dataclass
class _Ifd:
    entries: dict[int, bytes | TiffValue] = field(default_factory=dict)  # bytes: a verbatim 12-byte entry
    next_offset: int = 0
    changed: bool = False


class TiffEditor:
    """Set or remove tags in IFD0, the Exif IFD and the GPS IFD of a TIFF block (or of none)."""

    def __init__(self, block: Block | None = None) -> None:
        if block is None or not len(block):  # most small photos: an empty IFD0 at offset 8, nothing to read
            self.block, self.order = _EMPTY_BLOCK, "<"
            self.ifd0, self.exif, self.gps = _Ifd(), _Ifd(changed=True), _Ifd(changed=True)
            return
        if len(block) < 8 or block[:4] not in (b"II*\x00", b"MM\x00*"):
            raise TiffError("not a TIFF header")
        self.block = block
        self.order = "<" if block[:2] == b"II" else ">"
        ifd0_offset = self._u32(4)
        self.ifd0 = self._read_ifd(ifd0_offset)
        self.exif = self._child(self.ifd0, EXIF_POINTER)
        self.gps = self._child(self.ifd0, GPS_POINTER)

    def _u16(self, offset: int) -> int:
        return struct.unpack(self.order + "H", self.block[offset : offset + 2])[0]

    def _u32(self, offset: int) -> int:
        return struct.unpack(self.order + "I", self.block[offset : offset + 4])[0]

    def _read_ifd(self, offset: int) -> _Ifd:
        if offset < 8 or offset + 2 > len(self.block):
            raise TiffError(f"IFD offset {offset} is outside the {len(self.block)}-byte block")
        count = self._u16(offset)
        end = offset + 2 + 12 * count
        if count > MAX_ENTRIES or end > len(self.block):
            raise TiffError(f"IFD at {offset} claims {count} entries past the end of the block")
        ifd = _Ifd()
        for index in range(count):
            start = offset + 2 + 12 * index
            ifd.entries.setdefault(self._u16(start), self.block[start : start + 12])
        ifd.next_offset = self._u32(end) if end + 4 <= len(self.block) else 0
        return ifd

    def _child(self, parent: _Ifd, pointer: int) -> _Ifd:
        entry = parent.entries.get(pointer)
        if not isinstance(entry, bytes):
            return _Ifd(changed=True)
        try:
            return self._read_ifd(struct.unpack_from(self.order + "I", entry, 8)[0])
        except TiffError:
            # a sub-IFD we cannot read is replaced by a fresh one rather than followed blindly
            return _Ifd(changed=True)

    def get_raw(self, ifd: str, tag: int) -> bytes | None:
        """The bytes of an existing tag's value (ASCII/UNDEFINED), if readable."""
        entry = getattr(self, ifd).entries.get(tag)
        if isinstance(entry, TiffValue):
            return entry.payload
        if entry is None:
            return None
        type_, count = struct.unpack_from(self.order + "HI", entry, 2)
        size = _TYPE_SIZE.get(type_, 1) * count
        if size <= 4:
            return entry[8 : 8 + size]
        offset = struct.unpack_from(self.order + "I", entry, 8)[0]
        return self.block[offset : offset + size] if offset + size <= len(self.block) else None

    def set(self, ifd: str, tag: int, value: TiffValue) -> None:
        target: _Ifd = getattr(self, ifd)
        target.entries[tag] = value
        target.changed = True

    def remove(self, ifd: str, tag: int) -> None:
        target: _Ifd = getattr(self, ifd)
        if target.entries.pop(tag, None) is not None:
            target.changed = True

    def ascii(self, text: str) -> TiffValue:
        payload = text.encode("utf-8") + b"\x00"
        return TiffValue(TiffType.ASCII, len(payload), payload)

    def undefined(self, payload: bytes) -> TiffValue:
        return TiffValue(TiffType.UNDEFINED, len(payload), payload)

    def bytes_(self, values: list[int]) -> TiffValue:
        return TiffValue(TiffType.BYTE, len(values), bytes(values))

    def shorts(self, values: list[int]) -> TiffValue:
        return TiffValue(TiffType.SHORT, len(values), struct.pack(f"{self.order}{len(values)}H", *values))

    def rationals(self, values: list[tuple[int, int]]) -> TiffValue:
        flat = [part for pair in values for part in pair]
        return TiffValue(TiffType.RATIONAL, len(values), struct.pack(f"{self.order}{len(flat)}I", *flat))

    def build(self) -> bytes:
        """The block: the old bytes unchanged, then the changed IFDs and their values."""
        head, tail = self.appendix()
        return head + self.block[len(head) : len(self.block)] + tail

    def appendix(self) -> tuple[bytes, bytes]:
        """The block's first 8 bytes (pointing to the new IFD0), and what follows its old bytes."""
        out = _Tail(len(self.block))
        if self.gps.changed and self.gps.entries:
            self._place_child(out, GPS_POINTER, self.gps)
        elif self.gps.changed:
            self.ifd0.entries.pop(GPS_POINTER, None)
        if self.exif.changed and self.exif.entries:
            self._place_child(out, EXIF_POINTER, self.exif)
        elif self.exif.changed:
            self.ifd0.entries.pop(EXIF_POINTER, None)
        head = self.block[0:8]
        if self.ifd0.changed:
            head = head[:4] + struct.pack(self.order + "I", self._append_ifd(out, self.ifd0))
        if out.end > 0xFFFFFFFF:
            raise TiffError("the block would pass the 4 GiB a TIFF offset can reach")
        return head, bytes(out.data)

    def _place_child(self, out: _Tail, pointer: int, child: _Ifd) -> None:
        offset = self._append_ifd(out, child)
        self.ifd0.entries[pointer] = TiffValue(TiffType.LONG, 1, struct.pack(self.order + "I", offset))
        self.ifd0.changed = True

    def _append_ifd(self, out: _Tail, ifd: _Ifd) -> int:
        data = out.data
        if len(data) % 2 != out.base % 2:
            data.append(0)  # TIFF wants word-aligned IFDs and values
        start = out.base + len(data)
        entries = sorted(ifd.entries.items())
        values_at = start + 2 + 12 * len(entries) + 4
        # the table packed in one call: a block has a few dozen entries, and each call costs more than its bytes
        layout, fields, values, size = [self.order, "H"], [len(entries)], [], 0
        for tag, entry in entries:
            if entry.__class__ is bytes:
                layout.append("12s")
                fields.append(entry)
                continue
            kind, count, payload = entry
            length = len(payload)
            if length <= 4:
                layout.append("HHI4s")  # "4s" pads it with zeros
                fields += (tag, kind, count, payload)
            else:
                layout.append("HHII")
                fields += (tag, kind, count, values_at + size)
                values.append(payload)
                size += length
                if length % 2:
                    values.append(b"\x00")
                    size += 1
        layout.append("I")
        fields.append(ifd.next_offset)
        data += struct.pack("".join(layout), *fields)
        data += b"".join(values)
        return start


@dataclass
class _Tail:
    """Bytes appended after a block of `base` bytes."""

    base: int
    data: bytearray = field(default_factory=bytearray)

    @property
    def end(self) -> int:
        return self.base + len(self.data)
