"""A record's JSON text is what json.dumps makes of its fields, whatever they hold."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pef.model.library import LinkKind
from pef.model.outcomes import DateSource, FileStatus, MatchKind, Reason
from pef.model.records import FileRecord

# names as a disk gives them: quotes, backslashes, controls, lone surrogates (bytes that were not UTF-8)
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)


def _enum(kind):
    return st.one_of(st.none(), st.sampled_from(list(kind)))


records = st.builds(
    FileRecord,
    key=texts,
    status=st.sampled_from(list(FileStatus)),
    output=st.one_of(st.none(), texts),
    sidecar=st.one_of(st.none(), texts),
    reason=_enum(Reason),
    size=st.integers(0, 2**63),
    attempts=st.integers(1, 9),
    at=texts,
    error=st.one_of(st.none(), texts),
    match=_enum(MatchKind),
    note=texts,
    date_source=_enum(DateSource),
    mtime_ns=st.integers(0, 2**64),
    decided=texts,
    copy_of=texts,
    link=_enum(LinkKind),
)


def _fields(record: FileRecord) -> dict:
    """The record's fields as the state file names them, made here from the tuple, not by the record."""
    found = {
        "status": record.status.value,
        "output": record.output,
        "sidecar": record.sidecar,
        "reason": record.reason.value if record.reason else None,
        "size": record.size,
        "attempts": record.attempts,
        "at": record.at,
        "error": record.error,
        "match": record.match.value if record.match else None,
        "note": record.note,
        "date_source": record.date_source.value if record.date_source else None,
        "mtime_ns": record.mtime_ns,
    }
    if record.decided:
        found["decided"] = record.decided
    if record.link is not None:
        found |= {"copy_of": record.copy_of, "link": record.link.value}
    return found


@settings(max_examples=400)
@given(records)
def test_json_text_is_what_json_dumps_writes(record: FileRecord) -> None:
    fields = _fields(record)
    assert record.json_text() == json.dumps(fields, ensure_ascii=False)
    assert record.json_text(key=True) == json.dumps({"key": record.key, **fields}, ensure_ascii=False)
    assert record.as_json() == fields


@settings(max_examples=200)
@given(records)
def test_a_journal_line_reads_back_as_the_record(record: FileRecord) -> None:
    line = record.json_text(key=True).encode("utf-8", "backslashreplace")  # as the journal writes it
    data = json.loads(line)
    assert FileRecord.from_json(data.pop("key"), data) == record._replace(copy_of=record.copy_of if record.link else "")
