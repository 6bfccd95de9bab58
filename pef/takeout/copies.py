"""The same photo in several places: album copies and identical duplicates, recognised by their bytes.

Only files of equal size are read (a folder's files first by their first bytes, 64 KB of a big one and
4 KB of a small one, then whole where those agree), and only those in the library and in albums (the
special folders stay what they are).
A file in an album is a copy of the photo whose bytes it has when their sidecars do not disagree on
the title and the time; two files of the library with the same bytes are one photo uploaded twice.
The first in key order of the library (else of the albums) is the photo itself.
"""

from __future__ import annotations

import itertools
import struct
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import attrgetter

from pef.model.keys import KeyRows
from pef.model.library import CopyKind, FolderKind
from pef.takeout.file_digests import DIGEST_SIZE, HEAD_BYTES, PEEK_BYTES, UNREAD, content_digest, head_digest
from pef.takeout.parts_source import PartsSource

ODD, LOW_64 = 0x9E3779B97F4A7C15, (1 << 64) - 1  # Fibonacci hashing: a value's slot is its product's high bits
PREFIX = f">Q{DIGEST_SIZE - 8}x"  # a digest's first 8 bytes as an int
HEAD_READERS, HEAD_BATCH = 8, 256  # heads read at once, and handed to the readers at once
EARLY_MIN = 5_000  # fewer small files of a shared size are read here sooner than they are handed elsewhere
ELSEWHERE_MIN = 1_000  # fewer small files to read whole are read here sooner than they are handed elsewhere

DigestReader = Callable[[Iterator[str], int, int | None], Callable[[], bytearray | None] | None]
"""Starts reading elsewhere the digests of the small files named (and how many): of their first bytes, as many as
the last argument says, or of all of them (None); None when it cannot. The call it returns waits for them:
DIGEST_SIZE bytes each, UNREAD for a file that could not be read; None when they were not all read."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A media file, its size and the kind of folder that holds it."""

    key: str
    size: int
    folder: FolderKind


@dataclass(frozen=True)
class Copy:
    original: str  # the key of the photo it has the same bytes as
    kind: CopyKind


class _Repeats:
    """Which values come more than once, told by two bits a slot instead of a set of a million values.

    A value takes a slot by the high bits of its product with an odd constant; two values that differ
    may share a slot (about one in thirty at this size), so what comes out is told
    apart exactly after it, and only that.
    """

    SLOTS_A_VALUE = 32

    def __init__(self, values: Iterable[int | None], count: int) -> None:
        bits = max(6, (count * self.SLOTS_A_VALUE - 1).bit_length())
        self._shift = 64 - bits
        once, again = bytearray(1 << (bits - 3)), bytearray(1 << (bits - 3))
        shift = self._shift
        for value in values:
            if value is not None:
                slot = ((value * ODD) & LOW_64) >> shift
                at, bit = slot >> 3, 1 << (slot & 7)
                if once[at] & bit:
                    again[at] |= bit
                else:
                    once[at] |= bit
        self._again = again

    def positions(self, values: Iterable[int | None]) -> Iterator[int]:
        """The positions of the values that may have come twice (every one that did, a few that did not)."""
        again, shift = self._again, self._shift
        for position, value in enumerate(values):
            if value is not None:
                slot = ((value * ODD) & LOW_64) >> shift
                if again[slot >> 3] & (1 << (slot & 7)):
                    yield position


