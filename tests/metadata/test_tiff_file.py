"""TIFF written in place: camera tags kept, image strips untouched, read back by exiftool, piexif and Pillow."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC
from pathlib import Path

import piexif
import pytest
from PIL import Image, ImageSequence

from pef.metadata.formats import MediaFormat, media_format_of
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.model.photo import GeoPoint
from tests.builders import tiff_bytes
from tests.conftest import exiftool_json, exiftool_warnings, require_exiftool
from tests.metadata.written import written

PARIS = GeoPoint(48.8584, 2.2945, 35.0)
PLAN = MetadataPlan(1_700_000_000, UTC, PARIS, "Scan — été 1975", ("Ann",), False, ("Scans",))


def write(tmp_path: Path, data: bytes, name: str, plan: MetadataPlan = PLAN) -> tuple[Path, WriteResult]:
    return written(tmp_path, data, name, plan)


def camera_tiff(tmp_path: Path) -> bytes:
    path = tmp_path / "camera.tif"
    path.write_bytes(tiff_bytes((60, 40), compression="tiff_lzw"))
    tags = ["-Make=Nikon", "-Model=Coolscan", "-DateTimeOriginal=1975:06:01 12:00:00", "-ExposureTime=1/125"]
    subprocess.run([require_exiftool(), "-q", "-overwrite_original", *tags, str(path)], check=True)
    return path.read_bytes()


def test_tiff_gets_exif_and_xmp_in_place(tmp_path: Path) -> None:
    data = camera_tiff(tmp_path)
    out, result = write(tmp_path, data, "scan.tif")
    assert result.xmp_file is None
    written = out.read_bytes()
    assert written[8 : len(data)] == data[8:], "every byte of the source stays where it was"
    tags = exiftool_json(out)
    assert (tags["IFD0:Make"], tags["IFD0:Model"], tags["ExifIFD:ExposureTime"]) == ("Nikon", "Coolscan", 0.008)
    assert (tags["ExifIFD:DateTimeOriginal"], tags["ExifIFD:OffsetTimeOriginal"]) == ("2023:11:14 22:13:20", "+00:00")
    assert tags["XMP-exif:DateTimeOriginal"] == "2023:11:14 22:13:20+00:00"
    assert tags["XMP-dc:Description"] == "Scan — été 1975"
    assert tags["GPS:GPSLatitude"] == pytest.approx(PARIS.latitude, abs=1e-6)
    assert exiftool_warnings(out) == exiftool_warnings(tmp_path / "src-scan.tif")
    with Image.open(tmp_path / "src-scan.tif") as before, Image.open(out) as after:
        assert before.tobytes() == after.tobytes()
        assert after.getexif().get_ifd(0x8769)[0x9003] == "2023:11:14 22:13:20"
    read = piexif.load(str(out))
    assert read["0th"][piexif.ImageIFD.Model] == b"Coolscan"
    assert read["GPS"][piexif.GPSIFD.GPSLongitudeRef] == b"E"


def test_multi_page_tiff_keeps_every_page(tmp_path: Path) -> None:
    pages = [Image.new("RGB", (30, 20), (10 * n, 100, 200)) for n in range(3)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:])
    out, _ = write(tmp_path, buffer.getvalue(), "pages.tiff")
    with Image.open(io.BytesIO(buffer.getvalue())) as before, Image.open(out) as after:
        assert [p.tobytes() for p in ImageSequence.Iterator(before)] == [
            p.tobytes() for p in ImageSequence.Iterator(after)
        ]
    assert exiftool_warnings(out) == exiftool_warnings(tmp_path / "src-pages.tiff")


def test_a_tiff_without_exif_gets_what_validators_require(tmp_path: Path) -> None:
    out, _ = write(tmp_path, tiff_bytes(), "plain.tif")
    assert exiftool_warnings(out) == exiftool_warnings(tmp_path / "src-plain.tif"), "no new warning"
    assert exiftool_json(out)["GPS:GPSProcessingMethod"] == "MANUAL"


def test_raw_files_are_tiffs_by_their_bytes_but_keep_an_xmp_file() -> None:
    head = tiff_bytes()[:32]
    assert media_format_of(head, "scan.TIF") is MediaFormat.TIFF
    for name in ("a.NEF", "a.DNG", "a.CR2", "a.ARW", "a.tif.xmp"):
        assert media_format_of(head, name) is MediaFormat.TIFF_RAW, name


def test_a_dng_named_as_a_tiff_is_not_written_into(tmp_path: Path) -> None:
    path = tmp_path / "dng.tif"
    path.write_bytes(tiff_bytes())
    subprocess.run([require_exiftool(), "-q", "-overwrite_original", "-DNGVersion=1.4.0.0", str(path)], check=True)
    out, result = write(tmp_path, path.read_bytes(), "named.tif")
    assert out.read_bytes() == path.read_bytes()
    assert result.xmp_file is not None and "DNG" in result.note


@pytest.mark.parametrize(
    ("instant", "wall"), [(-1_000_000_000, "1938:04:24 22:13:20"), (4_102_444_800, "2100:01:01 00:00:00")]
)
def test_dates_far_from_1970(tmp_path: Path, instant: int, wall: str) -> None:
    plan = MetadataPlan(instant, UTC, None, "old")
    out, _ = write(tmp_path, tiff_bytes(), "far.tif", plan)
    assert exiftool_json(out)["ExifIFD:DateTimeOriginal"] == wall
