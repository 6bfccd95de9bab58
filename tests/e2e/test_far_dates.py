"""Photos from before 1970 and after 2038, through the command line: every place pef writes a date holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import TakeoutTree, heic_bytes, jpeg_bytes, mp4_bytes, sidecar, tiff_bytes
from tests.conftest import exiftool_json, run_pef
from tests.promises import report

Y = "Photos from 1938"


@pytest.mark.parametrize(
    ("instant", "wall"), [(-1_000_000_000, "1938:04:24 22:13:20"), (2_500_000_000, "2049:03:22 04:26:40")]
)
def test_far_dates_in_every_format(tmp_path: Path, instant: int, wall: str) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    files = {"scan.jpg": jpeg_bytes(), "scan.tif": tiff_bytes(), "scan.heic": heic_bytes(), "film.mp4": mp4_bytes()}
    for name, data in files.items():
        tree.media(f"{Y}/{name}", data, f"{name}.json", sidecar(name, instant))
    run_pef("--path", tree.root, "--timezone", "UTC")
    output = tmp_path / "Takeout_pefProcessed"
    folder = output / "Google Photos" / Y
    for name in ("scan.jpg", "scan.tif", "scan.heic"):
        tags = exiftool_json(folder / name)
        assert tags["ExifIFD:DateTimeOriginal"] == wall, name
        assert tags["XMP-exif:DateTimeOriginal"] == f"{wall}+00:00", name
    movie = exiftool_json(folder / "film.mp4")
    assert movie["XMP-exif:DateTimeOriginal"] == f"{wall}+00:00"
    if instant > 0:
        assert movie["QuickTime:CreateDate"] == wall
    for name in files:
        assert (folder / name).stat().st_mtime == instant, f"{name}: the file time is the photo's"
    rows = {row["source"].rpartition("/")[2]: row for row in report(output) if row["kind"] == "media"}
    assert all(row["status"] == "done" for row in rows.values())
    if instant < 0:
        assert "1970" in rows["film.mp4"]["note"]
