"""Each file's record by its key, as columns: about 60 bytes a file where a FileRecord and its dict entry take 300."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, MutableMapping
from itertools import chain, compress

from pef.model.codes import DATE_SOURCES, LINK_KINDS, MATCH_KINDS, REASONS, STATUSES
from pef.model.keys import KeyRows
from pef.model.library import LinkKind
from pef.model.outcomes import FileStatus
from pef.model.records import FileRecord

_STATUSES, _REASONS, _MATCHES = STATUSES.values, REASONS.values, MATCH_KINDS.values
_DATE_SOURCES, _LINKS = DATE_SOURCES.values, LINK_KINDS.values
_STATUS, _REASON, _MATCH = STATUSES.codes, REASONS.codes, MATCH_KINDS.codes
_DATE_SOURCE, _LINK = DATE_SOURCES.codes, LINK_KINDS.codes
_FAILED = _STATUS[FileStatus.FAILED]
_TIME_LIMIT = 1 << 63  # a time past a signed 64-bit number (a file dated in the year 5138) is kept apart
_make = tuple.__new__  # a FileRecord from its fields, without the named tuple's own checks


class RecordTable(MutableMapping[str, FileRecord]):
    """Records by key, each FileRecord made as it is asked for; a dict in every use, in a fifth of the memory.

    A key among `keys` (a survey's tasks', `TaskTable.key_rows`) has its row there and no dict entry of
    its own; any other key gets a row after them. Iterated by row: the given keys' order, then the
    others in the order they came. Strings are held as given (a record shares its task's).
    """

    def __init__(self, records: Iterable[FileRecord] = (), keys: KeyRows | None = None) -> None:
        self.key_rows = keys if keys is not None else KeyRows([])
        rows = len(self.key_rows)
        self._others: dict[str, int] = {}  # a key not among `keys`: its row
        self._other_keys: list[str] = []
        self._statuses = bytearray(rows)  # 0: no record in this row
        self._reasons, self._matches = bytearray(rows), bytearray(rows)
        self._date_sources, self._links = bytearray(rows), bytearray(rows)
        self._outputs: list[str | None] = [None] * rows
        self._sidecars: list[str | None] = [None] * rows
        self._times: list[str] = [""] * rows
        self._notes: list[str] = [""] * rows
        self._sizes, self._mtimes = array("q", bytes(8 * rows)), array("q", bytes(8 * rows))
        self._attempts = array("I", bytes(4 * rows))
        self._errors: dict[int, str] = {}  # what few records have, by row
        self._decided: dict[int, str] = {}
        self._copy_of: dict[int, str] = {}
        self._far_times: dict[int, int] = {}
        self._count = 0
        for record in records:
            self[record.key] = record

    def _row_of(self, key: str) -> int | None:
        row = self.key_rows.row_of(key)
        if row is None and (other := self._others.get(key)) is not None:
            return len(self.key_rows) + other
        return row

    def _new_row(self, key: str) -> int:
        self._others[key] = len(self._other_keys)
        self._other_keys.append(key)
        for column in (self._statuses, self._reasons, self._matches, self._date_sources, self._links):
            column.append(0)
        for strings in (self._outputs, self._sidecars):
            strings.append(None)
        self._times.append("")
        self._notes.append("")
        for numbers in (self._sizes, self._mtimes, self._attempts):
            numbers.append(0)
        return len(self._statuses) - 1

    def _key(self, row: int) -> str:
        given = len(self.key_rows)
        return self.key_rows.keys[row] if row < given else self._other_keys[row - given]

    def _record(self, row: int) -> FileRecord:
        return _make(FileRecord, (
            self._key(row), _STATUSES[self._statuses[row]], self._outputs[row], self._sidecars[row],
            _REASONS[self._reasons[row]], self._sizes[row], self._attempts[row], self._times[row],
            self._errors.get(row), _MATCHES[self._matches[row]], self._notes[row],
            _DATE_SOURCES[self._date_sources[row]], self._far_times.get(row) or self._mtimes[row],
            self._decided.get(row, ""),
            self._copy_of.get(row, ""), _LINKS[self._links[row]],
        ))  # fmt: skip

    def __getitem__(self, key: str) -> FileRecord:
        row = self._row_of(key)
        if row is None or not self._statuses[row]:
            raise KeyError(key)
        return self._record(row)

    def __setitem__(self, key: str, record: FileRecord) -> None:
        if key != record.key:
            raise ValueError(f"the record of {record.key!r} cannot be kept as {key!r}'s")
        row = self._row_of(key)
        if row is None:
            row = self._new_row(key)
        if not self._statuses[row]:
            self._count += 1
        self._statuses[row] = _STATUS[record.status]
        self._reasons[row], self._matches[row] = _REASON[record.reason], _MATCH[record.match]
        self._date_sources[row], self._links[row] = _DATE_SOURCE[record.date_source], _LINK[record.link]
        self._outputs[row], self._sidecars[row] = record.output, record.sidecar
        self._times[row], self._notes[row] = record.at, record.note
        far = record.mtime_ns if not -_TIME_LIMIT <= record.mtime_ns < _TIME_LIMIT else 0
        self._sizes[row], self._attempts[row] = record.size, record.attempts
        self._mtimes[row] = 0 if far else record.mtime_ns
        sparse_values = (
            (self._errors, record.error), (self._decided, record.decided), (self._copy_of, record.copy_of),
            (self._far_times, far),
        )  # fmt: skip
        for sparse, value in sparse_values:
            if value:
                sparse[row] = value
            else:
                sparse.pop(row, None)

    def __delitem__(self, key: str) -> None:
        row = self._row_of(key)
        if row is None or not self._statuses[row]:
            raise KeyError(key)
        self._count -= 1
        for column in (self._statuses, self._reasons, self._matches, self._date_sources, self._links):
            column[row] = 0  # the rest let go too, so the columns' counts and sums are of records only
        self._outputs[row] = self._sidecars[row] = None
        self._times[row] = self._notes[row] = ""
        self._sizes[row] = self._mtimes[row] = self._attempts[row] = 0
        for sparse in (self._errors, self._decided, self._copy_of, self._far_times):
            sparse.pop(row, None)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        row = self._row_of(key) if isinstance(key, str) else None
        return row is not None and bool(self._statuses[row])

    def _rows(self) -> Iterator[int]:
        return compress(range(len(self._statuses)), self._statuses)

    def __iter__(self) -> Iterator[str]:
        given = len(self.key_rows)
        others = compress(self._other_keys, self._statuses[given:])
        return chain(compress(self.key_rows.keys, self._statuses[:given]), others)

    def values(self) -> Iterator[FileRecord]:  # type: ignore[override]
        return map(self._record, self._rows())

    def items(self) -> Iterator[tuple[str, FileRecord]]:  # type: ignore[override]
        return ((record.key, record) for record in self.values())

    def on(self, keys: KeyRows) -> RecordTable:
        """The records of these keys, in a table of their rows: itself when it is one already, the others let go."""
        if keys is not self.key_rows:
            return RecordTable((record for record in self.values() if keys.row_of(record.key) is not None), keys)
        for key in [key for key in self._other_keys if key in self]:
            del self[key]
        given = len(keys)
        for column in (
            self._statuses, self._reasons, self._matches, self._date_sources, self._links, self._outputs,
            self._sidecars, self._times, self._notes, self._sizes, self._mtimes, self._attempts,
        ):  # fmt: skip
            del column[given:]
        self._others, self._other_keys = {}, []
        return self

    def status_counts(self) -> Counter[FileStatus]:
        """How many records have each status (every status, 0 where none has it)."""
        return Counter({status: self._statuses.count(_STATUS[status]) for status in FileStatus})

    def link_counts(self) -> Counter[LinkKind]:
        """How many outputs are links of each kind (only the kinds made)."""
        counts = Counter({link: self._links.count(_LINK[link]) for link in LinkKind})
        return +counts

    def failed(self) -> Iterator[FileRecord]:
        """The records of the files that failed, by row."""
        row = self._statuses.find(_FAILED)
        while row >= 0:
            yield self._record(row)
            row = self._statuses.find(_FAILED, row + 1)

    @property
    def total_size(self) -> int:
        """The bytes of every output recorded."""
        return sum(self._sizes)
