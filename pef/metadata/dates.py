"""A camera's own date against the sidecar's instant: keep the camera's wall-clock time when they agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from pef.metadata.timezone import WallClock, wall_clock, zone_offset
from pef.model.outcomes import DateSource

# every offset a zone has used: −12:00 … +14:00 in quarter hours (+05:45, +08:45, +12:45 are real)
REAL_OFFSETS = frozenset(timedelta(minutes=15 * quarter) for quarter in range(-12 * 4, 14 * 4 + 1))


@dataclass(frozen=True)
class CameraDate:
    """DateTimeOriginal as the camera wrote it, with OffsetTimeOriginal when it has one."""

    local: datetime  # naive
    offset: timedelta | None


def _text(raw: bytes | None) -> str:
    return (raw or b"").split(b"\x00", 1)[0].decode("ascii", "replace").strip()


def is_placeholder(moment: datetime) -> bool:
    """Dates cameras and apps write when they know none: the Unix and Mac epochs."""
    day = moment.date().isoformat()
    return day in ("1970-01-01", "1969-12-31", "1904-01-01") or moment.year < 1900


def parse_exif_datetime(raw: bytes | None) -> datetime | None:
    """An EXIF "YYYY:MM:DD HH:MM:SS", or None when absent, unreadable or a placeholder."""
    text = _text(raw)
    if len(text) < 19:
        return None
    try:
        moment = datetime.strptime(text[:19].replace("-", ":"), "%Y:%m:%d %H:%M:%S")
    except ValueError:  # "0000:00:00 00:00:00", blanks, garbage
        return None
    return None if is_placeholder(moment) else moment


def parse_exif_offset(raw: bytes | None) -> timedelta | None:
    text = _text(raw)
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":" or not (text[1:3] + text[4:6]).isdigit():
        return None
    offset = timedelta(hours=int(text[1:3]), minutes=int(text[4:6])) * (-1 if text[0] == "-" else 1)
    return offset if offset in REAL_OFFSETS else None


def camera_date(original: bytes | None, offset: bytes | None) -> CameraDate | None:
    local = parse_exif_datetime(original)
    return CameraDate(local, parse_exif_offset(offset)) if local is not None else None


def choose_date(
    instant: int, camera: CameraDate | None, zone: tzinfo | None, camera_first: bool = False
) -> tuple[WallClock, DateSource]:
    """The wall-clock time to write and where it came from (`camera_first`: the instant is only a guess)."""
    if camera is None:
        return wall_clock(instant, zone), DateSource.SIDECAR
    shift = camera.local - datetime.fromtimestamp(instant, UTC).replace(tzinfo=None)
    agrees = shift == camera.offset if camera.offset is not None else shift in REAL_OFFSETS
    if agrees:
        return WallClock(camera.local, shift), DateSource.CAMERA
    if camera_first:
        offset = camera.offset if camera.offset is not None else zone_offset(camera.local, zone)
        return WallClock(camera.local, offset), DateSource.CAMERA
    return wall_clock(instant, zone), DateSource.SIDECAR_OVER_CAMERA
