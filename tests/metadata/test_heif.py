"""HEIC, HEIF and AVIF written in place: read back by exiftool, piexif, Pillow and pillow-heif, never by pef alone."""

from __future__ import annotations

import io
import struct
import subprocess
import tempfile
from pathlib import Path

import piexif
import pillow_heif
import pytest
from PIL import Image

from pef.metadata.plan import MetadataPlan, Omitted, WriteResult
from pef.model.photo import GeoPoint
from tests.builders import SAMPLES, avif_bytes, heic_bytes, heif_pixels, movie_boxes, movie_media_data
from tests.conftest import EXIFTOOL, exiftool_json, exiftool_warnings, require_exiftool
from tests.metadata.written import written

INSTANT = 1_700_000_000  # 2023-11-14 22:13:20 UTC
PARIS = GeoPoint(48.8584, 2.2945, 35.0)
PLAN = MetadataPlan(INSTANT, None, PARIS, "Tour Eiffel — été", ("Ann",), True, ("Paris 2023",))
PHONE = (SAMPLES / "heic_IMG_5195.HEIC").read_bytes()
# what pef sets, and what exiftool derives from the file itself (sizes and offsets move)
PEF_TAGS = {"ModifyDate", "DateTimeOriginal", "CreateDate", "OffsetTime", "OffsetTimeOriginal",
            "OffsetTimeDigitized", "ImageDescription", "XPComment", "UserComment", "ExifVersion"}  # fmt: skip


def utc_plan(instant: int = INSTANT, geo: GeoPoint | None = PARIS) -> MetadataPlan:
    from datetime import UTC

    return MetadataPlan(instant, UTC, geo, "Tour Eiffel — été", ("Ann",), True, ("Paris 2023",))


def write(tmp_path: Path, data: bytes, name: str, plan: MetadataPlan = PLAN) -> tuple[Path, WriteResult]:
    return written(tmp_path, data, name, plan)


def exif_tags(path: Path, group: str = "EXIF:all") -> dict:
    return {key.split(":", 1)[1]: value for key, value in exiftool_json(path, f"-{group}").items() if ":" in key}


def assert_written(path: Path, wall: str = "2023:11:14 22:13:20", offset: str = "+00:00") -> None:
    tags = exiftool_json(path)
    assert (tags["ExifIFD:DateTimeOriginal"], tags["ExifIFD:OffsetTimeOriginal"]) == (wall, offset)
    assert tags["XMP-exif:DateTimeOriginal"] == f"{wall}{offset}"
    assert tags["GPS:GPSLatitude"] == pytest.approx(PARIS.latitude, abs=1e-6)
    assert tags["GPS:GPSLongitude"] == pytest.approx(PARIS.longitude, abs=1e-6)
    assert tags["XMP-dc:Description"] == "Tour Eiffel — été"
    assert tags["XMP-iptcExt:PersonInImage"] == "Ann"
    assert tags["XMP-lr:HierarchicalSubject"] == ["People|Ann", "Albums|Paris 2023"]
    assert tags["XMP-xmp:Rating"] == 5


def piexif_of(path: Path) -> dict:
    """The Exif item as pillow-heif hands it out, read by piexif (a reader that shares nothing with pef)."""
    if path.read_bytes()[8:12] == b"avif":
        with Image.open(path) as image:
            return piexif.load(image.info["exif"])
    return piexif.load(pillow_heif.open_heif(path).info["exif"])


