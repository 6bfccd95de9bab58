"""PNG: an eXIf chunk before the image data; every other chunk is copied as it is."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from pef.metadata.exif import build_exif
from pef.metadata.plan import MetadataPlan, WriteResult, join_notes
from pef.metadata.splice import CorruptMedia, Piece, SourceRange, SourceReader, merge_ranges
from pef.metadata.xmp import merge_xmp, xmp_properties

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 100_000
XMP_KEYWORD = b"XML:com.adobe.xmp"
MAX_XMP_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    offset: int  # of its length field
    length: int  # of its data

    @property
    def span(self) -> SourceRange:
        return SourceRange(self.offset, self.length + 12)


def chunk_bytes(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def read_chunks(reader: SourceReader, file_size: int) -> list[Chunk]:
    if reader.read(8, 0, "signature") != SIGNATURE:
        raise CorruptMedia("no PNG signature")
    chunks, position = [], 8
    while position < file_size and len(chunks) < MAX_CHUNKS:
        length, kind = struct.unpack(">I4s", reader.read(8, position, "chunk header"))
        if position + 12 + length > file_size:
            raise CorruptMedia(f"chunk {kind!r} at byte {position} runs past the end of the file")
        chunks.append(Chunk(kind, position, length))
        position += 12 + length
        if kind == b"IEND":
            break
    if not any(chunk.kind == b"IDAT" for chunk in chunks):
        raise CorruptMedia("no image data (IDAT)")
    return chunks


def _is_xmp(reader: SourceReader, chunk: Chunk) -> bool:
    return (
        chunk.kind == b"iTXt"
        and reader.read(min(chunk.length, len(XMP_KEYWORD) + 1), chunk.offset + 8, "iTXt chunk")
        == XMP_KEYWORD + b"\x00"
    )


def _itxt_xmp(reader: SourceReader, chunk: Chunk) -> bytes | None:
    """The packet of an XMP iTXt chunk (pef writes it back uncompressed, as the XMP spec asks)."""
    data = reader.read(chunk.length, chunk.offset + 8, "iTXt chunk")
    _keyword, _, rest = data.partition(b"\x00")
    if len(rest) < 2:
        return None
    compressed = rest[0] == 1
    _language, _, rest = rest[2:].partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if not compressed:
        return text
    try:
        return zlib.decompressobj().decompress(text, MAX_XMP_BYTES)
    except zlib.error:
        return text  # merge_xmp finds it unreadable, starts afresh and says so


def _itxt(packet: bytes) -> bytes:
    return chunk_bytes(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + packet)


def png_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    reader = SourceReader(src_fd)
    chunks = read_chunks(reader, file_size)
    old = next((chunk for chunk in chunks if chunk.kind == b"eXIf"), None)
    existing = reader.read(old.length, old.offset + 8, "eXIf chunk") if old else None
    exif = build_exif(existing, plan)
    old_xmp = next((chunk for chunk in chunks if _is_xmp(reader, chunk)), None)
    xmp = merge_xmp(_itxt_xmp(reader, old_xmp) if old_xmp else None, xmp_properties(plan, exif.when))
    new: bytes | None = chunk_bytes(b"eXIf", exif.block) + _itxt(xmp.data)
    pieces: list[Piece] = [SIGNATURE]
    for chunk in chunks:
        if chunk is old or chunk is old_xmp:
            continue
        if chunk.kind == b"IDAT" and new is not None:
            pieces.append(new)
            new = None
        pieces.append(chunk.span)
    tail = chunks[-1].offset + chunks[-1].length + 12
    if tail < file_size:  # bytes after IEND are kept too: nothing of the source is dropped
        pieces.append(SourceRange(tail, file_size - tail))
    note = join_notes(exif.note, xmp.note)
    return WriteResult(reader.held(merge_ranges(pieces)), exif.when, exif.date_source, note, sure_xmp=xmp.sure)
