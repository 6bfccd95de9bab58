"""One archive entry as a file pef can read like any other: unpacked into a nameless file, never a whole part.

Small entries go into memory (memfd), larger ones into an unnamed file in the run's work folder on
the output drive (O_TMPFILE where the drive has it), so a kill leaves nothing behind and a full
drive fails the file as a full drive.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

IN_MEMORY = 8 * 1024 * 1024
CHUNK = 1024 * 1024


class DamagedEntry(Exception):
    """An entry whose bytes cannot be read whole from its part (a bad checksum, a cut, an unknown method)."""


def _nameless(size: int, folder: Path | None) -> int:
    if size <= IN_MEMORY and hasattr(os, "memfd_create"):
        return os.memfd_create("pef-entry", os.MFD_CLOEXEC)
    with tempfile.TemporaryFile(dir=folder if folder is not None and folder.is_dir() else None) as handle:
        return os.dup(handle.fileno())  # the file lives as long as a descriptor does


def unpack(stream: BinaryIO, size: int, mtime_ns: int, folder: Path | None) -> int:
    """Copy an entry's stream into a nameless file with the entry's time; returns its descriptor."""
    fd = _nameless(size, folder)
    try:
        written = 0
        while chunk := stream.read(CHUNK):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
            written += len(chunk)
        if written != size:
            raise DamagedEntry(f"it holds {written:,} bytes where its part says {size:,}")
        os.utime(fd, ns=(mtime_ns, mtime_ns))
        os.lseek(fd, 0, os.SEEK_SET)
        return fd
    except BaseException:
        os.close(fd)
        raise
