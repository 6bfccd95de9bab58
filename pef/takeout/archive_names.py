"""The path inside the export of an archive entry: the same key its extracted file would have, or a refusal."""

from __future__ import annotations

import re

from pef.takeout.naming import nfc
from pef.takeout.source import readable_name

ROOT = "Takeout"  # every part of a download holds Takeout/…; the key starts below it, as a chosen Takeout folder's
_DRIVE = re.compile(r"^[A-Za-z]:")


def unflagged_name(raw: bytes) -> str:
    """A zip entry's name without the UTF-8 flag: UTF-8 when its bytes are (many tools omit the flag), else CP437."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")


def inner_key(name: str) -> tuple[str, str]:
    """(key, "") for a safe entry name; ("", why) for one that would land outside the export."""
    path = name.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path):
        return "", "an absolute path"
    pieces = [piece for piece in path.split("/") if piece not in ("", ".")]
    if ".." in pieces:
        return "", "a path that climbs out of the export (“..”)"
    if len(pieces) > 1 and pieces[0] == ROOT:
        pieces = pieces[1:]
    if not pieces:
        return "", "an empty name"
    return "/".join(nfc(readable_name(piece)) for piece in pieces), ""
