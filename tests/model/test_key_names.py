"""Names kept as a byte from their row's key: each comes back as it went in, whatever it is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pef.model.key_names import MAX_ENDINGS, KeyNames

KEY = "Google Photos/Photos from 2019/IMG_1234.jpg"


@given(st.lists(st.tuples(st.text(max_size=8), st.none() | st.text(max_size=12) | st.just("ending")), max_size=40))
def test_every_name_comes_back_as_it_went_in(rows: list[tuple[str, str | None]]) -> None:
    names = KeyNames()
    pairs = [(key, None if name is None else key + name if name == "ending" else name) for key, name in rows]
    for key, name in pairs:
        names.append(key, name)
    assert [names.get(row, key) for row, (key, _) in enumerate(pairs)] == [name for _, name in pairs]
    for row, (key, _name) in reversed(list(enumerate(pairs))):  # each set again to the next row's name
        names.set(row, key, pairs[(row + 1) % len(pairs)][1])
    assert [names.get(row, key) for row, (key, _) in enumerate(pairs)] == [
        pairs[(row + 1) % len(pairs)][1] for row in range(len(pairs))
    ]


def test_a_name_made_from_its_key_holds_no_string_of_its_own() -> None:
    names = KeyNames(2)
    key = "".join(["Google Photos/", "IMG_1.jpg"])
    names.set(0, key, key)
    names.set(1, key, key + ".supplemental-metadata.json")
    assert names.get(0, key) is key and names.get(1, key) == key + ".supplemental-metadata.json"
    names.set(1, key, "Google Photos/another.json")
    assert names.get(1, key) == "Google Photos/another.json" and len(names._others) == 1
    names.set(1, key, None)
    assert names.get(1, key) is None and not names._others


def test_past_the_endings_a_byte_can_tell_apart_names_are_kept_whole() -> None:
    names = KeyNames()
    endings = [f".{index}.json" for index in range(MAX_ENDINGS + 20)]
    for ending in endings:
        names.append(KEY, KEY + ending)
    assert [names.get(row, KEY) for row in range(len(endings))] == [KEY + ending for ending in endings]
    assert len(names._others) == 20  # the endings past the codes a byte has


def test_truncated_rows_are_gone_and_their_names_let_go() -> None:
    names = KeyNames()
    for index in range(5):
        names.append(KEY, f"other/{index}.jpg")
    names.truncate(2)
    assert len(names) == 2 and sorted(names._others) == [0, 1]
    names.append(KEY, KEY)
    assert [names.get(row, KEY) for row in range(3)] == ["other/0.jpg", "other/1.jpg", KEY]
