"""The state survives torn journals and state files cut at any byte."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pef.model.library import AlbumMode
from pef.model.outcomes import FileStatus, MatchKind, Reason
from pef.model.records import FileRecord, FileTask, RunSettings
from pef.model.task_table import TaskTable
from pef.state.journal import Journal, replay_lines, sync_file_system
from pef.state.layout import JOURNAL_NAME, STATE_NAME
from pef.state.store import RunState, RunStatus, StateStore


def record(index: int) -> FileRecord:
    status = [FileStatus.DONE, FileStatus.UNMATCHED, FileStatus.FAILED][index % 3]
    reason = {FileStatus.UNMATCHED: Reason.NO_SIDECAR, FileStatus.FAILED: Reason.DISK_FULL}.get(status)
    return FileRecord(
        f"Google Photos/Été/IMG_{index}.jpg",
        status,
        f"Google Photos/Été/IMG_{index}.jpg",
        f"Google Photos/Été/IMG_{index}.jpg.json",
        reason,
        1000 + index,
        1,
        "2026-01-01T00:00:00+00:00",
        "boom" if reason is Reason.DISK_FULL else None,
        MatchKind.OWN,
    )


def journal_bytes(records: list[FileRecord], tmp: Path) -> bytes:
    journal = Journal(tmp / JOURNAL_NAME)
    for item in records:
        journal.append_all([item])  # a write each: the torn-line tests cut between them
    journal.close()
    return (tmp / JOURNAL_NAME).read_bytes()


def test_records_round_trip(tmp_path: Path) -> None:
    records = [record(i) for i in range(9)]
    replay = replay_lines(iter(journal_bytes(records, tmp_path).splitlines(keepends=True)))
    assert list(replay.records.values()) == records and replay.damaged_lines == 0


def test_records_read_back_take_their_tasks_rows_from_the_journal_and_the_state_file(tmp_path: Path) -> None:
    records = [record(i) for i in range(9)]
    tasks = TaskTable(FileTask(r.key, 1, r.output or "", r.sidecar, MatchKind.OWN, None) for r in records[:6])
    store = StateStore(tmp_path)
    store.begin(RunState(source_path="/takeout", settings=RunSettings()), save=False)
    for item in records[:5]:
        store.hold(item)
    store.snapshot(RunStatus.RUNNING)  # five in the state file
    for item in records[5:]:
        store.hold(item)
    store.write_held()  # four in the journal
    store.close()
    loaded = StateStore(tmp_path).load(keys=tasks.key_rows).state
    assert list(loaded.files.values()) == records
    assert loaded.files.key_rows is tasks.key_rows
    for task in tasks:  # the state file's (0–4) and the journal's (5): the task's key, the output made from it
        found = loaded.files[task.key]
        assert found.key is task.key and found.output is task.key and found.sidecar == task.sidecar, task.key
        assert next(name for name in loaded.files if name == task.key) is task.key
    assert all(loaded.files[r.key].key is not r.key for r in records[6:])  # no task: its own strings, equal


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000))
def test_a_torn_journal_loses_at_most_the_torn_line(tmp_path: Path, cut: int) -> None:
    records = [record(i) for i in range(6)]
    data = journal_bytes(records, tmp_path)
    torn = data[: cut % (len(data) + 1)]
    replay = replay_lines(iter(torn.splitlines(keepends=True)))
    whole_lines = torn.count(b"\n")
    tail = torn.rsplit(b"\n", 1)[-1]
    complete_tail = bool(tail) and data.startswith(torn + b"\n")  # cut just before a newline: nothing lost
    kept = whole_lines + (1 if complete_tail else 0)
    assert list(replay.records.values()) == records[:kept]
    assert replay.damaged_lines == (1 if tail and not complete_tail else 0)


def test_appending_after_a_torn_line_keeps_the_new_record(tmp_path: Path) -> None:
    data = journal_bytes([record(0), record(1)], tmp_path)
    (tmp_path / JOURNAL_NAME).write_bytes(data[:-7])
    journal = Journal(tmp_path / JOURNAL_NAME)
    journal.append_all([record(2)])
    journal.close()
    replay = journal.replay()
    assert list(replay.records) == [record(0).key, record(2).key] and replay.damaged_lines == 1


def test_held_files_reach_the_journal_in_one_write_or_with_the_snapshot(tmp_path: Path, monkeypatch) -> None:
    store = StateStore(tmp_path)
    store.begin(RunState(source_path="/src", settings=RunSettings(), total=9), save=False)
    writes: list[int] = []
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(len(data)) or real_write(fd, data))
    for index in range(5):
        store.hold(record(index))
    assert not (tmp_path / JOURNAL_NAME).exists(), "held, not yet written"
    store.write_held()
    assert len(writes) == 1
    assert list(store.journal.replay().records.values()) == [record(i) for i in range(5)]
    store.hold(record(5))
    store.snapshot(RunStatus.RUNNING)  # the held file is in the snapshot: not written to the journal again
    store.write_held()
    store.close()
    assert (tmp_path / JOURNAL_NAME).read_bytes() == b""
    assert record(5).key in StateStore(tmp_path).load().state.files


def saved_state(folder: Path, records: list[FileRecord]) -> bytes:
    store = StateStore(folder)
    store.begin(RunState(source_path="/src", settings=RunSettings(("-x",), True, "UTC"), total=len(records) + 2))
    for item in records:
        store.hold(item)
        store.write_held()
    store.snapshot(RunStatus.STOPPED)
    store.close()
    return (folder / STATE_NAME).read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(min_value=0, max_value=1))
def test_a_state_file_cut_at_any_byte_is_set_aside_and_the_journal_still_counts(tmp_path: Path, where: float) -> None:
    folder = tmp_path / f"out-{where}"
    folder.mkdir()
    snapshot = saved_state(folder, [record(i) for i in range(5)])
    cut = int(where * len(snapshot))
    (folder / STATE_NAME).write_bytes(snapshot[:cut])
    journal = Journal(folder / JOURNAL_NAME)
    journal.append_all([record(7)])  # a file finished after the snapshot
    journal.close()
    loaded = StateStore(folder).load()
    assert record(7).key in loaded.state.files
    if cut < len(snapshot):
        assert loaded.rebuilt and loaded.notes
        assert len(list(folder.glob(f"{STATE_NAME}.corrupt-*"))) == 1
    else:
        assert not loaded.rebuilt and len(loaded.state.files) == 6


def test_snapshot_folds_the_journal_and_empties_it(tmp_path: Path) -> None:
    saved_state(tmp_path, [record(i) for i in range(4)])
    assert (tmp_path / JOURNAL_NAME).stat().st_size == 0
    data = json.loads((tmp_path / STATE_NAME).read_text())
    assert data["stats"] == {"total": 6, "done": 2, "unmatched": 1, "failed": 1, "pending": 2}
    assert data["settings"] == {
        "suffixes": ["-x"], "write_exif": True, "timezone": "UTC", "name_dates": True, "xmp_files": False,
        "albums": "keywords", "layout": "takeout", "skip_trash": False, "duplicates": "keep",
    }  # fmt: skip
    assert RunSettings.from_json({"suffixes": ["-x"], "write_exif": True, "timezone": "UTC"}) == RunSettings(
        ("-x",), True, "UTC", albums=AlbumMode.COPY
    )  # a state from pef 0.1 reads with the defaults of what it did not know, and with full album copies as it made
    assert not list(tmp_path.glob(".*.tmp"))


def test_peek_changes_nothing(tmp_path: Path) -> None:
    saved_state(tmp_path, [record(1)])
    (tmp_path / STATE_NAME).write_text("{")
    from pef.state.store import StateError

    with pytest.raises(StateError):
        StateStore(tmp_path).peek()
    assert (tmp_path / STATE_NAME).read_text() == "{"


def test_every_reason_has_a_sentence_for_people_in_the_report(tmp_path: Path) -> None:
    import csv

    from pef.model.outcomes import Reason
    from pef.present.words import EXPLANATIONS
    from pef.run.report import ReportRow, write_report

    assert set(EXPLANATIONS) == set(Reason)
    assert all(text.endswith(".") and "_" not in text for text in EXPLANATIONS.values())
    write_report(
        tmp_path / "r.csv", [ReportRow("a.jpg", "media", "unmatched", "no_sidecar"), ReportRow("b", "media", "done")]
    )
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["why"] == EXPLANATIONS[Reason.NO_SIDECAR] and rows[1]["why"] == ""


def test_a_saved_run_reads_the_same_from_the_head_alone_as_from_every_record(tmp_path: Path) -> None:

    from pef.model.library import LinkKind
    from pef.state.saved_run import SavedRun, read_saved_run

    records = [record(i) for i in range(9)]
    records[0] = records[0]._replace(link=LinkKind.HARD)
    records[3] = records[3]._replace(link=LinkKind.NONE)
    saved_state(tmp_path, records)
    (tmp_path / JOURNAL_NAME).unlink(missing_ok=True)
    whole = SavedRun.of_state(StateStore(tmp_path).peek())
    assert read_saved_run(tmp_path) == whole
    assert whole.links == {"hard": 1, "none": 1}
    assert [key for key, _ in whole.failed] == sorted(r.key for r in records if r.status is FileStatus.FAILED)
    assert all(text == "boom" for _, text in whole.failed)
    assert whole.counts == {"total": 11, "done": 3, "unmatched": 3, "failed": 3, "pending": 2}
    head = (tmp_path / STATE_NAME).read_bytes().partition(b'"files"')[0]
    assert b"IMG_1.jpg" not in head, "the head names only the failed files"

    journal = Journal(tmp_path / JOURNAL_NAME)
    journal.append_all([record(1)._replace(status=FileStatus.FAILED, reason=Reason.READ_ERROR, error="gone")])
    journal.close()
    after = read_saved_run(tmp_path)  # a journal line after the snapshot: every record is read
    assert after.counts["failed"] == 4 and ("Google Photos/Été/IMG_1.jpg", "gone") in after.failed


def test_a_state_file_of_pef_0_1_is_described_from_its_records(tmp_path: Path) -> None:
    from pef.state.saved_run import read_saved_run

    saved_state(tmp_path, [record(i) for i in range(5)])
    data = json.loads((tmp_path / STATE_NAME).read_text())
    del data["summary"]
    (tmp_path / STATE_NAME).write_text(json.dumps(data, indent=1))  # as pef 0.1 wrote it: the files amid the head
    saved = read_saved_run(tmp_path)
    assert saved.counts["failed"] == 1 and saved.failed == (("Google Photos/Été/IMG_2.jpg", "boom"),)


def test_odd_keys_survive_a_snapshot_read_a_record_a_line(tmp_path: Path) -> None:

    odd = ['a "quoted" name.jpg', "two\nlines.jpg", "\udcff not utf-8.jpg", 'x": {"y.jpg', "tab\t}.jpg", "é/ñ/日本.jpg"]
    records = [record(index)._replace(key=key, output=key) for index, key in enumerate(odd)]
    saved_state(tmp_path, records)
    (tmp_path / JOURNAL_NAME).unlink(missing_ok=True)
    text = (tmp_path / STATE_NAME).read_bytes()
    assert json.loads(text)["files"].keys() == set(odd)  # still one JSON document
    loaded = StateStore(tmp_path).load()
    assert not loaded.notes and loaded.state.files == {r.key: r for r in records}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_syncing_an_output_flushes_its_own_file_system_not_every_one(tmp_path: Path, monkeypatch) -> None:
    def everything() -> None:
        raise AssertionError("os.sync flushes every file system, other programs' writes too")

    monkeypatch.setattr(os, "sync", everything)
    (tmp_path / "out.jpg").write_bytes(b"\xff\xd8")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        sync_file_system(fd)
    finally:
        os.close(fd)
