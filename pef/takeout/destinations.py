"""Where each media file goes: the layout's folders, its own name unless a drive could not hold it; its sidecar.

A name is changed only as far as needed, and then reported: characters Windows drives refuse,
names they reserve, trailing dots and spaces, names longer than 255 bytes (less room for the `.xmp`
pef may put beside it), and names that another output, pef's own files or the `.xmp` of another
output would collide with on a case-insensitive or normalising drive (exFAT, NTFS, APFS).

In a layout by date the folders below a root are the date written, known only once the file is
written: so names are unique across a whole root, and no two files ever meet in any date folder.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pef.model.codes import MATCH_KINDS, REASONS
from pef.model.library import (
    ALBUMS_FOLDER,
    PARTNER_FOLDER,
    TOP_FOLDERS,
    UNDATED_FOLDER,
    AlbumMode,
    CopyAction,
    CopyKind,
    DuplicateMode,
    FolderKind,
    Layout,
)
from pef.model.outcomes import MatchKind, Reason
from pef.model.records import FileTask, RunSettings
from pef.model.task_table import TaskTable
from pef.state.layout import OWN_NAMES
from pef.takeout.copies import Copy
from pef.takeout.file_names import XMP_SUFFIX, collision_key, numbered, portable_name
from pef.takeout.matching import MatchResult
from pef.takeout.scan import FoundFiles

RESERVED = (*TOP_FOLDERS.values(), PARTNER_FOLDER, ALBUMS_FOLDER, UNDATED_FOLDER)


class TakenNames:
    """The names taken in one output folder, as collision keys; a file's name takes its `.xmp` name too.

    One key a file, not two; kept while the plan fills the folder (below a dated root: to the end).
    """

    __slots__ = ("_bare", "_keys")

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._bare: set[str] = set()  # taken without their `.xmp` (folders, pef's own names): few

    def holds(self, key: str) -> bool:
        if key in self._keys:
            return True
        base = key[: -len(XMP_SUFFIX)] if key.endswith(XMP_SUFFIX) else ""
        return bool(base) and base in self._keys and base not in self._bare

    def take(self, key: str, with_xmp: bool) -> bool:
        """Take `key` (and its `.xmp` name) unless either is taken; whether it was free."""
        # holds(key + ".xmp") asks again whether `key` is taken: only its own name is left to look up
        if self.holds(key) or (with_xmp and key + XMP_SUFFIX in self._keys):
            return False
        self._keys.add(key)
        if not with_xmp:
            self._bare.add(key)
        return True


class OutputNamer:
    """Hands out output paths in key order (the result is stable), keeping a folder's names while it is filled."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {"": ""}  # source folder key → output folder
        # output folder's collision key → the names taken in it (a path's key is its folder's, "/", its name's)
        self._taken: dict[str, TakenNames] = defaultdict(TakenNames)
        for name in (*OWN_NAMES, *RESERVED):
            self._taken[""].take(collision_key(name), with_xmp=False)
        self._roots: dict[str, TakenNames] = defaultdict(TakenNames)  # names taken below each root of a layout by date
        self._shared = {""}  # output folders several source folders fill (the top, the placed ones): kept to the end
        self._open: list[str] = []  # the source folders the keys are in now, outermost first
        self._done: set[str] = set()  # output folders whose names were let go: asking there again is a bug
        self._in: str | None = None  # the source folder of the last file named
        self._here: tuple[str, TakenNames] = ("", self._taken[""])  # its output folder and the names taken there

    def file(self, key: str) -> str:
        folder, _, name = key.rpartition("/")
        if folder != self._in:  # a folder's files come together: its output folder is found once for them
            self._enter(folder)
            output_folder = self.folder(folder)
            self._here, self._in = (output_folder, self._names_in(output_folder)), folder  # not before it is known
        parent, taken = self._here
        output = self._claim(parent, portable_name(name), with_xmp=True, taken=taken)
        return key if output == key else output  # mostly the key itself: one string for both

    def _enter(self, folder: str) -> None:
        """Let go of the names of the folders the keys have left: in key order a folder's keys come together."""
        while self._open and not (folder == self._open[-1] or folder.startswith(self._open[-1] + "/")):
            left = collision_key(self._folders[self._open.pop()])
            if left not in self._shared:
                del self._taken[left]
                self._done.add(left)
        if folder and (not self._open or self._open[-1] != folder):
            self._open.append(folder)

    def folder(self, key: str) -> str:
        known = self._folders.get(key)
        if known is None:
            parent, _, name = key.rpartition("/")
            known = self._folders[key] = self._claim(self.folder(parent), portable_name(name), with_xmp=False)
        return known

    def place_folder(self, key: str, output: str) -> None:
        """The output folder of a source folder, as the layout wants it (a special folder, an album)."""
        self._folders[key] = output
        self._shared.add(collision_key(output))

    def subfolder(self, parent: str, name: str) -> str:
        return self._claim(parent, portable_name(name), with_xmp=False)

    def dated(self, root: str, key: str) -> str:
        """`root/name`: the name is free below `root` whatever date folders come between."""
        return self._claim(root, portable_name(key.rpartition("/")[2]), with_xmp=True, taken=self._roots[root])

    def _names_in(self, parent: str) -> TakenNames:
        folder = collision_key(parent)
        if folder in self._done:
            raise RuntimeError(f"output names asked out of key order: the keys had left {parent!r}")
        return self._taken[folder]

    def _claim(self, parent: str, name: str, with_xmp: bool, taken: TakenNames | None = None) -> str:
        taken = self._names_in(parent) if taken is None else taken
        candidate, counter = name, 1
        while not taken.take(collision_key(candidate), with_xmp):
            counter += 1
            candidate = numbered(name, counter)
        return f"{parent}/{candidate}" if parent else candidate