def test_iphone_heic_keeps_camera_tags_makernote_and_pixels(tmp_path: Path) -> None:
    out, result = write(tmp_path, PHONE, "IMG_5195.HEIC", utc_plan())
    assert not result.omitted and result.xmp_file is None
    assert_written(out)
    source = tmp_path / "src-IMG_5195.HEIC"
    before, after = exif_tags(source), exif_tags(out)
    kept = [k for k in before if k not in PEF_TAGS and not k.startswith("GPS")]  # pef sets the place
    assert {k: before[k] for k in kept} == {k: after.get(k) for k in kept}, "every camera tag is kept"
    makernote = [EXIFTOOL or "exiftool", "-b", "-MakerNoteApple"]
    assert (
        subprocess.run([*makernote, str(source)], capture_output=True).stdout
        == subprocess.run([*makernote, str(out)], capture_output=True).stdout
    )
    assert exif_tags(source, "MakerNotes:all") == exif_tags(out, "MakerNotes:all")
    assert exiftool_warnings(out) == exiftool_warnings(source)
    assert movie_media_data(out.read_bytes())[:-1] == movie_media_data(PHONE), "the coded image data is untouched"
    assert heif_pixels(out.read_bytes()) == heif_pixels(PHONE)
    camera = piexif_of(out)
    assert camera["0th"][piexif.ImageIFD.Make] == b"Apple"
    assert camera["Exif"][piexif.ExifIFD.DateTimeOriginal] == b"2023:11:14 22:13:20"


def test_heif_with_exiftool_xmp_keeps_its_other_properties(tmp_path: Path) -> None:
    data = (SAMPLES / "heic_samplefilehub.heif").read_bytes()
    out, _ = write(tmp_path, data, "sample.heif", utc_plan())
    assert_written(out)
    assert exiftool_json(out)["XMP-tiff:Orientation"] == 1, "the file's own XMP properties stay"
    assert exiftool_warnings(out) == exiftool_warnings(tmp_path / "src-sample.heif")
    assert heif_pixels(out.read_bytes()) == heif_pixels(data)


@pytest.mark.parametrize("with_exif", [False, True])
def test_heic_from_pillow_heif_with_and_without_an_exif_item(tmp_path: Path, with_exif: bool) -> None:
    camera = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Maker", piexif.ImageIFD.Model: b"Phone 9"}})
    image = Image.new("RGB", (64, 64), (90, 60, 30))
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, quality=60, **({"exif": camera} if with_exif else {}))
    data = buffer.getvalue()
    out, _ = write(tmp_path, data, "made.heic", utc_plan())
    assert_written(out)
    assert exiftool_warnings(out) == []
    assert heif_pixels(out.read_bytes()) == heif_pixels(data)
    if with_exif:
        assert exiftool_json(out)["IFD0:Model"] == "Phone 9"
    assert piexif_of(out)["GPS"][piexif.GPSIFD.GPSLatitudeRef] == b"N"


@pytest.mark.parametrize("with_exif", [False, True])
def test_avif(tmp_path: Path, with_exif: bool) -> None:
    camera = Image.Exif()
    camera[0x0110] = "Pixel 9"
    data = avif_bytes(**({"exif": camera.tobytes()} if with_exif else {}))
    out, _ = write(tmp_path, data, "photo.avif", utc_plan())
    assert_written(out)
    assert exiftool_warnings(out) == []
    assert heif_pixels(out.read_bytes()) == heif_pixels(data)
    with Image.open(out) as image:
        assert image.getexif().get_ifd(0x8769)[0x9003] == "2023:11:14 22:13:20"
        if with_exif:
            assert image.getexif()[0x0110] == "Pixel 9"


def test_multi_image_heic_with_thumbnails_keeps_every_image(tmp_path: Path) -> None:
    heif = pillow_heif.from_pillow(Image.new("RGB", (96, 64), (200, 10, 10)))
    heif.add_from_pillow(Image.new("RGB", (64, 96), (10, 200, 10)))  # a burst's second frame
    heif.add_from_pillow(Image.new("L", (48, 32), 77))
    heif[0].info["thumbnails"] = [24]
    buffer = io.BytesIO()
    heif.save(buffer, quality=70)
    data = buffer.getvalue()
    out, _ = write(tmp_path, data, "burst.heic", utc_plan())
    assert_written(out)
    decoded = heif_pixels(data)
    assert len(decoded) >= 4 and heif_pixels(out.read_bytes()) == decoded
    assert exiftool_warnings(out) == []


