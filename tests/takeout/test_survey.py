"""The survey: built without the cycle collector rescanning it file after file; the sidecars its files use."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from pef.model.outcomes import MatchKind
from pef.model.records import RunSettings
from pef.takeout import scan
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.source import SourceEntry
from pef.takeout.survey import survey_takeout
from tests.builders import TakeoutTree, jpeg_bytes, sidecar

PHOTO = jpeg_bytes()


def test_no_collection_runs_while_a_survey_builds_and_the_collector_is_given_back(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    for number in range(1500):
        name = f"IMG_{number:04d}.jpg"
        tree.media(f"Photos from 2019/{name}", PHOTO, f"{name}.supplemental-metadata.json", sidecar(name))
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    source = PartsSource(find_parts([tree.root]))
    gc.collect()  # a young generation emptied: the few objects made on the way in trip no collection
    gc.callbacks.append(count)
    try:
        survey = survey_takeout(source, RunSettings())
        during = list(collections)
        assert gc.isenabled()
        gc.disable()  # a caller's choice is kept
        survey_takeout(PartsSource(find_parts([tree.root])), RunSettings())
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)
    assert len(survey.tasks) == 1500 and all(task.sidecar for task in survey.tasks)
    assert len(during) <= 1  # only the one the collector runs as it is given back


def test_each_sidecar_used_is_named_once_in_order_even_when_a_photo_borrows_its_album_copys(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("Photos from 2019/IMG_B.jpg", PHOTO)  # no sidecar of its own: it borrows its album copy's
    tree.media("Trip/IMG_B.jpg", PHOTO, "IMG_B.jpg.supplemental-metadata.json", sidecar("IMG_B.jpg"))
    tree.write_json("Trip/metadata.json", {"title": "Trip"})
    other = jpeg_bytes(color=(10, 200, 10))
    tree.media("Photos from 2019/IMG_A.jpg", other, "IMG_A.jpg.supplemental-metadata.json", sidecar("IMG_A.jpg"))
    tree.media("Photos from 2019/IMG_C.jpg", jpeg_bytes(color=(10, 10, 200)))  # nothing to use
    survey = survey_takeout(PartsSource(find_parts([tree.root])), RunSettings())
    borrowed = {task.key: task for task in survey.tasks}["Google Photos/Photos from 2019/IMG_B.jpg"]
    assert (
        borrowed.match is MatchKind.ALBUM_COPY
        and borrowed.sidecar == "Google Photos/Trip/IMG_B.jpg.supplemental-metadata.json"
    )
    assert list(survey.used_sidecars()) == [
        "Google Photos/Photos from 2019/IMG_A.jpg.supplemental-metadata.json",
        "Google Photos/Trip/IMG_B.jpg.supplemental-metadata.json",
    ]


def test_the_sidecars_are_told_of_a_batch_at_a_time_as_the_scan_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "SIDECAR_BATCH", 4)
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", 6, 1561975200)
    tree.dated_photos("Photos from 2020", 5, 1591975200)
    tree.write_json("Trip/metadata.json", {"title": "Trip"})  # an album file: no sidecar
    source = PartsSource(find_parts([tree.root]))
    listed = source.entries
    told: list[tuple[int, list[str]]] = []  # (entries listed by then, the sidecars told of)
    seen = 0

    def entries() -> Iterator[SourceEntry]:
        nonlocal seen
        for entry in listed():
            seen += 1
            yield entry

    monkeypatch.setattr(source, "entries", entries)
    survey = survey_takeout(source, RunSettings(), sidecars_found=lambda batch: told.append((seen, batch)))
    batches = [list(batch) for _, batch in told]
    assert [len(batch) for batch in batches] == [4, 4, 3]
    assert [key for batch in batches for key in batch] == sorted(task.sidecar for task in survey.tasks)
    assert told[0][0] < seen, "the first batch is told of while the listing goes on"
