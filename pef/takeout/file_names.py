"""File names every drive can hold: NFC, no characters Windows refuses, short enough, numbered when taken."""

from __future__ import annotations

import re

from pef.state.layout import LEGACY_PARTIAL_SUFFIX
from pef.takeout.naming import nfc

XMP_SUFFIX = ".xmp"
MAX_NAME_BYTES = 255 - len(XMP_SUFFIX)  # ext4, btrfs, APFS: 255 bytes of UTF-8
MAX_NAME_UNITS = 255 - len(XMP_SUFFIX)  # NTFS, exFAT: 255 UTF-16 units
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_DEVICES = frozenset(["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)])
# Most names: ASCII letters, digits and a few signs, longer before any dot than a device's name, not
# ending in a dot or a space. Such a name is portable as it is (but for pef 0.1's suffix).
_PLAIN = re.compile(r"[\w-]{5}[\w\-. ()]*[\w\-()]", re.ASCII)


def collision_key(relative: str) -> str:
    """Two outputs with the same key would be one file on some drive."""
    return nfc(relative).casefold()


def _fits(name: str) -> bool:
    if len(name) <= MAX_NAME_BYTES // 4:  # the common case: a character takes at most 4 bytes, 2 units
        return True
    return len(name.encode("utf-8")) <= MAX_NAME_BYTES and len(name.encode("utf-16-le")) // 2 <= MAX_NAME_UNITS


def _split(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= 16:
        return stem, f".{extension}"
    return name, ""


def _cut(stem: str, tail: str) -> str:
    """stem + tail, the stem cut by whole characters until it fits every drive."""
    while len(stem) > 1 and not _fits(stem + tail):
        stem = stem[:-1]
    if not tail:  # the cut may have made a trailing space or dot the end of the name
        stem = stem.rstrip(" .") or "_"
    return stem + tail


def shortened(name: str) -> str:
    return name if _fits(name) else _cut(*_split(name))


def portable_name(name: str) -> str:
    """The name as every drive can hold it: NFC, no forbidden characters, no reserved or trailing forms."""
    return name if is_plain(name) else _made_portable(name)


def is_plain(name: str) -> bool:
    """Whether a name is portable as it is at first sight (most are: each then saves the rules below a microsecond)."""
    return len(name) <= MAX_NAME_BYTES and bool(_PLAIN.fullmatch(name)) and not name.endswith(LEGACY_PARTIAL_SUFFIX)


def _made_portable(name: str) -> str:
    name = _FORBIDDEN.sub("_", nfc(name)).rstrip(" .") or "_"
    if name.split(".", 1)[0].casefold() in _DEVICES:
        name = f"_{name}"
    if name.endswith(LEGACY_PARTIAL_SUFFIX):  # pef 0.1's half-written files: a resume would delete it
        name += "_"
    return shortened(name)


def numbered(name: str, counter: int) -> str:
    stem, extension = _split(name)
    return _cut(stem, f" (pef-{counter}){extension}")
