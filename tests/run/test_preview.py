"""The forecast (dry run, preview): the same records whether worker processes read the sidecars or pef itself."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pef.metadata.timezone import resolve_zone
from pef.model.library import CopyKind
from pef.model.outcomes import DateSource, FileStatus, Reason
from pef.model.records import RunSettings
from pef.run import preview, process_digests, sidecar_verdicts
from pef.run.sidecar_verdicts import NICENESS, SidecarVerdicts, verdict_of
from pef.takeout import copies, scan
from pef.takeout.file_digests import PEEK_BYTES
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.source import SourceEntry
from pef.takeout.survey import PartCounts, read_small, survey_takeout
from tests.archives import zip_parts
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.processes import new_children, still_alive
from tests.reads import photos_read_by

SETTINGS = RunSettings(timezone="Europe/Rome")


def odd_takeout(root: Path) -> TakeoutTree:
    """Dated photos, a sidecar that says nothing usable, a name to date, an album copy and a duplicate."""
    tree = TakeoutTree(root)
    tree.dated_photos("Photos from 2019", 9, 1561975200)
    tree.media("Photos from 2019/broken.jpg", jpeg_bytes(color=(0, 9, 0)), "broken.jpg.json")
    tree.write_json("Photos from 2019/broken.jpg.json", "{not json")
    tree.media("Photos from 2019/IMG_20200101_101010.jpg", jpeg_bytes(color=(0, 0, 9)))  # no sidecar: its name
    tree.media("Trip/IMG_003.jpg", jpeg_bytes(color=(3, 1, 1)), "IMG_003.jpg.json", sidecar("IMG_003.jpg", 1561986000))
    tree.media("Photos from 2019/IMG_003(1).jpg", jpeg_bytes(color=(3, 1, 1)))  # the same bytes again
    tree.write_json("Trip/metadata.json", {"title": "Trip"})
    return tree


def forecast_of(paths: list[Path], processes_from: int) -> tuple[list[tuple[str, object]], int]:
    """The forecast, with the sidecars read on worker processes from `processes_from` on; and how many they read."""
    source = PartsSource(find_parts(paths))
    try:
        with SidecarVerdicts(source, SETTINGS, processes_from) as verdicts:
            survey = survey_takeout(source, SETTINGS, sidecars_found=verdicts.add)
            read = verdicts.found()
            records = list(preview.forecast(survey, SETTINGS, read))
    finally:
        source.close()
    return [(record.key, record._replace(at="")) for record in records], len(read)  # a stand-in's time: now


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sidecar_verdicts, "CHUNK", 2)  # many chunks, handed back in order


@pytest.mark.usefixtures("small_chunks")
def test_worker_processes_foresee_what_pef_itself_does(tmp_path: Path) -> None:
    tree = odd_takeout(tmp_path / "Takeout")
    here, none = forecast_of([tree.root], processes_from=10**9)
    on_processes, read = forecast_of([tree.root], processes_from=0)
    assert (none, read) == (0, 11), "every sidecar, the broken one too, was read by a worker process"
    assert on_processes == here
    records = dict(here)
    assert len(records) == 13
    broken = records["Google Photos/Photos from 2019/broken.jpg"]
    assert (broken.status, broken.reason) == (FileStatus.UNMATCHED, Reason.BAD_SIDECAR)
    assert records["Google Photos/Photos from 2019/IMG_20200101_101010.jpg"].date_source is DateSource.FILENAME
    copy = records["Google Photos/Trip/IMG_003.jpg"]
    assert copy.copy_of == "Google Photos/Photos from 2019/IMG_003(1).jpg", "the album copy stands in for its photo"
    assert sum(record.status is FileStatus.DONE for record in records.values()) == 12


@pytest.mark.parametrize("read_ahead", [1, 300, 10**9])
def test_a_reader_gives_each_sidecars_verdict_in_order_however_much_it_reads_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_ahead: int
) -> None:
    tree = odd_takeout(tmp_path / "Takeout")
    source = PartsSource(find_parts([tree.root]))
    keys = survey_takeout(source, SETTINGS).used_sidecars()
    located = source.located(list(keys))
    assert located is not None
    zones = resolve_zone(SETTINGS.timezone)
    monkeypatch.setitem(sidecar_verdicts._ZONES, "zones", zones)  # what a reader process starts with
    monkeypatch.setattr(sidecar_verdicts, "READ_AHEAD", read_ahead)
    verdicts = sidecar_verdicts._judge_chunk(located)
    assert verdicts == [verdict_of(read_small(source, key), zones) for key in located.places]
    assert verdicts.count(None) == 1 and len(verdicts) == 11, "the broken sidecar says nothing usable"


def test_the_small_files_that_may_be_copies_are_read_by_the_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copies, "EARLY_MIN", 1)
    monkeypatch.setattr(process_digests, "CHUNK", 2)  # several chunks, a few at a time
    tree = odd_takeout(tmp_path / "Takeout")
    here = survey_takeout(PartsSource(find_parts([tree.root])), SETTINGS)
    read_here = photos_read_by(preview, monkeypatch)
    monkeypatch.setattr(preview, "SidecarVerdicts", functools.partial(SidecarVerdicts, processes_from=0))
    survey, _ = preview.look_through(find_parts([tree.root]), SETTINGS)
    assert survey.library.copies == here.library.copies
    assert {copy.kind for copy in here.library.copies.values()} == {CopyKind.ALBUM_COPY, CopyKind.DUPLICATE}
    assert read_here == [], "no photo was read by this process"


@pytest.mark.usefixtures("small_chunks")
def test_the_copies_digests_are_read_before_more_sidecars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process_digests, "CHUNK", 2)
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 20, 1561975200)
    source = PartsSource(find_parts([tree.root]))
    survey = survey_takeout(source, SETTINGS)
    handed: list[str] = []  # the thread that handed each chunk to the worker processes
    locate = source.located

    def located(keys: list[str]) -> object:
        handed.append(threading.current_thread().name)
        return locate(keys)

    monkeypatch.setattr(source, "located", located)
    photos, given = [task.key for task in survey.tasks], threading.Event()

    def photos_when_given() -> Iterator[str]:
        given.wait()
        yield from photos

    try:
        with SidecarVerdicts(source, SETTINGS, processes_from=0) as verdicts:
            verdicts.add([])  # the readers start
            digests = verdicts.digests(photos_when_given(), len(photos), PEEK_BYTES)
            verdicts.add([task.sidecar for task in survey.tasks if task.sidecar])
            time.sleep(0.5)  # the sidecars' chunks would be handed out within it
            before_given = list(handed)
            given.set()
            assert before_given == [], "no sidecar is handed out while the digests are being read"
            assert digests is not None and digests() is not None
            assert len(verdicts.found()) == 20
    finally:
        given.set()  # a failed check must not leave the digests waiting
        source.close()
    assert handed == ["pef-digests"] * 10 + ["pef-sidecars"] * 10, "all the digests' chunks, then the sidecars'"


@pytest.mark.usefixtures("small_chunks")
def test_an_archives_sidecars_are_read_here_in_order(tmp_path: Path) -> None:
    tree = odd_takeout(tmp_path / "Takeout")
    parts = zip_parts(tree.root, tmp_path / "parts", count=2)
    on_processes, read = forecast_of(parts, processes_from=0)
    assert read == 0, "an archive's sidecars are read by pef itself, with the part's stream"
    assert on_processes == forecast_of(parts, processes_from=10**9)[0] == forecast_of([tree.root], 0)[0]


def test_the_sidecars_are_read_as_the_scan_finds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "SIDECAR_BATCH", 4)
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 20, 1561975200)
    tree.dated_photos("Photos from 2020", 20, 1591975200)
    source = PartsSource(find_parts([tree.root]))
    before = set(multiprocessing.active_children())
    listed = source.entries
    readers_while_listing: list[int] = []

    def entries() -> Iterator[SourceEntry]:
        for entry in listed():
            readers_while_listing.append(len(set(multiprocessing.active_children()) - before))
            yield entry

    monkeypatch.setattr(source, "entries", entries)
    try:
        with SidecarVerdicts(source, SETTINGS, processes_from=8) as verdicts:
            survey_takeout(source, SETTINGS, sidecars_found=verdicts.add)
            readers = set(multiprocessing.active_children()) - before
            assert len(verdicts.found()) == 40
            niced = {os.getpriority(os.PRIO_PROCESS, 0) + NICENESS}
            deadline = time.monotonic() + 30  # a reader that had nothing to read may still be starting
            while {os.getpriority(os.PRIO_PROCESS, r.pid) for r in readers} != niced and time.monotonic() < deadline:
                time.sleep(0.01)
            assert {os.getpriority(os.PRIO_PROCESS, r.pid) for r in readers} == niced, "they yield to the survey"
    finally:
        source.close()
    assert readers and readers_while_listing[0] == 0, "none before the eighth sidecar found"
    assert readers_while_listing[-1] == len(readers), "all started while the scan went on"
    assert still_alive(set(multiprocessing.active_children()) - before) == 0


def test_a_takeout_of_archives_starts_no_readers(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 20, 1561975200)
    source = PartsSource(find_parts(zip_parts(tree.root, tmp_path / "parts", count=2)))
    before = set(multiprocessing.active_children())
    try:
        with SidecarVerdicts(source, SETTINGS, processes_from=0) as verdicts:
            survey_takeout(source, SETTINGS, sidecars_found=verdicts.add)
            assert set(multiprocessing.active_children()) - before == set()
            assert verdicts.found() == {}
    finally:
        source.close()


@pytest.mark.usefixtures("small_chunks")
def test_a_reading_process_killed_changes_nothing_of_the_forecast(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 400, 1561975200)  # 200 chunks: far more than a process reads as it starts
    expected, _ = forecast_of([tree.root], processes_from=10**9)
    source = PartsSource(find_parts([tree.root]))
    before = set(multiprocessing.active_children())
    try:
        with SidecarVerdicts(source, SETTINGS, processes_from=0) as verdicts:
            survey = survey_takeout(source, SETTINGS)
            verdicts.add([task.sidecar for task in survey.tasks if task.sidecar])
            workers = new_children(before)
            os.kill(next(iter(workers)).pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
            read = verdicts.found()
            got = list(preview.forecast(survey, SETTINGS, read))
    finally:
        source.close()
    assert len(read) < 400, "the processes broke before they read every sidecar"
    assert [(record.key, record._replace(at="")) for record in got] == expected


def test_an_error_in_pef_while_reading_is_raised_where_the_verdicts_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 4, 1561975200)
    source = PartsSource(find_parts([tree.root]))

    def located(_keys: list[str]) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(source, "located", located)
    try:
        with SidecarVerdicts(source, SETTINGS, processes_from=0) as verdicts:
            survey_takeout(source, SETTINGS, sidecars_found=verdicts.add)
            with pytest.raises(KeyError, match="a bug"):
                verdicts.found()
    finally:
        source.close()


def test_a_survey_that_fails_lets_go_of_the_readers(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 400, 1561975200)
    source = PartsSource(find_parts([tree.root]))
    before = set(multiprocessing.active_children())

    def scanned_then_fail(_counts: PartCounts) -> None:
        assert new_children(before), "the readers are at work"
        raise RuntimeError("the survey met an error")

    try:
        with pytest.raises(RuntimeError), SidecarVerdicts(source, SETTINGS, processes_from=0) as verdicts:
            survey_takeout(source, SETTINGS, scanned_then_fail, verdicts.add)
    finally:
        source.close()
    assert still_alive(set(multiprocessing.active_children()) - before) == 0
