"""What to write into one file, and what a writer reports back having written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import StrEnum

from pef.metadata.dates import CameraDate, choose_date
from pef.metadata.splice import Piece
from pef.metadata.timezone import WallClock, ZoneRule
from pef.model.outcomes import DateSource
from pef.model.photo import GeoPoint, Metadata


@dataclass(frozen=True)
class MetadataPlan:
    """A sidecar's values for one file; `zone` is already the zone at its place when the rule says so."""

    instant: int | None
    zone: tzinfo | None
    geo: GeoPoint | None = None
    description: str = ""
    people: tuple[str, ...] = ()
    favorite: bool = False
    albums: tuple[str, ...] = ()
    camera_first: bool = False  # the instant is a guess (from the file's name): a camera's own date wins

    @classmethod
    def of(
        cls, metadata: Metadata, rule: ZoneRule, albums: tuple[str, ...] = (), camera_first: bool = False
    ) -> MetadataPlan:
        return cls(
            metadata.taken,
            rule.zone_at(metadata.geo),
            metadata.geo,
            metadata.description,
            metadata.people,
            metadata.favorited,
            albums,
            camera_first,
        )

    @property
    def has_words(self) -> bool:
        return bool(self.description or self.people or self.favorite or self.albums)

    @property
    def is_empty(self) -> bool:
        return self.instant is None and self.geo is None and not self.has_words

    def dated(self, camera: CameraDate | None = None) -> tuple[WallClock | None, DateSource | None]:
        if self.instant is None:
            return None, None
        return choose_date(self.instant, camera, self.zone, self.camera_first)


class Omitted(StrEnum):
    """A part of the plan this file's container could not take (each with a note saying why)."""

    MOVIE_DATES = "movie_dates"
    MOVIE_PLACE = "movie_place"
    APPLE_DATE = "apple_date"
    XMP = "xmp"
    IN_FILE = "in_file"  # nothing went into the file itself: only into the .xmp file beside it


@dataclass(frozen=True)
class SureXmp:
    """An XMP packet whose meaning was known as it was made: pef's own template for its shape (read back by
    the parser once), with texts XML reads as written. A file that reads back these bytes says `meaning`."""

    data: bytes = field(repr=False)
    meaning: Mapping[tuple[str, str], object]  # each property (namespace, name) and its value


@dataclass(frozen=True)
class WriteResult:
    """A writer's output: the pieces of the new file, the date it wrote, and an XMP file to put beside it."""

    pieces: list[Piece]
    when: WallClock | None
    date_source: DateSource | None
    note: str = ""
    xmp_file: bytes | None = field(default=None, repr=False)
    omitted: frozenset[Omitted] = frozenset()
    sure_xmp: SureXmp | None = field(default=None, repr=False)  # the XMP packet written, when its meaning is sure


def join_notes(*notes: str) -> str:
    """One note from the notes of a write's parts, the empty ones left out."""
    return "; ".join(note for note in notes if note)
