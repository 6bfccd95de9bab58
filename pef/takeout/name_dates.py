"""Dates that cameras, phones and apps put into file names, for media that have no usable sidecar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from pef.model.outcomes import DecisionKind
from pef.model.records import Decision

EARLIEST_YEAR, LATEST_YEAR = 1990, 2099  # digits outside these years are a counter, not a date


@dataclass(frozen=True)
class NameDate:
    """A date read from a file name: a wall-clock time, or a UTC one (Pixel), or a day only (noon is assumed)."""

    wall: datetime  # naive
    utc: bool = False
    day_only: bool = False

    def instant(self, zone: tzinfo | None) -> int:
        """Unix seconds: the wall time in `zone` (None: this computer's zone), or as UTC for Pixel names."""
        return wall_instant(self.wall, UTC if self.utc else zone)

    def decision(self, zone: tzinfo | None) -> Decision:
        """Review's decision to write this date (`zone`: the run's; None: this computer's)."""
        return Decision(DecisionKind.FILENAME, taken=self.instant(zone))

    def words(self) -> str:
        if self.day_only:
            return f"{self.wall:%d %b %Y} (the name gives the day only: noon is written)"
        return f"{self.wall:%d %b %Y %H:%M:%S}" + (" UTC" if self.utc else "")


def wall_instant(wall: datetime, zone: tzinfo | None) -> int:
    """Unix seconds of a naive wall-clock time in `zone` (None: this computer's zone)."""
    return int((wall.replace(tzinfo=zone) if zone else wall.astimezone()).timestamp())


_D = r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})"
_T = r"(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})"
_DASHED = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_DOTTED_TIME = r"(?P<h>\d{1,2})\.(?P<mi>\d{2})\.(?P<s>\d{2})"
_SPLIT_TIME = r"(?P<h>\d{2})[-.:](?P<mi>\d{2})[-.:](?P<s>\d{2})"
_NOT_A_DIGIT = r"(?:[^0-9]|$)"
# (pattern, in UTC, day only); the first that matches and makes a real date wins
_PATTERNS: tuple[tuple[re.Pattern[str], bool, bool], ...] = (
    # Pixel: PXL_20210101_123456789, in UTC
    (re.compile(rf"^PXL_{_D}_{_T}\d{{0,3}}"), True, False),
    (re.compile(rf"^WhatsApp (?:Image|Video) {_DASHED} at {_DOTTED_TIME}"), False, False),
    # WhatsApp's own names, IMG-20190512-WA0001: the day only
    (re.compile(rf"^(?:IMG|VID|AUD|PTT|STK)-{_D}-WA\d+"), False, True),
    # Screenshot_2019-05-12-12-34-56
    (re.compile(rf"{_DASHED}[-_ ]{_SPLIT_TIME}"), False, False),
    # IMG_20190512_123456, VID_…, Samsung's 20231227_152817, Screenshot_20200301-161151
    (re.compile(rf"(?:^|[^0-9]){_D}[_-]{_T}\d{{0,3}}{_NOT_A_DIGIT}"), False, False),
)


def date_from_name(name: str) -> NameDate | None:
    """The date a file's name carries (`IMG_20190512_123456.jpg`), or None."""
    for pattern, utc, day_only in _PATTERNS:
        found = pattern.search(name)
        if found is None:
            continue
        parts = found.groupdict()
        try:
            wall = datetime(
                int(parts["y"]),
                int(parts["mo"]),
                int(parts["d"]),
                12 if day_only else int(parts["h"]),
                0 if day_only else int(parts["mi"]),
                0 if day_only else int(parts["s"]),
            )
        except ValueError:
            continue
        if EARLIEST_YEAR <= wall.year <= LATEST_YEAR:
            return NameDate(wall, utc, day_only)
    return None
