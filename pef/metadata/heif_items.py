"""HEIF's item tables (ISO/IEC 23008-12 on ISO/IEC 14496-12): read, change, and write back.

A HEIC/AVIF file is a `meta` box of items (`iinf`: what each item is, `iloc`: where its bytes are,
`iref`: how items refer to each other, `pitm`: the primary image) and the media data they point at.
Entries are decoded into values only as far as pef changes them; everything else is kept verbatim.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from pef.metadata.isobmff import Box, parse_boxes
from pef.metadata.splice import CorruptMedia, SourceReader

MAX_ITEMS = 100_000
XMP_CONTENT_TYPE = "application/rdf+xml"
FILE_OFFSETS, IDAT_OFFSETS = 0, 1  # iloc construction methods pef reads (2, item offsets, it leaves alone)


def _uint(data: bytes, at: int, size: int) -> int:
    if at + size > len(data):
        raise CorruptMedia("an item table is cut short")
    return int.from_bytes(data[at : at + size], "big") if size else 0


def _field_size(values: list[int]) -> int:
    """The smallest iloc field (0, 4 or 8 bytes) that holds every value."""
    top = max(values, default=0)
    return 0 if top == 0 else 4 if top <= 0xFFFFFFFF else 8


@dataclass
class Location:
    """One iloc entry: where an item's bytes are (`extents`: (index, offset, length))."""

    item: int
    method: int
    reference: int  # data reference index: 0 is this file
    base: int
    extents: list[tuple[int, int, int]]

    def spans(self) -> list[tuple[int, int]]:
        return [(self.base + offset, length) for _index, offset, length in self.extents]


@dataclass
class ItemInfo:
    """One infe entry: an item's id and type (and, for `mime` items, its content type)."""

    item: int
    kind: bytes
    box: Box  # kept verbatim
    content_type: str = ""
    encoding: str = ""


@dataclass
class Reference:
    kind: bytes
    source: int
    targets: list[int]


