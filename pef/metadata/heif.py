"""HEIC, HEIF, AVIF: the date, place and words written into the file's own Exif and XMP items.

The camera's Exif item is edited as the JPEG writer edits a JPEG's (its tags and MakerNote kept);
the new Exif and XMP bytes go into a media data box appended at the end of the file, and their items
are pointed at them (new items get `cdsc` references to the primary image). The old item bytes stay
where they were, unreferenced. Only the meta box changes size: every file offset past it in `iloc`
moves by as much, so every image item's coded bytes are found, unchanged, where they now are.
"""

from __future__ import annotations

import struct
from dataclasses import replace

from pef.metadata.exif import build_exif
from pef.metadata.heif_items import (
    FILE_OFFSETS,
    XMP_CONTENT_TYPE,
    ItemTables,
    Location,
    item_bytes,
    read_item_tables,
)
from pef.metadata.isobmff import Box, BoxHeader, read_the_box, top_level_boxes
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult, join_notes
from pef.metadata.splice import CorruptMedia, Piece, SourceRange, SourceReader, merge_ranges
from pef.metadata.xmp import merge_xmp, xmp_properties
from pef.metadata.xmp_file import beside_file

MAX_META_BYTES = 16 * 1024 * 1024
MAX_EXIF_BYTES = 4 * 1024 * 1024
MAX_XMP_BYTES = 16 * 1024 * 1024
EXIF_HEADER = b"Exif\x00\x00"  # what Apple and libheif put before the TIFF header
OFFSET_BOXES = (b"moov", b"moof", b"sidx", b"mfra")  # image sequences: their own offsets would need moving


class Unwritable(ValueError):
    """A well-formed file whose layout pef does not rewrite; it gets an .xmp file beside it instead."""


def read_meta(reader: SourceReader, boxes: list[BoxHeader]) -> tuple[BoxHeader, ItemTables]:
    meta, payload = read_the_box(reader, boxes, b"meta", "meta box", MAX_META_BYTES)
    tables = read_item_tables(payload)
    if tables.info(tables.primary) is None:
        raise CorruptMedia(f"the primary item {tables.primary} is not in the item list")
    return meta, tables


def split_exif_item(data: bytes) -> tuple[bytes, bytes] | None:
    """(the bytes before the TIFF header, the TIFF block) of an Exif item, or None when it is unreadable."""
    if len(data) < 4:
        return None
    skip = struct.unpack_from(">I", data, 0)[0]
    if 4 + skip + 8 > len(data):
        return None
    return data[4 : 4 + skip], data[4 + skip :]


def heif_exif_block(reader: SourceReader, file_size: int) -> bytes | None:
    """The TIFF block of the primary image's Exif item, or None when pef finds none it can read."""
    try:
        _meta, tables = read_meta(reader, top_level_boxes(reader, file_size))
        item = tables.metadata_item(b"Exif")
        data = item_bytes(tables, item, reader, MAX_EXIF_BYTES) if item is not None else None
    except CorruptMedia:
        return None
    parts = split_exif_item(data) if data else None
    return parts[1] if parts else None


def _camera_exif(reader: SourceReader, tables: ItemTables) -> tuple[int | None, bytes, bytes | None, str]:
    """The Exif item, the bytes to keep before its TIFF header, its TIFF block, and a note."""
    item = tables.metadata_item(b"Exif")
    data = item_bytes(tables, item, reader, MAX_EXIF_BYTES) if item is not None else None
    if item is None or data is None:
        return item, EXIF_HEADER, None, "" if item is None else "the camera's Exif item could not be read; replaced"
    parts = split_exif_item(data)
    if parts is None:
        return item, EXIF_HEADER, None, "the camera's Exif item was unreadable and was replaced"
    return item, parts[0], parts[1], ""


def _existing_xmp(reader: SourceReader, tables: ItemTables) -> tuple[int | None, bytes | None]:
    item = tables.metadata_item(b"mime", XMP_CONTENT_TYPE)
    info = tables.info(item) if item is not None else None
    if item is None or info is None:
        return None, None
    if info.encoding:  # a compressed packet is replaced by a plain one, not read
        tables.declare_plain(item, b"mime", XMP_CONTENT_TYPE)
        return item, None
    return item, item_bytes(tables, item, reader, MAX_XMP_BYTES)


