"""Room kept on the output drive so that progress can always be saved, even when the disk fills up."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from pef.state.layout import RESERVE_NAME

BYTES_PER_FILE = 1200  # about twice a file's entry in the state file
MIN_BYTES, MAX_BYTES = 64 << 10, 256 << 20


class SpaceReserve:
    def __init__(self, folder: Path, files: int) -> None:
        self.path = folder / RESERVE_NAME
        self.size = min(max(MIN_BYTES, BYTES_PER_FILE * files), MAX_BYTES)

    def hold(self) -> bool:
        """Claim the room; False when even that does not fit (the run goes on, saving may then fail)."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.posix_fallocate(fd, 0, self.size)
            finally:
                os.close(fd)
        except OSError:
            self.release()
            return False
        return True

    def release(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
