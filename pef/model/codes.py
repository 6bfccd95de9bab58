"""Small values stored a byte each: enum members (or None) by their place in a fixed tuple."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from pef.model.library import CopyAction, CopyKind, FolderKind, LinkKind
from pef.model.outcomes import DateSource, FileStatus, MatchKind, Reason

V = TypeVar("V", bound=Hashable)


class ByteCodes(Generic[V]):
    """`values[code]` is a value; `codes[value]` its code (a byte in a bytearray column)."""

    __slots__ = ("codes", "values")

    def __init__(self, *values: V) -> None:
        self.values = values
        self.codes = {value: code for code, value in enumerate(values)}


MATCH_KINDS: ByteCodes[MatchKind | None] = ByteCodes(None, *MatchKind)
REASONS: ByteCodes[Reason | None] = ByteCodes(None, *Reason)
FOLDER_KINDS: ByteCodes[FolderKind] = ByteCodes(*FolderKind)
COPY_KINDS: ByteCodes[CopyKind | None] = ByteCodes(None, *CopyKind)
COPY_ACTIONS: ByteCodes[CopyAction] = ByteCodes(*CopyAction)
STATUSES: ByteCodes[FileStatus | None] = ByteCodes(None, *FileStatus)  # 0: no record
DATE_SOURCES: ByteCodes[DateSource | None] = ByteCodes(None, *DateSource)
LINK_KINDS: ByteCodes[LinkKind | None] = ByteCodes(None, *LinkKind)
