"""Files without a sidecar dated from their names; `--no-name-dates`; `.xmp` files beside outputs on request."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import piexif
import pytest

from tests.builders import TakeoutTree, jpeg_bytes, mp4_bytes, sidecar
from tests.conftest import exiftool_json, run_pef
from tests.promises import report

SIDECAR_INSTANT = 1_561_975_200  # 2019-07-01 10:00:00 UTC
YEAR = "Photos from 2019"


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())


NAMED = {  # name → (DateTimeOriginal in UTC as exiftool prints it, its instant)
    "IMG_20190512_123456.jpg": ("2019:05:12 12:34:56", utc(2019, 5, 12, 12, 34, 56)),
    "PXL_20210101_235959123.jpg": ("2021:01:01 23:59:59", utc(2021, 1, 1, 23, 59, 59)),
    "IMG-20190512-WA0001.jpg": ("2019:05:12 12:00:00", utc(2019, 5, 12, 12)),
    "WhatsApp Image 2023-12-25 at 14.30.45.jpeg": ("2023:12:25 14:30:45", utc(2023, 12, 25, 14, 30, 45)),
    "Screenshot_2019-05-12-12-34-56.jpg": ("2019:05:12 12:34:56", utc(2019, 5, 12, 12, 34, 56)),
}
CAMERA_EXIF = piexif.dump({"Exif": {piexif.ExifIFD.DateTimeOriginal: b"2018:06:01 10:00:00"}})


def named_takeout(root: Path) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    for name in NAMED:
        tree.media(f"{YEAR}/{name}", jpeg_bytes())
    tree.media(f"{YEAR}/20231227_152817.mp4", mp4_bytes())
    tree.media(f"{YEAR}/IMG_20200101_000000.jpg", jpeg_bytes(exif=CAMERA_EXIF))  # the camera's date wins
    tree.media(f"{YEAR}/IMG_20190101_101010.jpg", jpeg_bytes(), "IMG_20190101_101010.jpg.json",
               sidecar("IMG_20190101_101010.jpg", SIDECAR_INSTANT))  # fmt: skip
    tree.media(f"{YEAR}/holiday.jpg", jpeg_bytes())
    tree.media(f"{YEAR}/IMG_20190303_101010.jpg", jpeg_bytes())
    tree.write_json(f"{YEAR}/IMG_20190303_101010.jpg.json", "{broken")  # a sidecar, though unusable
    return tree


def rows_by_name(output: Path) -> dict[str, dict]:
    return {row["source"].rpartition("/")[2]: row for row in report(output) if row["kind"] == "media"}


def test_files_without_sidecar_get_the_date_their_name_carries(tmp_path: Path) -> None:
    tree = named_takeout(tmp_path)
    run_pef("--path", tree.root, "--timezone", "UTC")
    output = tmp_path / "Takeout_pefProcessed"
    folder = output / "Google Photos" / YEAR
    rows = rows_by_name(output)
    for name, (wall, instant) in NAMED.items():
        exif = exiftool_json(folder / name)
        assert (exif["ExifIFD:DateTimeOriginal"], exif["ExifIFD:OffsetTimeOriginal"]) == (wall, "+00:00"), name
        assert exif["XMP-exif:DateTimeOriginal"] == wall + "+00:00", name
        assert (folder / name).stat().st_mtime == instant, name
        row = rows[name]
        assert (row["status"], row["reason"], row["date_source"]) == ("done", "", "filename"), name
        assert "dated from its name" in row["note"]
    assert "the day only: noon" in rows["IMG-20190512-WA0001.jpg"]["note"]
    movie = exiftool_json(folder / "20231227_152817.mp4")
    assert movie["QuickTime:CreateDate"] == "2023:12:27 15:28:17"  # the movie header is UTC
    assert rows["20231227_152817.mp4"]["date_source"] == "filename"
    camera = exiftool_json(folder / "IMG_20200101_000000.jpg")
    assert camera["ExifIFD:DateTimeOriginal"] == "2018:06:01 10:00:00"  # the camera's own date is kept
    assert rows["IMG_20200101_000000.jpg"]["date_source"] == "camera"
    with_sidecar = exiftool_json(folder / "IMG_20190101_101010.jpg")
    assert with_sidecar["ExifIFD:DateTimeOriginal"] == "2019:07:01 10:00:00"  # the sidecar, never the name
    assert rows["IMG_20190101_101010.jpg"]["date_source"] == "sidecar"
    assert rows["holiday.jpg"]["date_source"] == ""
    unusable = rows["IMG_20190303_101010.jpg"]
    assert (unusable["status"], unusable["reason"], unusable["date_source"]) == ("unmatched", "bad_sidecar", ""), (
        "a file with a sidecar, even an unusable one, is never dated from its name: Review is for that"
    )
    assert (folder / "holiday.jpg").read_bytes() == (tree.photos / YEAR / "holiday.jpg").read_bytes()


def test_name_dates_in_the_summary_and_off_with_no_name_dates(tmp_path: Path) -> None:
    tree = named_takeout(tmp_path)
    forecast = run_pef("--path", tree.root, "--dry-run").stdout
    assert re.search(r"date from name +7\b", forecast), forecast  # six photos and a movie
    assert "date from name" not in run_pef("--path", tree.root, "--dry-run", "--no-name-dates").stdout
    shown = run_pef("--path", tree.root, "--timezone", "UTC").stdout
    assert re.search(r"date from name +6\b", shown), shown  # the camera's own date won once
    run_pef("--path", tree.root, "--timezone", "UTC", "--no-name-dates", "--force")
    output = tmp_path / "Takeout_pefProcessed(1)"  # --force: a new folder beside the first
    folder = output / "Google Photos" / YEAR
    for name in (*NAMED, "20231227_152817.mp4"):
        assert (folder / name).read_bytes() == (tree.photos / YEAR / name).read_bytes(), name
    assert all(row["date_source"] != "filename" for row in rows_by_name(output).values())


@pytest.mark.parametrize("flag", [(), ("--xmp-files",)])
def test_xmp_files_only_on_request(tmp_path: Path, flag: tuple[str, ...]) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media(f"{YEAR}/a.jpg", jpeg_bytes(), "a.jpg.json", sidecar("a.jpg", SIDECAR_INSTANT, description="Été"))
    tree.media(f"{YEAR}/b.mp4", mp4_bytes(), "b.mp4.json", sidecar("b.mp4", SIDECAR_INSTANT, geo=(48.85, 2.35, 0)))
    run_pef("--path", tree.root, "--timezone", "UTC", *flag)
    folder = tmp_path / "Takeout_pefProcessed" / "Google Photos" / YEAR
    beside = sorted(path.name for path in folder.glob("*.xmp"))
    assert beside == (["a.jpg.xmp", "b.mp4.xmp"] if flag else [])
    for name in beside:
        xmp = exiftool_json(folder / name)
        assert xmp["XMP-exif:DateTimeOriginal"] == "2019:07:01 10:00:00+00:00"
        assert (folder / name).stat().st_mtime == SIDECAR_INSTANT
    if flag:
        assert exiftool_json(folder / "a.jpg.xmp")["XMP-dc:Description"] == "Été"
        assert exiftool_json(folder / "b.mp4.xmp")["XMP-exif:GPSLatitude"] == pytest.approx(48.85)


def test_odd_names_are_dated_from_their_names_too(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    folder = tree.photos / YEAR
    folder.mkdir(parents=True)
    (folder / "Cafe\u0301_20190512_123456.jpg").write_bytes(jpeg_bytes())  # NFD, as macOS writes it
    fd = os.open(bytes(folder) + b"/Photo \xff_20200101_101010.jpg", os.O_WRONLY | os.O_CREAT, 0o644)  # not UTF-8
    os.write(fd, jpeg_bytes())
    os.close(fd)
    run_pef("--path", tree.root, "--timezone", "UTC")
    output = tmp_path / "Takeout_pefProcessed"
    rows = [row for row in report(output) if row["kind"] == "media"]
    assert sorted(row["date_source"] for row in rows) == ["filename", "filename"]
    walls = sorted(exiftool_json(output / row["output"])["ExifIFD:DateTimeOriginal"] for row in rows)
    assert walls == ["2019:05:12 12:34:56", "2020:01:01 10:10:10"]
