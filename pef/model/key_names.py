"""A column of names that mostly are their row's key, or it with an ending: a byte a row, not a string."""

from __future__ import annotations

NONE, KEY, OTHER = 0, 1, 255  # no name; the key itself; a name kept whole (its row in `_others`)
MAX_ENDINGS = OTHER - KEY - 1  # the codes between the key's and OTHER


class KeyNames:
    """Names made from their row's key: an output that is the key, a sidecar that is it plus `.json`.

    Each row holds a byte: none, the key, the key with one of the endings met so far (a few: `.json`,
    `.supplemental-metadata.json` and its cut forms), or the name kept whole (a sidecar of another
    name, an output in a folder of dates). A million files then hold no sidecar string: each is made
    again as it is asked for.
    """

    __slots__ = ("_codes", "_ending_codes", "_endings", "_others")

    def __init__(self, rows: int = 0) -> None:
        self._codes = bytearray(rows)
        self._endings: list[str] = ["", ""]  # by code: none, the key, then what was met
        self._ending_codes: dict[str, int] = {"": KEY}
        self._others: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._codes)

    def _code(self, row: int, key: str, name: str | None) -> int:
        if name is None:
            return NONE
        if name is key:
            return KEY
        if name.startswith(key):
            ending = name[len(key) :]
            code = self._ending_codes.get(ending)
            if code is None and len(self._endings) < OTHER:
                code = self._ending_codes[ending] = len(self._endings)
                self._endings.append(ending)
            if code is not None:
                return code
        self._others[row] = name
        return OTHER

    def append(self, key: str, name: str | None) -> None:
        self._codes.append(self._code(len(self._codes), key, name))

    def set(self, row: int, key: str, name: str | None) -> None:
        self._others.pop(row, None)
        self._codes[row] = self._code(row, key, name)

    def get(self, row: int, key: str) -> str | None:
        code = self._codes[row]
        if code == KEY:
            return key
        if code == NONE:
            return None
        if code == OTHER:
            return self._others[row]
        return key + self._endings[code]

    def truncate(self, rows: int) -> None:
        """Only the first `rows` rows kept."""
        del self._codes[rows:]
        for row in [row for row in self._others if row >= rows]:
            del self._others[row]
