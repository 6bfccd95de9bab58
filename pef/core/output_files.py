"""The engine's only way to touch the output folder: one seam where tests inject disk faults."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pef.metadata.splice import Piece, write_pieces


class OutputFiles:
    """Real file operations on the output drive."""

    def make_folder(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def create(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)

    def write(self, src_fd: int, dst_fd: int, pieces: list[Piece]) -> int:
        return write_pieces(src_fd, dst_fd, pieces)

    def close(self, fd: int) -> None:
        os.close(fd)

    def set_time(self, path: Path, nanoseconds: int) -> None:
        os.utime(path, ns=(nanoseconds, nanoseconds))

    def rename(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def free_space(self, folder: Path) -> int:
        return shutil.disk_usage(folder).free