class EarlyDigests:
    """The digests of the first PEEK_BYTES of the small files whose size may repeat (of the whole of those no
    bigger), read elsewhere while the survey matches.

    Kept by the scan's rows (the media keys are in key order: found by binary search), not by key.
    """

    def __init__(self, keys: list[str], rows: array, waiting: Callable[[], bytearray | None]) -> None:
        self._keys, self._rows = KeyRows(keys), rows  # `rows`: in order, those of `keys` read elsewhere
        self._waiting: Callable[[], bytearray | None] | None = waiting
        self._digests: bytearray | None = None
        self._last = -1  # the slot last found: the copies ask in key order, mostly for the next one

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def digests(self) -> bytearray | None:
        """DIGEST_SIZE bytes a slot (UNREAD: the file could not be read); None when they were not all read."""
        if self._waiting is not None:
            self._digests, self._waiting = self._waiting(), None
        return self._digests

    def slot_of(self, key: str) -> int | None:
        """Where the file's digest lies in `digests`, or None when it was not read elsewhere."""
        if self.digests is None:
            return None
        following = self._last + 1
        if following < len(self._rows) and self._keys.keys[self._rows[following]] == key:
            self._last = following
            return following
        if (row := self._keys.row_of(key)) is None:
            return None
        slot = bisect_left(self._rows, row)
        if slot < len(self._rows) and self._rows[slot] == row:
            self._last = slot
            return slot
        return None

    def digest(self, slot: int) -> bytes | None:
        """The digest in a slot; None for a file that could not be read."""
        digests = self.digests
        assert digests is not None  # a slot is only found when they were all read
        digest = bytes(digests[slot * DIGEST_SIZE : (slot + 1) * DIGEST_SIZE])
        return None if digest == UNREAD else digest

    def release(self) -> None:
        """The copies are found: let the digests go (a million of them: 20 MB)."""
        self._keys, self._rows, self._digests = KeyRows([]), array("I"), None


def early_digests(keys: list[str], sizes: array, reader: DigestReader | None) -> EarlyDigests | None:
    """Start reading elsewhere the small files whose size may repeat (a few more than do: read for nothing).

    Known before the matching, which the folders' kinds wait for; which of them are copies is found after it.
    `keys`: the scan's media, in key order.
    """
    if reader is None or len(keys) < EARLY_MIN:
        return None

    def small() -> Iterator[int | None]:
        return (size if 0 < size <= HEAD_BYTES else None for size in sizes)

    rows = array("I", _Repeats(small(), len(keys)).positions(small()))  # 4 bytes a row: half of "q"
    waiting = reader((keys[row] for row in rows), len(rows), PEEK_BYTES) if len(rows) >= EARLY_MIN else None
    return EarlyDigests(keys, rows, waiting) if waiting is not None else None


class _Files:
    """The files that may hold a copy, as columns: a key, a size and a folder kind each, no object a file."""

    KINDS = tuple(FolderKind)

    def __init__(self, files: Iterable[Placed]) -> None:
        self.keys: list[str] = []
        self.sizes = array("q")
        self.kinds = bytearray()
        code = {kind: number for number, kind in enumerate(self.KINDS)}
        for item in files:
            if item.size > 0 and not item.folder.special:
                self.keys.append(item.key)
                self.sizes.append(item.size)
                self.kinds.append(code[item.folder])

    def placed(self, index: int) -> Placed:
        return Placed(self.keys[index], self.sizes[index], self.KINDS[self.kinds[index]])


Group = array  # the indexes of files in `_Files`, in the order found


def _alike(
    values: Callable[[], Iterable[int | None]], exact: Callable[[int], Hashable], members: Sequence[int]
) -> list[Group]:
    """The members split by equal values, in the order given, groups of one left out.

    `values()`: each member's value as an int (None: it matches nobody), which `exact(position)` refines;
    only the members whose value may repeat are put in a dict.
    """
    repeats = _Repeats(values(), len(members))
    groups: dict[Hashable, Group] = {}
    for position in repeats.positions(values()):
        if (group := groups.get(value := exact(position))) is None:
            group = groups[value] = array("q")
        group.append(members[position])
    return [group for group in groups.values() if len(group) > 1]


def _same_size(files: _Files) -> list[Group]:
    """Groups of files of one size (in the library or in albums) that may hold a copy."""
    return _alike(lambda: files.sizes, files.sizes.__getitem__, range(len(files.keys)))


