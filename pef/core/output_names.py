"""Output names: every media file lands under its own relative path, unless a drive could not hold it.

A name is changed only as far as needed, and then reported: characters Windows drives refuse,
names they reserve, trailing dots and spaces, names longer than 255 bytes (less room for the `.xmp`
pef may put beside it), and names that another output, pef's own files or the `.xmp` of another
output would collide with on a case-insensitive or normalising drive (exFAT, NTFS, APFS).
"""

from __future__ import annotations

import itertools
import re

from pef.core.naming import nfc
from pef.state.layout import LEGACY_PARTIAL_SUFFIX, OWN_NAMES

XMP_SUFFIX = ".xmp"
MAX_NAME_BYTES = 255 - len(XMP_SUFFIX)  # ext4, btrfs, APFS: 255 bytes of UTF-8
MAX_NAME_UNITS = 255 - len(XMP_SUFFIX)  # NTFS, exFAT: 255 UTF-16 units
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_DEVICES = frozenset(["con", "prn", "aux", "nul"] + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)])


def collision_key(relative: str) -> str:
    """Two outputs with the same key would be one file on some drive."""
    return nfc(relative).casefold()


def _fits(name: str) -> bool:
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
    stem, extension = _split(name)
    return name if _fits(name) else _cut(stem, extension)


def portable_name(name: str) -> str:
    """The name as every drive can hold it: NFC, no forbidden characters, no reserved or trailing forms."""
    name = _FORBIDDEN.sub("_", nfc(name)).rstrip(" .") or "_"
    if name.split(".", 1)[0].casefold() in _DEVICES:
        name = f"_{name}"
    if name.endswith(LEGACY_PARTIAL_SUFFIX):  # pef 0.1's half-written files: a resume would delete it
        name += "_"
    return shortened(name)


def numbered(name: str, counter: int) -> str:
    stem, extension = _split(name)
    return _cut(stem, f" (pef-{counter}){extension}")


class OutputNamer:
    """Hands out output paths in the order asked (callers ask in sorted order: the result is stable)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {"": ""}  # source folder key → output folder
        self._taken: set[str] = {collision_key(name) for name in OWN_NAMES}

    def file(self, key: str) -> str:
        folder, _, name = key.rpartition("/")
        return self._claim(self.folder(folder), portable_name(name), with_xmp=True)

    def folder(self, key: str) -> str:
        known = self._folders.get(key)
        if known is None:
            parent, _, name = key.rpartition("/")
            known = self._folders[key] = self._claim(self.folder(parent), portable_name(name), with_xmp=False)
        return known

    def _claim(self, parent: str, name: str, with_xmp: bool) -> str:
        for candidate in itertools.chain([name], (numbered(name, counter) for counter in itertools.count(2))):
            path = f"{parent}/{candidate}" if parent else candidate
            wanted = [collision_key(path)] + ([collision_key(path + XMP_SUFFIX)] if with_xmp else [])
            if not any(key in self._taken for key in wanted):
                self._taken.update(wanted)
                return path
        raise AssertionError("unreachable: the counter always finds a free name")
