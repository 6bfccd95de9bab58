"""Records as columns: a RecordTable answers as a dict of FileRecords does, whatever is set and deleted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pef.model.keys import KeyRows
from pef.model.library import LinkKind
from pef.model.outcomes import DateSource, FileStatus, MatchKind, Reason
from pef.model.record_table import RecordTable
from pef.model.records import FileRecord

RECORDS = [
    FileRecord("a/1.jpg", FileStatus.DONE, "a/1.jpg", "a/1.jpg.json", None, 2**40, 1, "2026-01-01T00:00:00+00:00",
               None, MatchKind.OWN, "", DateSource.SIDECAR, 1_700_000_000_123_456_789),
    FileRecord("a/2.jpg", FileStatus.UNMATCHED, "a/2 (2).jpg", None, Reason.NO_SIDECAR, 0, 3, "t", None, None,
               "dated from its name: 12 May 2019", DateSource.FILENAME, 5, "filename:1557662400"),
    FileRecord("b/1.jpg", FileStatus.FAILED, None, "b/x.json", Reason.DISK_FULL, 0, 2, "t", "No space left", None,
               mtime_ns=-(2**63)),
    FileRecord("b/2.jpg", FileStatus.DONE, "a/1.jpg", "a/1.jpg.json", None, 10, 1, "t", None, MatchKind.ALBUM_COPY,
               copy_of="a/1.jpg", link=LinkKind.NONE),
    FileRecord("c/3.jpg", FileStatus.DONE, "c/3.jpg", None, None, 7, 1, "t", None, None, link=LinkKind.HARD,
               copy_of="a/1.jpg", mtime_ns=10**20),  # dated in the year 5138: past a 64-bit number
]  # fmt: skip


@pytest.mark.parametrize("given_keys", [[], ["a/1.jpg", "a/2.jpg", "b/1.jpg"], ["b/1.jpg", "a/1.jpg", "z"]])
def test_every_field_comes_back_as_it_went_in(given_keys: list[str]) -> None:
    table = RecordTable(RECORDS, KeyRows(given_keys))
    assert len(table) == 5
    assert {key: table[key] for key in table} == {record.key: record for record in RECORDS}
    assert sorted(table.values()) == sorted(RECORDS)
    assert dict(table.items()) == {record.key: record for record in RECORDS}
    assert table.total_size == 2**40 + 17
    assert table.status_counts() == {FileStatus.DONE: 3, FileStatus.UNMATCHED: 1, FileStatus.FAILED: 1}
    assert table.link_counts() == {LinkKind.NONE: 1, LinkKind.HARD: 1}
    assert list(table.failed()) == [RECORDS[2]]
    assert "z" not in table and "a/1.jpg" in table and 5 not in table
    with pytest.raises(KeyError):
        table["z"]  # a given key with no record yet


def test_given_keys_come_first_in_their_order_then_the_others_as_they_came() -> None:
    table = RecordTable(reversed(RECORDS), KeyRows(["b/1.jpg", "a/2.jpg"]))
    assert list(table) == ["b/1.jpg", "a/2.jpg", "c/3.jpg", "b/2.jpg", "a/1.jpg"]
    assert [record.key for record in table.values()] == list(table)


def test_a_record_is_kept_only_under_its_own_key() -> None:
    with pytest.raises(ValueError, match=r"a/1\.jpg"):
        RecordTable()["a/2.jpg"] = RECORDS[0]


def test_a_deleted_record_leaves_nothing_counted() -> None:
    table = RecordTable(RECORDS, KeyRows(["a/1.jpg", "b/1.jpg"]))
    del table["a/1.jpg"], table["b/1.jpg"], table["c/3.jpg"]
    assert list(table) == ["a/2.jpg", "b/2.jpg"]
    assert table.total_size == 10 and list(table.failed()) == [] and table.link_counts() == {LinkKind.NONE: 1}
    assert table.status_counts()[FileStatus.FAILED] == 0
    with pytest.raises(KeyError):
        del table["a/1.jpg"]
    table["b/1.jpg"] = RECORDS[2]._replace(error=None, reason=None, status=FileStatus.DONE)
    assert table["b/1.jpg"].error is None and len(table) == 3


def test_a_table_on_other_keys_keeps_only_theirs() -> None:
    keys = KeyRows(["a/2.jpg", "b/2.jpg", "q.jpg"])
    table = RecordTable(RECORDS, keys)
    assert table.on(keys) is table
    assert list(table.items()) == [("a/2.jpg", RECORDS[1]), ("b/2.jpg", RECORDS[3])]
    table["z.jpg"] = RECORDS[0]._replace(key="z.jpg")  # a row of its own again, after them
    assert list(table) == ["a/2.jpg", "b/2.jpg", "z.jpg"]
    other = RecordTable(RECORDS).on(keys)
    assert other.key_rows is keys and list(other.values()) == [RECORDS[1], RECORDS[3]]


def test_a_record_keeps_no_string_its_key_makes() -> None:
    keys = KeyRows(["".join(["a/", "1.jpg"])])
    record = RECORDS[0]._replace(key="a/1.jpg", output="a/1.jpg")
    found = RecordTable([record], keys)["a/1.jpg"]
    assert found.key is keys.keys[0] and found.output is keys.keys[0] and found.sidecar == record.sidecar


def test_numbers_past_what_a_column_holds_come_back_as_they_went_in() -> None:
    odd = [
        RECORDS[0]._replace(attempts=300, size=2**63, mtime_ns=-(2**70)),
        RECORDS[1]._replace(attempts=-1, size=-5, mtime_ns=2**63 - 1),
    ]
    table = RecordTable(odd)
    assert list(table.values()) == odd and table.total_size == 2**63 - 5
    table["a/1.jpg"] = RECORDS[0]
    assert table["a/1.jpg"] == RECORDS[0] and table.total_size == 2**40 - 5


KEYS = st.sampled_from(["a/1.jpg", "a/2.jpg", "b/1.jpg", "b/2.jpg", "c/3.jpg", "é.jpg", "z"])
RECORD_VALUES = st.sampled_from(RECORDS)


@settings(max_examples=300, deadline=None)
@given(
    given_keys=st.lists(KEYS, unique=True),
    steps=st.lists(st.tuples(st.booleans(), KEYS, RECORD_VALUES), max_size=40),
)
def test_a_table_answers_as_a_dict_does(given_keys: list[str], steps: list[tuple[bool, str, FileRecord]]) -> None:
    table, expected = RecordTable(keys=KeyRows(given_keys)), {}
    for put, key, value in steps:
        if put:
            table[key] = expected[key] = value._replace(key=key)
        else:
            assert table.pop(key, None) == expected.pop(key, None)
        assert len(table) == len(expected)
    assert dict(table) == expected
    first = [key for key in given_keys if key in expected]
    assert list(table)[: len(first)] == first  # the given keys' order before the others
    assert table.total_size == sum(record.size for record in expected.values())
    assert sorted(table.failed()) == sorted(r for r in expected.values() if r.status is FileStatus.FAILED)