def _same_peek(groups: list[Group], files: _Files, early: EarlyDigests | None) -> list[Group]:
    """Groups of small files split by their first bytes' digests read early (most photos of one size differ there:
    only those that agree are read whole); one that could not be read early is nobody's copy."""
    if early is None or early.digests is None:
        return groups
    kept: list[Group] = []
    for group in groups:
        peeked = PEEK_BYTES < files.sizes[group[0]] <= HEAD_BYTES  # a tiny file was read whole; a big one, not early
        slots = [early.slot_of(files.keys[member]) for member in group] if peeked else []
        if not slots or None in slots:
            kept.append(group)
            continue
        kept += _sharing((member, early.digest(slot)) for member, slot in zip(group, slots, strict=True))  # type: ignore[arg-type]
    return kept


def _same_head(groups: list[Group], files: _Files, source: PartsSource) -> list[Group]:
    """The groups split by the digests of their first bytes, where that is cheaper than reading them whole.

    Only a folder's files of more than the head's size: an archive's entries are unpacked whole anyway.
    Several heads are read at once: on a cold disk each is a seek, and a drive answers a few at a time sooner.
    """
    kept: list[Group] = []
    with ThreadPoolExecutor(HEAD_READERS, thread_name_prefix="pef-heads") as readers:
        for group in groups:
            if files.sizes[group[0]] <= HEAD_BYTES or source.located([files.keys[n] for n in group]) is None:
                kept.append(group)
                continue
            kept += _sharing(_heads(readers, source, files, group))
    return kept


def _heads(
    readers: ThreadPoolExecutor, source: PartsSource, files: _Files, group: Group
) -> Iterator[tuple[int, bytes | None]]:
    for start in range(0, len(group), HEAD_BATCH):  # a batch at a time: a size may have a million files
        batch = group[start : start + HEAD_BATCH]
        yield from zip(
            batch, readers.map(head_digest, itertools.repeat(source), [files.keys[n] for n in batch]), strict=True
        )


def _sharing(digested: Iterable[tuple[int, bytes | None]]) -> list[Group]:
    """The members that share their digest with another, a group to each digest (one without a digest shares none)."""
    same: dict[bytes, Group] = {}
    for member, digest in digested:
        if digest is not None:
            same.setdefault(digest, array("q")).append(member)
    return [group for group in same.values() if len(group) > 1]


