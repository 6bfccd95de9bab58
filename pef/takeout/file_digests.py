"""A file's digest, of all its bytes or of its first ones: how copies are told apart, here or on worker processes."""

from __future__ import annotations

import hashlib

from pef.takeout.located import LocatedFiles
from pef.takeout.member_files import DamagedEntry
from pef.takeout.parts_source import PartsSource

CHUNK = 1 << 20
DIGEST_SIZE = 20
HEAD_BYTES = 64 << 10  # what is read first of a big file (and the most a small one holds)
PEEK_BYTES = 4 << 10  # what is read early of a small file: two photos of one size almost always differ there
UNREAD = bytes(DIGEST_SIZE)  # what a digest read elsewhere is for a file that could not be read


def content_digest(source: PartsSource | LocatedFiles, key: str, size: int) -> bytes | None:
    """A digest of every byte of a file; None when it cannot be read (it is then nobody's copy)."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
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


def head_digest(source: PartsSource | LocatedFiles, key: str, limit: int = HEAD_BYTES) -> bytes | None:
    """A digest of a file's first `limit` bytes (of all of them, from a file no bigger: its `content_digest`):
    two photos of one size almost always differ there (their EXIF dates)."""
    try:
        return hashlib.blake2b(source.read_head(key, limit), digest_size=DIGEST_SIZE).digest()
    except (OSError, DamagedEntry):
        return None
