"""HEIC/HEIF/AVIF: find the camera's EXIF item (read only: pef never writes into these files)."""

from __future__ import annotations

import struct

from pef.metadata.isobmff import Box, parse_boxes, top_level_boxes
from pef.metadata.splice import CorruptMedia, SourceReader

MAX_META_BYTES = 16 * 1024 * 1024
MAX_EXIF_BYTES = 1024 * 1024


def _full_box_children(box: Box) -> list[Box]:
    return parse_boxes(box.payload[4:])  # version and flags, then boxes


def _exif_item(iinf: Box) -> int | None:
    version = iinf.payload[0]
    start = 6 if version == 0 else 8  # 16- or 32-bit entry count
    for infe in parse_boxes(iinf.payload[start:]):
        data, infe_version = infe.payload, infe.payload[0] if infe.payload else 0
        if infe.kind != b"infe" or infe_version < 2:
            continue
        item, at = (
            (struct.unpack_from(">H", data, 4)[0], 8)
            if infe_version == 2
            else (struct.unpack_from(">I", data, 4)[0], 10)
        )
        if data[at : at + 4] == b"Exif":
            return item
    return None


def _uint(data: bytes, at: int, size: int) -> int:
    return int.from_bytes(data[at : at + size], "big") if size else 0


def _item_extent(iloc: Box, wanted: int) -> tuple[int, int] | None:
    """(file offset, length) of an item stored in one extent of the file itself."""
    data, version = iloc.payload, iloc.payload[0]
    offset_size, length_size = data[4] >> 4, data[4] & 15
    base_size, index_size = data[5] >> 4, (data[5] & 15) if version in (1, 2) else 0
    count, at = (struct.unpack_from(">H", data, 6)[0], 8) if version < 2 else (struct.unpack_from(">I", data, 6)[0], 10)
    for _ in range(count):
        id_size = 2 if version < 2 else 4
        item = _uint(data, at, id_size)
        at += id_size
        method = _uint(data, at, 2) & 15 if version in (1, 2) else 0
        at += 2 if version in (1, 2) else 0
        at += 2  # data reference index
        base = _uint(data, at, base_size)
        at += base_size
        extents = _uint(data, at, 2)
        at += 2
        spans = []
        for _ in range(extents):
            at += index_size
            spans.append((base + _uint(data, at, offset_size), _uint(data, at + offset_size, length_size)))
            at += offset_size + length_size
        if item == wanted:
            return spans[0] if method == 0 and len(spans) == 1 else None
    return None


def heif_exif_block(reader: SourceReader, file_size: int) -> bytes | None:
    """The TIFF block of the file's EXIF item, or None when it has none that pef can find."""
    try:
        meta = next((box for box in top_level_boxes(reader, file_size) if box.kind == b"meta"), None)
        if meta is None or meta.size > MAX_META_BYTES:
            return None
        payload = reader.read(meta.size - meta.header_size, meta.offset + meta.header_size, "meta box")
        children = {box.kind: box for box in _full_box_children(Box(b"meta", payload))}
        if b"iinf" not in children or b"iloc" not in children:
            return None
        item = _exif_item(children[b"iinf"])
        extent = _item_extent(children[b"iloc"], item) if item is not None else None
        if extent is None or not 4 < extent[1] <= MAX_EXIF_BYTES:
            return None
        data = reader.read(extent[1], extent[0], "EXIF item")
    except (CorruptMedia, struct.error, IndexError):
        return None  # no camera date then: the sidecar's is written
    skip = 4 + struct.unpack_from(">I", data, 0)[0]  # the item starts with the offset of its TIFF header
    return data[skip:] or None
