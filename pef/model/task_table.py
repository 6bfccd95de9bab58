"""A survey's tasks as columns: about 50 bytes a file where a FileTask and its size take 180 (a million files)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from pef.model.codes import COPY_ACTIONS, COPY_KINDS, FOLDER_KINDS, MATCH_KINDS, REASONS
from pef.model.key_names import KeyNames
from pef.model.keys import KeyRows
from pef.model.library import CopyAction, CopyKind, FolderKind
from pef.model.outcomes import MatchKind, Reason
from pef.model.records import Decision, FileTask

_MATCHES, _REASONS, _FOLDERS = MATCH_KINDS.values, REASONS.values, FOLDER_KINDS.values
_COPY_KINDS, _ACTIONS = COPY_KINDS.values, COPY_ACTIONS.values
_MATCH, _REASON, _FOLDER = MATCH_KINDS.codes, REASONS.codes, FOLDER_KINDS.codes
_COPY_KIND, _ACTION = COPY_KINDS.codes, COPY_ACTIONS.codes
_WRITE = _ACTION[CopyAction.WRITE]
_make = tuple.__new__  # a FileTask from its fields, without the named tuple's own checks


class TaskTable(Sequence[FileTask]):
    """Tasks in the order added; each FileTask is made as it is asked for (about 0.7 µs).

    Strings are held as given (the scan's keys, the plan's outputs, the match's sidecars: shared, not
    copied), each small value as a byte, and what few files have (a copy's original, a Review decision)
    by row.
    """

    def __init__(self, tasks: Iterable[FileTask] = (), files: tuple[list[str], array] | None = None) -> None:
        """`files`: the keys and sizes of all the tasks to come, in their order, held as they are (a plan's files)."""
        self._keys, self._sizes = files if files is not None else ([], array("q"))
        self._given = files is not None
        self._outputs, self._sidecars = KeyNames(), KeyNames()  # made from the key, mostly: a byte each
        self._albums: list[tuple[str, ...]] = []
        self._matches, self._reasons, self._folders = bytearray(), bytearray(), bytearray()
        self._copy_kinds, self._actions = bytearray(), bytearray()
        self._flags = bytearray()  # dated 1, renamed 2
        self._copy_of: dict[int, str] = {}
        self._decisions: dict[int, Decision] = {}
        self._key_rows: KeyRows | None = None
        for task in tasks:
            self.append(task)

    def append(self, task: FileTask) -> None:
        self.add(*task)

    def add(
        self, key: str, size: int, output: str, sidecar: str | None, match: MatchKind | None, reason: Reason | None,
        albums: tuple[str, ...], decision: Decision | None, folder: FolderKind, copy_of: str,
        copy_kind: CopyKind | None, action: CopyAction, dated: bool, renamed: bool,
    ) -> None:  # fmt: skip
        """A task from its fields, in FileTask's order: a plan adds a million, and makes no FileTask for them."""
        row = len(self)
        self._key_rows = None
        if not self._given:
            self._keys.append(key)
            self._sizes.append(size)
        elif self._keys[row] != key or self._sizes[row] != size:
            raise ValueError(f"task {row} is of {key!r}, not of {self._keys[row]!r}, the file given for it")
        self._outputs.append(key, output)
        self._sidecars.append(key, sidecar)
        self._albums.append(albums)
        self._matches.append(_MATCH[match])
        self._reasons.append(_REASON[reason])
        self._folders.append(_FOLDER[folder])
        self._copy_kinds.append(_COPY_KIND[copy_kind])
        self._actions.append(_ACTION[action])
        self._flags.append(dated | renamed << 1)
        if copy_of:
            self._copy_of[row] = copy_of
        if decision is not None:
            self._decisions[row] = decision

    def __len__(self) -> int:
        return len(self._matches)

    @overload
    def __getitem__(self, row: int) -> FileTask: ...
    @overload
    def __getitem__(self, row: slice) -> list[FileTask]: ...
    def __getitem__(self, row: int | slice) -> FileTask | list[FileTask]:
        if isinstance(row, slice):
            return [self._row(index) for index in range(*row.indices(len(self)))]
        if not -len(self) <= row < len(self):
            raise IndexError(f"task {row} of {len(self)}")
        return self._row(row % len(self))

    def _row(self, row: int) -> FileTask:
        flags, key = self._flags[row], self._keys[row]
        return _make(FileTask, (
            key, self._sizes[row], self._outputs.get(row, key), self._sidecars.get(row, key),
            _MATCHES[self._matches[row]], _REASONS[self._reasons[row]], self._albums[row],
            self._decisions.get(row), _FOLDERS[self._folders[row]], self._copy_of.get(row, ""),
            _COPY_KINDS[self._copy_kinds[row]], _ACTIONS[self._actions[row]], bool(flags & 1), bool(flags & 2),
        ))  # fmt: skip

    def __iter__(self) -> Iterator[FileTask]:
        return map(self._row, range(len(self)))

    def writing(self) -> Iterator[FileTask]:
        """The tasks that write their file, in order."""
        return map(self._row, self.writing_rows())

    def standing_in(self) -> Iterator[FileTask]:
        """The copies that link to their original or are left out for it, in order."""
        return map(self._row, self.standing_in_rows())

    def writing_rows(self) -> Iterable[int]:
        if self._actions.count(_WRITE) == len(self):
            return range(len(self))
        return (row for row, action in enumerate(self._actions) if action == _WRITE)

    def standing_in_rows(self) -> Iterator[int]:
        return (row for row, action in enumerate(self._actions) if action != _WRITE)

    def in_key_order(self) -> Iterable[FileTask]:
        """The tasks by key: as they are, when (as a plan makes them) they are in that order already."""
        if self.key_rows.in_order:
            return self
        return sorted(self, key=lambda task: task.key)

    @property
    def key_rows(self) -> KeyRows:
        """Each task's row by its key."""
        if self._key_rows is None:  # made again after a task is added
            self._key_rows = KeyRows(self._keys if len(self._keys) == len(self) else self._keys[: len(self)])
        return self._key_rows

    @property
    def total_bytes(self) -> int:
        return sum(self._sizes)

    def copies(self, kind: CopyKind) -> int:
        """How many are copies of this kind."""
        return self._copy_kinds.count(_COPY_KIND[kind])