class _Digests:
    """A digest of each file asked for, in order: one read early stays where it lies, one read here is kept here."""

    def __init__(self, early: EarlyDigests | None) -> None:
        self._early, self._find = (early.digests, early.slot_of) if early is not None else (None, None)
        self._base = len(early) if early is not None and self._early is not None else 0  # 0: none read early
        self._slots = array("i")  # with digests read early: where each one lies (below `_base`: in theirs)
        self._here = bytearray()  # DIGEST_SIZE bytes a file read here
        self.unread: set[int] = set()  # the positions of files that could not be read: nobody's copies
        self._count = 0

    @property
    def read_early(self) -> bool:
        return bool(self._base)

    def reads(self, size: int) -> bool:
        """Whether a file of this size is read now: what was read early is its first bytes, all of a small one."""
        return not self._base or size > PEEK_BYTES

    def add(self, source: PartsSource, key: str, size: int, read: Iterator[bytes | None]) -> None:
        """The file's digest: read early, or the next of `read` (the digests of the files that `reads`, in order)."""
        position, self._count = self._count, self._count + 1
        now = self.reads(size)
        if not now and (slot := self._find(key)) is not None:  # type: ignore[misc]
            if self._early[slot * DIGEST_SIZE : (slot + 1) * DIGEST_SIZE] == UNREAD:  # type: ignore[index]
                self.unread.add(position)
            self._slots.append(slot)
            return
        if (digest := next(read) if now else content_digest(source, key, size)) is None:
            self.unread.add(position)
        if self._base:
            self._slots.append(self._base + len(self._here) // DIGEST_SIZE)
        self._here += digest or UNREAD

    def _place(self, position: int) -> tuple[bytes | bytearray, int]:
        if not self._base:
            return self._here, position * DIGEST_SIZE
        slot = self._slots[position]
        if slot < self._base:
            return self._early, slot * DIGEST_SIZE  # type: ignore[return-value]
        return self._here, (slot - self._base) * DIGEST_SIZE

    def exact(self, position: int) -> bytes:
        buffer, at = self._place(position)
        return bytes(buffer[at : at + DIGEST_SIZE])

    def prefixes(self) -> Iterator[int | None]:
        unread = self.unread
        if not self._base:  # every digest read here, in order: one pass over the buffer
            heads = (head for (head,) in struct.iter_unpack(PREFIX, self._here))
            return (None if position in unread else head for position, head in enumerate(heads)) if unread else heads
        return (
            None if position in unread else struct.unpack_from(PREFIX, *self._place(position))[0]
            for position in range(self._count)
        )


def find_copies(
    files: Iterable[Placed],
    source: PartsSource,
    agree: Callable[[str, str], bool],
    early: EarlyDigests | None = None,
    reader: DigestReader | None = None,
) -> dict[str, Copy]:
    """Every file that is another's copy → what it is a copy of. `agree(photo, copy)`: their sidecars do not differ.

    `early`: the first bytes' digests already read elsewhere; `reader`: reads many small files whole elsewhere.
    """
    found = _Files(files)
    groups = _same_head(_same_peek(_same_size(found), found, early), found, source)
    wanted = array("q", (member for group in groups for member in group))
    if not source.lone_folder:  # an archive's entries are read in their order in it (a stream never seeks back)
        wanted = array("q", sorted(wanted, key=lambda member: source.position(found.keys[member])))
        source.expect([found.keys[member] for member in wanted])
    digests = _Digests(early)
    files = ((found.keys[member], found.sizes[member]) for member in wanted if digests.reads(found.sizes[member]))
    read = _read_now(source, files, reader if digests.read_early else None)
    for member in wanted:
        digests.add(source, found.keys[member], found.sizes[member], read)

    copies: dict[str, Copy] = {}
    groups = [[found.placed(member) for member in group] for group in _alike(digests.prefixes, digests.exact, wanted)]
    if early is not None:
        early.release()
    for members in sorted(groups, key=lambda members: min(item.key for item in members)):
        copies.update(_copies_among(sorted(members, key=attrgetter("key")), agree))
    return copies


def _read_now(
    source: PartsSource, files: Iterator[tuple[str, int]], reader: DigestReader | None
) -> Iterator[bytes | None]:
    """The content digests of these files (key, size), in order: with a `reader`, many small ones read elsewhere;
    the rest here, one after another (an archive's in the order its stream holds them)."""
    if reader is None:
        yield from (content_digest(source, key, size) for key, size in files)
        return
    listed = list(files)  # the few whose first bytes, read early, agree with another's
    small = [key for key, size in listed if size <= HEAD_BYTES]
    waiting = reader(iter(small), len(small), None) if len(small) >= ELSEWHERE_MIN else None
    digests = waiting() if waiting is not None else None  # None: not handed over, or not all read there
    at = 0
    for key, size in listed:
        if digests is None or size > HEAD_BYTES:
            yield content_digest(source, key, size)
            continue
        digest = bytes(digests[at : at + DIGEST_SIZE])
        at += DIGEST_SIZE
        yield None if digest == UNREAD else digest


def _copies_among(members: list[Placed], agree: Callable[[str, str], bool]) -> dict[str, Copy]:
    library = [item for item in members if item.folder is FolderKind.LIBRARY]
    original = (library or members)[0].key
    found = {}
    for item in members:
        if item.key == original:
            continue
        if item.folder is FolderKind.LIBRARY:
            found[item.key] = Copy(original, CopyKind.DUPLICATE)
        elif agree(original, item.key):
            found[item.key] = Copy(original, CopyKind.ALBUM_COPY)
    return found
