"""Metadata → EXIF tags, written into an existing or new TIFF block without disturbing it."""

from __future__ import annotations

import math
import struct
import unicodedata
from dataclasses import dataclass

from pef.metadata.dates import CameraDate, camera_date
from pef.metadata.plan import MetadataPlan
from pef.metadata.tiff import TiffEditor, TiffError, TiffType, TiffValue
from pef.metadata.timezone import WallClock
from pef.model.outcomes import DateSource
from pef.model.photo import GeoPoint

# IFD0
IMAGE_DESCRIPTION = 0x010E
X_RESOLUTION, Y_RESOLUTION, RESOLUTION_UNIT = 0x011A, 0x011B, 0x0128
DATE_TIME = 0x0132
XP_COMMENT = 0x9C9C
YCBCR_POSITIONING = 0x0213
# Exif IFD
EXIF_VERSION = 0x9000
DATE_TIME_ORIGINAL, DATE_TIME_DIGITIZED = 0x9003, 0x9004
OFFSET_TIME, OFFSET_TIME_ORIGINAL, OFFSET_TIME_DIGITIZED = 0x9010, 0x9011, 0x9012
COMPONENTS_CONFIGURATION = 0x9101
USER_COMMENT = 0x9286
FLASHPIX_VERSION, COLOR_SPACE = 0xA000, 0xA001
PIXEL_X_DIMENSION, PIXEL_Y_DIMENSION = 0xA002, 0xA003
# GPS IFD
GPS_VERSION_ID, GPS_LATITUDE_REF, GPS_LATITUDE = 0x0000, 0x0001, 0x0002
GPS_LONGITUDE_REF, GPS_LONGITUDE, GPS_ALTITUDE_REF, GPS_ALTITUDE = 0x0003, 0x0004, 0x0005, 0x0006

MAX_JPEG_EXIF = 65533 - 6  # an APP1 segment's payload, less "Exif\0\0"


class ExifTooLarge(ValueError):
    pass


@dataclass(frozen=True)
class FreshImage:
    """Facts a brand-new EXIF block must state for a JPEG to validate."""

    width: int
    height: int


@dataclass(frozen=True)
class ExifBuild:
    block: bytes
    when: WallClock | None
    date_source: DateSource | None
    note: str = ""


SECOND_PARTS = 10_000


def _dms(value: float) -> list[tuple[int, int]]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600 * SECOND_PARTS)  # 1/10000 s of arc: about 3 mm
    common = math.gcd(seconds, SECOND_PARTS)
    return [(degrees, 1), (minutes, 1), (seconds // common, SECOND_PARTS // common)]


_PUNCTUATION = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "…": "..."}
)