def _closing_pieces(boxes: list[BoxHeader], file_size: int) -> Piece:
    """The last box, with its size written out when it ran "to the end of the file"."""
    last = boxes[-1]
    if last.end != file_size:
        raise Unwritable("bytes follow its last box")
    if not last.to_end:
        return SourceRange(last.offset, last.size)
    if last.header_size != 8 or last.size > 0xFFFFFFFF:
        raise Unwritable("its last box runs to the end of a file too large to close it")
    return struct.pack(">I4s", last.size, last.kind)


def _place_items(tables: ItemTables, meta: BoxHeader, file_size: int, ours: dict[int, bytes]) -> bytes:
    """Point every item at where its bytes will be; returns the new meta box."""
    originals = [(place, place.base, list(place.extents)) for place in tables.locations if place.item not in ours]
    delta = 0
    for _ in range(4):  # the offsets' field size may grow with the offsets: settle on a size that holds them
        for place, base, extents in originals:
            if place.method != FILE_OFFSETS or place.reference != 0:
                continue
            place.base = base + delta if base >= meta.end else base
            moved = []
            for index, offset, length in extents:
                at = base + offset
                if meta.offset <= at < meta.end:
                    raise Unwritable("an item's bytes lie inside its meta box")
                moved.append((index, (at + delta if at >= meta.end else at) - place.base, length))
            if any(offset < 0 for _index, offset, _length in moved):
                raise Unwritable("an item's offsets count from a base after its bytes")
            place.extents = moved
        at = file_size + delta + 8  # past the header of the media data box appended at the end
        for item, data in ours.items():
            place = tables.location(item) or Location(item, FILE_OFFSETS, 0, 0, [])
            place.method, place.reference, place.base, place.extents = FILE_OFFSETS, 0, 0, [(0, at, len(data))]
            at += len(data)
        encoded = Box(b"meta", tables.encoded()).encoded()
        if len(encoded) - meta.size == delta:
            return encoded
        delta = len(encoded) - meta.size
    raise Unwritable("its item offsets did not settle")


def _beside(src_fd: int, file_size: int, plan: MetadataPlan, why: Unwritable) -> WriteResult:
    result = beside_file(src_fd, file_size, plan, heif_exif_block, f"written only into an .xmp file beside it ({why})")
    return replace(result, omitted=frozenset({Omitted.IN_FILE}))


def heif_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    reader = SourceReader(src_fd)
    boxes = top_level_boxes(reader, file_size)
    meta, tables = read_meta(reader, boxes)
    try:
        if any(box.kind in OFFSET_BOXES for box in boxes):
            raise Unwritable("it is an image sequence")
        closing = _closing_pieces(boxes, file_size)
    except Unwritable as why:
        return _beside(src_fd, file_size, plan, why)
    exif_item, exif_prefix, tiff, exif_note = _camera_exif(reader, tables)
    exif = build_exif(tiff, plan)
    xmp_item, existing_xmp = _existing_xmp(reader, tables)
    xmp = merge_xmp(existing_xmp, xmp_properties(plan, exif.when))
    if exif_item is None:
        exif_item = tables.add_item(b"Exif")
    if xmp_item is None:
        xmp_item = tables.add_item(b"mime", XMP_CONTENT_TYPE)
    exif_data = struct.pack(">I", len(exif_prefix)) + exif_prefix + exif.block
    try:
        new_meta = _place_items(tables, meta, file_size, {exif_item: exif_data, xmp_item: xmp.data})
    except Unwritable as why:
        return _beside(src_fd, file_size, plan, why)
    pieces: list[Piece] = []
    for box in boxes[:-1]:
        pieces.append(new_meta if box is meta else SourceRange(box.offset, box.size))
    if boxes[-1] is meta:
        pieces.append(new_meta)
    else:
        pieces.append(closing)
        if not isinstance(closing, SourceRange):
            pieces.append(SourceRange(boxes[-1].offset + 8, boxes[-1].size - 8))
    pieces.append(Box(b"mdat", exif_data + xmp.data).encoded())
    note = join_notes(exif.note, exif_note, xmp.note)
    return WriteResult(merge_ranges(pieces), exif.when, exif.date_source, note, sure_xmp=xmp.sure)
