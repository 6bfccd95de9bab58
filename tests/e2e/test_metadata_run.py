"""A whole run with the default settings: the zone at each photo's place, albums, people, favourites,
the date's source in the report, and a file whose metadata does not read back."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pef.metadata import registry
from pef.metadata.formats import MediaFormat
from pef.metadata.plan import WriteResult
from pef.metadata.splice import whole_file
from pef.model.outcomes import FileStatus, Reason
from pef.model.records import RunSettings
from pef.run.engine import Engine
from pef.run.job import Job
from pef.takeout.parts import find_parts
from tests.builders import FIXTURES, SAMPLES, TakeoutTree, heic_bytes, jpeg_bytes, sidecar
from tests.conftest import exiftool_json, run_pef

INSTANT = 1_700_000_000  # 2023-11-14 22:13:20 UTC
TOKYO, NEW_YORK = (35.6895, 139.6917, 40.0), (40.7128, -74.006, 10.0)
Y = "Photos from 2023"


def takeout(root: Path) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    tree.media(f"{Y}/tokyo.jpg", jpeg_bytes(), "tokyo.jpg.json", sidecar("tokyo.jpg", INSTANT, geo=TOKYO))
    tree.media(f"{Y}/ny.jpg", jpeg_bytes(), "ny.jpg.json", sidecar("ny.jpg", INSTANT, geo=NEW_YORK))
    tree.media(f"{Y}/nowhere.jpg", jpeg_bytes(), "nowhere.jpg.json", sidecar("nowhere.jpg", INSTANT))
    people = sidecar("Canon_40D.jpg", INSTANT, geo=TOKYO, people=("Ann", "Bob"), favorited=True, description="Fuji")
    tree.media(f"{Y}/Canon_40D.jpg", (SAMPLES / "Canon_40D.jpg").read_bytes(), "Canon_40D.jpg.json", people)
    # Canon_40D.jpg's camera said 2008:05:30 15:56:01 on a clock 7 hours behind UTC: the sidecar's instant
    camera_instant = int(datetime(2008, 5, 30, 22, 56, 1, tzinfo=UTC).timestamp())
    canon = (SAMPLES / "Canon_40D.jpg").read_bytes()
    tree.media(f"{Y}/camera.jpg", canon, "camera.jpg.json", sidecar("camera.jpg", camera_instant, geo=TOKYO))
    tree.media(
        f"{Y}/clip.mp4",
        (FIXTURES / "phone_faststart.mp4").read_bytes(),
        "clip.mp4.json",
        sidecar("clip.mp4", INSTANT, geo=TOKYO),
    )
    tree.media(f"{Y}/IMG_1.HEIC", heic_bytes(), "IMG_1.HEIC.json", sidecar("IMG_1.HEIC", INSTANT, geo=TOKYO))
    tree.media("Trip to Japan/tokyo.jpg", jpeg_bytes(), "tokyo.jpg.json", sidecar("tokyo.jpg", INSTANT, geo=TOKYO))
    tree.write_json(
        "Trip to Japan/metadata.json", {"title": "Trip to Japan: Tōkyō", "description": "", "access": "protected"}
    )
    return tree


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict], str]:
    root = tmp_path_factory.mktemp("metadata")
    tree = takeout(root)
    env_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"  # "this computer's zone" for the photo without a place
    try:
        stdout = run_pef("--path", tree.root).stdout
    finally:
        if env_tz is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = env_tz
    output = root / "Takeout_pefProcessed"
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {row["source"]: row for row in csv.DictReader(handle)}
    return output / "Google Photos", rows, stdout


def test_each_photo_gets_the_zone_of_its_place(run) -> None:
    output, _, _ = run
    expected = {"tokyo.jpg": "+09:00", "ny.jpg": "-05:00", "nowhere.jpg": "+01:00"}
    for name, offset in expected.items():
        tags = exiftool_json(output / Y / name)
        assert tags["ExifIFD:OffsetTimeOriginal"] == offset, name
        assert tags["XMP-exif:DateTimeOriginal"].endswith(offset), name


def test_report_says_where_each_date_came_from(run) -> None:
    _, rows, _ = run
    assert rows[f"Google Photos/{Y}/tokyo.jpg"]["date_source"] == "sidecar"
    assert rows[f"Google Photos/{Y}/camera.jpg"]["date_source"] == "camera"
    assert rows[f"Google Photos/{Y}/Canon_40D.jpg"]["date_source"] == "sidecar_over_camera"
    assert rows[f"Google Photos/{Y}/clip.mp4"]["date_source"] == "sidecar"
    assert all(row["status"] == "done" for row in rows.values() if row["kind"] == "media")


def test_summary_counts_the_date_sources(run) -> None:
    *_, stdout = run
    lines = [" ".join(line.split()) for line in stdout.splitlines()]
    assert {"camera's time 1", "sidecar date 6", "date corrected 1"} <= set(lines)


def test_camera_time_kept_and_corrected_time_written(run) -> None:
    output, _, _ = run
    kept = exiftool_json(output / Y / "camera.jpg")
    assert (kept["ExifIFD:DateTimeOriginal"], kept["ExifIFD:OffsetTimeOriginal"]) == ("2008:05:30 15:56:01", "-07:00")
    corrected = exiftool_json(output / Y / "Canon_40D.jpg")
    assert corrected["ExifIFD:DateTimeOriginal"] == "2023:11:15 07:13:20"


def test_people_favourite_and_album(run) -> None:
    output, _, _ = run
    tags = exiftool_json(output / Y / "Canon_40D.jpg")
    assert tags["XMP-iptcExt:PersonInImage"] == ["Ann", "Bob"]
    assert tags["XMP-xmp:Rating"] == 5
    assert tags["XMP-dc:Description"] == "Fuji"
    album = exiftool_json(output / "Trip to Japan" / "tokyo.jpg")
    assert album["XMP-dc:Subject"] == "Trip to Japan: Tōkyō", "the album's own title, from its metadata.json"
    assert "XMP-dc:Subject" not in exiftool_json(output / Y / "tokyo.jpg"), "a year folder is no album"


def test_movie_and_heic(run) -> None:
    output, _, _ = run
    movie = exiftool_json(output / Y / "clip.mp4")
    assert movie["QuickTime:CreateDate"] == "2023:11:14 22:13:20"
    assert movie["UserData:GPSCoordinates"] == "35.6895 139.6917 40"
    heic = exiftool_json(output / Y / "IMG_1.HEIC")
    assert heic["XMP-exif:DateTimeOriginal"] == "2023:11:15 07:13:20+09:00"
    assert (heic["ExifIFD:DateTimeOriginal"], heic["ExifIFD:OffsetTimeOriginal"]) == ("2023:11:15 07:13:20", "+09:00")
    assert heic["GPS:GPSLatitude"] == pytest.approx(35.6895)
    assert (output / Y / "IMG_1.HEIC").stat().st_mtime == INSTANT
    assert not (output / Y / "IMG_1.HEIC.xmp").exists(), "the metadata is inside the file"


def test_state_file_records_the_date_source(run) -> None:
    output, _, _ = run
    state = json.loads((output.parent / "processing_state.json").read_text())
    assert state["settings"]["timezone"] == "auto"
    assert state["files"][f"Google Photos/{Y}/camera.jpg"]["date_source"] == "camera"


def test_metadata_that_does_not_read_back_fails_the_file_and_keeps_it(tmp_path: Path, monkeypatch) -> None:
    """A writer that silently drops what it was asked to write (the fault is injected at the registry)."""

    def forgetful(_fd: int, size: int, plan) -> WriteResult:
        when, source = plan.dated()
        return WriteResult(whole_file(size), when, source)

    jpeg = registry.HANDLERS[MediaFormat.JPEG]
    monkeypatch.setitem(registry.HANDLERS, MediaFormat.JPEG, registry.FormatHandler(forgetful, jpeg.check, True))
    tree = TakeoutTree(tmp_path / "Takeout")
    data = jpeg_bytes()
    tree.media("a.jpg", data, "a.jpg.json", sidecar("a.jpg", INSTANT, geo=TOKYO))
    job = Job(find_parts([tree.root]), tmp_path / "out", RunSettings())
    Engine(job, lambda _event: None).run()
    state = json.loads((tmp_path / "out" / "processing_state.json").read_text())
    entry = state["files"]["Google Photos/a.jpg"]
    assert (entry["status"], entry["reason"]) == (FileStatus.FAILED, Reason.VERIFY_MISMATCH)
    assert "did not read back" in entry["error"] and "DateTimeOriginal" in entry["error"]
    assert (tmp_path / "out" / "Google Photos" / "a.jpg").read_bytes() == data, "copied unchanged, not lost"
    assert not list((tmp_path / "out").rglob("*.pef-partial"))
