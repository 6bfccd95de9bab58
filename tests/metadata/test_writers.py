"""The lossless writers, file by file, read back with Pillow and exiftool."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from pef.metadata.exif import build_exif
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.plan import MetadataPlan
from pef.metadata.png import png_pieces
from pef.metadata.splice import CorruptMedia, write_pieces
from pef.metadata.timezone import resolve_zone
from pef.metadata.webp import webp_pieces
from pef.model.photo import GeoPoint
from tests.builders import (
    SAMPLES,
    jpeg_bytes,
    jpeg_scan_data,
    png_bytes,
    png_image_data,
    webp_bytes,
    webp_image_chunks,
)
from tests.conftest import exiftool_json, exiftool_warnings, require_exiftool

PARIS = resolve_zone("Europe/Paris").fixed
PLAN = MetadataPlan(1_561_975_200, PARIS, GeoPoint(-33.8568, -151.2153, -12.5), "Opéra")
CAMERA_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.jpg") if not p.name.startswith(("invalid", "corrupted")))


def splice(tmp_path: Path, data: bytes, builder, name: str, plan: MetadataPlan = PLAN) -> Path:
    source, target = tmp_path / f"src-{name}", tmp_path / name
    source.write_bytes(data)
    with open(source, "rb") as src:
        pieces = builder(src.fileno(), len(data), plan).pieces
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            write_pieces(src.fileno(), fd, pieces)
        finally:
            os.close(fd)
    return target


def assert_plan_written(path: Path) -> None:
    exif = exiftool_json(path)
    assert exif["ExifIFD:DateTimeOriginal"] == "2019:07:01 12:00:00"
    assert exif["ExifIFD:OffsetTimeOriginal"] == "+02:00"
    assert exif["IFD0:ModifyDate"] == "2019:07:01 12:00:00"
    assert exif["Composite:GPSLatitude"] == pytest.approx(-33.8568, abs=1e-5)
    assert exif["Composite:GPSLongitude"] == pytest.approx(-151.2153, abs=1e-5)
    assert exif["Composite:GPSAltitude"] == pytest.approx(-12.5, abs=1e-3)
    assert exif["IFD0:ImageDescription"] == "Opera", "EXIF's ASCII field gets the accent-free form"
    assert exif["IFD0:XPComment"] == "Opéra"
    assert exif["ExifIFD:UserComment"] == "Opéra"
    assert exif["XMP-dc:Description"] == "Opéra"


@pytest.mark.parametrize("name", CAMERA_SAMPLES)
def test_camera_jpeg_keeps_everything_and_gains_the_plan(tmp_path: Path, name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    out = splice(tmp_path, data, jpeg_pieces, name)
    assert_plan_written(out)
    assert jpeg_scan_data(out.read_bytes()) == jpeg_scan_data(data)
    before, after = exiftool_json(SAMPLES / name, "-MakerNotes:all"), exiftool_json(out, "-MakerNotes:all")
    before.pop("SourceFile"), after.pop("SourceFile")
    assert after == before
    assert set(exiftool_warnings(out)) <= set(exiftool_warnings(SAMPLES / name))
    untouched = ("IFD0:Make", "IFD0:Model", "ExifIFD:ExposureTime", "ExifIFD:FNumber", "IFD1:ThumbnailLength")
    full_before, full_after = exiftool_json(SAMPLES / name), exiftool_json(out)
    for tag in untouched:
        assert full_after.get(tag) == full_before.get(tag), tag


def test_thumbnail_survives_byte_for_byte(tmp_path: Path) -> None:
    name = "Canon_PowerShot_S40.jpg"
    out = splice(tmp_path, (SAMPLES / name).read_bytes(), jpeg_pieces, name)
    import subprocess

    def thumb(path: Path) -> bytes:
        command = [require_exiftool(), "-b", "-ThumbnailImage", str(path)]
        return subprocess.run(command, capture_output=True, check=True).stdout

    assert thumb(out) and thumb(out) == thumb(SAMPLES / name)


def test_big_endian_exif_is_extended_in_its_own_byte_order(tmp_path: Path) -> None:
    block = build_exif(None, PLAN).block
    assert block[:2] == b"II"
    big = b"MM\x00*\x00\x00\x00\x08" + b"\x00\x01" + b"\x01\x0f\x00\x02\x00\x00\x00\x06\x00\x00\x00\x1a" + b"\x00" * 4
    big += b"Canon\x00"
    data = jpeg_bytes()
    data = data[:2] + b"\xff\xe1" + (len(big) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + big + data[2:]
    out = splice(tmp_path, data, jpeg_pieces, "be.jpg")
    exif = exiftool_json(out)
    assert exif["File:ExifByteOrder"] == "MM"
    assert exif["IFD0:Make"] == "Canon"
    assert_plan_written(out)


def test_fresh_exif_in_a_plain_jpeg_validates(tmp_path: Path) -> None:
    out = splice(tmp_path, jpeg_bytes((320, 200)), jpeg_pieces, "plain.jpg")
    assert_plan_written(out)
    assert exiftool_warnings(out) == []
    assert exiftool_json(out)["ExifIFD:ExifImageWidth"] == 320
    with Image.open(out) as image:
        assert image.info.get("jfif") is not None, "JFIF APP0 is kept, first"
        assert image.getexif().get_ifd(0x8769)[0x9003] == "2019:07:01 12:00:00"


def test_existing_exif_is_replaced_in_place_not_duplicated(tmp_path: Path) -> None:
    once = splice(tmp_path, jpeg_bytes(), jpeg_pieces, "once.jpg")
    later = MetadataPlan(1_600_000_000, None)
    twice = splice(tmp_path, once.read_bytes(), jpeg_pieces, "twice.jpg", later)
    assert twice.read_bytes().count(b"Exif\x00\x00") == 1
    assert twice.read_bytes().count(b"http://ns.adobe.com/xap/1.0/\x00") == 1
    exif = exiftool_json(twice)
    assert exif["IFD0:ImageDescription"] == "Opera", "values not in the new plan stay"
    assert exif["XMP-dc:Description"] == "Opéra"
    assert exif["Composite:GPSLatitude"] == pytest.approx(-33.8568, abs=1e-5)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_png_gets_exif_chunk_before_image_data(tmp_path: Path, mode: str) -> None:
    data = png_bytes(mode=mode)
    out = splice(tmp_path, data, png_pieces, f"{mode}.png")
    assert_plan_written(out)
    assert png_image_data(out.read_bytes()) == png_image_data(data)
    raw = out.read_bytes()
    assert raw.index(b"eXIf") < raw.index(b"IDAT")
    with Image.open(out) as image:
        assert image.getexif().get_ifd(0x8769)[0x9003] == "2019:07:01 12:00:00"
    assert exiftool_warnings(out) == []


@pytest.mark.parametrize(("lossless", "alpha"), [(False, False), (True, False), (True, True), (False, True)])
def test_webp_gets_exif_chunk(tmp_path: Path, lossless: bool, alpha: bool) -> None:
    data = webp_bytes(lossless=lossless, alpha=alpha)
    out = splice(tmp_path, data, webp_pieces, "x.webp")
    assert_plan_written(out)
    assert webp_image_chunks(out.read_bytes()) == webp_image_chunks(data)
    with Image.open(io.BytesIO(data)) as a, Image.open(out) as b:
        assert a.size == b.size and a.mode == b.mode
        assert a.tobytes() == b.tobytes()
    assert exiftool_warnings(out) == []


@pytest.mark.parametrize(
    ("data", "builder"),
    [
        (b"\xff\xd8\xff\xe0\x00", jpeg_pieces),
        (b"\x89PNG\r\n\x1a\n\x00\x00", png_pieces),
        (b"RIFF\x04\x00\x00\x00WEBP", webp_pieces),
        (b"\xff\xd8\xff\xd9", jpeg_pieces),
        (b"\xff\xd8\xff\xe1\x00\x01", jpeg_pieces),
    ],
)
def test_truncated_headers_are_corrupt_media(tmp_path: Path, data: bytes, builder) -> None:
    with pytest.raises(CorruptMedia):
        splice(tmp_path, data, builder, "bad")


def test_hostile_ifd_pointers_do_not_hang_or_crash(tmp_path: Path) -> None:
    loop = (
        b"II*\x00\x08\x00\x00\x00"
        + b"\x01\x00"
        + b"\x69\x87\x04\x00\x01\x00\x00\x00\x08\x00\x00\x00"
        + b"\x08\x00\x00\x00"
    )
    block = build_exif(loop, PLAN).block
    assert block[8 : len(loop)] == loop[8:], "old bytes stay where they were"
    huge = b"II*\x00\x08\x00\x00\x00\xff\xff"
    assert "unreadable" in build_exif(huge, PLAN).note
