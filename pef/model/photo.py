"""What is known about one photo: when it was taken, where, and the words about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float
    altitude: float | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a sidecar says about one photo. `taken` is the capture instant in Unix seconds (UTC)."""

    title: str
    taken: int | None
    geo: GeoPoint | None = None
    description: str = ""
    people: tuple[str, ...] = ()
    favorited: bool = False
    from_partner: bool = False  # shared by a partner account (googlePhotosOrigin.fromPartnerSharing)
