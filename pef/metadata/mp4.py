"""MP4, MOV, M4V, 3GP: dates patched into the movie, track and media headers, the place into the
user data (©xyz), the words into an XMP box at the end. The media data is copied as it is; when
the movie header grows and sits before the media data, the chunk offsets are moved by the same amount.
"""

from __future__ import annotations

import copy
import struct

from pef.metadata.isobmff import (
    MAC_EPOCH_SHIFT,
    XMP_UUID,
    Box,
    BoxHeader,
    find_xmp_box,
    read_moov,
    timed_boxes,
    top_level_boxes,
    xmp_payload,
)
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult, join_notes
from pef.metadata.quicktime_keys import apple_creation_date
from pef.metadata.splice import CorruptMedia, Piece, SourceRange, SourceReader, merge_ranges
from pef.metadata.xmp import merge_xmp, xmp_properties
from pef.model.outcomes import DateSource

LANGUAGE_UNDETERMINED = 0x55C4  # ISO 639-2 "und", packed in three 5-bit letters
FRAGMENT_BOXES = (b"moof", b"sidx", b"mfra")  # their offsets count from places a grown moov would move


def iso6709(latitude: float, longitude: float, altitude: float | None) -> str:
    text = f"{latitude:+08.4f}{longitude:+09.4f}"  # ±DD.DDDD±DDD.DDDD
    if altitude is not None:
        text += f"{altitude:+.3f}"
    return text + "/"


def _patch_times(box: Box, instant: int) -> bool:
    """Set creation and modification time; False when the box's 32-bit fields cannot hold the instant."""
    value = instant + MAC_EPOCH_SHIFT
    payload = bytearray(box.payload)
    if payload[0] == 1 and 0 <= value <= 0xFFFFFFFFFFFFFFFF:
        struct.pack_into(">QQ", payload, 4, value, value)
    elif payload[0] != 1 and 0 <= value <= 0xFFFFFFFF:
        struct.pack_into(">II", payload, 4, value, value)
    else:
        return False
    box.payload = bytes(payload)
    return True


def _widen(box: Box) -> None:
    """Turn a version 0 header (32-bit times, from 1904 to 2040) into version 1 (64-bit)."""
    payload = box.payload
    if box.kind == b"tkhd":  # times, track id, reserved, duration
        created, modified, track, reserved, duration = struct.unpack_from(">5I", payload, 4)
        middle, rest = struct.pack(">QQIIQ", created, modified, track, reserved, _wide_duration(duration)), 24
    else:  # mvhd, mdhd: times, time scale, duration
        created, modified, scale, duration = struct.unpack_from(">4I", payload, 4)
        middle, rest = struct.pack(">QQIQ", created, modified, scale, _wide_duration(duration)), 20
    box.payload = b"\x01" + payload[1:4] + middle + payload[rest:]


def _wide_duration(duration: int) -> int:
    return 0xFFFFFFFFFFFFFFFF if duration == 0xFFFFFFFF else duration  # all ones: "unknown" in both forms


def _set_location(moov: Box, text: str) -> None:
    encoded = text.encode("ascii")
    location = Box(b"\xa9xyz", struct.pack(">HH", len(encoded), LANGUAGE_UNDETERMINED) + encoded)
    udta = moov.child(b"udta")
    if udta is None:
        udta = Box(b"udta", children=[])
        moov.children.append(udta)  # type: ignore[union-attr]
    udta.children = [c for c in udta.children or () if c.kind != b"\xa9xyz"] + [location]


def _shift_chunk_offsets(moov: Box, after: int, delta: int) -> None:
    """Chunk offsets that point past `after` move by `delta` (the media data moved)."""
    for box in moov.walk():
        if box.kind not in (b"stco", b"co64"):
            continue
        wide = box.kind == b"co64"
        if len(box.payload) < 8:
            raise CorruptMedia(f"{box.kind.decode()} box is too short")
        count = struct.unpack_from(">I", box.payload, 4)[0]
        form = f">{count}{'Q' if wide else 'I'}"
        if 8 + struct.calcsize(form) > len(box.payload):
            raise CorruptMedia(f"{box.kind.decode()} box lists more offsets than it holds")
        offsets = [o + delta if o >= after else o for o in struct.unpack_from(form, box.payload, 8)]
        if not wide and offsets and max(offsets) > 0xFFFFFFFF:
            raise OverflowError("chunk offsets would pass 4 GiB")
        box.payload = box.payload[:8] + struct.pack(form, *offsets)


