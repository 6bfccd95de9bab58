"""Keys in order, and each key's row: found by a binary search or a dict, always the same row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pef.model.keys import KeyRows, in_key_order

NAMES = st.lists(st.text(alphabet="ab/.-é 1", min_size=1, max_size=6), unique=True, max_size=30)


@given(NAMES)
def test_each_key_finds_its_row_and_no_other_key_finds_one(keys: list[str]) -> None:
    for listed in (sorted(keys), keys):
        rows = KeyRows(listed)
        assert len(rows) == len(listed)
        assert [rows.row_of(key) for key in listed] == list(range(len(listed)))
        assert rows.row_of("never/a key") is None
    assert in_key_order(sorted(keys)) and (in_key_order(keys) == (keys == sorted(keys)))


def test_keys_added_to_the_list_later_have_no_row() -> None:
    keys = ["a", "b"]
    rows = KeyRows(keys)
    keys.append("c")
    assert rows.row_of("c") is None and len(rows) == 2 and rows.row_of("b") == 1
