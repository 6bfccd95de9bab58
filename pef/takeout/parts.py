"""Which parts make up a Takeout: a folder, the downloaded .zip/.tgz parts, or extracted `Takeout N` folders.

Google delivers a large export as `takeout-20251103T101010Z-001.zip`, `-002.zip` …; extracted one by
one they become `Takeout`, `Takeout 2` … A folder holding such parts stands for all of them; any
other folder is one extracted Takeout (or its `Google Photos` folder), as before.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

ARCHIVE_SUFFIXES = (".zip", ".tgz", ".tar.gz", ".tar")
_NUMBERED = re.compile(r"^(?P<export>.+)-(?P<number>\d{3})$")  # takeout-20251103T101010Z-001
_EXTRACTED = re.compile(r"^takeout(?:[ _-]?\(?\d+\)?)?$", re.IGNORECASE)  # Takeout, Takeout 2, Takeout (3)
_DOWNLOADED = re.compile(r"^takeout", re.IGNORECASE)


class PartKind(StrEnum):
    FOLDER = "folder"
    ZIP = "zip"
    TAR = "tar"  # .tgz, .tar.gz or .tar: read as one stream


def archive_suffix(name: str) -> str:
    """The archive suffix of a file name (".tar.gz", ".zip" …), or "" for anything else."""
    lower = name.lower()
    return next((suffix for suffix in ARCHIVE_SUFFIXES if lower.endswith(suffix)), "")


@dataclass(frozen=True)
class Part:
    path: Path
    kind: PartKind

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        """The name without its archive suffix: takeout-20251103T101010Z-001."""
        suffix = archive_suffix(self.name) if self.kind is not PartKind.FOLDER else ""
        return self.name[: len(self.name) - len(suffix)]

    @property
    def export(self) -> str:
        """The download this part belongs to (takeout-20251103T101010Z), or its own stem."""
        found = _NUMBERED.match(self.stem)
        return found["export"] if found and self.kind is not PartKind.FOLDER else self.stem

    @property
    def number(self) -> int | None:
        found = _NUMBERED.match(self.stem)
        return int(found["number"]) if found and self.kind is not PartKind.FOLDER else None


def _natural(text: str) -> list[object]:
    return [int(piece) if piece.isdigit() else piece.casefold() for piece in re.split(r"(\d+)", text)]


def _part_order(part: Part) -> tuple:
    return (part.kind is not PartKind.FOLDER, _natural(str(part.path.parent)), _natural(part.name))


@dataclass(frozen=True)
class TakeoutParts:
    """What a person chose, and the parts it stands for, in a stable order."""

    chosen: tuple[Path, ...]
    parts: tuple[Part, ...]

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(part.path for part in self.parts)

    @property
    def is_folder(self) -> bool:
        """One extracted Takeout folder, as pef has always read."""
        return len(self.parts) == 1 and self.parts[0].kind is PartKind.FOLDER

    @property
    def home(self) -> Path:
        """Where the output's default name comes from: SRC for a folder, parent/takeout-<date> for parts."""
        first = self.parts[0] if self.parts else Part(self.chosen[0], PartKind.FOLDER)
        return first.path if first.kind is PartKind.FOLDER else first.path.parent / first.export

    @property
    def label(self) -> str:
        """The source in a few words: the path chosen, or how many parts where."""
        if len(self.chosen) == 1:
            return str(self.chosen[0])
        folders = {str(path.parent) for path in self.chosen}
        where = f" in {folders.pop()}" if len(folders) == 1 else ""
        return f"{len(self.chosen)} items{where}"

    def missing(self) -> list[str]:
        """Names of numbered parts that are not here while a later one is (…-001.zip, …-003.zip: -002 is missing)."""
        if any(part.kind is PartKind.FOLDER for part in self.parts):
            return []  # an extracted part may stand for any number: no gap can be told
        numbers: dict[tuple[Path, str], dict[int, str]] = defaultdict(dict)
        for part in self.parts:
            if part.number is not None:
                numbers[(part.path.parent, part.export)][part.number] = archive_suffix(part.name)
        gaps = []
        for (_folder, export), found in sorted(numbers.items()):
            suffix = found[min(found)]  # a download comes in one kind: name the missing ones as the first
            gaps += [f"{export}-{n:03d}{suffix}" for n in range(1, max(found)) if n not in found]
        return gaps


def parts_inside(folder: Path) -> list[Part]:
    """The Takeout parts a folder holds: downloaded `takeout-…` archives and extracted `Takeout N` folders."""
    try:
        children = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for child in children:
        try:
            if child.is_dir(follow_symlinks=False) and _EXTRACTED.match(child.name):
                found.append(Part(Path(child.path), PartKind.FOLDER))
            elif child.is_file(follow_symlinks=False) and _DOWNLOADED.match(child.name):
                found += [Part(Path(child.path), kind) for kind in [_archive_kind(child.name)] if kind]
        except OSError:
            continue
    return found


def _archive_kind(name: str) -> PartKind | None:
    suffix = archive_suffix(name)
    if not suffix:
        return None
    return PartKind.ZIP if suffix == ".zip" else PartKind.TAR


def find_parts(chosen: Iterable[Path]) -> TakeoutParts:
    """The parts of what was chosen: each folder of parts, archive or Takeout folder, once."""
    paths = tuple(dict.fromkeys(Path(path).expanduser().resolve() for path in chosen))
    parts: dict[Path, Part] = {}
    for path in paths:
        if path.is_dir():
            inside = parts_inside(path)
            for part in inside or [Part(path, PartKind.FOLDER)]:
                parts.setdefault(part.path, part)
        elif kind := _archive_kind(path.name):
            parts.setdefault(path, Part(path, kind))
    return TakeoutParts(paths, tuple(sorted(parts.values(), key=_part_order)))


def chosen_problem(path: Path) -> str | None:
    """Why one chosen path cannot be (part of) a Takeout, or None."""
    if path.is_dir():
        return None if os.access(path, os.R_OK | os.X_OK) else f"pef is not allowed to read the folder {path}."
    if path.is_file():
        if not _archive_kind(path.name):
            return f"{path} is a file, not a folder or a .zip/.tgz part: choose the Takeout folder that holds it."
        return None if os.access(path, os.R_OK) else f"pef is not allowed to read {path}."
    return f"There is no folder or file at {path}."
