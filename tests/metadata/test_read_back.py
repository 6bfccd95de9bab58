"""The read-back check's own JPEG and EXIF readers, against piexif on real camera files and on pef's output."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import piexif
import pytest

from pef.metadata.exif import DATE_TIME_ORIGINAL, GPS_LATITUDE, IMAGE_DESCRIPTION
from pef.metadata.read_back import EXIF_POINTER, GPS_POINTER, Unreadable, jpeg_metadata, read_exif
from pef.metadata.verify import check_jpeg
from tests.builders import SAMPLES, jpeg_bytes
from tests.metadata.test_writers import CAMERA_SAMPLES, PLAN
from tests.metadata.written import written


def read_back(path: Path):
    fd = os.open(path, os.O_RDONLY)
    try:
        return jpeg_metadata(fd)
    finally:
        os.close(fd)


def text(value: object) -> object:
    return value.split(b"\x00", 1)[0].decode("latin-1") if isinstance(value, bytes) else value


@pytest.mark.parametrize("name", CAMERA_SAMPLES)
def test_camera_files_read_as_piexif_reads_them(name: str) -> None:
    found = read_back(SAMPLES / name)
    oracle = piexif.load(str(SAMPLES / name))
    if found.exif is None:
        assert not any(oracle[ifd] for ifd in ("0th", "Exif", "GPS"))
        return
    tags = read_exif(found.exif)
    for tag in (0x010F, 0x0110, 0x0132):  # Make, Model, DateTime: ASCII in IFD0
        assert tags.get(tag) == text(oracle["0th"].get(tag))
    assert tags.get_ifd(EXIF_POINTER).get(DATE_TIME_ORIGINAL) == text(oracle["Exif"].get(DATE_TIME_ORIGINAL))
    if GPS_LATITUDE in oracle["GPS"]:
        expected = tuple(top / bottom for top, bottom in oracle["GPS"][GPS_LATITUDE])
        assert tags.get_ifd(GPS_POINTER)[GPS_LATITUDE] == pytest.approx(expected)


def test_pef_output_reads_as_piexif_reads_it(tmp_path: Path) -> None:
    target, _ = written(tmp_path, jpeg_bytes(), "a.jpg", PLAN)
    found = read_back(target)
    tags, oracle = read_exif(found.exif), piexif.load(str(target))
    assert tags.get(IMAGE_DESCRIPTION) == text(oracle["0th"][IMAGE_DESCRIPTION])
    assert tags.get_ifd(EXIF_POINTER)[DATE_TIME_ORIGINAL] == text(oracle["Exif"][DATE_TIME_ORIGINAL])
    latitude = tuple(top / bottom for top, bottom in oracle["GPS"][GPS_LATITUDE])
    assert tags.get_ifd(GPS_POINTER)[GPS_LATITUDE] == pytest.approx(latitude)
    assert found.xmp is not None and b"Op\xc3\xa9ra" in found.xmp


def test_a_date_changed_on_the_disk_is_caught(tmp_path: Path) -> None:
    target, result = written(tmp_path, jpeg_bytes(), "a.jpg", PLAN)
    data = target.read_bytes()
    written_date = result.when.exif_datetime.encode()
    assert data.count(written_date) >= 1
    target.write_bytes(data.replace(written_date, b"1999:01:01 00:00:00"))
    problems = check_jpeg(target, PLAN, result, None)
    assert any(problem.startswith("DateTimeOriginal reads '1999:01:01 00:00:00'") for problem in problems)


@pytest.mark.parametrize("cut", [1, 3, 30, 200])
def test_a_cut_or_foreign_file_is_reported_not_raised(tmp_path: Path, cut: int) -> None:
    target, result = written(tmp_path, jpeg_bytes(), "a.jpg", PLAN)
    target.write_bytes(target.read_bytes()[:cut])
    assert check_jpeg(target, PLAN, result, None) != []
    target.write_bytes(b"GIF89a" + bytes(100))
    assert check_jpeg(target, PLAN, result, None) == ["the JPEG cannot be read back (no start-of-image marker)"]


def test_a_tiff_block_pointing_past_its_end_is_unreadable_where_it_is_read() -> None:
    with pytest.raises(Unreadable):
        read_exif(b"II*\x00\xff\x00\x00\x00")
    description_past_the_end = read_exif(
        b"MM\x00*\x00\x00\x00\x08\x00\x01\x01\x0e\x00\x02\x00\x00\x00\x10\x00\x00\x01\x00"
    )
    with pytest.raises(Unreadable, match="tag 0x010e points past the block"):
        description_past_the_end.get(IMAGE_DESCRIPTION)


def _entry_pointing_past_the_block(data: bytearray, tag: int) -> None:
    """Turn the offset of one IFD0 entry of the first Exif APP1 past the block's end (a cut or careless editor)."""
    block = data.index(b"Exif\x00\x00") + 6
    order = "<" if data[block : block + 2] == b"II" else ">"
    ifd0 = block + struct.unpack_from(order + "I", data, block + 4)[0]
    for index in range(struct.unpack_from(order + "H", data, ifd0)[0]):
        entry = ifd0 + 2 + 12 * index
        if struct.unpack_from(order + "H", data, entry)[0] == tag:
            struct.pack_into(order + "I", data, entry + 8, 0x7FFFFFF0)
            return
    raise AssertionError(f"no tag {tag:#06x} in IFD0")


