"""The forecast (dry run, preview): the same records whether worker processes read the sidecars or pef itself."""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from pef.model.outcomes import DateSource, FileStatus, Reason
from pef.model.records import RunSettings
from pef.run import preview
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import survey_takeout
from tests.archives import zip_parts
from tests.builders import TakeoutTree, jpeg_bytes, sidecar

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


def forecast_of(paths: list[Path], processes_from: int) -> list[tuple[str, object]]:
    source = PartsSource(find_parts(paths))
    try:
        records = list(preview.forecast(survey_takeout(source, SETTINGS), SETTINGS, processes_from))
    finally:
        source.close()
    return [(record.key, replace(record, at="")) for record in records]  # a stand-in's time: now


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview, "FORECAST_CHUNK", 2)  # many chunks, handed back in order


@pytest.mark.usefixtures("small_chunks")
def test_worker_processes_foresee_what_pef_itself_does(tmp_path: Path) -> None:
    tree = odd_takeout(tmp_path / "Takeout")
    here = forecast_of([tree.root], processes_from=10**9)
    on_processes = forecast_of([tree.root], processes_from=0)
    assert on_processes == here
    records = dict(here)
    assert len(records) == 13
    broken = records["Google Photos/Photos from 2019/broken.jpg"]
    assert (broken.status, broken.reason) == (FileStatus.UNMATCHED, Reason.BAD_SIDECAR)
    assert records["Google Photos/Photos from 2019/IMG_20200101_101010.jpg"].date_source is DateSource.FILENAME
    copy = records["Google Photos/Trip/IMG_003.jpg"]
    assert copy.copy_of == "Google Photos/Photos from 2019/IMG_003(1).jpg", "the album copy stands in for its photo"
    assert sum(record.status is FileStatus.DONE for record in records.values()) == 12


@pytest.mark.usefixtures("small_chunks")
def test_an_archives_sidecars_are_read_here_in_order(tmp_path: Path) -> None:
    tree = odd_takeout(tmp_path / "Takeout")
    parts = zip_parts(tree.root, tmp_path / "parts", count=2)
    assert forecast_of(parts, processes_from=0) == forecast_of(parts, processes_from=10**9)
    assert forecast_of(parts, processes_from=0) == forecast_of([tree.root], processes_from=0)


@pytest.mark.usefixtures("small_chunks")
def test_a_forecasting_process_killed_changes_nothing_of_the_forecast(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 60, 1561975200)  # 30 chunks: most are handed out after the kill
    expected = forecast_of([tree.root], processes_from=10**9)
    source = PartsSource(find_parts([tree.root]))
    before = set(multiprocessing.active_children())
    try:
        records = preview.forecast(survey_takeout(source, SETTINGS), SETTINGS, processes_from=0)
        got = [next(records)]
        workers = set(multiprocessing.active_children()) - before
        assert workers, "the forecast has worker processes"
        os.kill(next(iter(workers)).pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        got += list(records)
    finally:
        source.close()
    assert [(record.key, replace(record, at="")) for record in got] == expected
