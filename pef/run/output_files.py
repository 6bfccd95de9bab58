"""The engine's only way to touch the output folder: one seam where tests inject disk faults."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from pef.metadata.splice import Piece, write_pieces
from pef.state import deep_paths

INT64 = 2**63


class OutputFiles:
    """Real file operations on the output drive."""

    def make_folder(self, path: Path) -> None:
        deep_paths.make_folders(path)

    def create(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)

    def write(self, src_fd: int, dst_fd: int, pieces: list[Piece]) -> int:
        return write_pieces(src_fd, dst_fd, pieces)

    def close(self, fd: int) -> None:
        os.close(fd)

    def set_time(self, path: Path, nanoseconds: int) -> None:
        """Access and modification time; dates beyond 1678–2262 go as whole seconds (the drive may clamp them)."""
        if -INT64 <= nanoseconds < INT64:
            os.utime(path, ns=(nanoseconds, nanoseconds))
        else:
            seconds = nanoseconds // 1_000_000_000
            try:
                os.utime(path, (seconds, seconds))
            except (OverflowError, ValueError):
                pass  # beyond what the system can even say: the file keeps the time it has; the caller notes it
            except OSError as error:
                if error.errno not in (errno.EINVAL, errno.EOVERFLOW, errno.ERANGE):
                    raise

    def time_of(self, path: Path) -> int:
        return os.stat(path).st_mtime_ns

    def rename(self, source: Path, target: Path) -> None:
        deep_paths.replace(source, target)

    def hard_link(self, target: Path, path: Path) -> None:
        os.link(target, path, follow_symlinks=False)

    def symlink(self, text: str, path: Path) -> None:
        os.symlink(text, path)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def free_space(self, folder: Path) -> int:
        return shutil.disk_usage(folder).free
