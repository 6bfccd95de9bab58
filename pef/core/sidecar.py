"""Read a sidecar into a Metadata value, strictly: a value or a reason, never an exception."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from pef.core.outcomes import Reason

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
_ALBUM_KEYS = {"title", "description", "access", "date", "location", "enrichments", "albumData", "geoData"}
_PHOTO_KEYS = {"photoTakenTime", "creationTime", "url", "imageViews", "geoDataExif", "googlePhotosOrigin"}


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    altitude: float | None = None


@dataclass(frozen=True)
class Metadata:
    """What a sidecar says about one photo. `taken` is the capture instant in Unix seconds (UTC)."""

    title: str
    taken: int | None
    geo: GeoPoint | None = None
    description: str = ""
    people: tuple[str, ...] = ()
    favorited: bool = False


@dataclass(frozen=True)
class SidecarProblem:
    reason: Reason
    detail: str


class _Invalid(ValueError):
    pass


def _timestamp(field: object, name: str) -> int | None:
    if field is None:
        return None
    if not isinstance(field, dict):
        raise _Invalid(f"{name} is not an object")
    raw = field.get("timestamp")
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise _Invalid(f"{name}.timestamp is missing or not a string of seconds")
    text = str(raw).strip()
    if not text.lstrip("-").isdigit():
        raise _Invalid(f"{name}.timestamp {text[:40]!r} is not a number of seconds")
    value = int(text)
    if abs(value) > 253402300799:  # beyond year 9999
        raise _Invalid(f"{name}.timestamp {value} is out of range")
    return value or None  # 0 is Google's "unknown"


def _geo(field: object, name: str) -> GeoPoint | None:
    if field is None:
        return None
    if not isinstance(field, dict):
        raise _Invalid(f"{name} is not an object")
    values = {}
    for axis in ("latitude", "longitude", "altitude"):
        raw = field.get(axis, 0.0)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise _Invalid(f"{name}.{axis} is not a number")
        values[axis] = float(raw)
    if values["latitude"] == 0.0 and values["longitude"] == 0.0:
        return None
    if not (-90 <= values["latitude"] <= 90 and -180 <= values["longitude"] <= 180):
        raise _Invalid(f"{name} ({values['latitude']}, {values['longitude']}) is not a place on Earth")
    return GeoPoint(values["latitude"], values["longitude"], values["altitude"] or None)


def _text(document: dict, key: str) -> str:
    value = document.get(key, "")
    if not isinstance(value, str):
        raise _Invalid(f"{key} is not text")
    return value.strip()


def _people(document: dict) -> tuple[str, ...]:
    people = document.get("people", [])
    if not isinstance(people, list):
        raise _Invalid("people is not a list")
    names = [p.get("name") for p in people if isinstance(p, dict)]
    return tuple(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))


def _load(data: bytes) -> dict | SidecarProblem:
    if len(data) > MAX_SIDECAR_BYTES:
        return SidecarProblem(Reason.BAD_SIDECAR, f"{len(data)} bytes is too large for a sidecar")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return SidecarProblem(Reason.BAD_SIDECAR, f"not UTF-8 text ({error.reason} at byte {error.start})")
    except json.JSONDecodeError as error:
        return SidecarProblem(Reason.BAD_SIDECAR, f"not valid JSON ({error.msg} at line {error.lineno})")
    except RecursionError:
        return SidecarProblem(Reason.BAD_SIDECAR, "JSON nested too deeply")
    if not isinstance(document, dict):
        return SidecarProblem(Reason.BAD_SIDECAR, "JSON is not an object")
    return document


def parse_sidecar(data: bytes) -> Metadata | SidecarProblem:
    document = _load(data)
    if isinstance(document, SidecarProblem):
        return document
    try:
        return Metadata(
            title=_text(document, "title"),
            taken=_timestamp(document.get("photoTakenTime"), "photoTakenTime"),
            geo=_geo(document.get("geoData"), "geoData") or _geo(document.get("geoDataExif"), "geoDataExif"),
            description=_text(document, "description"),
            people=_people(document),
            favorited=document.get("favorited") is True,
        )
    except _Invalid as error:
        return SidecarProblem(Reason.BAD_SIDECAR, str(error))


def sidecar_title(data: bytes) -> str | None:
    document = _load(data)
    if isinstance(document, SidecarProblem):
        return None
    title = document.get("title")
    return title if isinstance(title, str) else None


def is_album_file(data: bytes) -> bool:
    """An album's description (any localised name), or other export JSON that is not a photo's."""
    document = _load(data)
    if isinstance(document, SidecarProblem):
        return False
    if "albumData" in document:
        return True
    return not (document.keys() & _PHOTO_KEYS) and document.keys() <= _ALBUM_KEYS


def album_title(data: bytes) -> str | None:
    """An album file's title ("" when it has none), or None when this is no album file."""
    if not is_album_file(data):
        return None
    document = _load(data)
    assert isinstance(document, dict)
    album = document.get("albumData", document)
    title = album.get("title") if isinstance(album, dict) else None
    return title.strip() if isinstance(title, str) else ""
