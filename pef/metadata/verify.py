"""Read a written file back and compare what it says with what was meant to be written.

Images are read with Pillow or with the small readers of `read_back` (JPEG headers and EXIF blocks),
never with the writers' own parsers, so a writer bug cannot hide behind a reader that shares it (HEIF's
items are found by the item grammar); movies and XMP are read by code that shares nothing with their
writers but the box and packet grammar. An XMP packet pef made afresh from its template is compared byte
for byte with what was made: the template of its shape was read back by the parser when it was first
used, and its texts are ones XML reads as written (`XmpPacket.sure`), so its meaning is known; what the
disk could still change, the comparison sees (a packet merged into a file's own is parsed as before).
"""

from __future__ import annotations

import math
import os
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from pef.metadata.exif import (
    DATE_TIME_ORIGINAL,
    GPS_LATITUDE,
    GPS_LATITUDE_REF,
    GPS_LONGITUDE,
    GPS_LONGITUDE_REF,
    IMAGE_DESCRIPTION,
    OFFSET_TIME_ORIGINAL,
    ascii_safe,
)
from pef.metadata.heif import MAX_EXIF_BYTES, MAX_XMP_BYTES, read_meta, split_exif_item
from pef.metadata.heif_items import XMP_CONTENT_TYPE, item_bytes
from pef.metadata.isobmff import (
    Box,
    HeaderTimes,
    find_xmp_box,
    header_times,
    read_moov,
    timed_boxes,
    top_level_boxes,
    xmp_payload,
)
from pef.metadata.mp4 import iso6709
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult
from pef.metadata.quicktime_keys import apple_creation_date, apple_text
from pef.metadata.read_back import ExifTags, Unreadable, jpeg_metadata, read_exif
from pef.metadata.splice import CorruptMedia, SourceReader
from pef.metadata.xmp import Bag, LangAlt, XmpUnreadable, read_xmp, xmp_properties

Image.MAX_IMAGE_PIXELS = None  # nothing is decoded here; a 200-megapixel panorama is no bomb
# Pillow warns about damaged tags of the files read back; pef says what it found in its own words
warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
GPS_TOLERANCE = 1e-6  # degrees: about 10 cm
_XMP_INFO_KEYS = ("xmp", "XML:com.adobe.xmp")


def _degrees(parts: object, ref: object) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in parts)  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):  # a zero denominator
        return None
    return -value if ref in ("S", "W") else value


def _check_exif(exif: Image.Exif | ExifTags, plan: MetadataPlan, result: WriteResult) -> list[str]:
    problems = []
    details = exif.get_ifd(EXIF_IFD)
    if result.when is not None:
        if details.get(DATE_TIME_ORIGINAL) != result.when.exif_datetime:
            problems.append(f"DateTimeOriginal reads {details.get(DATE_TIME_ORIGINAL)!r}")
        if details.get(OFFSET_TIME_ORIGINAL) != result.when.exif_offset:
            problems.append(f"OffsetTimeOriginal reads {details.get(OFFSET_TIME_ORIGINAL)!r}")
    if plan.geo is not None:
        gps = exif.get_ifd(GPS_IFD)
        latitude = _degrees(gps.get(GPS_LATITUDE), gps.get(GPS_LATITUDE_REF))
        longitude = _degrees(gps.get(GPS_LONGITUDE), gps.get(GPS_LONGITUDE_REF))
        if latitude is None or abs(latitude - plan.geo.latitude) > GPS_TOLERANCE:
            problems.append(f"GPS latitude reads {latitude}")
        if longitude is None or abs(longitude - plan.geo.longitude) > GPS_TOLERANCE:
            problems.append(f"GPS longitude reads {longitude}")
    if plan.description and exif.get(IMAGE_DESCRIPTION) != ascii_safe(plan.description):
        problems.append(f"ImageDescription reads {exif.get(IMAGE_DESCRIPTION)!r}")
    return problems


def _check_xmp(packet: bytes | str | None, plan: MetadataPlan, result: WriteResult) -> list[str]:
    expected = xmp_properties(plan, result.when)
    if not expected:
        return []
    if packet is None:
        return ["no XMP packet"]
    data = packet.encode("utf-8") if isinstance(packet, str) else packet
    sure = result.sure_xmp
    if sure is not None and data == sure.data and sure.meaning == expected:  # its meaning was known as it was made
        return []
    try:
        found = read_xmp(data)
    except XmpUnreadable as error:
        return [f"the XMP packet is unreadable ({error})"]
    problems = []
    for (namespace, name), value in expected.items():
        items = found.get((namespace, name), ())
        if isinstance(value, Bag):
            missing = [item for item in value.items if item not in items]
            ok = not missing
        elif isinstance(value, LangAlt):
            ok = value.text in items
        else:
            ok = items == (value,)
        if not ok:
            problems.append(f"XMP {name} reads {list(items)!r}")
    return problems


def _check_image(path: Path, plan: MetadataPlan, result: WriteResult) -> list[str]:
    try:
        with Image.open(path) as image:
            packet = next((image.info[key] for key in _XMP_INFO_KEYS if key in image.info), None)
            return _check_exif(image.getexif(), plan, result) + _check_xmp(packet, plan, result)
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's ways of saying "not readable"
        return [f"Pillow cannot read it back ({error})"]


