"""Keys (a file's path inside the export) in order, and each key's row in a list of them."""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise, starmap


def in_key_order(keys: list[str]) -> bool:
    """Whether the keys are in order, each after the one before (a folder's scan gives them so)."""
    return all(starmap(str.__lt__, pairwise(keys)))


class KeyRows:
    """Each key's row in a list of keys: by binary search where they are in key order (no dict of a million)."""

    __slots__ = ("_length", "_rows", "keys")

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys  # held as given (shared, not copied); keys added to it later have no row here
        self._length = len(keys)
        self._rows = None if in_key_order(keys) else {key: row for row, key in enumerate(keys)}

    def __len__(self) -> int:
        return self._length

    @property
    def in_order(self) -> bool:
        """Whether the keys are in key order (found by binary search)."""
        return self._rows is None

    def row_of(self, key: str) -> int | None:
        if self._rows is not None:
            return self._rows.get(key)
        row = bisect_left(self.keys, key, 0, self._length)
        return row if row < self._length and self.keys[row] == key else None