@dataclass(frozen=True)
class Library:
    """What the survey knows of the Takeout's folders: their kinds, the albums' names, the copies."""

    kinds: dict[str, FolderKind] = field(default_factory=dict)  # folder key → kind (absent: the library)
    albums: dict[str, str] = field(default_factory=dict)  # album folder key → album name
    copies: dict[str, Copy] = field(default_factory=dict)  # media key → the photo it is a copy of

    def kind(self, key: str) -> FolderKind:
        return self.kinds.get(key.rpartition("/")[0], FolderKind.LIBRARY)

    def album_of(self, key: str) -> str:
        folder = key.rpartition("/")[0]
        if self.kinds.get(folder) is not FolderKind.ALBUM:
            return ""
        return self.albums.get(folder) or folder.rpartition("/")[2]

    def photo_of(self, key: str) -> str:
        """The photo a file stands for: its original when it is an album copy, else itself."""
        copy = self.copies.get(key)
        return copy.original if copy is not None and copy.kind is CopyKind.ALBUM_COPY else key


def action_for(copy: Copy | None, settings: RunSettings) -> CopyAction:
    """What the modes do with a file: write it, link it to its original, or let the original stand for it."""
    if copy is None:
        return CopyAction.WRITE
    if copy.kind is CopyKind.DUPLICATE:
        return CopyAction.LINK if settings.duplicates is DuplicateMode.LINK else CopyAction.WRITE
    return {AlbumMode.COPY: CopyAction.WRITE, AlbumMode.LINK: CopyAction.LINK, AlbumMode.KEYWORDS: CopyAction.OMIT}[
        settings.albums
    ]


def _place_folders(names: OutputNamer, library: Library, by_date: bool) -> None:
    """Special folders go to their own top-level folders; in a layout by date, albums go below `Albums`."""
    for folder, kind in sorted(library.kinds.items()):
        if kind.special and not by_date:
            names.place_folder(folder, TOP_FOLDERS[kind])
        elif kind is FolderKind.ALBUM and by_date:
            names.place_folder(folder, names.subfolder(ALBUMS_FOLDER, folder.rpartition("/")[2]))


def plan_tasks(
    media: FoundFiles,
    matches: MatchResult,
    library: Library | None = None,
    settings: RunSettings | None = None,
) -> TaskTable:
    """Per media file (in key order, as `matches` has them): its output path, its sidecar, its albums, and
    what the modes do with it."""
    if matches.keys != media.keys:
        raise ValueError("the matches are not those of these files")
    library, settings = library or Library(), settings or RunSettings()
    by_date = settings.layout.by_date
    names = OutputNamer()
    _place_folders(names, library, by_date)
    keys, sizes = media.keys, media.sizes
    match_kinds, reasons = MATCH_KINDS.values, REASONS.values
    albums: dict[str, set[str]] = defaultdict(set)
    borrowed: dict[str, str] = {}  # a photo without a sidecar → the sidecar of its copy in an album
    if library.copies or FolderKind.ALBUM in library.kinds.values():  # else no file has an album or a copy
        for row, key in enumerate(keys):
            photo = library.photo_of(key)
            if album := library.album_of(key):
                albums[photo].add(album)
            if photo != key and (sidecar := matches.sidecar(row)) and not matches.of(photo).sidecar:
                borrowed.setdefault(photo, sidecar)
    tasks = TaskTable(files=(keys, sizes))  # the scan's columns, not copies of them
    for row, key in enumerate(keys):
        folder, _, name = key.rpartition("/")
        kind, copy = library.kinds.get(folder, FolderKind.LIBRARY), library.copies.get(key)
        sidecar, match_kind = matches.sidecar(row), match_kinds[matches.kinds[row]]
        reason = reasons[matches.reasons[row]]
        if key in borrowed and reason is Reason.NO_SIDECAR:
            sidecar, match_kind, reason = borrowed[key], MatchKind.ALBUM_COPY, None
        in_album = kind is FolderKind.ALBUM and (copy is not None or settings.albums is not AlbumMode.KEYWORDS)
        dated = by_date and not in_album
        output = names.dated(TOP_FOLDERS.get(kind, ""), key) if dated else names.file(key)
        # an output that is its key keeps the file's name and folder
        renamed = output is not key and (
            output.rpartition("/")[2] != name or (not by_date and not kind.special and output != key)
        )
        photo_albums = albums.get(library.photo_of(key)) if albums else None  # get: no empty set a file
        tasks.add(
            key, sizes[row], output, sidecar, match_kind, reason, tuple(sorted(photo_albums)) if photo_albums else (),
            None, kind, copy.original if copy else "", copy.kind if copy else None, action_for(copy, settings),
            dated, renamed,
        )  # fmt: skip
    return tasks


def date_folder(day: date, layout: Layout) -> str:
    parts = {Layout.YEAR: 1, Layout.MONTH: 2, Layout.DAY: 3}[layout]
    return "/".join([f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}"][:parts])


def placed(task: FileTask, layout: Layout, day: date | None, partner: bool) -> str:
    """The output path of a file once its date is written: its date folders, and a partner's photos apart."""
    root, _, name = task.output.rpartition("/")
    partner = partner and task.folder is FolderKind.LIBRARY
    if not task.dated:
        return f"{PARTNER_FOLDER}/{task.output}" if partner else task.output
    folder = date_folder(day, layout) if day is not None and layout.by_date else UNDATED_FOLDER
    return "/".join(piece for piece in (PARTNER_FOLDER if partner else root, folder, name) if piece)
