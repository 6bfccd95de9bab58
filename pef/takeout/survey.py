"""What a Takeout holds and what a run will do with it: scan → match → plan, writing nothing."""

from __future__ import annotations

import contextlib
import gc
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import groupby
from typing import TypeVar

from pef.model.events import ScanFinished
from pef.model.library import FolderKind
from pef.model.outcomes import DecisionKind, MatchKind, Reason
from pef.model.photo import Metadata
from pef.model.records import Decision, FileTask, RunSettings
from pef.model.task_table import TaskTable
from pef.takeout.copies import DigestReader, Placed, early_digests, find_copies
from pef.takeout.destinations import Library, plan_tasks
from pef.takeout.folder_kinds import folder_kind
from pef.takeout.located import LocatedFiles
from pef.takeout.matching import match_sidecars
from pef.takeout.member_files import DamagedEntry
from pef.takeout.parts import Part, PartKind
from pef.takeout.parts_source import PartsSource
from pef.takeout.scan import FoundFiles, SidecarsFound, SkippedFile, TakeoutScan, scan_takeout
from pef.takeout.sidecar import MAX_SIDECAR_BYTES, SidecarProblem, album_title, parse_sidecar, sidecar_title
from pef.takeout.source import SourceEntry

T = TypeVar("T")


@dataclass(frozen=True)
class PartCounts:
    """How many media files and sidecars each part held: what is kept of the scan, not its entries."""

    media: Counter[Part | None]
    sidecars: Counter[Part | None]

    @classmethod
    def of(cls, source: PartsSource, scan: TakeoutScan) -> PartCounts:
        return cls(_per_part(source, scan.media.keys), _per_part(source, scan.sidecars.keys))

    @property
    def media_in_folders(self) -> int:
        """The media files that lie in folders, not in archives: the ones a worker process can read."""
        return sum(count for part, count in self.media.items() if part is not None and part.kind is PartKind.FOLDER)


def _per_part(source: PartsSource, keys: list[str]) -> Counter[Part | None]:
    if len(source.parts.parts) == 1:  # the common case, and a million lookups saved
        return Counter({source.parts.parts[0]: len(keys)})
    return Counter(source.part_of(key) for key in keys)


@dataclass(frozen=True)
class Survey:
    source: PartsSource  # the one source of the run: it knows where every file lies (name on disk, part)
    found_in: PartCounts
    tasks: TaskTable
    orphans: dict[str, tuple[Reason, str]]  # sidecar → (no_media | bad_sidecar, detail)
    skipped: tuple[SkippedFile, ...]
    problems: tuple[tuple[str, str], ...] = ()  # (key, traceback) of files whose reading met a bug in pef
    library: Library = field(default_factory=Library)  # folder kinds, album names, copies

    @property
    def total_bytes(self) -> int:
        return self.tasks.total_bytes

    @property
    def found(self) -> ScanFinished:
        """What the scan found, as told before the run: media files, sidecars, bytes of media."""
        return ScanFinished(len(self.tasks), self.found_in.sidecars.total(), self.total_bytes)

    def decided(self, decisions: dict[str, Decision]) -> Survey:
        """The survey with the person's Review decisions applied: a chosen sidecar is no orphan any more."""
        if not decisions:
            return self
        tasks = TaskTable(_decide(task, decisions.get(task.key)) for task in self.tasks)
        chosen = {t.sidecar for t in tasks if t.decision and t.decision.kind is DecisionKind.SIDECAR and t.sidecar}
        orphans = {key: why for key, why in self.orphans.items() if key not in chosen}
        return replace(self, tasks=tasks, orphans=orphans)

    def used_sidecars(self) -> Iterator[str]:
        """The sidecars the media files use, each once, in order (a list of the tasks' keys, not a set of a million)."""
        return (key for key, _ in groupby(sorted(task.sidecar for task in self.tasks if task.sidecar)))

    def skipped_counts(self) -> Counter:
        return Counter(item.reason.value for item in self.skipped)

    def orphan_counts(self) -> Counter:
        return Counter(reason.value for reason, _ in self.orphans.values())


def _decide(task: FileTask, decision: Decision | None) -> FileTask:
    if decision is None:
        return task
    if decision.kind is DecisionKind.SIDECAR:
        return task._replace(sidecar=decision.sidecar, match=MatchKind.CHOSEN, reason=None, decision=decision)
    return task._replace(decision=decision)


def read_small(source: PartsSource | LocatedFiles, key: str) -> bytes | None:
    try:
        return source.read_head(key, MAX_SIDECAR_BYTES + 1)
    except (OSError, DamagedEntry):
        return None


def _orphan(source: PartsSource, key: str) -> tuple[Reason, str] | None:
    """Why a sidecar no media file uses is an orphan; None when it is an album file after all."""
    data = read_small(source, key)
    if data is None:
        return Reason.BAD_SIDECAR, "cannot read it"
    if album_title(data) is not None:
        return None
    if isinstance(problem := parse_sidecar(data), SidecarProblem):
        return Reason.BAD_SIDECAR, problem.detail
    return Reason.NO_MEDIA, "no media file in its folder has this name"