def _check_jpeg(path: Path, plan: MetadataPlan, result: WriteResult) -> list[str]:
    fd = os.open(path, os.O_RDONLY)
    try:
        found = jpeg_metadata(fd)
        # tags are decoded as the check asks for them: a broken one it compares is reported as a broken block is
        problems = _check_exif(read_exif(found.exif) if found.exif is not None else ExifTags(), plan, result)
    except (Unreadable, struct.error) as error:
        return [f"the JPEG cannot be read back ({error})"]
    finally:
        os.close(fd)
    return problems + _check_xmp(found.xmp, plan, result)


@dataclass
class MovieFacts:
    """What a movie file says about its time, place and XMP."""

    times: list[HeaderTimes] = field(default_factory=list)
    location: str | None = None
    apple_date: str | None = None
    xmp: bytes | None = None


def user_text(box: Box) -> str:
    """A QuickTime user-data string: 16-bit length, 16-bit language, then the text."""
    if len(box.payload) < 4:
        return ""
    length = struct.unpack_from(">H", box.payload, 0)[0]
    return box.payload[4 : 4 + length].decode("utf-8", "replace")


def read_movie_facts(reader: SourceReader, file_size: int) -> MovieFacts:
    boxes = top_level_boxes(reader, file_size)
    _header, moov = read_moov(reader, boxes)
    udta = moov.child(b"udta")
    location = udta.child(b"\xa9xyz") if udta else None
    apple = apple_creation_date(moov)
    xmp = find_xmp_box(reader, boxes)
    return MovieFacts(
        [header_times(box) for box in timed_boxes(moov)],
        user_text(location) if location else None,
        apple.text if apple else None,
        xmp_payload(reader, xmp) if xmp else None,
    )


def _check_movie(path: Path, plan: MetadataPlan, result: WriteResult) -> list[str]:
    fd = os.open(path, os.O_RDONLY)
    try:
        facts = read_movie_facts(SourceReader(fd), os.fstat(fd).st_size)
    except CorruptMedia as error:
        return [f"the movie cannot be read back ({error})"]
    finally:
        os.close(fd)
    problems = []
    if plan.instant is not None and Omitted.MOVIE_DATES not in result.omitted:
        wrong = [t for t in facts.times if (t.created, t.modified) != (plan.instant, plan.instant)]
        problems += [f"{t.kind.decode()} dates read {t.created}, {t.modified}" for t in wrong]
    if plan.geo is not None and Omitted.MOVIE_PLACE not in result.omitted:
        wanted = iso6709(plan.geo.latitude, plan.geo.longitude, plan.geo.altitude)
        if facts.location != wanted:
            problems.append(f"©xyz reads {facts.location!r}")
    apple_expected = facts.apple_date is not None and Omitted.APPLE_DATE not in result.omitted
    if apple_expected and result.when is not None and facts.apple_date != apple_text(result.when):
        problems.append(f"the QuickTime creation date reads {facts.apple_date!r}")
    if Omitted.XMP not in result.omitted:
        problems += _check_xmp(facts.xmp, plan, result)
    return problems


def _check_heif(path: Path, plan: MetadataPlan, result: WriteResult) -> list[str]:
    fd = os.open(path, os.O_RDONLY)
    try:
        reader = SourceReader(fd)
        _meta, tables = read_meta(reader, top_level_boxes(reader, os.fstat(fd).st_size))
        exif_item, xmp_item = tables.metadata_item(b"Exif"), tables.metadata_item(b"mime", XMP_CONTENT_TYPE)
        exif_data = item_bytes(tables, exif_item, reader, MAX_EXIF_BYTES) if exif_item is not None else None
        packet = item_bytes(tables, xmp_item, reader, MAX_XMP_BYTES) if xmp_item is not None else None
    except CorruptMedia as error:
        return [f"the image cannot be read back ({error})"]
    finally:
        os.close(fd)
    parts = split_exif_item(exif_data) if exif_data else None
    if parts is None:
        return ["no readable Exif item"]
    try:
        problems = _check_exif(read_exif(parts[1]), plan, result)
    except (Unreadable, struct.error) as error:
        return [f"its Exif item cannot be read back ({error})"]
    return problems + _check_xmp(packet, plan, result)


# Each check says what reads back differently from what was written (empty when all is well):
# (the written file, the plan, the writer's result, the XMP file written beside it or None).
Check = Callable[[Path, MetadataPlan, WriteResult, Path | None], list[str]]


def check_image(path: Path, plan: MetadataPlan, result: WriteResult, _xmp_file: Path | None) -> list[str]:
    return _check_image(path, plan, result)


def check_jpeg(path: Path, plan: MetadataPlan, result: WriteResult, _xmp_file: Path | None) -> list[str]:
    return _check_jpeg(path, plan, result)


def check_movie(path: Path, plan: MetadataPlan, result: WriteResult, _xmp_file: Path | None) -> list[str]:
    return _check_movie(path, plan, result)


def check_xmp_file(_path: Path, plan: MetadataPlan, result: WriteResult, xmp_file: Path | None) -> list[str]:
    return _check_xmp(xmp_file.read_bytes(), plan, result) if xmp_file is not None else []


def _in_file_or_beside(read_back: Callable[[Path, MetadataPlan, WriteResult], list[str]]) -> Check:
    """A check for a format written into, unless its writer had to put the metadata beside the file."""

    def check(path: Path, plan: MetadataPlan, result: WriteResult, xmp_file: Path | None) -> list[str]:
        if Omitted.IN_FILE in result.omitted:
            return check_xmp_file(path, plan, result, xmp_file)
        return read_back(path, plan, result)

    return check


check_heif = _in_file_or_beside(_check_heif)
check_tiff = _in_file_or_beside(_check_image)