def test_a_camera_tag_pointing_past_the_block_does_not_fail_what_pef_wrote(tmp_path: Path) -> None:
    """Before, the check read every entry, found the camera's broken Make, and the photo lost the sidecar's date."""
    data = bytearray((SAMPLES / "Canon_DIGITAL_IXUS_400.jpg").read_bytes())
    _entry_pointing_past_the_block(data, 0x010F)
    target, result = written(tmp_path, bytes(data), "camera.jpg", PLAN)  # pef's own check agrees
    oracle = piexif.load(str(target))
    assert oracle["Exif"][DATE_TIME_ORIGINAL].decode() == result.when.exif_datetime
    assert check_jpeg(target, PLAN, result, None) == []
    broken = bytearray(target.read_bytes())  # and a broken tag pef wrote is still caught
    _entry_pointing_past_the_block(broken, IMAGE_DESCRIPTION)
    target.write_bytes(broken)
    assert check_jpeg(target, PLAN, result, None) == ["the JPEG cannot be read back (tag 0x010e points past the block)"]


def test_a_header_past_the_first_read_is_read_from_the_disk(tmp_path: Path) -> None:
    """An XMP packet kept in its place after a 65 KB colour profile lies past the 64 KB the reader takes in one call."""
    photo = jpeg_bytes(icc_profile=bytes(65_000))
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
        b"</x:xmpmeta>"
    )
    tables = photo.index(b"\xff\xdb")  # the XMP goes after the profile, before the quantisation tables
    source = photo[:tables] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + photo[tables:]
    target, result = written(tmp_path, source, "a.jpg", PLAN)
    data = target.read_bytes()
    xmp_at = data.index(b"http://ns.adobe.com/xap/1.0/\x00")
    assert xmp_at > 64 * 1024
    found = read_back(target)
    assert found.xmp is not None and b"Op\xc3\xa9ra" in found.xmp
    assert read_exif(found.exif).get(IMAGE_DESCRIPTION) == text(piexif.load(str(target))["0th"][IMAGE_DESCRIPTION])
    stamp = result.when.iso.encode()
    target.write_bytes(data[:xmp_at] + data[xmp_at:].replace(stamp, b"1999-01-01T00:00:00+00:00"))
    assert any(problem.startswith("XMP CreateDate reads") for problem in check_jpeg(target, PLAN, result, None))
