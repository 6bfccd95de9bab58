"""What the readers of archive parts have in common: an entry as listed, and the ways a part fails."""

from __future__ import annotations

from dataclasses import dataclass

from pef.takeout.source import EntryKind


class PartDamaged(Exception):
    """A part that cannot be read (further): the message says why, in words for people."""


@dataclass(frozen=True, slots=True)
class Member:
    """One entry of a part as its reader lists it; `index` is its place in the part (archive order)."""

    index: int
    name: str  # as text, as stored (not yet a key)
    size: int
    kind: EntryKind | None  # None: a folder
    mtime_ns: int
    fingerprint: int | None = None  # the CRC-32 a zip records, to tell one file from another of the same size
    problem: str = ""  # the entry could not be listed whole (its part ends inside it)
