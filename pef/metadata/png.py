"""PNG: an eXIf chunk before the image data; every other chunk is copied as it is."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from pef.metadata.exif import ExifPlan, build_exif
from pef.metadata.splice import CorruptMedia, Piece, SourceRange, SourceReader, merge_ranges

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 100_000


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


def png_pieces(src_fd: int, file_size: int, plan: ExifPlan) -> tuple[list[Piece], str]:
    reader = SourceReader(src_fd)
    chunks = read_chunks(reader, file_size)
    old = next((chunk for chunk in chunks if chunk.kind == b"eXIf"), None)
    existing = reader.read(old.length, old.offset + 8, "eXIf chunk") if old else None
    block, note = build_exif(existing, plan)
    pieces: list[Piece] = [SIGNATURE]
    for chunk in chunks:
        if chunk is old:
            continue
        if chunk.kind == b"IDAT" and block is not None:
            pieces.append(chunk_bytes(b"eXIf", block))
            block = None
        pieces.append(chunk.span)
    tail = chunks[-1].offset + chunks[-1].length + 12
    if tail < file_size:  # bytes after IEND are kept too: nothing of the source is dropped
        pieces.append(SourceRange(tail, file_size - tail))
    return merge_ranges(pieces), note
