"""Each file's record by its key, as columns: about 30 bytes a file where a FileRecord and its dict entry take 300."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, MutableMapping
from itertools import chain, compress

from pef.model.codes import DATE_SOURCES, LINK_KINDS, MATCH_KINDS, REASONS, STATUSES
from pef.model.key_names import KeyNames
from pef.model.keys import KeyRows
from pef.model.library import LinkKind
from pef.model.outcomes import FileStatus
from pef.model.records import FileRecord

_STATUSES, _REASONS, _MATCHES = STATUSES.values, REASONS.values, MATCH_KINDS.values
_DATE_SOURCES, _LINKS = DATE_SOURCES.values, LINK_KINDS.values
_STATUS, _REASON, _MATCH = STATUSES.codes, REASONS.codes, MATCH_KINDS.codes
_DATE_SOURCE, _LINK = DATE_SOURCES.codes, LINK_KINDS.codes
_FAILED = _STATUS[FileStatus.FAILED]
_make = tuple.__new__  # a FileRecord from its fields, without the named tuple's own checks


class Numbers:
    """Whole numbers in an array, and the few it cannot hold (a time in the year 5138) by row."""

    __slots__ = ("_far", "_limits", "_values")

    def __init__(self, typecode: str, rows: int) -> None:
        self._values = array(typecode, bytes(rows * array(typecode).itemsize))
        bits = 8 * self._values.itemsize
        self._limits = (-(1 << (bits - 1)), 1 << (bits - 1)) if typecode.islower() else (0, 1 << bits)
        self._far: dict[int, int] = {}

    def __getitem__(self, row: int) -> int:
        return self._far.get(row) or self._values[row]

    def __setitem__(self, row: int, value: int) -> None:
        low, high = self._limits
        if low <= value < high:
            self._values[row] = value
            self._far.pop(row, None)
        else:
            self._values[row], self._far[row] = 0, value

    def append(self, value: int) -> None:
        self._values.append(0)
        self[len(self._values) - 1] = value

    def truncate(self, rows: int) -> None:
        del self._values[rows:]
        for row in [row for row in self._far if row >= rows]:
            del self._far[row]

    def total(self) -> int:
        return sum(self._values) + sum(self._far.values())


class RecordTable(MutableMapping[str, FileRecord]):
    """Records by key, each FileRecord made as it is asked for; a dict in every use, in a tenth of the memory.

    A key among `keys` (a survey's tasks', `TaskTable.key_rows`) has its row there and no dict entry of
    its own; any other key gets a row after them. Iterated by row: the given keys' order, then the
    others in the order they came. An output or sidecar made from its key (`KeyNames`), a time (one a
    second) and what few records have (an error, a note, a decision, an original) hold no string a row.
    """

    def __init__(self, records: Iterable[FileRecord] = (), keys: KeyRows | None = None) -> None:
        self.key_rows = keys if keys is not None else KeyRows([])
        rows = len(self.key_rows)
        self._others: dict[str, int] = {}  # a key not among `keys`: its row after theirs
        self._other_keys: list[str] = []
        self._statuses = bytearray(rows)  # 0: no record in this row
        self._reasons, self._matches = bytearray(rows), bytearray(rows)
        self._date_sources, self._links = bytearray(rows), bytearray(rows)
        self._outputs, self._sidecars = KeyNames(rows), KeyNames(rows)
        self._times, self._time_codes, self._at = [""], {"": 0}, Numbers("I", rows)
        self._sizes, self._mtimes, self._attempts = Numbers("q", rows), Numbers("q", rows), Numbers("B", rows)
        self._errors: dict[int, str] = {}  # what few records have, by row
        self._notes: dict[int, str] = {}
        self._decided: dict[int, str] = {}
        self._copy_of: dict[int, str] = {}
        self._count = 0
        for record in records:
            self[record.key] = record

    @property
    def _bytes(self) -> tuple[bytearray, ...]:
        return self._statuses, self._reasons, self._matches, self._date_sources, self._links

    @property
    def _names(self) -> tuple[KeyNames, ...]:
        return self._outputs, self._sidecars

    @property
    def _numbers(self) -> tuple[Numbers, ...]:
        return self._at, self._sizes, self._mtimes, self._attempts

    @property
    def _sparse(self) -> tuple[dict[int, str], ...]:
        """What few records have, by row: errors, notes, decisions, originals."""
        return self._errors, self._notes, self._decided, self._copy_of

    def _row_of(self, key: str) -> int | None:
        row = self.key_rows.row_of(key)
        if row is None and (other := self._others.get(key)) is not None:
            return len(self.key_rows) + other
        return row

    def _new_row(self, key: str) -> int:
        self._others[key] = len(self._other_keys)
        self._other_keys.append(key)
        for column in self._bytes:
            column.append(0)
        for names in self._names:
            names.append(key, None)
        for numbers in self._numbers:
            numbers.append(0)
        return len(self._statuses) - 1

    def _key(self, row: int) -> str:
        given = len(self.key_rows)
        return self.key_rows.keys[row] if row < given else self._other_keys[row - given]

    def _record(self, row: int) -> FileRecord:
        key = self._key(row)
        return _make(FileRecord, (
            key, _STATUSES[self._statuses[row]], self._outputs.get(row, key), self._sidecars.get(row, key),
            _REASONS[self._reasons[row]], self._sizes[row], self._attempts[row], self._times[self._at[row]],
            self._errors.get(row), _MATCHES[self._matches[row]], self._notes.get(row, ""),
            _DATE_SOURCES[self._date_sources[row]], self._mtimes[row], self._decided.get(row, ""),
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
        self._outputs.set(row, key, record.output)
        self._sidecars.set(row, key, record.sidecar)
        self._at[row] = self._time_code(record.at)
        self._sizes[row], self._mtimes[row], self._attempts[row] = record.size, record.mtime_ns, record.attempts
        for sparse, value in zip(
            self._sparse, (record.error, record.note, record.decided, record.copy_of), strict=True
        ):
            if value:
                sparse[row] = value
            else:
                sparse.pop(row, None)

    def _time_code(self, at: str) -> int:
        code = self._time_codes.get(at)
        if code is None:
            code = self._time_codes[at] = len(self._times)
            self._times.append(at)
        return code

    def __delitem__(self, key: str) -> None:
        row = self._row_of(key)
        if row is None or not self._statuses[row]:
            raise KeyError(key)
        self._count -= 1
        for column in self._bytes:
            column[row] = 0  # the rest let go too, so the columns' counts and sums are of records only
        for names in self._names:
            names.set(row, key, None)
        for numbers in self._numbers:
            numbers[row] = 0
        for sparse in self._sparse:
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
        for column in self._bytes:
            del column[given:]
        for kept in (*self._names, *self._numbers):
            kept.truncate(given)
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
        return self._sizes.total()
