"""Write an output as new header bytes plus ranges of the source that the kernel copies as they are."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

CHUNK = 8 * 1024 * 1024


class CorruptMedia(ValueError):
    """The file is not the format its first bytes claim; it can only be copied as it is."""


class SourceChanged(OSError):
    """The source shrank while it was being copied."""


@dataclass(frozen=True)
class SourceRange:
    offset: int
    length: int


Piece = bytes | SourceRange


def _copy_range(src_fd: int, dst_fd: int, piece: SourceRange) -> None:
    offset, left = piece.offset, piece.length
    use_kernel = hasattr(os, "copy_file_range")
    while left > 0:
        step = min(left, CHUNK)
        if use_kernel:
            try:
                copied = os.copy_file_range(src_fd, dst_fd, step, offset_src=offset)
            except OSError as error:
                if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM):
                    raise
                use_kernel = False  # e.g. across file systems on old kernels: fall back to read/write
                continue
        else:
            data = os.pread(src_fd, step, offset)
            view, copied = memoryview(data), 0
            while copied < len(data):
                copied += os.write(dst_fd, view[copied:])
        if copied == 0:
            raise SourceChanged(errno.EIO, f"source ended {left} bytes early (changed while copying)")
        offset += copied
        left -= copied


def write_pieces(src_fd: int, dst_fd: int, pieces: list[Piece]) -> int:
    """Write the pieces in order to dst_fd's current position; returns the bytes written."""
    total = 0
    for piece in pieces:
        if isinstance(piece, SourceRange):
            _copy_range(src_fd, dst_fd, piece)
            total += piece.length
        else:
            view, done = memoryview(piece), 0
            while done < len(piece):
                done += os.write(dst_fd, view[done:])
            total += len(piece)
    return total


def whole_file(size: int) -> list[Piece]:
    return [SourceRange(0, size)]


class SourceReader:
    """Reads a file's header region through one buffer: a few large reads instead of one per field."""

    WINDOW = 64 * 1024

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._start = 0
        self._buffer = b""

    def read(self, length: int, offset: int, what: str) -> bytes:
        """Exactly `length` bytes at `offset`, or CorruptMedia naming what was being read."""
        data = self.up_to(length, offset)
        if len(data) != length:
            raise CorruptMedia(f"file ends inside the {what} at byte {offset}")
        return data

    def up_to(self, length: int, offset: int) -> bytes:
        """`length` bytes at `offset`, fewer only where the file ends (the caller says what was cut short)."""
        end = offset + length
        if not (self._start <= offset and end <= self._start + len(self._buffer)):
            self._start = offset
            self._buffer = os.pread(self.fd, max(length, self.WINDOW), offset)
        return self._buffer[offset - self._start : end - self._start]

    def held(self, pieces: list[Piece]) -> list[Piece]:
        """The pieces with the ranges this reader holds already as their bytes, joined: a small file is read once,
        and written in one call."""
        out: list[Piece] = []
        for piece in pieces:
            kept = piece
            if isinstance(piece, SourceRange):
                start = piece.offset - self._start
                if start >= 0 and start + piece.length <= len(self._buffer):
                    kept = self._buffer[start : start + piece.length]
            if out and isinstance(kept, bytes) and isinstance(out[-1], bytes):
                out[-1] += kept
            else:
                out.append(kept)
        return out


def merge_ranges(pieces: list[Piece]) -> list[Piece]:
    """Join adjacent source ranges so the kernel copies them in one call."""
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if (
            isinstance(piece, SourceRange)
            and isinstance(last, SourceRange)
            and last.offset + last.length == piece.offset
        ):
            merged[-1] = SourceRange(last.offset, last.length + piece.length)
        else:
            merged.append(piece)
    return merged
