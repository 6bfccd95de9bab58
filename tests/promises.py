"""pef's promises, checked from outside: trees read through descriptors (NFD, non-UTF-8, past PATH_MAX)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import random
import stat
import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from tests.builders import jpeg_scan_data, png_image_data

OWN_FILES = {b"processing_state.json", b"pef-report.csv", b"pef.log"}


def unique_jpeg(seed: int, size: tuple[int, int] = (24, 16)) -> bytes:
    """A JPEG whose compressed image differs from every other seed's."""
    pixels = random.Random(seed).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def identity(data: bytes) -> str:
    """What stays the same when pef writes metadata: the compressed image for JPEG, else every byte."""
    with contextlib.suppress(AssertionError, IndexError, struct.error):  # no image data: every byte then
        if data.startswith(b"\xff\xd8\xff"):
            data = jpeg_scan_data(data)
        elif data.startswith(b"\x89PNG"):
            data = png_image_data(data)
    return hashlib.sha256(data).hexdigest()


def open_dir(root: bytes, parts: list[bytes], create: bool = False) -> int:
    """A descriptor of root/parts…, one folder at a time (paths longer than PATH_MAX)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for part in parts:
        if create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=fd)
        inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = inner
    return fd


def write_file(root: Path, relative: bytes, data: bytes) -> None:
    """Write root/relative whatever its length and bytes."""
    *folders, name = relative.split(b"/")
    root.mkdir(parents=True, exist_ok=True)
    fd = open_dir(os.fsencode(root), folders, create=True)
    try:
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=fd)
        os.write(out, data)
        os.close(out)
    finally:
        os.close(fd)


def files_of(root: Path, skip: bytes | None = None) -> dict[bytes, tuple[bytes, int]]:
    """Relative path (bytes) → (content, mtime) of every regular file below root (links and FIFOs left out)."""
    found: dict[bytes, tuple[bytes, int]] = {}
    base = os.fsencode(root)
    for folder, dirs, names, fd in os.fwalk(base):
        relative = os.path.relpath(folder, base)
        if skip is not None and relative.split(b"/")[0] == skip:
            dirs[:] = []
            continue
        for name in names:
            try:
                inner = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
            except OSError:
                continue
            with os.fdopen(inner, "rb") as handle:
                status = os.fstat(inner)
                if stat.S_ISREG(status.st_mode):
                    key = name if relative == b"." else relative + b"/" + name
                    found[key] = (handle.read(), status.st_mtime_ns)
    return found


def digest(root: Path, skip: bytes | None = None) -> dict[bytes, tuple[str, int]]:
    """Content and mtime of every file: proof that a tree did not change."""
    return {key: (hashlib.sha256(data).hexdigest(), mtime) for key, (data, mtime) in files_of(root, skip).items()}


def report(output: Path) -> list[dict]:
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Promises:
    """Take a picture of everything before a run; check pef's promises after it."""

    workspace: Path  # holds the source, the output and anything else pef must not touch
    source: Path
    output: Path
    media: dict[bytes, bytes] = field(default_factory=dict)  # relative source path → content

    def seal(self) -> None:
        """The picture of everything outside the output folder, taken once the trees are built."""
        self._before = digest(self.workspace, skip=os.fsencode(self.output.relative_to(self.workspace)))

    def check(self, result, exit_code: int) -> list[dict]:
        assert result.returncode == exit_code, (result.returncode, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        after = digest(self.workspace, skip=os.fsencode(self.output.relative_to(self.workspace)))
        assert after == self._before, "the source, or something else outside the output folder, changed"
        outputs = Counter(identity(data) for key, (data, _) in files_of(self.output).items() if key not in OWN_FILES)
        for key, data in self.media.items():
            assert outputs[identity(data)] == 1, f"{key!r} is in the output {outputs[identity(data)]} times"
        rows = [row for row in report(self.output) if row["kind"] == "media"]
        assert len(rows) == len(self.media), (len(rows), len(self.media))
        for row in rows:
            assert row["status"] in ("done", "unmatched", "failed"), row
            assert row["status"] == "done" or row["reason"], row
        return rows
