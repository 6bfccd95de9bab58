"""ISO base media files (MP4, MOV, M4V, 3GP): the box structure, read without touching the media data."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from pef.metadata.splice import CorruptMedia, SourceReader

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
MAC_EPOCH_SHIFT = 2_082_844_800  # seconds from 1904-01-01 to 1970-01-01, both UTC
# boxes made only of boxes, on the way to the ones pef reads or changes
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf", b"mvex"})
MAX_MOOV_BYTES = 256 * 1024 * 1024
MAX_BOX_DEPTH = 16  # a real movie nests boxes 8 deep at most


@dataclass(frozen=True)
class BoxHeader:
    kind: bytes
    offset: int
    header_size: int
    size: int  # of the whole box
    to_end: bool = False  # declared size 0: the box runs to the end of the file

    @property
    def end(self) -> int:
        return self.offset + self.size


def top_level_boxes(reader: SourceReader, file_size: int) -> list[BoxHeader]:
    """The file's top-level boxes; CorruptMedia if they do not describe it."""
    boxes, position = [], 0
    while position + 8 <= file_size:
        size, kind = struct.unpack(">I4s", reader.read(8, position, "box header"))
        header, to_end = 8, False
        if size == 1:
            size = struct.unpack(">Q", reader.read(8, position + 8, "box size"))[0]
            header = 16
        elif size == 0:
            size, to_end = file_size - position, True
        if size < header or position + size > file_size:
            raise CorruptMedia(f"box {kind!r} at byte {position} runs past the end of the file")
        boxes.append(BoxHeader(kind, position, header, size, to_end))
        position += size
    if not boxes:
        raise CorruptMedia("no ISO media boxes")
    return boxes


@dataclass
class Box:
    """A box held in memory: its payload, or (for a container) its children."""

    kind: bytes
    payload: bytes = b""
    children: list[Box] | None = None
    extra: bytes = b""  # a uuid box's user type

    def encoded(self) -> bytes:
        content = b"".join(c.encoded() for c in self.children) if self.children is not None else self.payload
        body = self.extra + content
        if len(body) + 8 <= 0xFFFFFFFF:
            return struct.pack(">I4s", len(body) + 8, self.kind) + body
        return struct.pack(">I4sQ", 1, self.kind, len(body) + 16) + body

    def child(self, kind: bytes) -> Box | None:
        return next((c for c in self.children or () if c.kind == kind), None)

    def walk(self) -> Iterator[Box]:
        yield self
        for child in self.children or ():
            yield from child.walk()


def parse_boxes(data: bytes, depth: int = 0) -> list[Box]:
    if depth > MAX_BOX_DEPTH:
        raise CorruptMedia(f"boxes nested more than {MAX_BOX_DEPTH} deep")
    boxes, position = [], 0
    while position + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if position + 16 > len(data):
                raise CorruptMedia(f"box {kind!r} is cut short")
            size, header = struct.unpack_from(">Q", data, position + 8)[0], 16
        elif size == 0:
            size = len(data) - position
        if size < header or position + size > len(data):
            raise CorruptMedia(f"box {kind!r} inside the movie header runs past its end")
        body = data[position + header : position + size]
        extra = b""
        if kind == b"uuid":
            extra, body = body[:16], body[16:]
        if kind in CONTAINERS:
            boxes.append(Box(kind, children=parse_boxes(body, depth + 1), extra=extra))
        else:
            boxes.append(Box(kind, body, extra=extra))
        position += size
    if position != len(data) and any(data[position:]):  # 4 zero bytes may close a QuickTime atom list
        raise CorruptMedia("stray bytes inside the movie header")
    return boxes


def read_the_box(
    reader: SourceReader, boxes: list[BoxHeader], kind: bytes, what: str, limit: int
) -> tuple[BoxHeader, bytes]:
    """The one top-level box of a kind, and its payload; CorruptMedia when there are more, none, or it is huge."""
    found = [box for box in boxes if box.kind == kind]
    if len(found) != 1:
        raise CorruptMedia(f"{len(found)} {what}s ({kind.decode('latin-1')}) instead of one")
    header = found[0]
    if header.size > limit:
        raise CorruptMedia(f"a {header.size}-byte {what} is beyond reason")
    return header, reader.read(header.size - header.header_size, header.offset + header.header_size, what)


def read_moov(reader: SourceReader, boxes: list[BoxHeader]) -> tuple[BoxHeader, Box]:
    header, data = read_the_box(reader, boxes, b"moov", "movie header", MAX_MOOV_BYTES)
    return header, Box(b"moov", children=parse_boxes(data))


@dataclass(frozen=True)
class HeaderTimes:
    """Creation and modification times of one mvhd, tkhd or mdhd box, as Unix seconds."""

    kind: bytes
    created: int
    modified: int


def header_times(box: Box) -> HeaderTimes:
    if len(box.payload) < 12:
        raise CorruptMedia(f"{box.kind.decode('latin-1')} box is too short")
    if box.payload[0] == 1:
        if len(box.payload) < 20:
            raise CorruptMedia(f"{box.kind.decode('latin-1')} box is too short")
        created, modified = struct.unpack_from(">QQ", box.payload, 4)
    else:
        created, modified = struct.unpack_from(">II", box.payload, 4)
    return HeaderTimes(box.kind, created - MAC_EPOCH_SHIFT, modified - MAC_EPOCH_SHIFT)


def timed_boxes(moov: Box) -> list[Box]:
    """The movie header, and each track's header and media header."""
    return [box for box in moov.walk() if box.kind in (b"mvhd", b"tkhd", b"mdhd")]


def find_xmp_box(reader: SourceReader, boxes: list[BoxHeader]) -> BoxHeader | None:
    """The top-level uuid box that holds XMP (Adobe's place for it in MP4 and MOV)."""
    for box in boxes:
        is_uuid = box.kind == b"uuid" and box.size >= box.header_size + 16
        if is_uuid and reader.read(16, box.offset + box.header_size, "uuid") == XMP_UUID:
            return box
    return None


def xmp_payload(reader: SourceReader, box: BoxHeader) -> bytes:
    start = box.offset + box.header_size + 16
    return reader.read(box.end - start, start, "XMP box")
