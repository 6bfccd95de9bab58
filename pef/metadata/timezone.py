"""Which wall-clock time a photo's instant is written as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache, cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzfpy

from pef.model.photo import GeoPoint

AUTO = "auto"
LOCAL = "local"


class UnknownZone(ValueError):
    pass


@dataclass(frozen=True)
class WallClock:
    """A local date and time with the UTC offset that makes it one exact instant."""

    local: datetime  # naive
    offset: timedelta

    # texts kept once made: the writer and the check of what it wrote each ask for them
    @cached_property
    def exif_datetime(self) -> str:
        moment = self.local
        day = f"{moment.year:04d}:{moment.month:02d}:{moment.day:02d}"  # strftime pads no year below 1000
        return f"{day} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"

    @cached_property
    def exif_offset(self) -> str:
        return format_offset(self.offset)

    @cached_property
    def iso(self) -> str:
        return f"{self.local.isoformat(timespec='seconds')}{self.exif_offset}"

    def instant(self) -> int:
        """Unix seconds."""
        return int((self.local - self.offset).replace(tzinfo=UTC).timestamp())


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@dataclass(frozen=True)
class ZoneRule:
    """The zone setting, resolved: a fixed zone (None = this computer's), or the zone at the photo's place."""

    fixed: tzinfo | None = None
    by_place: bool = False

    def zone_at(self, geo: GeoPoint | None) -> tzinfo | None:
        if self.by_place and geo is not None:
            return zone_at_place(geo) or self.fixed
        return self.fixed


def zone_at_place(geo: GeoPoint) -> tzinfo | None:
    """The time zone in force at a place (offline lookup; open sea gives the nautical Etc/GMT±N zone)."""
    return _zone_named(tzfpy.get_tz(geo.longitude, geo.latitude))


@cache
def _zone_named(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):  # a zone newer than this machine's tz database
        return None


def resolve_zone(name: str) -> ZoneRule:
    """Raises UnknownZone for a name that is no zone."""
    if name == AUTO:
        return ZoneRule(None, by_place=True)
    if name == LOCAL:
        return ZoneRule(None)
    if name.upper() == "UTC":
        return ZoneRule(UTC)
    try:
        return ZoneRule(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownZone(f"unknown time zone {name!r} (use auto, local, UTC or an Area/City name)") from error


def zone_offset(local: datetime, zone: tzinfo | None) -> timedelta:
    """The offset of `zone` (None: this computer's) at a naive wall-clock time."""
    moment = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
    return moment.utcoffset() or timedelta(0)


def wall_clock(instant: int, zone: tzinfo | None) -> WallClock:
    local = _aware_local(instant, zone)
    return WallClock(local.replace(tzinfo=None), local.utcoffset() or timedelta(0))


def local_day(instant: int, zone: tzinfo | None) -> date:
    """The day of `wall_clock(instant, zone)`, without making it (a forecast asks a million times)."""
    return _aware_local(instant, zone).date()


def _aware_local(instant: int, zone: tzinfo | None) -> datetime:
    if zone is not None:
        return datetime.fromtimestamp(instant, zone)  # zone.fromutc of the UTC time, as astimezone does
    return datetime.fromtimestamp(instant, UTC).astimezone()