def ascii_safe(text: str) -> str:
    """Text for EXIF's ASCII fields: accents dropped (é → e); what has no Latin form becomes "?"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if 32 <= ord(c) < 127 or c in "\n\r\t" else "?" for c in kept)


def _set_when(editor: TiffEditor, when: WallClock, source: DateSource) -> None:
    stamp, offset = editor.ascii(when.exif_datetime), editor.ascii(when.exif_offset)
    pairs = (
        ("ifd0", DATE_TIME, OFFSET_TIME),
        ("exif", DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL),
        ("exif", DATE_TIME_DIGITIZED, OFFSET_TIME_DIGITIZED),
    )
    for ifd, date_tag, offset_tag in pairs:
        if source is DateSource.CAMERA and editor.get_raw(ifd, date_tag) is not None:
            # the camera's own dates stay; only the offset its clock was in is added where it is missing
            if editor.get_raw("exif", offset_tag) is None:
                editor.set("exif", offset_tag, offset)
            continue
        editor.set(ifd, date_tag, stamp)
        editor.set("exif", offset_tag, offset)
    version = editor.get_raw("exif", EXIF_VERSION)
    if version is None or version[:4] < b"0231":  # OffsetTime* exist from Exif 2.31 on
        editor.set("exif", EXIF_VERSION, editor.undefined(b"0232"))


def _altitude(metres: float) -> tuple[int, int]:
    """|metres| to the millimetre, as XMP's GPSAltitude states it; to the metre above 4,294 km (a RATIONAL's reach)."""
    millimetres = round(abs(metres) * 1000)
    if millimetres > 0xFFFFFFFF:
        return round(abs(metres)), 1
    common = math.gcd(millimetres, 1000)
    return millimetres // common, 1000 // common


def _set_geo(editor: TiffEditor, geo: GeoPoint) -> None:
    editor.set("gps", GPS_VERSION_ID, editor.bytes_([2, 3, 0, 0]))
    editor.set("gps", GPS_LATITUDE_REF, editor.ascii("N" if geo.latitude >= 0 else "S"))
    editor.set("gps", GPS_LATITUDE, editor.rationals(_dms(geo.latitude)))
    editor.set("gps", GPS_LONGITUDE_REF, editor.ascii("E" if geo.longitude >= 0 else "W"))
    editor.set("gps", GPS_LONGITUDE, editor.rationals(_dms(geo.longitude)))
    if geo.altitude is None:  # a camera altitude from elsewhere would now be wrong
        editor.remove("gps", GPS_ALTITUDE_REF)
        editor.remove("gps", GPS_ALTITUDE)
    else:
        editor.set("gps", GPS_ALTITUDE_REF, editor.bytes_([0 if geo.altitude >= 0 else 1]))
        editor.set("gps", GPS_ALTITUDE, editor.rationals([_altitude(geo.altitude)]))


def _set_description(editor: TiffEditor, text: str) -> None:
    editor.set("ifd0", IMAGE_DESCRIPTION, editor.ascii(ascii_safe(text)))
    # Windows' "Comments": UCS-2 little-endian whatever the block's byte order
    xp = text.encode("utf-16-le") + b"\x00\x00"
    editor.set("ifd0", XP_COMMENT, TiffValue(TiffType.BYTE, len(xp), xp))
    if text.isascii():
        comment = b"ASCII\x00\x00\x00" + text.encode("ascii")
    else:  # readers take UNICODE comments in the block's byte order
        comment = b"UNICODE\x00" + text.encode("utf-16-le" if editor.order == "<" else "utf-16-be")
    editor.set("exif", USER_COMMENT, editor.undefined(comment))


_FRESH_JPEG_TAGS: dict[str, list[tuple[str, int, TiffValue]]] = {}  # by byte order: the same for every photo


def _set_fresh_jpeg_basics(editor: TiffEditor, image: FreshImage) -> None:
    tags = _FRESH_JPEG_TAGS.get(editor.order)
    if tags is None:
        tags = _FRESH_JPEG_TAGS[editor.order] = [
            ("ifd0", X_RESOLUTION, editor.rationals([(72, 1)])),
            ("ifd0", Y_RESOLUTION, editor.rationals([(72, 1)])),
            ("ifd0", RESOLUTION_UNIT, editor.shorts([2])),
            ("ifd0", YCBCR_POSITIONING, editor.shorts([1])),
            ("exif", EXIF_VERSION, editor.undefined(b"0232")),
            ("exif", COMPONENTS_CONFIGURATION, editor.undefined(b"\x01\x02\x03\x00")),
            ("exif", FLASHPIX_VERSION, editor.undefined(b"0100")),
            ("exif", COLOR_SPACE, editor.shorts([0xFFFF])),
        ]
    for ifd, tag, value in tags:
        editor.set(ifd, tag, value)
    editor.set("exif", PIXEL_X_DIMENSION, editor.shorts([min(image.width, 0xFFFF)]))
    editor.set("exif", PIXEL_Y_DIMENSION, editor.shorts([min(image.height, 0xFFFF)]))


def _camera(editor: TiffEditor) -> CameraDate | None:
    return camera_date(editor.get_raw("exif", DATE_TIME_ORIGINAL), editor.get_raw("exif", OFFSET_TIME_ORIGINAL))


def camera_date_in(block: bytes | None) -> CameraDate | None:
    """The camera's DateTimeOriginal (and offset) in a TIFF block, if it has a usable one."""
    if not block:
        return None
    try:
        return _camera(TiffEditor(block))
    except (TiffError, struct.error):
        return None


def build_exif(existing: bytes | None, plan: MetadataPlan, fresh: FreshImage | None = None) -> ExifBuild:
    """The new TIFF block, the date written, and a note ("" or why the old block could not be kept)."""
    note = ""
    try:
        editor = TiffEditor(existing)
    except TiffError as error:
        note = f"existing EXIF was unreadable ({error}) and was replaced"
        editor = TiffEditor(None)
        existing = None
    if existing is None and fresh is not None:
        _set_fresh_jpeg_basics(editor, fresh)
    when, source = edit_exif(editor, plan)
    return ExifBuild(editor.build(), when, source, note)


def edit_exif(editor: TiffEditor, plan: MetadataPlan) -> tuple[WallClock | None, DateSource | None]:
    """Set the plan's tags in a TIFF block; returns the date written and where it came from."""
    when, source = plan.dated(_camera(editor))
    if when is not None and source is not None:
        _set_when(editor, when, source)
    if plan.geo is not None:
        _set_geo(editor, plan.geo)
    if plan.description:
        _set_description(editor, plan.description)
    return when, source
