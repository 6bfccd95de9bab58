"""Read a sidecar into a Metadata value, strictly: a value or a reason, never an exception."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from pef.model.outcomes import Reason
from pef.model.photo import GeoPoint, Metadata

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
# Instants whose wall-clock time stays within the years 1 to 9999 in every zone (±1 day of margin).
EARLIEST, LATEST = -62135596800 + 86400, 253402300799 - 86400
_SECONDS = re.compile(r"-?[0-9]{1,18}")  # ASCII digits only: "1²" and "--5" are not numbers
# Lone UTF-16 halves (JSON "\ud800") and what XML 1.0 cannot hold: written as U+FFFD or left out.
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOM = b"\xef\xbb\xbf"
_ALBUM_KEYS = {"title", "description", "access", "date", "location", "enrichments", "albumData", "geoData"}
_PHOTO_KEYS = {"photoTakenTime", "creationTime", "url", "imageViews", "geoDataExif", "googlePhotosOrigin"}


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
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and not _SECONDS.fullmatch(text):
        raise _Invalid(f"{name}.timestamp {clean_text(text[:40])!r} is not a number of seconds")
    value = int(text) if text is not None else raw
    if not EARLIEST <= value <= LATEST:
        shown = str(value) if abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit number"
        raise _Invalid(f"{name}.timestamp {shown} is out of range (outside the years 1 to 9999)")
    return value or None  # 0 is Google's "unknown"


def _geo(field: object, name: str) -> GeoPoint | None:
    if field is None:
        return None
    if not isinstance(field, dict):
        raise _Invalid(f"{name} is not an object")
    latitude, longitude, altitude = (_coordinate(field.get(axis, 0.0), name, axis) for axis in _AXES)
    if latitude == 0.0 and longitude == 0.0:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _Invalid(f"{name} ({latitude}, {longitude}) is not a place on Earth")
    return GeoPoint(latitude, longitude, altitude or None)


_AXES = ("latitude", "longitude", "altitude")


def _coordinate(raw: object, name: str, axis: str) -> float:
    if raw.__class__ is not float:  # JSON's numbers are floats, mostly; an int may be too large for one
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid(f"{name}.{axis} is not a number")
        try:
            raw = float(raw)
        except OverflowError:
            raise _Invalid(f"{name}.{axis} is not a number of a sane size") from None
    if not math.isfinite(raw) or abs(raw) > 1e7:
        raise _Invalid(f"{name}.{axis} is not a number of a sane size")
    return raw


def clean_text(text: str) -> str:
    """Text that every writer can store: lone UTF-16 halves as U+FFFD, characters XML forbids left out."""
    if text.isascii() and text.isprintable():  # most text: nothing to take out
        return text
    return _NOT_XML.sub("", _SURROGATES.sub("\ufffd", text))


def _text(document: dict, key: str) -> str:
    value = document.get(key, "")
    if not isinstance(value, str):
        raise _Invalid(f"{key} is not text")
    return clean_text(value).strip()


def _people(document: dict) -> tuple[str, ...]:
    people = document.get("people", [])
    if not isinstance(people, list):
        raise _Invalid("people is not a list")
    names = [p.get("name") for p in people if isinstance(p, dict)]
    return tuple(dict.fromkeys(clean_text(n).strip() for n in names if isinstance(n, str) and clean_text(n).strip()))


def _load(data: bytes) -> dict | SidecarProblem:
    if len(data) > MAX_SIDECAR_BYTES:
        return SidecarProblem(Reason.BAD_SIDECAR, f"{len(data)} bytes is too large for a sidecar")
    try:
        # str() in C, where decode("utf-8-sig") runs its codec's Python (the error's place is the same)
        document = json.loads(str(data[3:] if data[:3] == _BOM else data, "utf-8"))
    except UnicodeDecodeError as error:
        return SidecarProblem(Reason.BAD_SIDECAR, f"not UTF-8 text ({error.reason} at byte {error.start})")
    except json.JSONDecodeError as error:
        return SidecarProblem(Reason.BAD_SIDECAR, f"not valid JSON ({error.msg} at line {error.lineno})")
    except RecursionError:
        return SidecarProblem(Reason.BAD_SIDECAR, "JSON nested too deeply")
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        return SidecarProblem(Reason.BAD_SIDECAR, f"not usable JSON ({clean_text(str(error))[:80]})")
    if not isinstance(document, dict):
        return SidecarProblem(Reason.BAD_SIDECAR, "JSON is not an object")
    return document


def _from_partner(document: dict) -> bool:
    origin = document.get("googlePhotosOrigin")
    return isinstance(origin, dict) and "fromPartnerSharing" in origin


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
            from_partner=_from_partner(document),
        )
    except _Invalid as error:
        return SidecarProblem(Reason.BAD_SIDECAR, str(error))


def sidecar_title(data: bytes) -> str | None:
    document = _load(data)
    if isinstance(document, SidecarProblem):
        return None
    title = document.get("title")
    return clean_text(title) if isinstance(title, str) else None


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
    return clean_text(title).strip() if isinstance(title, str) else ""
