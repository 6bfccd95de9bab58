"""Every format carries date, place and words after writing: read back with exiftool and Pillow."""

from __future__ import annotations

import io
import struct
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from pef.metadata.dates import camera_date, choose_date
from pef.metadata.formats import MediaFormat, sniff
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult
from pef.metadata.registry import handler_for, metadata_writer
from pef.metadata.timezone import local_day, resolve_zone, wall_clock
from pef.metadata.xmp import merge_xmp, read_xmp, xmp_properties
from pef.model.outcomes import DateSource
from pef.model.photo import GeoPoint, Metadata
from tests.builders import (
    FIXTURES,
    SAMPLES,
    jpeg_bytes,
    jpeg_scan_data,
    movie_chunk_heads,
    movie_media_data,
    png_bytes,
    png_image_data,
    webp_bytes,
    webp_image_chunks,
)
from tests.conftest import exiftool_json, exiftool_warnings, require_exiftool
from tests.metadata.written import written

TOKYO = GeoPoint(35.6895, 139.6917, 40.0)
NEW_YORK = GeoPoint(40.7128, -74.0060)
INSTANT = 1_700_000_000  # 2023-11-14 22:13:20 UTC
AUTO = resolve_zone("auto")


def plan_for(geo: GeoPoint | None = TOKYO, taken: int | None = INSTANT, **words) -> MetadataPlan:
    albums = words.pop("albums", ())
    return MetadataPlan.of(Metadata("t", taken, geo, **words), AUTO, albums)


RICH = plan_for(description="Fuji — été 富士山", people=("Ann Lee", "Bob"), favorited=True, albums=("Japan 2023",))


def write(tmp_path: Path, data: bytes, name: str, plan: MetadataPlan = RICH) -> tuple[Path, WriteResult]:
    return written(tmp_path, data, name, plan)


def assert_words(tags: dict, tokyo_time: str = "2023:11:15 07:13:20+09:00") -> None:
    assert tags["XMP-exif:DateTimeOriginal"] == tokyo_time
    assert tags["XMP-xmp:CreateDate"] == tokyo_time
    assert tags["XMP-dc:Description"] == "Fuji — été 富士山"
    assert tags["XMP-iptcExt:PersonInImage"] == ["Ann Lee", "Bob"]
    assert tags["XMP-dc:Subject"] == ["Ann Lee", "Bob", "Japan 2023"]
    assert "Albums|Japan 2023" in tags["XMP-lr:HierarchicalSubject"]
    assert tags["XMP-xmp:Rating"] == 5
    assert tags["XMP-exif:GPSLatitude"] == pytest.approx(TOKYO.latitude, abs=1e-6)
    assert tags["XMP-exif:GPSLongitude"] == pytest.approx(TOKYO.longitude, abs=1e-6)


# --- time zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geo", "offset"),
    [
        (TOKYO, "+09:00"),
        (NEW_YORK, "-05:00"),
        (GeoPoint(-33.8568, 151.2153), "+11:00"),
        (GeoPoint(27.7, 85.3), "+05:45"),
    ],
)
def test_auto_zone_is_the_zone_at_the_photos_place(tmp_path: Path, geo: GeoPoint, offset: str) -> None:
    out, result = write(tmp_path, jpeg_bytes(), "p.jpg", plan_for(geo))
    tags = exiftool_json(out)
    assert tags["ExifIFD:OffsetTimeOriginal"] == offset
    stamp = datetime.strptime(tags["ExifIFD:DateTimeOriginal"] + offset.replace(":", ""), "%Y:%m:%d %H:%M:%S%z")
    assert stamp.timestamp() == INSTANT, "the wall-clock time and its offset are the sidecar's instant"
    assert result.date_source is DateSource.SIDECAR


def test_auto_zone_without_a_place_is_this_computers_zone() -> None:
    when, _ = plan_for(geo=None).dated()
    assert when is not None
    local = datetime.fromtimestamp(INSTANT).astimezone()
    assert when.offset == local.utcoffset() and when.local == local.replace(tzinfo=None)


