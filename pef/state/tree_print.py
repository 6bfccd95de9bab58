"""A folder tree's print: one digest of every item's path, kind, size and time, to tell cheaply that nothing changed.

Contents are never read: a file is taken as unchanged while its size and time are (as `make` and
`rsync` take it). Folders are walked through descriptors, so depth and path length do not matter.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from pathlib import Path

from pef.state.deep_paths import FOLDER_FLAGS, NO_FOLLOW


def tree_print(root: Path, leave_out: frozenset[str] = frozenset()) -> str | None:
    """The print of everything under `root` but `leave_out` (names at its top); None when part of it cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        _walk(os.open(root, FOLDER_FLAGS), b"", {os.fsencode(name) for name in leave_out}, digest)
    except (OSError, RecursionError):
        return None  # a folder that cannot be listed (or nested past reason) cannot vouch for what it holds
    return digest.hexdigest()


def _walk(fd: int, relative: bytes, leave_out: set[bytes], digest: hashlib.blake2b) -> None:
    """Add one folder (`fd`, closed here) and everything under it, names in byte order."""
    try:
        with os.scandir(fd) as listing:
            items = sorted((os.fsencode(item.name), item.stat(follow_symlinks=False)) for item in listing)
        for name, found in items:
            if not relative and name in leave_out:
                continue
            path = relative + b"/" + name if relative else name
            if stat_module.S_ISDIR(found.st_mode):
                digest.update(path + b"\0d\0")
                _walk(os.open(name, FOLDER_FLAGS | NO_FOLLOW, dir_fd=fd), path, leave_out, digest)
            else:
                kind = b"f" if stat_module.S_ISREG(found.st_mode) else b"o"
                digest.update(b"%s\0%s %d %d\0" % (path, kind, found.st_size, found.st_mtime_ns))
    finally:
        os.close(fd)
