"""The same photo in several places: album copies and identical duplicates, recognised by their bytes.

Only files of equal size are read (a folder's files first by their first 64 KB, then whole where
those agree), and only those in the library and in albums (the special folders stay what they are).
A file in an album is a copy of the photo whose bytes it has when their sidecars do not disagree on
the title and the time; two files of the library with the same bytes are one photo uploaded twice.
The first in key order of the library (else of the albums) is the photo itself.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import attrgetter

from pef.model.library import CopyKind, FolderKind
from pef.takeout.member_files import DamagedEntry
from pef.takeout.parts_source import PartsSource

CHUNK = 1 << 20
HEAD_BYTES = 64 << 10
HEAD_READERS, HEAD_BATCH = 8, 256  # heads read at once, and handed to the readers at once


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


def content_digest(source: PartsSource, key: str, size: int) -> bytes | None:
    """A digest of every byte of a file; None when it cannot be read (it is then nobody's copy)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        if size <= HEAD_BYTES and len(data := source.read_head(key, HEAD_BYTES + 1)) <= HEAD_BYTES:
            digest.update(data)  # a small file in one read, without a stream
            return digest.digest()
        with source.open(key) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except (OSError, DamagedEntry):
        return None
    finally:
        source.release(key)
    return digest.digest()


def _same_size(files: Iterable[Placed]) -> list[list[Placed]]:
    """Groups of files of one size (in the library or in albums) that may hold a copy."""
    by_size: dict[int, list[Placed]] = defaultdict(list)
    for item in files:
        if item.size > 0 and not item.folder.special:
            by_size[item.size].append(item)
    return [group for group in by_size.values() if len(group) > 1]


def head_digest(source: PartsSource, key: str) -> bytes | None:
    """A digest of a file's first bytes: two photos of one size almost always differ there (their EXIF dates)."""
    try:
        return hashlib.blake2b(source.read_head(key, HEAD_BYTES), digest_size=20).digest()
    except (OSError, DamagedEntry):
        return None


def _same_head(groups: list[list[Placed]], source: PartsSource) -> list[list[Placed]]:
    """The groups split by the digests of their first bytes, where that is cheaper than reading them whole.

    Only a folder's files of more than the head's size: an archive's entries are unpacked whole anyway.
    Several heads are read at once: on a cold disk each is a seek, and a drive answers a few at a time sooner.
    """
    kept: list[list[Placed]] = []
    with ThreadPoolExecutor(HEAD_READERS, thread_name_prefix="pef-heads") as readers:
        for group in groups:
            if group[0].size <= HEAD_BYTES or source.located([item.key for item in group]) is None:
                kept.append(group)
                continue
            heads: dict[bytes | None, list[Placed]] = defaultdict(list)
            for start in range(0, len(group), HEAD_BATCH):  # a batch at a time: a size may have a million files
                batch = group[start : start + HEAD_BATCH]
                digests = readers.map(head_digest, itertools.repeat(source), [item.key for item in batch])
                for item, head in zip(batch, digests, strict=True):
                    heads[head].append(item)
            kept += [same for head, same in heads.items() if head is not None and len(same) > 1]
    return kept


def find_copies(files: Iterable[Placed], source: PartsSource, agree: Callable[[str, str], bool]) -> dict[str, Copy]:
    """Every file that is another's copy → what it is a copy of. `agree(photo, copy)`: their sidecars do not differ."""
    wanted = [item for group in _same_head(_same_size(files), source) for item in group]
    if not source.lone_folder:  # an archive's entries are read in their order in it (a stream never seeks back)
        wanted.sort(key=lambda item: source.position(item.key))
        source.expect([item.key for item in wanted])
    # files with the same bytes have the same size: one look-up of every digest groups them, without a sort
    first: dict[bytes, Placed] = {}
    alike: dict[bytes, list[Placed]] = {}
    for item in wanted:
        digest = content_digest(source, item.key, item.size)
        if digest is None:  # unreadable: nobody's copy
            continue
        if (photo := first.setdefault(digest, item)) is not item:
            alike.setdefault(digest, [photo]).append(item)
    copies: dict[str, Copy] = {}
    for members in sorted(alike.values(), key=lambda members: min(item.key for item in members)):
        copies.update(_copies_among(sorted(members, key=attrgetter("key")), agree))
    return copies


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
