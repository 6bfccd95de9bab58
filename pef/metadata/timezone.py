"""Which wall-clock time a photo's instant is written as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL = "local"


class UnknownZone(ValueError):
    pass


@dataclass(frozen=True)
class WallClock:
    """A local date and time with the UTC offset that makes it one exact instant."""

    local: datetime  # naive
    offset: timedelta

    def exif_datetime(self) -> str:
        return self.local.strftime("%Y:%m:%d %H:%M:%S")

    def exif_offset(self) -> str:
        minutes = int(self.offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def resolve_zone(name: str) -> tzinfo | None:
    """None means the computer's zone; raises UnknownZone for a name that is no zone."""
    if name == LOCAL:
        return None
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownZone(f"unknown time zone {name!r} (use local, UTC or an Area/City name)") from error


def wall_clock(instant: int, zone: tzinfo | None) -> WallClock:
    moment = datetime.fromtimestamp(instant, UTC)
    local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    offset = local.utcoffset() or timedelta(0)
    return WallClock(local.replace(tzinfo=None), offset)
