"""A run that will process a folder's files on worker processes starts them while it surveys (each takes a
fifth of a second to start); a run that will not use them starts none."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pef.model.events import ScanFinished
from pef.model.records import RunSettings
from pef.run import engine
from pef.run.engine import Engine
from pef.run.job import Job
from pef.run.output_files import OutputFiles
from pef.state.outputs import OutputLock, OutputLocked
from pef.takeout import copies
from pef.takeout.file_digests import PEEK_BYTES
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import survey_takeout
from tests.archives import zip_parts
from tests.builders import TakeoutTree
from tests.processes import still_alive
from tests.reads import photos_read_by

SETTINGS = RunSettings(timezone="UTC")


def processes_when_surveyed(parts: list[Path], output: Path, **engine_options) -> tuple[int, str, int]:
    """How many processes the run had started when its survey ended, its status, and how many it left behind."""
    before = set(multiprocessing.active_children())
    seen: list[int] = []

    def sink(event: object) -> None:
        if isinstance(event, ScanFinished):
            seen.append(len(set(multiprocessing.active_children()) - before))

    summary = Engine(Job(find_parts(parts), output, SETTINGS, workers=2), sink, **engine_options).run()
    return seen[0], summary.status, still_alive(set(multiprocessing.active_children()) - before)


def test_a_run_of_a_folders_many_files_starts_its_workers_before_its_survey_ends(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 240, 1_561_975_200)
    started, status, alive = processes_when_surveyed([tree.root], tmp_path / "out")
    assert (started, status, alive) == (2, "completed", 0)


def test_runs_that_would_not_use_worker_processes_start_none(tmp_path: Path) -> None:
    few = TakeoutTree(tmp_path / "few" / "Takeout")
    few.dated_photos("Photos from 2019", 20, 1_561_975_200)
    assert processes_when_surveyed([few.root], tmp_path / "out-few") == (0, "completed", 0)

    many = TakeoutTree(tmp_path / "many" / "Takeout")
    many.dated_photos("Photos from 2019", 240, 1_561_975_200)
    parts = zip_parts(many.root, tmp_path / "zips", count=2)  # an archive's entries are read by this process
    assert processes_when_surveyed(parts, tmp_path / "out-zip") == (0, "completed", 0)
    # a drive of the tests' own keeps every file in this process
    assert processes_when_surveyed([many.root], tmp_path / "out-own", files=OutputFiles()) == (0, "completed", 0)


def test_a_run_that_never_begins_lets_go_of_the_workers_it_started(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 240, 1_561_975_200)
    output = tmp_path / "out"
    output.mkdir()
    before = set(multiprocessing.active_children())
    surveyed: list[int] = []

    def sink(event: object) -> None:
        if isinstance(event, ScanFinished):
            surveyed.append(len(set(multiprocessing.active_children()) - before))

    with OutputLock(output), pytest.raises(OutputLocked):  # another run holds the folder: known after the survey
        Engine(Job(find_parts([tree.root]), output, SETTINGS, workers=2), sink).run()
    assert surveyed == [2] and still_alive(set(multiprocessing.active_children()) - before) == 0


@pytest.mark.parametrize("padded", [False, True])
def test_the_surveys_small_files_that_may_be_copies_are_read_by_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, padded: bool
) -> None:
    """Their first bytes while the survey matches, and (`padded`: bigger than those) whole where those agree."""
    monkeypatch.setattr(copies, "EARLY_MIN", 1)
    monkeypatch.setattr(copies, "ELSEWHERE_MIN", 1)
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 240, 1_561_975_200)
    for photo in (tree.photos / "Photos from 2019").glob("*.jpg") if padded else ():
        photo.write_bytes(photo.read_bytes().ljust(3 * PEEK_BYTES, b"\x00"))  # kept after the image
    found = survey_takeout(PartsSource(find_parts([tree.root])), SETTINGS).library.copies
    read_here = photos_read_by(engine, monkeypatch)
    summary = Engine(Job(find_parts([tree.root]), tmp_path / "out", SETTINGS, workers=2), lambda _event: None).run()
    assert (summary.status, summary.duplicates) == ("completed", len(found)) and found
    assert read_here == [], "no photo was read by this process"