def test_a_fixed_zone_ignores_the_place() -> None:
    plan = MetadataPlan.of(Metadata("t", INSTANT, TOKYO), resolve_zone("Europe/Paris"))
    when, _ = plan.dated()
    assert when is not None and when.exif_offset == "+01:00"


@pytest.mark.parametrize(
    "zone", [None, UTC, ZoneInfo("Europe/Paris"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("America/St_Johns")]
)
@pytest.mark.parametrize(
    "wall",
    ["2019:03:31 00:59:59", "2019:03:31 01:00:00", "2019:10:27 00:30:00", "1969:12:31 23:00:00", "0001:01:02 12:00:00"],
)
def test_a_days_shortcut_is_the_day_of_the_wall_clock(zone: ZoneInfo | None, wall: str) -> None:
    """The forecast's day (local_day) is the day the run writes (wall_clock), across daylight saving and year 1."""
    instant = _instant_of(wall, 0)
    for moment in (instant - 3600, instant, instant + 1, instant + 3600 * 11):
        expected = datetime.fromtimestamp(moment, UTC).astimezone(zone).date()
        assert local_day(moment, zone) == wall_clock(moment, zone).local.date() == expected


# --- camera dates -----------------------------------------------------------------------------


def _instant_of(wall: str, offset_hours: float) -> int:
    local = datetime.strptime(wall, "%Y:%m:%d %H:%M:%S").replace(tzinfo=UTC)
    return int((local - timedelta(hours=offset_hours)).timestamp())


def test_camera_wall_clock_is_kept_when_it_denotes_the_sidecars_instant(tmp_path: Path) -> None:
    name = "Canon_40D.jpg"  # DateTimeOriginal 2008:05:30 15:56:01, no offset
    taken = _instant_of("2008:05:30 15:56:01", -7)  # the camera was on California time
    out, result = write(tmp_path, (SAMPLES / name).read_bytes(), name, plan_for(TOKYO, taken))
    tags = exiftool_json(out)
    assert result.date_source is DateSource.CAMERA
    assert tags["ExifIFD:DateTimeOriginal"] == "2008:05:30 15:56:01", "the camera's own time stays"
    assert tags["ExifIFD:OffsetTimeOriginal"] == "-07:00", "only the missing offset is added"
    assert tags["ExifIFD:CreateDate"] == exiftool_json(SAMPLES / name)["ExifIFD:CreateDate"]


def test_a_corrected_date_wins_over_the_camera_and_says_so(tmp_path: Path) -> None:
    name = "Canon_40D.jpg"
    out, result = write(tmp_path, (SAMPLES / name).read_bytes(), name, plan_for(TOKYO, INSTANT))
    assert result.date_source is DateSource.SIDECAR_OVER_CAMERA
    tags = exiftool_json(out)
    assert (tags["ExifIFD:DateTimeOriginal"], tags["ExifIFD:OffsetTimeOriginal"]) == ("2023:11:15 07:13:20", "+09:00")


@pytest.mark.parametrize(
    ("original", "offset", "expected"),
    [
        (b"2023:11:15 07:13:20\x00", b"+09:00\x00", DateSource.CAMERA),
        (b"2023:11:15 07:13:20\x00", b"+08:00\x00", DateSource.SIDECAR_OVER_CAMERA),  # offset contradicts
        (b"2023:11:14 22:13:20\x00", None, DateSource.CAMERA),  # a UTC camera clock
        (b"2023:11:14 22:20:20\x00", None, DateSource.SIDECAR_OVER_CAMERA),  # 7 minutes: no real offset
        (b"2023:11:15 12:13:20\x00", None, DateSource.CAMERA),  # +14:00 (Kiribati) is real
        (b"2023:11:15 13:13:20\x00", None, DateSource.SIDECAR_OVER_CAMERA),  # +15:00 is no zone's
        (b"1970:01:01 00:00:00\x00", None, DateSource.SIDECAR),  # placeholders count as missing
        (b"1904:01:01 00:00:00\x00", None, DateSource.SIDECAR),
        (b"0000:00:00 00:00:00\x00", None, DateSource.SIDECAR),
        (b"    :  :     :  :  \x00", None, DateSource.SIDECAR),
    ],
)
def test_choose_date(original: bytes, offset: bytes | None, expected: DateSource) -> None:
    _when, source = choose_date(INSTANT, camera_date(original, offset), TOKYO_ZONE)
    assert source is expected


TOKYO_ZONE = resolve_zone("Asia/Tokyo").fixed


def test_quarter_hour_offsets_are_real() -> None:
    nepal = camera_date(b"2023:11:15 03:58:20", None)  # +05:45
    when, source = choose_date(INSTANT, nepal, None)
    assert source is DateSource.CAMERA and when.exif_offset == "+05:45"


# --- formats ----------------------------------------------------------------------------------


def test_plain_jpeg_gets_exif_and_xmp_and_validates(tmp_path: Path) -> None:
    data = jpeg_bytes((320, 200))
    out, _ = write(tmp_path, data, "plain.jpg")
    tags = exiftool_json(out)
    assert_words(tags)
    assert tags["ExifIFD:DateTimeOriginal"] == "2023:11:15 07:13:20"
    assert tags["IFD0:XPComment"] == "Fuji — été 富士山"
    assert tags["ExifIFD:UserComment"] == "Fuji — été 富士山"
    assert tags["IFD0:ImageDescription"] == "Fuji - ete ???", "ASCII-safe"
    assert jpeg_scan_data(out.read_bytes()) == jpeg_scan_data(data)
    assert exiftool_warnings(out) == []


@pytest.mark.parametrize("name", ["Canon_DIGITAL_IXUS_400.jpg", "hdr_iphone_hdr_NO.jpg", "Nikon_COOLPIX_P1.jpg"])
def test_camera_jpeg_keeps_its_makernote_and_gains_xmp(tmp_path: Path, name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    out, _ = write(tmp_path, data, name)
    assert_words(exiftool_json(out))
    before, after = exiftool_json(SAMPLES / name, "-MakerNotes:all"), exiftool_json(out, "-MakerNotes:all")
    before.pop("SourceFile"), after.pop("SourceFile")
    assert after == before
    assert jpeg_scan_data(out.read_bytes()) == jpeg_scan_data(data)
    assert set(exiftool_warnings(out)) <= set(exiftool_warnings(SAMPLES / name))


def test_existing_xmp_is_kept_and_joined(tmp_path: Path) -> None:
    """A Photoshop-edited JPEG: its XMP history stays; keywords are joined, not replaced."""
    name = "invalid_image00971.jpg"  # a big Adobe XMP packet and no EXIF
    data = (SAMPLES / name).read_bytes()
    out, _ = write(tmp_path, data, name)
    before, after = exiftool_json(SAMPLES / name, "-XMP:all"), exiftool_json(out, "-XMP:all")
    assert_words(after)
    for tag in ("XMP-xmpMM:DocumentID", "XMP-photoshop:TextLayerName", "XMP-xmp:CreatorTool", "XMP-xmp:ModifyDate"):
        assert after[tag] == before[tag], tag
    assert out.read_bytes().count(b"http://ns.adobe.com/xap/1.0/\x00") == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [("x.jpg", jpeg_bytes()), ("x.png", png_bytes()), ("x.webp", webp_bytes())],
    ids=["jpeg", "png", "webp"],
)
def test_line_breaks_of_every_kind_in_words_read_back_as_written(tmp_path: Path, name: str, data: bytes) -> None:
    """A caption typed on Windows (CR LF) or an old Mac (CR): a bare CR in XMP text is read as a LF, and the
    check then failed the photo and copied it without any metadata."""
    caption = "first line\r\nsecond line\rthird\nfourth"
    plan = plan_for(description=caption, albums=("Trip\r\n2023",))
    out, _ = written(tmp_path, data, name, plan)  # pef's own check agrees
    tags = exiftool_json(out)
    assert tags["XMP-dc:Description"] == caption
    assert tags["XMP-dc:Subject"] == "Trip\r\n2023"
    assert tags["IFD0:ImageDescription"] == caption, "CR is ASCII: kept, not a question mark"


@pytest.mark.parametrize(
    ("altitude", "exif", "xmp"),
    [(121.38347, 121.383, "121383/1000"), (-12.5, 12.5, "12500/1000"), (5_000_000.123, 5_000_000, "5000000123/1000")],
)
def test_altitude_is_written_to_the_millimetre_as_far_as_a_rational_reaches(
    tmp_path: Path, altitude: float, exif: float, xmp: str
) -> None:
    """Above 4,294 km the millimetres pass what an EXIF RATIONAL holds: whole metres there, not an error in pef."""
    out, _ = written(tmp_path, jpeg_bytes(), "x.jpg", plan_for(GeoPoint(35.0, 139.0, altitude)))
    tags = exiftool_json(out)
    assert tags["GPS:GPSAltitude"] == exif
    assert tags["GPS:GPSAltitudeRef"] == (1 if altitude < 0 else 0)
    with Image.open(out) as image:
        assert image.getexif().get_ifd(0x8825)[6] == exif, "Pillow reads the same"
    assert xmp.encode() in out.read_bytes()


def test_keywords_join_what_is_there() -> None:
    existing = merge_xmp(None, xmp_properties(plan_for(people=("Old Friend",)), None)).data
    existing = existing.replace(b"<x:xmpmeta", b'<x:xmpmeta xmlns:my="urn:example:my/"', 1)
    existing = existing.replace(b"</rdf:RDF>", b'<rdf:Description rdf:about="" my:Thing="kept"/></rdf:RDF>')
    merged, note, _sure = merge_xmp(existing, xmp_properties(RICH, None))
    values = read_xmp(merged)
    assert note == ""
    assert values[("http://purl.org/dc/elements/1.1/", "subject")] == ("Old Friend", "Ann Lee", "Bob", "Japan 2023")
    assert values[("urn:example:my/", "Thing")] == ("kept",)
    assert b"my:Thing" in merged, "the file's own prefixes are kept"


def test_unreadable_xmp_is_replaced_and_said() -> None:
    merged, note, _sure = merge_xmp(b"<x:xmpmeta><rdf:RDF", xmp_properties(RICH, None))
    assert "unreadable" in note
    assert read_xmp(merged)[("http://ns.adobe.com/xap/1.0/", "Rating")] == ("5",)
    bomb = merge_xmp(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x/>', {}).note
    assert "DOCTYPE" in bomb


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_png_gets_exif_and_itxt_xmp(tmp_path: Path, mode: str) -> None:
    data = png_bytes(mode=mode)
    out, _ = write(tmp_path, data, "x.png")
    tags = exiftool_json(out)
    assert_words(tags)
    assert tags["ExifIFD:OffsetTimeOriginal"] == "+09:00"
    assert png_image_data(out.read_bytes()) == png_image_data(data)
    with Image.open(out) as image:
        assert "Fuji" in image.info["XML:com.adobe.xmp"]
    assert exiftool_warnings(out) == []
    again, _ = write(tmp_path, out.read_bytes(), "again.png", plan_for(people=("Cy",)))
    assert exiftool_json(again)["XMP-dc:Subject"] == ["Ann Lee", "Bob", "Japan 2023", "Cy"]
    assert again.read_bytes().count(b"XML:com.adobe.xmp") == 1


@pytest.mark.parametrize(("lossless", "alpha"), [(False, False), (True, True)])
def test_webp_gets_exif_and_xmp_chunks(tmp_path: Path, lossless: bool, alpha: bool) -> None:
    data = webp_bytes(lossless=lossless, alpha=alpha)
    out, _ = write(tmp_path, data, "x.webp")
    assert_words(exiftool_json(out))
    assert webp_image_chunks(out.read_bytes()) == webp_image_chunks(data)
    with Image.open(io.BytesIO(data)) as a, Image.open(out) as b:
        assert a.tobytes() == b.tobytes()
    assert exiftool_warnings(out) == []


@pytest.mark.parametrize("name", ["phone_faststart.mp4", "clip_moov_last.mov"])
def test_movies_get_header_dates_place_and_xmp(tmp_path: Path, name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    out, result = write(tmp_path, data, name)
    tags = exiftool_json(out, "-api", "QuickTimeUTC")
    utc = "2023:11:14 22:13:20"
    for tag in ("QuickTime:CreateDate", "QuickTime:ModifyDate", "Track1:TrackCreateDate", "Track1:MediaCreateDate"):
        assert tags[tag].startswith(utc.split(maxsplit=1)[0]), (tag, tags[tag])
    plain = exiftool_json(out)  # without QuickTimeUTC exiftool shows the stored UTC value as it is
    assert plain["QuickTime:CreateDate"] == utc and plain["Track1:MediaModifyDate"] == utc
    assert plain["UserData:GPSCoordinates"] == "35.6895 139.6917 40"
    assert_words(plain)
    result_bytes = out.read_bytes()
    assert movie_media_data(result_bytes) == movie_media_data(data), "the streams are untouched"
    assert movie_chunk_heads(result_bytes) == movie_chunk_heads(data), "every chunk offset still finds its data"
    assert set(exiftool_warnings(out)) <= set(exiftool_warnings(FIXTURES / name))
    assert result.omitted == frozenset()


def test_a_movie_processed_twice_keeps_one_xmp_box_and_one_place(tmp_path: Path) -> None:
    once, _ = write(tmp_path, (FIXTURES / "phone_faststart.mp4").read_bytes(), "once.mp4")
    twice, _ = write(tmp_path, once.read_bytes(), "twice.mp4", plan_for(NEW_YORK, people=("Cy",)))
    data = twice.read_bytes()
    assert data.count(bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")) == 1
    assert data.count(b"\xa9xyz") == 1
    tags = exiftool_json(twice)
    assert tags["UserData:GPSCoordinates"] == "40.7128 -74.006"
    assert tags["XMP-dc:Subject"] == ["Ann Lee", "Bob", "Japan 2023", "Cy"]
    assert movie_chunk_heads(data) == movie_chunk_heads((FIXTURES / "phone_faststart.mp4").read_bytes())


def test_a_movie_whose_media_data_runs_to_the_end_gets_a_size(tmp_path: Path) -> None:
    data = (FIXTURES / "clip_moov_last.mov").read_bytes()
    # moov first, then an mdat declared "to the end of the file" (size 0), as some recorders write it
    boxes = {}
    position = 0
    while position < len(data):
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        boxes[kind] = data[position : position + size]
        position += size
    mdat, moov = boxes[b"mdat"], bytearray(boxes[b"moov"])
    at = moov.find(b"stco")
    count = struct.unpack_from(">I", moov, at + 8)[0]
    offsets = [o + len(moov) for o in struct.unpack_from(f">{count}I", moov, at + 12)]
    struct.pack_into(f">{count}I", moov, at + 12, *offsets)
    odd = boxes[b"ftyp"] + boxes[b"wide"] + bytes(moov) + b"\x00\x00\x00\x00mdat" + mdat[8:]
    assert movie_chunk_heads(odd) == movie_chunk_heads(data)
    out, _ = write(tmp_path, odd, "odd.mov", plan_for(geo=TOKYO, description="x"))
    result = out.read_bytes()
    assert exiftool_json(out)["XMP-dc:Description"] == "x"
    assert movie_media_data(result) == [mdat[8:]]
    assert movie_chunk_heads(result) == movie_chunk_heads(data), "the header grew (©xyz) before the data"


def test_tiff_based_raw_files_get_xmp_files(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (1, 2, 3)).save(buffer, "TIFF")  # a DNG is a TIFF underneath
    for name in ("raw.DNG", "raw.NEF", "raw.ARW"):
        out, _ = write(tmp_path, buffer.getvalue(), name)
        assert out.read_bytes() == buffer.getvalue()
        assert_words(exiftool_json(tmp_path / f"{name}.xmp"))


def test_gif_and_cr3_sniff_to_sidecar_formats() -> None:
    assert sniff(b"GIF89a" + b"\x00" * 26) is MediaFormat.GIF
    assert sniff(b"\x00\x00\x00\x18ftypcrx " + b"\x00" * 20) is MediaFormat.RAW
    assert metadata_writer(MediaFormat.RAW) is metadata_writer(MediaFormat.GIF)


def test_verify_notices_what_was_not_written(tmp_path: Path) -> None:
    out, result = write(tmp_path, jpeg_bytes(), "a.jpg", plan_for(TOKYO))
    other = plan_for(NEW_YORK, description="something else", people=("Zed",))
    problems = handler_for(MediaFormat.JPEG).check(out, other, result, None)
    assert any("GPS latitude" in p for p in problems)
    assert any("ImageDescription" in p for p in problems)
    assert any("PersonInImage" in p for p in problems)
    movie, movie_result = write(tmp_path, (FIXTURES / "phone_faststart.mp4").read_bytes(), "m.mp4")
    later = plan_for(TOKYO, INSTANT + 60)
    assert any("mvhd" in p for p in handler_for(MediaFormat.ISO_VIDEO).check(movie, later, movie_result, None))


@pytest.mark.parametrize(
    ("name", "said"),
    [("a.jpg", "XMP description reads"), ("a.webp", "XMP description reads"), ("a.png", "cannot read it back")],
)
def test_a_packet_checked_by_its_bytes_still_shows_what_the_disk_changed(tmp_path: Path, name: str, said: str) -> None:
    """A packet made afresh is checked by its bytes, not parsed: a changed byte on the disk is still seen,
    and said by what it changed (the packet is then parsed; a PNG chunk's checksum no longer agrees)."""
    source = {"a.jpg": jpeg_bytes(), "a.png": png_bytes(), "a.webp": webp_bytes()}[name]
    out, result = write(tmp_path, source, name)
    assert result.sure_xmp is not None and result.sure_xmp.data in out.read_bytes()
    check = handler_for(sniff(out.read_bytes()[:64])).check
    assert check(out, RICH, result, None) == []
    data = out.read_bytes()
    assert data.count(b"\xe5\xaf\x8c\xe5\xa3\xab") == 1  # 富士 in the XMP description (EXIF's is ASCII)
    out.write_bytes(data.replace(b"\xe5\xaf\x8c\xe5\xa3\xab", b"\xe5\xaf\x8c\xe5\xa3\xac"))  # 富士 → 富壬
    problems = check(out, RICH, result, None)
    assert problems and all(said in problem for problem in problems), problems


def test_heic_camera_time_is_kept_in_the_file(tmp_path: Path) -> None:
    """An iPhone HEIC says 15:47:53 at -05:00; a sidecar with that instant keeps the camera's time."""
    data = (SAMPLES / "heic_IMG_5195.HEIC").read_bytes()
    taken = int(datetime(2021, 4, 11, 20, 47, 53, tzinfo=UTC).timestamp())
    kept, result = write(tmp_path, data, "kept.HEIC", plan_for(TOKYO, taken))
    assert result.date_source is DateSource.CAMERA
    tags = exiftool_json(kept)
    assert tags["XMP-exif:DateTimeOriginal"] == "2021:04:11 15:47:53-05:00"
    assert (tags["ExifIFD:DateTimeOriginal"], tags["ExifIFD:OffsetTimeOriginal"]) == ("2021:04:11 15:47:53", "-05:00")
    moved, corrected = write(tmp_path, data, "moved.HEIC", plan_for(TOKYO, taken + 86_400))
    assert corrected.date_source is DateSource.SIDECAR_OVER_CAMERA
    tags = exiftool_json(moved)
    assert tags["XMP-exif:DateTimeOriginal"] == "2021:04:13 05:47:53+09:00"
    assert (tags["ExifIFD:DateTimeOriginal"], tags["ExifIFD:OffsetTimeOriginal"]) == ("2021:04:13 05:47:53", "+09:00")


def test_tiff_based_raw_camera_time_is_read(tmp_path: Path) -> None:
    raw = tmp_path / "camera.tif"
    Image.new("RGB", (16, 16)).save(raw, "TIFF")
    subprocess.run([require_exiftool(), "-q", "-overwrite_original", "-DateTimeOriginal=2020:02:02 10:00:00", str(raw)])
    taken = int(datetime(2020, 2, 2, 9, 0, 0, tzinfo=UTC).timestamp())  # the camera was on +01:00
    _, result = write(tmp_path, raw.read_bytes(), "raw.DNG", plan_for(None, taken))
    assert result.date_source is DateSource.CAMERA
    assert exiftool_json(tmp_path / "raw.DNG.xmp")["XMP-exif:DateTimeOriginal"] == "2020:02:02 10:00:00+01:00"


def test_iphone_movie_keeps_its_own_creation_time_when_it_agrees(tmp_path: Path) -> None:
    data = (FIXTURES / "iphone_keys.mov").read_bytes()
    taken = int(datetime(2021, 4, 11, 20, 47, 53, tzinfo=UTC).timestamp())
    out, result = write(tmp_path, data, "agree.mov", plan_for(TOKYO, taken))
    tags = exiftool_json(out)
    assert result.date_source is DateSource.CAMERA
    assert tags["Keys:CreationDate"] == "2021:04:11 15:47:53-05:00"
    assert tags["XMP-exif:DateTimeOriginal"] == "2021:04:11 15:47:53-05:00", "the XMP tells the same time"
    assert tags["QuickTime:CreateDate"] == "2021:04:11 20:47:53", "the zero header date gets the instant (UTC)"


def test_iphone_movie_gets_a_corrected_creation_time(tmp_path: Path) -> None:
    data = (FIXTURES / "iphone_keys.mov").read_bytes()
    out, result = write(tmp_path, data, "moved.mov", plan_for(TOKYO, INSTANT))
    tags = exiftool_json(out)
    assert result.date_source is DateSource.SIDECAR_OVER_CAMERA
    assert tags["Keys:CreationDate"] == "2023:11:15 07:13:20+09:00"
    assert tags["Keys:Make"] == "Apple", "the other keys stay"
    assert movie_media_data(out.read_bytes()) == movie_media_data(data)
    assert set(exiftool_warnings(out)) <= set(exiftool_warnings(FIXTURES / "iphone_keys.mov"))


def test_motion_photo_keeps_its_embedded_video_and_camera_xmp(tmp_path: Path) -> None:
    """A Pixel "MP" JPEG: the video after the image and the XMP that points at it from the end survive."""
    video = (FIXTURES / "phone_faststart.mp4").read_bytes()
    camera_xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" '
        f'GCamera:MotionPhoto="1" GCamera:MicroVideoOffset="{len(video)}"/></rdf:RDF></x:xmpmeta>'
    ).encode()
    image = jpeg_bytes((64, 48))
    segment = b"\xff\xe1" + (len(camera_xmp) + 31).to_bytes(2, "big") + b"http://ns.adobe.com/xap/1.0/\x00" + camera_xmp
    data = image[:2] + segment + image[2:] + video
    out, _ = write(tmp_path, data, "PXL_20231114_221320000.MP.jpg")
    result = out.read_bytes()
    assert result.endswith(video), "the embedded video is the file's tail, byte for byte"
    tags = exiftool_json(out)
    assert tags["XMP-GCamera:MotionPhoto"] == 1
    assert tags["XMP-GCamera:MicroVideoOffset"] == len(video)
    assert_words(tags)


@pytest.mark.parametrize(
    ("instant", "created", "omitted"),
    [
        (2_500_000_000, "2049:03:22 04:26:40", False),  # past 2040: the headers become 64-bit
        (1_000_000_000, "2001:09:09 01:46:40", False),
        (-1_000_000_000, None, False),  # 1938: held, though exiftool reads it 66 years later
        (-2_200_000_000, None, True),  # 1900: before the movie epoch, 1904
    ],
)
def test_movie_header_dates_far_from_1970(tmp_path: Path, instant: int, created: str | None, omitted: bool) -> None:
    data = (FIXTURES / "phone_faststart.mp4").read_bytes()
    out, result = write(tmp_path, data, "far.mp4", plan_for(TOKYO, instant))
    written = out.read_bytes()
    assert movie_media_data(written) == movie_media_data(data)
    assert movie_chunk_heads(written) == movie_chunk_heads(data), "chunk offsets follow the grown header"
    assert (Omitted.MOVIE_DATES in result.omitted) is omitted
    tags = exiftool_json(out)
    if created:
        assert tags["QuickTime:CreateDate"] == created
        assert tags["Track1:TrackCreateDate"] == tags["Track1:MediaCreateDate"] == created
    if instant < 0:
        assert "1904" in result.note if omitted else "1970" in result.note
    assert tags["XMP-exif:DateTimeOriginal"].startswith(str(datetime.fromtimestamp(instant, UTC).year))
