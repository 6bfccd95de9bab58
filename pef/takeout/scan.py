"""Walk a Takeout and sort its files into media, sidecars and the rest (each with a reason)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pef.metadata.formats import SNIFF_BYTES, MediaFormat, sniff
from pef.model.keys import in_key_order
from pef.model.outcomes import Reason
from pef.takeout.member_files import DamagedEntry
from pef.takeout.naming import MEDIA_EXTENSIONS, is_sidecar_name, split_extension
from pef.takeout.source import EntryKind, SourceEntry, TakeoutSource


@dataclass(frozen=True)
class SkippedFile:
    entry: SourceEntry
    reason: Reason
    detail: str = ""


class FoundFiles:
    """Files of one kind the scan found, as two columns, a key and a size each: no object a file (a million)."""

    __slots__ = ("keys", "sizes")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.sizes = array("q")

    def add(self, key: str, size: int) -> None:
        self.keys.append(key)
        self.sizes.append(size)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[SourceEntry]:
        return map(SourceEntry, self.keys, self.sizes)

    def sort(self) -> None:
        """In key order: a folder's scan gives it, an archive's entries come as they were packed."""
        if not in_key_order(self.keys):
            order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
            self.keys, self.sizes = [self.keys[row] for row in order], array("q", (self.sizes[row] for row in order))

    def where(self, keep: Callable[[str], bool]) -> FoundFiles:
        """The files whose keys are kept, in the same order."""
        kept = FoundFiles()
        for key, size in zip(self.keys, self.sizes, strict=True):
            if keep(key):
                kept.add(key, size)
        return kept


@dataclass(frozen=True)
class TakeoutScan:
    media: FoundFiles
    sidecars: FoundFiles
    skipped: tuple[SkippedFile, ...]

    @property
    def media_bytes(self) -> int:
        return sum(self.media.sizes)


REFUSED = {
    EntryKind.UNREADABLE: Reason.READ_ERROR,
    EntryKind.UNSAFE: Reason.UNSAFE_PATH,
    EntryKind.DAMAGED: Reason.DAMAGED_PART,
    EntryKind.DUPLICATE: Reason.DUPLICATE_ENTRY,
    EntryKind.COLLISION: Reason.NAME_COLLISION,
    EntryKind.MISSING: Reason.MISSING_PART,
}


def _not_a_file(entry: SourceEntry) -> SkippedFile:
    if entry.kind is EntryKind.SYMLINK:
        return SkippedFile(entry, Reason.SYMLINK)
    if entry.kind is EntryKind.SPECIAL:
        return SkippedFile(entry, Reason.SPECIAL_FILE, "a FIFO, socket or device, not a file")
    return SkippedFile(entry, REFUSED[entry.kind], entry.problem)


SIDECAR_BATCH = 500  # sidecars told of at a time, as they are found

SidecarsFound = Callable[[list[str]], None]  # the keys of sidecars found


def scan_takeout(source: TakeoutSource, sidecars_found: SidecarsFound = lambda _sidecars: None) -> TakeoutScan:
    """`sidecars_found` is told of the sidecars a batch at a time as they are found (work can start on them)."""
    media, sidecars = FoundFiles(), FoundFiles()
    skipped: list[SkippedFile] = []
    told = 0
    for entry in source.entries():
        if entry.kind is not EntryKind.FILE:
            skipped.append(_not_a_file(entry))
            continue
        name = entry.key.rpartition("/")[2]
        lowered = name.lower()
        if lowered.endswith(".json"):
            if is_sidecar_name(name):
                sidecars.add(entry.key, entry.size)
                if len(sidecars) - told == SIDECAR_BATCH:
                    sidecars_found(sidecars.keys[told:])
                    told = len(sidecars)
            else:
                skipped.append(SkippedFile(entry, Reason.ALBUM_METADATA))
        elif split_extension(lowered)[1] in MEDIA_EXTENSIONS:
            media.add(entry.key, entry.size)
        else:
            # motion-photo videos have no extension (MVIMG_…, PXL_….MP, PXL_….MP~2): look inside
            try:
                is_media = entry.size > 0 and sniff(source.read_head(entry.key, SNIFF_BYTES)) != MediaFormat.OTHER
            except OSError as error:
                skipped.append(SkippedFile(entry, Reason.READ_ERROR, f"cannot read it: {error.strerror or error}"))
                continue
            except DamagedEntry as error:
                skipped.append(SkippedFile(entry, Reason.DAMAGED_PART, str(error)))
                continue
            if is_media:
                media.add(entry.key, entry.size)
            else:
                skipped.append(SkippedFile(entry, Reason.NOT_MEDIA))
    if told < len(sidecars):
        sidecars_found(sidecars.keys[told:])
    return TakeoutScan(media, sidecars, tuple(skipped))
