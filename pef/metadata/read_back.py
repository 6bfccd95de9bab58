"""Small readers for the read-back check, sharing no code with the writers: a JPEG's header, an EXIF block.

A full Pillow open of every written JPEG cost more than writing it; these read only the segments
before the image data and only the tags the check compares, from the bytes on the disk.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_POINTER, GPS_POINTER = 0x8769, 0x8825
_ASCII, _RATIONAL, _SRATIONAL = 2, 5, 10
_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_NO_LENGTH = {0x01, *range(0xD0, 0xD9)}  # TEM, RSTn, SOI: markers without a length
_START_OF_SCAN, _END_OF_IMAGE = 0xDA, 0xD9
MAX_SEGMENTS = 4096
HEAD_BYTES = 64 * 1024


class Unreadable(Exception):
    """The written bytes do not read back as what they claim to be."""


@dataclass(frozen=True)
class JpegMetadata:
    exif: bytes | None  # the TIFF block of the first Exif APP1
    xmp: bytes | None  # the packet of the first XMP APP1


class _Head:
    """A file's first bytes, read in one call (a written header is most often within them); the rest from the disk."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._bytes = os.pread(fd, HEAD_BYTES, 0)

    def read(self, length: int, offset: int) -> bytes:
        if offset + length <= len(self._bytes):
            return self._bytes[offset : offset + length]
        return os.pread(self._fd, length, offset)


def jpeg_metadata(fd: int) -> JpegMetadata:
    """The Exif and XMP APP1 payloads of a JPEG, read segment by segment up to its image data."""
    file = _Head(fd)
    if file.read(2, 0) != b"\xff\xd8":
        raise Unreadable("no start-of-image marker")
    exif = xmp = None
    position = 2
    for _ in range(MAX_SEGMENTS):
        head = file.read(4, position)
        if len(head) < 2 or head[0] != 0xFF:
            raise Unreadable(f"no marker at byte {position}")
        marker = head[1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in _NO_LENGTH:
            position += 2
            continue
        if marker in (_START_OF_SCAN, _END_OF_IMAGE) or len(head) < 4:
            break
        length = struct.unpack(">H", head[2:])[0]
        if marker == 0xE1:
            payload = file.read(length - 2, position + 4)
            if exif is None and payload.startswith(EXIF_HEADER):
                exif = payload[len(EXIF_HEADER) :]
            elif xmp is None and payload.startswith(XMP_HEADER):
                xmp = payload[len(XMP_HEADER) :]
        position += 2 + length
    return JpegMetadata(exif, xmp)


class Tags(Mapping[int, object]):
    """One IFD's tags, each found and decoded when asked for: the check compares a handful of a file's dozens, and
    an entry it does not compare (a camera's, pointing past a cut block) is not what it checks."""

    def __init__(self, tiff: bytes, order: str, fields: tuple) -> None:
        self._tiff, self._order, self._fields = tiff, order, fields  # (tag, type, count, 4 bytes) for each entry
        self._at = dict(zip(fields[::4], range(0, len(fields), 4), strict=True))  # tag → its entry (the last wins)

    def __getitem__(self, tag: int) -> object:
        return self._decoded(self._at[tag])

    def get(self, tag: int, default: object = None) -> object:  # the check's one look-up: not Mapping's two
        at = self._at.get(tag)
        return default if at is None else self._decoded(at)

    def _decoded(self, at: int) -> object:
        tag, kind, number, inline = self._fields[at : at + 4]
        size = _SIZES.get(kind, 0) * number
        if size <= 4:
            data = inline[:size]
        else:
            start = struct.unpack(self._order + "I", inline)[0]
            if start + size > len(self._tiff):
                raise Unreadable(f"tag {tag:#06x} points past the block")
            data = self._tiff[start : start + size]
        return _value(data, kind, number, self._order)

    def __iter__(self) -> Iterator[int]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


@dataclass
class ExifTags:
    """The tags of IFD0, and of the Exif and GPS IFDs it points to: text as str, rationals as floats."""

    ifd0: Mapping[int, object] = field(default_factory=dict)
    ifds: dict[int, Mapping[int, object]] = field(default_factory=dict)

    def get(self, tag: int) -> object:
        return self.ifd0.get(tag)

    def get_ifd(self, pointer: int) -> Mapping[int, object]:
        return self.ifds.get(pointer, {})


def read_exif(tiff: bytes) -> ExifTags:
    """Parse a TIFF block's IFD0 and its Exif and GPS IFDs (never their thumbnails or maker notes)."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8 or struct.unpack(order + "H", tiff[2:4])[0] != 42:
        raise Unreadable("not a TIFF block")
    tags = ExifTags(_ifd(tiff, order, struct.unpack(order + "I", tiff[4:8])[0]))
    for pointer in (EXIF_POINTER, GPS_POINTER):
        offset = tags.ifd0.get(pointer)
        if isinstance(offset, int):
            tags.ifds[pointer] = _ifd(tiff, order, offset)
    return tags


def _ifd(tiff: bytes, order: str, offset: int) -> Tags:
    if offset + 2 > len(tiff):
        raise Unreadable(f"an IFD points past the block ({offset})")
    count = struct.unpack_from(order + "H", tiff, offset)[0]
    if offset + 2 + 12 * count > len(tiff):
        raise Unreadable("an IFD runs past the block")
    return Tags(tiff, order, struct.unpack_from(order + "HHI4s" * count, tiff, offset + 2))


def _value(data: bytes, kind: int, number: int, order: str) -> object:
    if kind == _ASCII:
        return data.split(b"\x00", 1)[0].decode("latin-1")
    if kind in (_RATIONAL, _SRATIONAL):
        pairs = struct.unpack(f"{order}{2 * number}{'I' if kind == _RATIONAL else 'i'}", data)
        tops, bottoms = pairs[::2], pairs[1::2]
        return tuple(top / bottom if bottom else float("nan") for top, bottom in zip(tops, bottoms, strict=True))
    if kind in (3, 4) and number == 1:
        return struct.unpack(order + ("H" if kind == 3 else "I"), data)[0]
    return data