@dataclass
class ItemTables:
    """The parts of a meta box that name, place and link items; the rest of its children kept as they are."""

    prefix: bytes  # the meta box's version and flags
    children: list[Box]
    primary: int
    infos: list[ItemInfo]
    locations: list[Location]
    references: list[Reference]
    iloc_version: int = 0
    index_size: int = 0
    iref_version: int = 0
    added: list[int] = field(default_factory=list)

    def info(self, item: int) -> ItemInfo | None:
        return next((info for info in self.infos if info.item == item), None)

    def location(self, item: int) -> Location | None:
        return next((place for place in self.locations if place.item == item), None)

    def describes(self, item: int) -> list[int]:
        """The items an item is metadata of (its `cdsc` references)."""
        return [t for r in self.references if r.kind == b"cdsc" and r.source == item for t in r.targets]

    def metadata_item(self, kind: bytes, content_type: str = "") -> int | None:
        """The Exif (or XMP) item of the primary image: the one that describes it, else one that describes none."""
        found = [i.item for i in self.infos if i.kind == kind and (not content_type or i.content_type == content_type)]
        described = [item for item in found if self.primary in self.describes(item)]
        return (described or [item for item in found if not self.describes(item)] or [None])[0]

    def idat(self) -> bytes:
        box = next((child for child in self.children if child.kind == b"idat"), None)
        return box.payload if box else b""

    def add_item(self, kind: bytes, content_type: str = "") -> int:
        """A new hidden item that describes the primary image; returns its id."""
        item = max([i.item for i in self.infos] + [self.primary, *self.added]) + 1
        self.added.append(item)
        self.infos.append(_info(item, kind, content_type))
        self.references.append(Reference(b"cdsc", item, [self.primary]))
        self.locations.append(Location(item, FILE_OFFSETS, 0, 0, [(0, 0, 0)]))
        return item

    def declare_plain(self, item: int, kind: bytes, content_type: str = "") -> None:
        """Describe an item anew (a compressed XMP packet replaced by a plain one)."""
        self.infos = [_info(item, kind, content_type) if info.item == item else info for info in self.infos]

    def encoded(self) -> bytes:
        """The meta box's payload with the item tables written anew."""
        tables = {b"iinf": self._iinf(), b"iloc": self._iloc(), b"iref": self._iref()}
        children = [tables.get(child.kind, child) for child in self.children]
        if not any(child.kind == b"iref" for child in self.children) and self.references:
            children.append(tables[b"iref"])
        return self.prefix + b"".join(child.encoded() for child in children)

    def _iinf(self) -> Box:
        wide = len(self.infos) > 0xFFFF
        head = struct.pack(">BBHI", 1, 0, 0, len(self.infos)) if wide else struct.pack(">IH", 0, len(self.infos))
        return Box(b"iinf", head + b"".join(info.box.encoded() for info in self.infos))

    def _iref(self) -> Box:
        wide = self.iref_version == 1 or any(max([r.source, *r.targets]) > 0xFFFF for r in self.references)
        form = ">I" if wide else ">H"
        body = b"".join(
            Box(
                r.kind,
                struct.pack(form, r.source)
                + struct.pack(">H", len(r.targets))
                + b"".join(struct.pack(form, t) for t in r.targets),
            ).encoded()
            for r in self.references
        )
        return Box(b"iref", struct.pack(">I", (1 if wide else 0) << 24) + body)

    def _iloc(self) -> Box:
        version = max(
            self.iloc_version,
            1 if any(place.method for place in self.locations) else 0,
            2 if any(place.item > 0xFFFF for place in self.locations) else 0,
        )
        offsets = [offset for place in self.locations for _i, offset, _l in place.extents]
        offset_size = _field_size(offsets) or 4
        length_size = _field_size([length for place in self.locations for _i, _o, length in place.extents]) or 4
        base_size = _field_size([place.base for place in self.locations])
        index_size = self.index_size if version else 0
        out = bytearray(struct.pack(">I", version << 24))
        out += bytes([offset_size << 4 | length_size, base_size << 4 | index_size])
        out += struct.pack(">H" if version < 2 else ">I", len(self.locations))
        for place in self.locations:
            out += struct.pack(">H" if version < 2 else ">I", place.item)
            if version:
                out += struct.pack(">H", place.method)
            out += struct.pack(">H", place.reference) + place.base.to_bytes(base_size, "big")
            out += struct.pack(">H", len(place.extents))
            for index, offset, length in place.extents:
                out += index.to_bytes(index_size, "big") + offset.to_bytes(offset_size, "big")
                out += length.to_bytes(length_size, "big")
        return Box(b"iloc", bytes(out))


def _info(item: int, kind: bytes, content_type: str) -> ItemInfo:
    """A hidden item's infe entry (version 2, or 3 for an id past 16 bits)."""
    name = b"\x00" + (content_type.encode("ascii") + b"\x00" if content_type else b"")
    head = struct.pack(">BBHH", 2, 0, 1, item) if item <= 0xFFFF else struct.pack(">BBHI", 3, 0, 1, item)
    return ItemInfo(item, kind, Box(b"infe", head + b"\x00\x00" + kind + name), content_type)


def _infos(iinf: Box) -> list[ItemInfo]:
    data = iinf.payload
    start = 6 if _uint(data, 0, 1) == 0 else 8
    infos = []
    for box in parse_boxes(data[start:]):
        payload, version = box.payload, _uint(box.payload, 0, 1)
        if box.kind != b"infe" or version < 2:
            raise CorruptMedia("an item info entry of a version before 2")
        at = 6 if version == 2 else 8
        item, kind = _uint(payload, 4, at - 4), payload[at + 2 : at + 6]
        texts = payload[at + 6 :].split(b"\x00")
        content_type = texts[1].decode("latin-1") if kind == b"mime" and len(texts) > 1 else ""
        encoding = texts[2].decode("latin-1") if kind == b"mime" and len(texts) > 2 else ""
        infos.append(ItemInfo(item, kind, box, content_type, encoding))
    if len(infos) > MAX_ITEMS:
        raise CorruptMedia(f"{len(infos)} items are beyond reason")
    return infos


