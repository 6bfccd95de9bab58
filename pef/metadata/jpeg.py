"""JPEG: splice a new EXIF APP1 into the header; the compressed image data is copied as it is."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import NamedTuple

from pef.metadata.exif import MAX_JPEG_EXIF, ExifTooLarge, FreshImage, build_exif
from pef.metadata.plan import MetadataPlan, WriteResult, join_notes
from pef.metadata.splice import CorruptMedia, SourceRange, SourceReader
from pef.metadata.xmp import merge_xmp, xmp_properties

EXIF_PREFIX = b"Exif\x00\x00"
XMP_PREFIX = b"http://ns.adobe.com/xap/1.0/\x00"
MAX_JPEG_XMP = 65533 - len(XMP_PREFIX)
MAX_HEADER_BYTES = 32 * 1024 * 1024
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class Segment(NamedTuple):  # a tuple: a header has a dozen, made a file at a time
    marker: int
    raw: bytes  # the whole segment as it is in the file: marker, length, payload

    @classmethod
    def of(cls, marker: int, payload: bytes) -> Segment:
        return cls(marker, bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload)

    @property
    def is_exif(self) -> bool:
        return self.marker == 0xE1 and self.raw.startswith(EXIF_PREFIX, 4)

    @property
    def is_xmp(self) -> bool:
        return self.marker == 0xE1 and self.raw.startswith(XMP_PREFIX, 4)


@dataclass(frozen=True)
class JpegHeader:
    segments: tuple[Segment, ...]
    scan_offset: int  # where the SOS marker starts: from here on the file is copied verbatim
    size: FreshImage | None


def read_header(reader: SourceReader, file_size: int) -> JpegHeader:
    if reader.read(2, 0, "start marker") != b"\xff\xd8":
        raise CorruptMedia("no JPEG start-of-image marker")
    position, segments, size = 2, [], None
    while True:
        if position > MAX_HEADER_BYTES or position >= file_size:
            raise CorruptMedia("no image data (SOS) before the end of the file")
        head = reader.up_to(4, position)  # a marker and, after most, a segment's length
        if len(head) < 2:
            raise CorruptMedia(f"file ends inside the marker at byte {position}")
        start, marker = head[0], head[1]
        if start != 0xFF:
            raise CorruptMedia(f"expected a marker at byte {position}")
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        if marker == 0xD9:
            raise CorruptMedia("end-of-image marker before any image data")
        if marker == 0xDA:
            return JpegHeader(tuple(segments), position, size)
        if len(head) < 4:
            raise CorruptMedia(f"file ends inside the segment length at byte {position + 2}")
        length = head[2] << 8 | head[3]
        if length < 2:
            raise CorruptMedia(f"segment length {length} at byte {position}")
        raw = reader.up_to(2 + length, position)
        if len(raw) < 2 + length:
            raise CorruptMedia(f"file ends inside the segment FF{marker:02X} at byte {position + 4}")
        if marker in _SOF and length >= 7:
            height, width = struct.unpack_from(">HH", raw, 5)
            size = FreshImage(width, height)
        segments.append(Segment(marker, raw))
        position += 2 + length


def _put(segments: list[Segment], segment: Segment, old: int | None, after: int) -> None:
    if old is not None:
        segments[old] = segment
    else:
        segments.insert(after, segment)


def jpeg_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    reader = SourceReader(src_fd)
    header = read_header(reader, file_size)
    segments = list(header.segments)
    old_exif = next((index for index, segment in enumerate(segments) if segment.is_exif), None)
    existing = segments[old_exif].raw[4 + len(EXIF_PREFIX) :] if old_exif is not None else None
    exif = build_exif(existing, plan, header.size)
    if len(exif.block) > MAX_JPEG_EXIF:
        raise ExifTooLarge(f"EXIF would be {len(exif.block)} bytes, more than a JPEG segment holds")
    old_xmp = next((index for index, segment in enumerate(segments) if segment.is_xmp), None)
    existing_xmp = segments[old_xmp].raw[4 + len(XMP_PREFIX) :] if old_xmp is not None else None
    xmp = merge_xmp(existing_xmp, xmp_properties(plan, exif.when))
    if len(xmp.data) > MAX_JPEG_XMP:
        raise ExifTooLarge(f"XMP would be {len(xmp.data)} bytes, more than a JPEG segment holds")
    # after JFIF/JFXX APP0, which must come first
    first = next((i for i, s in enumerate(segments) if s.marker != 0xE0), len(segments))
    _put(segments, Segment.of(0xE1, EXIF_PREFIX + exif.block), old_exif, first)
    old_xmp = next((index for index, segment in enumerate(segments) if segment.is_xmp), None)  # may have moved
    exif_at = next(i for i, s in enumerate(segments) if s.is_exif)
    _put(segments, Segment.of(0xE1, XMP_PREFIX + xmp.data), old_xmp, exif_at + 1)
    head = b"".join([b"\xff\xd8", *(segment.raw for segment in segments)])
    pieces = reader.held([head, SourceRange(header.scan_offset, file_size - header.scan_offset)])
    note = join_notes(exif.note, xmp.note)
    return WriteResult(pieces, exif.when, exif.date_source, note, sure_xmp=xmp.sure)