def _free_header(box: BoxHeader) -> bytes:
    """The same box turned into free space: its bytes stay, readers skip them."""
    if box.header_size == 16:
        return struct.pack(">I4sQ", 1, b"free", box.size)
    return struct.pack(">I4s", box.size, b"free")


def _fitted(moov: Box, header: BoxHeader, boxes: list[BoxHeader]) -> Box:
    """The movie header with its chunk offsets moved for its new size; OverflowError if the file cannot take it."""
    delta = len(moov.encoded()) - header.size
    if delta and any(box.kind == b"mdat" and box.offset > header.offset for box in boxes):
        if any(box.kind in FRAGMENT_BOXES for box in boxes):
            raise OverflowError("a fragmented movie")
        _shift_chunk_offsets(moov, header.end, delta)
    return moov


def _date_headers(moov: Box, instant: int | None, notes: list[str], omitted: set[Omitted]) -> tuple[Box, bool]:
    """Date the movie, track and media headers; returns the movie header as it is if it cannot grow, and
    whether it must grow to hold the date (past 2040, in 64-bit headers)."""
    if instant is None:
        return copy.deepcopy(moov), False
    narrow = [box for box in timed_boxes(moov) if not _patch_times(box, instant)]
    same_size = copy.deepcopy(moov)
    if narrow and instant + MAC_EPOCH_SHIFT < 0:
        notes.append("the movie's header dates cannot hold a date before 1904; left as they were")
        omitted.add(Omitted.MOVIE_DATES)
        return same_size, False
    for box in narrow:
        _widen(box)
        _patch_times(box, instant)
    if instant < 0:
        notes.append("apps reading with exiftool take movie header dates before 1970 as 66 years later; XMP has it")
    return same_size, bool(narrow)


def movie_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    reader = SourceReader(src_fd)
    boxes = top_level_boxes(reader, file_size)
    moov_header, moov = read_moov(reader, boxes)
    notes: list[str] = []
    omitted: set[Omitted] = set()
    same_size, narrow = _date_headers(moov, plan.instant, notes, omitted)
    apple = apple_creation_date(moov)
    when, source = plan.dated(apple.camera() if apple else None)
    corrected = source is DateSource.SIDECAR_OVER_CAMERA
    if apple is not None and when is not None and corrected and not apple.rewrite(when):
        notes.append(f"the camera's creation date {apple.text!r} has an unusual form; left as it was")
        omitted.add(Omitted.APPLE_DATE)
    if plan.geo is not None:
        _set_location(moov, iso6709(plan.geo.latitude, plan.geo.longitude, plan.geo.altitude))
    try:
        moov = _fitted(moov, moov_header, boxes)
    except OverflowError as why:
        moov = same_size
        notes.append(f"the place and a corrected creation date are only in the XMP ({why} cannot take a larger header)")
        omitted |= {Omitted.MOVIE_PLACE, Omitted.APPLE_DATE}
        if narrow and Omitted.MOVIE_DATES not in omitted:
            notes.append("the movie's header dates cannot hold a date past 2040 in a header that cannot grow")
            omitted.add(Omitted.MOVIE_DATES)
    xmp_header = find_xmp_box(reader, boxes)
    existing_xmp = xmp_payload(reader, xmp_header) if xmp_header else None
    last = boxes[-1]
    # a last box "to the end of the file" gets its size written, so that the XMP box can follow it
    can_append = last.end == file_size and (not last.to_end or (last.size <= 0xFFFFFFFF and last.header_size == 8))
    pieces: list[Piece] = []
    for box in boxes:
        if box is moov_header:
            pieces.append(moov.encoded())
        elif box is xmp_header and box is last and can_append:
            continue
        elif box is xmp_header and can_append:  # nothing after it may move: it becomes free space
            pieces += [_free_header(box), SourceRange(box.offset + box.header_size, box.size - box.header_size)]
        elif box.to_end and can_append:
            pieces += [struct.pack(">I4s", box.size, box.kind), SourceRange(box.offset + 8, box.size - 8)]
        else:
            pieces.append(SourceRange(box.offset, box.size))
    sure = None
    if can_append:
        xmp = merge_xmp(existing_xmp, xmp_properties(plan, when))
        pieces.append(Box(b"uuid", xmp.data, extra=XMP_UUID).encoded())
        notes.append(xmp.note)
        sure = xmp.sure
    else:
        pieces.append(SourceRange(last.end, file_size - last.end))
        notes.append("bytes follow the last box, so no XMP was added")
        omitted.add(Omitted.XMP)
    note = join_notes(*notes)
    return WriteResult(merge_ranges(pieces), when, source, note, omitted=frozenset(omitted), sure_xmp=sure)