def _locations(iloc: Box) -> tuple[list[Location], int, int]:
    data, version = iloc.payload, _uint(iloc.payload, 0, 1)
    if version > 2:
        raise CorruptMedia(f"item locations of version {version}")
    offset_size, length_size = data[4] >> 4, data[4] & 15
    base_size, index_size = data[5] >> 4, (data[5] & 15) if version else 0
    if {offset_size, length_size, base_size, index_size} - {0, 4, 8}:
        raise CorruptMedia("item locations with a field size other than 0, 4 or 8")
    id_size = 2 if version < 2 else 4
    count, at = _uint(data, 6, id_size), 6 + id_size
    if count > MAX_ITEMS:
        raise CorruptMedia(f"{count} item locations are beyond reason")
    places = []
    for _ in range(count):
        item = _uint(data, at, id_size)
        at += id_size
        method = _uint(data, at, 2) & 15 if version else 0
        at += 2 if version else 0
        reference, base = _uint(data, at, 2), _uint(data, at + 2, base_size)
        at += 2 + base_size
        extents, at = [], at + 2
        for _ in range(_uint(data, at - 2, 2)):
            index = _uint(data, at, index_size)
            offset = _uint(data, at + index_size, offset_size)
            length = _uint(data, at + index_size + offset_size, length_size)
            extents.append((index, offset, length))
            at += index_size + offset_size + length_size
        places.append(Location(item, method, reference, base, extents))
    return places, version, index_size


def _references(iref: Box | None) -> tuple[list[Reference], int]:
    if iref is None:
        return [], 0
    version = _uint(iref.payload, 0, 1)
    size = 2 if version == 0 else 4
    references = []
    for box in parse_boxes(iref.payload[4:]):
        count = _uint(box.payload, size, 2)
        targets = [_uint(box.payload, size + 2 + size * n, size) for n in range(count)]
        references.append(Reference(box.kind, _uint(box.payload, 0, size), targets))
    return references, version


def read_item_tables(meta_payload: bytes) -> ItemTables:
    """The item tables of a meta box's payload; CorruptMedia when they cannot be read."""
    try:
        children = parse_boxes(meta_payload[4:])
        by_kind = {child.kind: child for child in children}
        if b"iinf" not in by_kind or b"iloc" not in by_kind or b"pitm" not in by_kind:
            raise CorruptMedia("no item tables (iinf, iloc, pitm) in the meta box")
        pitm = by_kind[b"pitm"].payload
        primary = _uint(pitm, 4, 2 if _uint(pitm, 0, 1) == 0 else 4)
        locations, iloc_version, index_size = _locations(by_kind[b"iloc"])
        references, iref_version = _references(by_kind.get(b"iref"))
        infos = _infos(by_kind[b"iinf"])
    except (struct.error, IndexError) as error:
        raise CorruptMedia(f"an item table is unreadable ({error})") from error
    return ItemTables(
        meta_payload[:4], children, primary, infos, locations, references, iloc_version, index_size, iref_version
    )


def item_bytes(tables: ItemTables, item: int, reader: SourceReader, limit: int) -> bytes | None:
    """An item's bytes, from the file or the meta box's idat; None when they lie elsewhere or past `limit`."""
    place = tables.location(item)
    if place is None or place.reference != 0 or place.method not in (FILE_OFFSETS, IDAT_OFFSETS):
        return None
    spans = place.spans()
    if any(length == 0 for _o, length in spans) or sum(length for _o, length in spans) > limit:
        return None
    if place.method == IDAT_OFFSETS:
        idat = tables.idat()
        if any(offset + length > len(idat) for offset, length in spans):
            raise CorruptMedia("an item runs past the end of its idat")
        return b"".join(idat[offset : offset + length] for offset, length in spans)
    return b"".join(reader.read(length, offset, "item data") for offset, length in spans)