class _Guard:
    """A bug met while reading one file of the export costs that file, never the run; its traceback is kept."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []  # (key, traceback)

    def __call__(self, what: Callable[[], T], key: str, fallback: T) -> T:
        try:
            return what()
        except Exception:
            self.problems.append((key, traceback.format_exc()))
            return fallback


UNREADABLE_ORPHAN = (Reason.INTERNAL_ERROR, "pef could not read it (an error in pef; pef.log has the details)")


@contextlib.contextmanager
def _collector_held() -> Iterator[None]:
    """The cycle collector off while a survey builds its objects (a few per file, none in a cycle).

    Left on, it rescans everything built so far again and again: 40 % of a survey of 100,000 files.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def survey_takeout(
    source: PartsSource,
    settings: RunSettings,
    scanned: Callable[[PartCounts], None] = lambda _found: None,
    sidecars_found: SidecarsFound = lambda _sidecars: None,
    read_digests: DigestReader | None = None,
) -> Survey:
    """`scanned` is told what the scan found, and `sidecars_found` of its sidecars as it finds them, before
    the matching and the plan: work can start beside them (a run's workers, a forecast's reading). So can
    the reading of the small files that may be copies, by `read_digests`."""
    with _collector_held():
        return _survey(source, settings, scanned, sidecars_found, read_digests)


def _survey(
    source: PartsSource,
    settings: RunSettings,
    scanned: Callable[[PartCounts], None],
    sidecars_found: SidecarsFound,
    read_digests: DigestReader | None,
) -> Survey:
    scan = scan_takeout(source, sidecars_found)
    scan.media.sort()  # the matches come in key order: the files' sizes then go with them
    counts = PartCounts.of(source, scan)
    scanned(counts)
    early = early_digests(scan.media.keys, scan.media.sizes, read_digests)
    guarded = _Guard()

    @cache
    def title_of(key: str) -> str | None:
        data = read_small(source, key)
        return guarded(lambda: sidecar_title(data), key, None) if data is not None else None

    matches = match_sidecars(scan.media.keys, scan.sidecars.keys, title_of, settings.suffixes)
    skipped = list(scan.skipped)
    orphans: dict[str, tuple[Reason, str]] = {}
    entries = _entries(scan.sidecars, set(matches.orphans))
    for key in matches.orphans:
        orphan = guarded(lambda key=key: _orphan(source, key), key, UNREADABLE_ORPHAN)
        if orphan is None:
            skipped.append(SkippedFile(entries[key], Reason.ALBUM_METADATA))
        else:
            orphans[key] = orphan
    albums = album_names(source, skipped, guarded)
    kinds = {folder: folder_kind(folder.rpartition("/")[2], folder in albums) for folder in _folders(scan.media.keys)}
    library = Library(kinds, albums)  # the copies come once the media left are known
    media = scan.media
    if settings.skip_trash:
        trashed = [e for e in media if library.kind(e.key) is FolderKind.TRASH]
        kept = lambda key: library.kind(key) is not FolderKind.TRASH  # noqa: E731
        media, left = media.where(kept), matches.where(kept)
        skipped += [SkippedFile(e, Reason.TRASHED) for e in trashed]
        sidecars = {matches.of(e.key).sidecar for e in trashed} - set(map(left.sidecar, range(len(left.keys))))
        matches = left
        entries = _entries(scan.sidecars, sidecars)
        skipped += [SkippedFile(entries[key], Reason.TRASHED) for key in sorted(k for k in sidecars if k)]
    del scan  # the sidecars' key list and size array, no longer needed before the copies and the plan (the peak)

    @cache
    def metadata_of(key: str) -> Metadata | None:
        sidecar = matches.of(key).sidecar
        data = read_small(source, sidecar) if sidecar else None
        parsed = guarded(lambda: parse_sidecar(data), key, None) if data is not None else None
        return parsed if isinstance(parsed, Metadata) else None

    def agree(photo: str, copy: str) -> bool:
        """Their sidecars do not say different things (a copy without a usable one is taken by its bytes)."""
        one, other = metadata_of(photo), metadata_of(copy)
        return one is None or other is None or (one.title, one.taken) == (other.title, other.taken)

    placed = (Placed(key, size, library.kind(key)) for key, size in zip(media.keys, media.sizes, strict=True))
    library = replace(library, copies=find_copies(placed, source, agree, early, read_digests))
    tasks = plan_tasks(media, matches, library, settings)
    return Survey(source, counts, tasks, orphans, tuple(skipped), tuple(guarded.problems), library)


def _entries(found: FoundFiles, keys: set[str | None]) -> dict[str, SourceEntry]:
    """The entries of these keys (a few: a dict of every sidecar would be a million entries)."""
    return {key: SourceEntry(key, size) for key, size in zip(found.keys, found.sizes, strict=True) if key in keys}


def _folders(keys: list[str]) -> set[str]:
    return {key.rpartition("/")[0] for key in keys if "/" in key}


def album_names(source: PartsSource, skipped: list[SkippedFile], guarded: _Guard) -> dict[str, str]:
    """Album folder → album name: the title in its album file, else the folder's own name."""
    names = {}
    for item in skipped:
        if item.reason is not Reason.ALBUM_METADATA or "/" not in item.entry.key:
            continue
        data = read_small(source, item.entry.key)
        title = guarded(lambda data=data: album_title(data), item.entry.key, None) if data is not None else None
        if title is not None:
            folder = item.entry.key.rsplit("/", 1)[0]
            names[folder] = title or folder.rsplit("/", 1)[-1]
    return names
