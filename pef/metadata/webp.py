"""WebP: an EXIF chunk (and the VP8X header that announces it); image chunks are copied as they are."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from pef.metadata.exif import build_exif
from pef.metadata.plan import MetadataPlan, WriteResult, join_notes
from pef.metadata.splice import CorruptMedia, Piece, SourceRange, SourceReader, merge_ranges
from pef.metadata.xmp import merge_xmp, xmp_properties

XMP_FLAG, EXIF_FLAG, ALPHA_FLAG = 0x04, 0x08, 0x10
MAX_CHUNKS = 100_000


@dataclass(frozen=True)
class RiffChunk:
    fourcc: bytes
    offset: int  # of its header
    size: int  # of its data, without padding

    @property
    def span(self) -> SourceRange:
        return SourceRange(self.offset, 8 + self.size + (self.size & 1))


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def read_chunks(reader: SourceReader, file_size: int) -> list[RiffChunk]:
    riff, declared, webp = struct.unpack("<4sI4s", reader.read(12, 0, "RIFF header"))
    if riff != b"RIFF" or webp != b"WEBP":
        raise CorruptMedia("no RIFF/WEBP header")
    end = min(file_size, 8 + declared)
    chunks, position = [], 12
    while position + 8 <= end and len(chunks) < MAX_CHUNKS:
        fourcc, size = struct.unpack("<4sI", reader.read(8, position, "chunk header"))
        if position + 8 + size > end:
            raise CorruptMedia(f"chunk {fourcc!r} at byte {position} runs past the end of the file")
        chunks.append(RiffChunk(fourcc, position, size))
        position += 8 + size + (size & 1)
    if not chunks:
        raise CorruptMedia("no WebP chunks")
    return chunks


def _canvas(reader: SourceReader, chunk: RiffChunk) -> tuple[int, int, bool]:
    data = reader.read(min(chunk.size, 10), chunk.offset + 8, f"{chunk.fourcc!r} header")
    if chunk.fourcc == b"VP8 " and len(data) >= 10 and data[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF, False
    if chunk.fourcc == b"VP8L" and len(data) >= 5 and data[0] == 0x2F:
        bits = int.from_bytes(data[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool(bits >> 28 & 1)
    raise CorruptMedia(f"unreadable {chunk.fourcc.decode('latin-1')} bitstream header")


def _vp8x(reader: SourceReader, chunks: list[RiffChunk]) -> bytes:
    first = chunks[0]
    if first.fourcc == b"VP8X":
        payload = bytearray(reader.read(first.size, first.offset + 8, "VP8X chunk"))
        if len(payload) < 10:
            raise CorruptMedia("VP8X chunk is too short")
        payload[0] |= EXIF_FLAG | XMP_FLAG
        return _chunk(b"VP8X", bytes(payload))
    width, height, alpha = _canvas(reader, first)
    flags = EXIF_FLAG | XMP_FLAG | (ALPHA_FLAG if alpha else 0)
    payload = bytes((flags, 0, 0, 0)) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return _chunk(b"VP8X", payload)


def webp_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    reader = SourceReader(src_fd)
    chunks = read_chunks(reader, file_size)
    old = next((chunk for chunk in chunks if chunk.fourcc == b"EXIF"), None)
    existing = reader.read(old.size, old.offset + 8, "EXIF chunk") if old else None
    if existing and existing.startswith(b"Exif\x00\x00"):  # some writers keep the JPEG prefix
        existing = existing[6:]
    exif = build_exif(existing, plan)
    old_xmp = next((chunk for chunk in chunks if chunk.fourcc == b"XMP "), None)
    existing_xmp = reader.read(old_xmp.size, old_xmp.offset + 8, "XMP chunk") if old_xmp else None
    xmp = merge_xmp(existing_xmp, xmp_properties(plan, exif.when))
    # the container's order: VP8X, ICCP, ANIM, image data, EXIF, XMP, then unknown chunks
    body: list[Piece] = [_vp8x(reader, chunks)]
    trailer = _chunk(b"EXIF", exif.block) + _chunk(b"XMP ", xmp.data)
    for chunk in chunks:
        if chunk.fourcc in (b"VP8X", b"EXIF", b"XMP "):
            continue
        if trailer and chunk.fourcc not in (b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"):
            body.append(trailer)
            trailer = b""
        body.append(chunk.span)
    if trailer:
        body.append(trailer)
    size = 4 + sum(p.length if isinstance(p, SourceRange) else len(p) for p in body)
    pieces = merge_ranges([b"RIFF" + struct.pack("<I", size) + b"WEBP", *body])
    note = join_notes(exif.note, xmp.note)
    return WriteResult(pieces, exif.when, exif.date_source, note, sure_xmp=xmp.sure)
