"""Files at paths longer than the system's PATH_MAX, reached one folder at a time from a descriptor."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def open_folder(base: Path | str, parts: Sequence[str], *, create: bool = False, follow: bool = True) -> int:
    """A descriptor of base/parts…, opened component by component (`follow=False`: never through a link)."""
    fd = os.open(base, FOLDER_FLAGS)
    try:
        for part in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o755, dir_fd=fd)
            inner = os.open(part, FOLDER_FLAGS | (0 if follow else NO_FOLLOW), dir_fd=fd)
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def too_long(error: OSError) -> bool:
    return error.errno == errno.ENAMETOOLONG


def _parent_parts(path: Path) -> tuple[str, list[str]]:
    return path.anchor or ".", list(path.parent.parts[1:] if path.anchor else path.parent.parts)


def make_folders(path: Path) -> None:
    """mkdir -p, also past PATH_MAX."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if not too_long(error):
            raise
        os.close(open_folder(path.anchor or ".", path.parts[1:] if path.anchor else path.parts, create=True))


def _via_parent(path: Path, plain: Callable[[], T], beside: Callable[[int], T]) -> T:
    """`plain()`, or when the path is past PATH_MAX, `beside(descriptor of its folder)`."""
    try:
        return plain()
    except OSError as error:
        if not too_long(error):
            raise
    base, parts = _parent_parts(path)
    folder = open_folder(base, parts)
    try:
        return beside(folder)
    finally:
        os.close(folder)


def replace(source: Path, target: Path) -> None:
    """os.replace, also when the target's path is past PATH_MAX."""
    _via_parent(target, lambda: os.replace(source, target), lambda at: os.replace(source, target.name, dst_dir_fd=at))


def stat(path: Path) -> os.stat_result:
    """os.stat without following a final link, also past PATH_MAX."""
    return _via_parent(
        path,
        lambda: os.stat(path, follow_symlinks=False),
        lambda at: os.stat(path.name, dir_fd=at, follow_symlinks=False),
    )
