"""Apple's QuickTime metadata keys (moov/meta: keys + ilst): the camera's own wall-clock creation date.

iPhones store the local time with its offset there ("2021-04-11T15:47:53-0500"), and photo managers
prefer it to the movie header's UTC time, so a corrected date must reach it too.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime

from pef.metadata.dates import REAL_OFFSETS, CameraDate
from pef.metadata.isobmff import Box, parse_boxes
from pef.metadata.splice import CorruptMedia
from pef.metadata.timezone import WallClock

CREATION_KEY = b"com.apple.quicktime.creationdate"
APPLE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass
class AppleDate:
    """The creation date item, ready to be rewritten in place."""

    meta: Box  # moov/meta, whose payload is rebuilt on write
    prefix: bytes  # version and flags when meta is an ISO full box, else b""
    children: list[Box]
    value: Box  # the 'data' box holding the text
    text: str

    def camera(self) -> CameraDate | None:
        try:
            moment = datetime.strptime(self.text, APPLE_FORMAT)
        except ValueError:
            return None
        offset = moment.utcoffset()
        if offset not in REAL_OFFSETS:
            return None
        return CameraDate(moment.replace(tzinfo=None), offset)

    def rewrite(self, when: WallClock) -> bool:
        """Put `when` in, in Apple's form; False when it would not take the same room."""
        text = apple_text(when)
        if len(text) != len(self.text):
            return False
        self.value.payload = self.value.payload[:8] + text.encode("ascii")
        self.text = text
        self.meta.payload = self.prefix + b"".join(child.encoded() for child in self.children)
        return True


def apple_text(when: WallClock) -> str:
    """Apple's form of a wall-clock time: 2021-04-11T15:47:53-0500."""
    return when.local.isoformat(timespec="seconds") + when.exif_offset.replace(":", "")


def apple_creation_date(moov: Box) -> AppleDate | None:
    udta = moov.child(b"udta")
    meta = moov.child(b"meta") or (udta.child(b"meta") if udta else None)  # iPhones: moov; ffmpeg: udta
    if meta is None or len(meta.payload) < 12:
        return None
    prefix = b"" if meta.payload[4:8] == b"hdlr" else meta.payload[:4]  # QuickTime's meta has no version
    try:
        children = parse_boxes(meta.payload[len(prefix) :])
        keys = next((c for c in children if c.kind == b"keys"), None)
        items = next((c for c in children if c.kind == b"ilst"), None)
        index = _key_index(keys.payload, CREATION_KEY) if keys and items else None
        if items is None or index is None:
            return None
        item_boxes = parse_boxes(items.payload)
        item = next((c for c in item_boxes if c.kind == struct.pack(">I", index)), None)
        parts = parse_boxes(item.payload) if item else []
    except (CorruptMedia, struct.error):
        return None
    value = next((c for c in parts if c.kind == b"data"), None)
    if item is None or value is None or len(value.payload) < 9:
        return None
    # from now on these boxes are written from their parts, so that a rewrite reaches meta's payload
    item.children, item.payload = parts, b""
    items.children, items.payload = item_boxes, b""
    return AppleDate(meta, prefix, children, value, value.payload[8:].decode("utf-8", "replace").strip("\x00"))


def _key_index(payload: bytes, wanted: bytes) -> int | None:
    count = struct.unpack_from(">I", payload, 4)[0]
    at = 8
    for index in range(1, count + 1):
        size = struct.unpack_from(">I", payload, at)[0]
        if size < 8:
            return None
        if payload[at + 8 : at + size] == wanted:
            return index
        at += size
    return None
