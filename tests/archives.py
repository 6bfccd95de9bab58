"""Takeout downloads for tests: a Takeout folder packed into numbered .zip or .tgz parts as Google packs
them (every entry under `Takeout/`), pairs split across parts, and unpacked again with `unzip` and `tar`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

EXPORT = "takeout-20251103T101010Z"


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def _spread(root: Path, count: int) -> list[list[Path]]:
    """Files dealt to `count` parts in turn: a media file and its sidecar (next to it by name) land apart."""
    parts: list[list[Path]] = [[] for _ in range(count)]
    for index, path in enumerate(_files(root)):
        parts[index % count].append(path)
    return parts


def _packed(root: Path, folder: Path, count: int, suffix: str, add: Callable[[Path, list[Path]], None]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number, paths in enumerate(_spread(root, count), start=1):
        made.append(folder / f"{EXPORT}-{number:03d}{suffix}")
        add(made[-1], paths)
    return made


def zip_parts(root: Path, folder: Path, count: int = 3, method: int = zipfile.ZIP_DEFLATED) -> list[Path]:
    """The Takeout folder `root` as takeout-…-001.zip …; each file keeps its time (even seconds: DOS time)."""

    def add(target: Path, paths: list[Path]) -> None:
        with zipfile.ZipFile(target, "w", method) as archive:
            for path in paths:
                info = zipfile.ZipInfo(f"Takeout/{path.relative_to(root)}", time.localtime(path.stat().st_mtime)[:6])
                info.compress_type = method
                archive.writestr(info, path.read_bytes())

    return _packed(root, folder, count, ".zip", add)


def tgz_parts(root: Path, folder: Path, count: int = 2, form: int = tarfile.PAX_FORMAT) -> list[Path]:
    def add(target: Path, paths: list[Path]) -> None:
        with tarfile.open(target, "w:gz", format=form) as archive:
            for path in paths:
                archive.add(path, f"Takeout/{path.relative_to(root)}")

    return _packed(root, folder, count, ".tgz", add)


def even_times(root: Path) -> None:
    """File times a zip can hold (DOS time: even seconds), so a folder and its zip agree."""
    for path in _files(root):
        seconds = int(path.stat().st_mtime) // 2 * 2
        os.utime(path, (seconds, seconds))


def unpack_parts(parts: list[Path], folder: Path) -> list[Path]:
    """Each part unpacked by the system's own tools into its own folder, as a person would: Takeout, Takeout 2 …"""
    made = []
    for number, part in enumerate(parts, start=1):
        into = folder / f"part{number}"
        into.mkdir(parents=True)
        if part.name.endswith(".zip"):
            subprocess.run(["unzip", "-q", str(part), "-d", str(into)], check=True)
        else:
            subprocess.run(["tar", "-xzf", str(part), "-C", str(into)], check=True)
        target = folder / ("Takeout" if number == 1 else f"Takeout {number}")
        shutil.move(into / "Takeout", target)
        into.rmdir()
        made.append(target)
    return made