@pytest.mark.parametrize(
    ("instant", "wall"),
    [(-1_000_000_000, "1938:04:24 22:13:20"), (2_500_000_000, "2049:03:22 04:26:40"), (0, "1970:01:01 00:00:00")],
)
def test_dates_before_1970_and_after_2038(tmp_path: Path, instant: int, wall: str) -> None:
    out, _ = write(tmp_path, heic_bytes(), "old.heic", utc_plan(instant))
    tags = exiftool_json(out)
    assert tags["ExifIFD:DateTimeOriginal"] == wall
    assert tags["XMP-exif:DateTimeOriginal"] == f"{wall}+00:00"
    assert piexif_of(out)["Exif"][piexif.ExifIFD.DateTimeOriginal] == wall.encode()


def test_an_image_sequence_gets_an_xmp_file_beside_it(tmp_path: Path) -> None:
    data = heic_bytes()
    sequence = data + struct.pack(">I4s", 16, b"moov") + struct.pack(">I4s", 8, b"free")  # a track of its own
    out, result = write(tmp_path, sequence, "sequence.heic", utc_plan())
    assert out.read_bytes() == sequence
    assert Omitted.IN_FILE in result.omitted and "image sequence" in result.note
    assert exiftool_json(tmp_path / "sequence.heic.xmp")["XMP-exif:DateTimeOriginal"] == "2023:11:14 22:13:20+00:00"


def test_a_last_box_to_the_end_of_the_file_gets_its_size(tmp_path: Path) -> None:
    data = bytearray(heic_bytes())
    kind, offset, _size = movie_boxes(bytes(data))[-1]
    assert kind == b"mdat"
    struct.pack_into(">I", data, offset, 0)  # "to the end of the file", as some writers leave it
    out, _ = write(tmp_path, bytes(data), "open.heic", utc_plan())
    assert_written(out)
    assert heif_pixels(out.read_bytes()) == heif_pixels(heic_bytes())


def test_exiftool_validates_every_written_heif(tmp_path: Path) -> None:
    require_exiftool()
    for name, data in (("a.heic", heic_bytes()), ("b.avif", avif_bytes()), ("c.HEIC", PHONE)):
        out, _ = write(tmp_path, data, name)
        assert exiftool_warnings(out) == exiftool_warnings(tmp_path / f"src-{name}"), name


def exif_in_idat(data: bytes) -> bytes:
    """The same HEIC with its Exif item moved into the meta box's idat (construction method 1), as some writers do."""
    from pef.metadata.heif import _place_items, read_meta
    from pef.metadata.heif_items import item_bytes
    from pef.metadata.isobmff import Box, top_level_boxes
    from pef.metadata.splice import SourceReader

    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        reader = SourceReader(handle.fileno())
        meta, tables = read_meta(reader, top_level_boxes(reader, len(data)))
        item = tables.metadata_item(b"Exif")
        assert item is not None and not any(child.kind == b"idat" for child in tables.children)
        exif = item_bytes(tables, item, reader, 1 << 20)
    assert exif is not None
    tables.children.append(Box(b"idat", exif))
    place = tables.location(item)
    assert place is not None
    place.method, place.base, place.extents = 1, 0, [(0, 0, len(exif))]
    return data[: meta.offset] + _place_items(tables, meta, len(data), {}) + data[meta.end :]


def test_an_exif_item_stored_in_idat_is_read_and_kept(tmp_path: Path) -> None:
    camera = piexif.dump({"0th": {piexif.ImageIFD.Make: b"Maker", piexif.ImageIFD.Model: b"Idat 1"}})
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 64), (30, 60, 90))).save(buffer, quality=60, exif=camera)
    data = exif_in_idat(buffer.getvalue())
    source = tmp_path / "idat.heic"
    source.write_bytes(data)
    assert piexif_of(source)["0th"][piexif.ImageIFD.Model] == b"Idat 1", "libheif reads the Exif from idat"
    out, _ = write(tmp_path, data, "written.heic", utc_plan())
    assert_written(out)
    assert exiftool_json(out)["IFD0:Model"] == "Idat 1", "exiftool 12.57 cannot read Exif in idat"
    assert piexif_of(out)["0th"][piexif.ImageIFD.Model] == b"Idat 1"
    assert heif_pixels(out.read_bytes()) == heif_pixels(data)
    assert exiftool_warnings(out) == []
