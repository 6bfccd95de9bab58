"""The command line on a generated Takeout that has every naming quirk, read back independently."""

from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import (
    TakeoutTree,
    gif_bytes,
    heic_bytes,
    heif_pixels,
    jpeg_bytes,
    jpeg_scan_data,
    movie_media_data,
    mp4_bytes,
    png_bytes,
    png_image_data,
    sample,
    sidecar,
    tree_digest,
    webp_bytes,
    webp_image_chunks,
)
from tests.conftest import exiftool_json, exiftool_warnings, run_pef

BASE = 1_561_975_200  # 2019-07-01 10:00:00 UTC
TOKYO = (35.6586, 139.7454, 40.0)
LONG = "Cabrillo National Monument_magnoliastudios-371-with-more-words"
Y = "Photos from 2019"

# (media path under Google Photos, its bytes, the sidecar name or None, the sidecar's title)
CASES: list[tuple[str, bytes, str | None, str]] = [
    (f"{Y}/IMG_0001.jpg", b"camera:Canon_DIGITAL_IXUS_400.jpg", "IMG_0001.jpg.json", "IMG_0001.jpg"),
    (f"{Y}/IMG_0002.jpg", b"camera:Canon_PowerShot_S40.jpg", "IMG_0002.jpg.supplemental-metadata.json", "IMG_0002.jpg"),
    (f"{Y}/IMG_0003.jpg", b"camera:hdr_iphone_hdr_NO.jpg", "IMG_0003.jpg.json", "IMG_0003.jpg"),
    (f"{Y}/IMG_0004.jpg", b"camera:Nikon_COOLPIX_P1.jpg", "IMG_0004.jpg.json", "IMG_0004.jpg"),
    (f"{Y}/IMG_0005.jpg", b"camera:Panasonic_DMC-FZ30.jpg", "IMG_0005.jpg.json", "IMG_0005.jpg"),
    (f"{Y}/IMG_0006.jpg", b"camera:Fujifilm_FinePix_E500.jpg", "IMG_0006.jpg.json", "IMG_0006.jpg"),
    (f"{Y}/IMG_0007.jpg", b"camera:exif-org_sony-powershota5.jpg", "IMG_0007.jpg.json", "IMG_0007.jpg"),
    (f"{Y}/IMG_0008.jpg", b"camera:hdr_canon_hdr_NO.jpg", "IMG_0008.jpg.json", "IMG_0008.jpg"),
    (f"{Y}/IMG_0009.jpg", b"camera:gps_DSCN0010.jpg", "IMG_0009.jpg.json", "IMG_0009.jpg"),
    (
        f"{Y}/MVIMG_20191230_232926.jpg",
        b"jpeg",
        "MVIMG_20191230_232926.jpg.supplemental-metadat.json",
        "MVIMG_20191230_232926.jpg",
    ),
    (f"{Y}/MVIMG_20191230_232926", b"mp4", None, ""),  # motion video: shares the still's sidecar
    (
        f"{Y}/Screenshot_20231027_123303_Facebook.jpg",
        b"jpeg",
        "Screenshot_20231027_123303_Facebook.jpg.supple.json",
        "Screenshot_20231027_123303_Facebook.jpg",
    ),
    (
        f"{Y}/Screenshot_20231027_123303_Facebook(1).jpg",
        b"jpeg",
        "Screenshot_20231027_123303_Facebook.jpg.supple(1).json",
        "Screenshot_20231027_123303_Facebook.jpg",
    ),
    (
        f"{Y}/Screenshot_20200301-161151.png",
        b"png",
        "Screenshot_20200301-161151.png.supplemental-me.json",
        "Screenshot_20200301-161151.png",
    ),
    (f"{Y}/IMG_3479.JPG", b"jpeg", "IMG_3479.JPG.json", "IMG_3479.JPG"),
    (f"{Y}/IMG_3479(1).JPG", b"jpeg", "IMG_3479.JPG(1).json", "IMG_3479.JPG"),
    (f"{Y}/Scan35(1).jpg", b"jpeg", "Scan35.jpg.supplemental-metadata(1).json", "Scan35.jpg"),
    (f"{Y}/CLIP0001(10).AVI", b"riff", "CLIP0001.AVI.supplemental-metadata(10).json", "CLIP0001.AVI"),
    (f"{Y}/skytree (2).jpg", b"jpeg", "skytree (2).jpg.supplemental-metadata.json", "skytree (2).jpg"),
    (f"{Y}/27_06_12 - 1.mov", b"mp4", "27_06_12 - 1.mov.json", "27/06/12 - 1.mov"),
    (f"{Y}/20030616.jpg", b"jpeg", "20030616.json", "20030616"),
    (f"{Y}/2013-12-23(1).jpg", b"jpeg", "2013-12-23.supplemental-metadata(1).json", "2013-12-23"),
    (f"{Y}/IMG_4081(1).jpg", b"jpeg", "IMG_4081.JPG(1).json", "IMG_4081.JPG"),
    (f"{Y}/IMG_5000.jpeg", b"jpeg", "IMG_5000.jpg.json", "IMG_5000.jpg"),
    (f"{Y}/{LONG[:47]}.jpg", b"jpeg", f"{LONG[:46]}.json", f"{LONG}.jpg"),
    (f"{Y}/{LONG[:47]}(494).jpg", b"jpeg", f"{LONG[:46]}(494).json", f"{LONG}.jpg"),
    (
        f"{Y}/Urlaub in Knaufspesch in der Schneifel (38).JPG",
        b"jpeg",
        "Urlaub in Knaufspesch in der Schneifel (38).JP.json",
        "Urlaub in Knaufspesch in der Schneifel (38).JPG",
    ),
    (f"{Y}/IMG_1234.jpg", b"jpeg", "IMG_1234.jpg.json", "IMG_1234.jpg"),
    (f"{Y}/IMG_1234-edited.jpg", b"jpeg", None, ""),  # edited: the original's sidecar
    (f"{Y}/IMG_1235-bearbeitet.jpg", b"jpeg", None, ""),
    (f"{Y}/IMG_1235.jpg", b"jpeg", "IMG_1235.jpg.json", "IMG_1235.jpg"),
    (
        f"{Y}/Con Yoli por Málaga en el piso nuevo_001.JPG",
        b"jpeg",
        "Con Yoli por Málaga en el piso nuevo_001.JPG.json",
        "Con Yoli por Málaga en el piso nuevo_001.JPG",
    ),
    (f"{Y}/Con Yoli por Málaga en el piso nuevo_001-ha edi.JPG", b"jpeg", None, ""),
    (f"{Y}/IMG_4573.HEIC", b"heic", "IMG_4573.HEIC.json", "IMG_4573.HEIC"),
    (f"{Y}/IMG_4573.MP4", b"mp4", None, ""),  # live photo video
    (
        f"{Y}/PXL_20230101_101010123.MP.jpg",
        b"jpeg",
        "PXL_20230101_101010123.MP.jpg.supplemental-metadata.json",
        "PXL_20230101_101010123.MP.jpg",
    ),
    (f"{Y}/PXL_20230101_101010123.MP", b"mp4", None, ""),
    (f"{Y}/PXL_20230101_101010123.MP~2", b"mp4", None, ""),
    (f"{Y}/anim.gif", b"gif", "anim.gif.json", "anim.gif"),
    (f"{Y}/sticker.webp", b"webp", "sticker.webp.json", "sticker.webp"),
    (f"{Y}/lossless.webp", b"webp-lossless", "lossless.webp.json", "lossless.webp"),
    (f"{Y}/alpha.png", b"png-alpha", "alpha.png.supplemental-metadata.json", "alpha.png"),
    (f"{Y}/disguised.jpg", b"png", "disguised.jpg.json", "disguised.jpg"),  # a PNG named .jpg
    ("Trip to Japan/IMG_0001.jpg", b"jpeg", "IMG_0001.jpg.json", "IMG_0001.jpg"),  # album copy
    (f"{Y}/IMG_1.jpg", b"jpeg", "IMG_1.jpg.json", "IMG_1.jpg"),
    (f"{Y}/IMG_10.jpg", b"jpeg", None, ""),  # IMG_1.jpg.json must not claim it
    (f"{Y}/IMG_7777.png", b"png", None, ""),  # no sidecar
]
# unmatched files and why
UNMATCHED = {
    f"Google Photos/{Y}/IMG_10.jpg": "no_sidecar",
    f"Google Photos/{Y}/IMG_7777.png": "no_sidecar",
    f"Google Photos/{Y}/broken.jpg": "bad_sidecar",
}
SHARED = {  # media → the media whose sidecar it shares
    f"{Y}/MVIMG_20191230_232926": f"{Y}/MVIMG_20191230_232926.jpg",
    f"{Y}/IMG_1234-edited.jpg": f"{Y}/IMG_1234.jpg",
    f"{Y}/IMG_1235-bearbeitet.jpg": f"{Y}/IMG_1235.jpg",
    f"{Y}/Con Yoli por Málaga en el piso nuevo_001-ha edi.JPG": f"{Y}/Con Yoli por Málaga en el piso nuevo_001.JPG",
    f"{Y}/IMG_4573.MP4": f"{Y}/IMG_4573.HEIC",
    f"{Y}/PXL_20230101_101010123.MP": f"{Y}/PXL_20230101_101010123.MP.jpg",
    f"{Y}/PXL_20230101_101010123.MP~2": f"{Y}/PXL_20230101_101010123.MP.jpg",
}


def _bytes(kind: bytes, index: int) -> bytes:
    if kind.startswith(b"camera:"):
        return sample(kind.split(b":", 1)[1].decode())
    return {
        b"jpeg": lambda: jpeg_bytes(color=(index % 256, 40, 90)),
        b"png": png_bytes,
        b"png-alpha": lambda: png_bytes(mode="RGBA"),
        b"webp": webp_bytes,
        b"webp-lossless": lambda: webp_bytes(lossless=True, alpha=True),
        b"heic": heic_bytes,
        b"mp4": mp4_bytes,
        b"gif": gif_bytes,
        b"riff": lambda: b"RIFF\x10\x00\x00\x00AVI LIST" + b"\x00" * 8,
    }[kind]()


def build_takeout(root: Path) -> tuple[TakeoutTree, dict[str, int]]:
    """The tree, and each matched media's expected instant (unique per sidecar)."""
    tree = TakeoutTree(root / "Takeout")
    instants: dict[str, int] = {}
    for index, (media, kind, sidecar_name, title) in enumerate(CASES):
        meta = None
        if sidecar_name:
            instants[media] = BASE + index * 3600
            meta = sidecar(
                title,
                instants[media],
                geo=TOKYO,
                description=f"caption {index} — été",
                people=("Ana",),
                created=1_700_000_000,
            )
        tree.media(media, _bytes(kind, index), sidecar_name, meta)
    for media, original in SHARED.items():
        instants[media] = instants[original]
    tree.media(f"{Y}/broken.jpg", jpeg_bytes(), "broken.jpg.json")
    tree.write_json(f"{Y}/broken.jpg.json", '{"title": "broken.jpg", "photoTakenTime": {"timestamp": ')
    tree.write_json(f"{Y}/IMG_9999.jpg.json", sidecar("IMG_9999.jpg"))  # orphan
    tree.write_json("Trip to Japan/metadata.json", {"title": "Trip to Japan", "description": "", "access": "protected"})
    tree.write_json("Trip to Japan/métadonnées(1).json", {"albumData": {"title": "Voyage"}})
    tree.write_json("print-subscriptions.json", {"subscriptions": []})
    (tree.root / "archive_browser.html").write_text("<html></html>")
    outside = root / "outside.jpg"
    outside.write_bytes(jpeg_bytes())
    os.symlink(outside, tree.photos / Y / "link-out.jpg")
    return tree, instants


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("takeout")
    tree, instants = build_takeout(root)
    before = tree_digest(tree.root)
    result = run_pef("--path", tree.root, "--timezone", "Asia/Tokyo", "--workers", "3")
    return tree, instants, before, result, root / "Takeout_pefProcessed"


def _instant(exif: dict) -> int:
    stamp = exif["ExifIFD:DateTimeOriginal"]
    offset = exif["ExifIFD:OffsetTimeOriginal"]
    return int(datetime.strptime(stamp + offset, "%Y:%m:%d %H:%M:%S%z").timestamp())


def test_source_is_unchanged(processed) -> None:
    tree, _, before, _, _ = processed
    assert tree_digest(tree.root) == before


def test_every_media_file_appears_exactly_once(processed) -> None:
    tree, _, _, _, output = processed
    outputs = {str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()}
    expected_media = set(tree.expected)
    state_files = {"processing_state.json", "pef-report.csv", "pef.log", "albums.csv"}
    xmp_files = {name for name in outputs if name.endswith(".xmp")}
    assert outputs - state_files - xmp_files == expected_media
    unwritable = {f"{Y}/CLIP0001(10).AVI", f"{Y}/anim.gif"}
    assert xmp_files == {f"Google Photos/{name}.xmp" for name in unwritable}, "only where pef cannot write into"
    assert not any(name.endswith(".json") for name in outputs - state_files), "sidecars are never copied"
    assert not (output / "Google Photos" / Y / "link-out.jpg").exists(), "symlinks are not followed"


def test_each_file_carries_its_own_sidecars_instant(processed) -> None:
    _, instants, _, _, output = processed
    checked_exif = 0
    for media, instant in instants.items():
        path = output / "Google Photos" / media
        assert path.stat().st_mtime == instant, f"{media}: file time"
        if path.read_bytes()[:12].startswith((b"\xff\xd8", b"\x89PNG")) or path.read_bytes()[8:12] == b"WEBP":
            exif = exiftool_json(path, "-DateTimeOriginal", "-OffsetTimeOriginal")
            assert _instant(exif) == instant, media
            assert exif["ExifIFD:OffsetTimeOriginal"] == "+09:00"
            checked_exif += 1
    assert checked_exif >= 35


def test_place_and_caption_are_written(processed) -> None:
    _, instants, _, _, output = processed
    for media in instants:
        path = output / "Google Photos" / media
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
            continue
        exif = exiftool_json(path, "-GPS*", "-ImageDescription", "-XPComment", "-UserComment", "-XMP:all")
        assert exif["Composite:GPSLatitude"] == pytest.approx(TOKYO[0], abs=1e-5), media
        assert exif["Composite:GPSLongitude"] == pytest.approx(TOKYO[1], abs=1e-5), media
        assert exif["IFD0:ImageDescription"].endswith(" - ete"), "ASCII field: accent-free, dash kept"
        for tag in ("IFD0:XPComment", "ExifIFD:UserComment", "XMP-dc:Description"):
            assert exif[tag].endswith(" — été"), (media, tag)
        with Image.open(path) as image:  # a second, independent reader
            assert image.getexif().get(0x010E, "").startswith("caption"), media


def test_image_data_is_byte_identical(processed) -> None:
    tree, _, _, _, output = processed
    for media in tree.expected:
        source, result = (tree.root / media).read_bytes(), (output / media).read_bytes()
        if source[:3] == b"\xff\xd8\xff":
            assert jpeg_scan_data(result) == jpeg_scan_data(source), media
        elif source[:4] == b"\x89PNG":
            assert png_image_data(result) == png_image_data(source), media
        elif source[8:12] == b"WEBP":
            assert webp_image_chunks(result) == webp_image_chunks(source), media
        elif source[4:8] == b"ftyp" and b"heic" in source[8:12]:
            assert movie_media_data(result)[:-1] == movie_media_data(source), f"{media}: one media data box added"
            assert heif_pixels(result) == heif_pixels(source), media
        elif source[4:8] == b"ftyp":
            assert movie_media_data(result) == movie_media_data(source), media
        else:
            assert result == source, f"{media}: formats without a writer are copied as they are"
        if source[:3] == b"\xff\xd8\xff" or source[:4] == b"\x89PNG" or source[8:12] == b"WEBP":
            with Image.open(tree.root / media) as a, Image.open(output / media) as b:
                assert a.tobytes() == b.tobytes(), media


def test_camera_makernotes_survive_with_valid_offsets(processed) -> None:
    tree, _, _, _, output = processed
    for media, kind, _, _ in CASES:
        if not kind.startswith(b"camera:"):
            continue
        before = exiftool_json(tree.photos / media, "-MakerNotes:all")
        after = exiftool_json(output / "Google Photos" / media, "-MakerNotes:all")
        before.pop("SourceFile"), after.pop("SourceFile")
        assert after == before, media
        new_warnings = set(exiftool_warnings(output / "Google Photos" / media)) - set(
            exiftool_warnings(tree.photos / media)
        )
        assert not new_warnings, f"{media}: {new_warnings}"


def test_report_has_one_row_per_source_file_with_reasons(processed) -> None:
    tree, _, _, _, output = processed
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {row["source"]: row for row in csv.DictReader(handle)}
    sources = {str(p.relative_to(tree.root)) for p in tree.root.rglob("*") if p.is_file() or p.is_symlink()}
    assert set(rows) == sources
    for media, sidecar_path in tree.expected.items():
        row = rows[media]
        if media in UNMATCHED:
            assert (row["status"], row["reason"]) == ("unmatched", UNMATCHED[media]), media
        else:
            assert row["status"] == "done", (media, row)
            if sidecar_path:
                assert row["sidecar"] == sidecar_path, media
    assert rows[f"Google Photos/{Y}/IMG_9999.jpg.json"]["reason"] == "no_media"
    assert rows["Google Photos/Trip to Japan/metadata.json"]["reason"] == "album_metadata"
    assert rows["Google Photos/Trip to Japan/métadonnées(1).json"]["reason"] == "album_metadata"
    assert rows[f"Google Photos/{Y}/link-out.jpg"]["reason"] == "symlink"
    assert rows["archive_browser.html"]["reason"] == "not_media"
    assert "not valid JSON" in rows[f"Google Photos/{Y}/broken.jpg"]["error"]


def test_unmatched_files_are_copied_unchanged(processed) -> None:
    tree, _, _, _, output = processed
    for media in UNMATCHED:
        assert (output / media).read_bytes() == (tree.root / media).read_bytes()
        assert (output / media).stat().st_mtime_ns == (tree.root / media).stat().st_mtime_ns


def test_summary_and_state(processed) -> None:
    tree, _, _, result, output = processed
    import json

    state = json.loads((output / "processing_state.json").read_text())
    assert state["status"] == "completed"
    assert state["stats"]["total"] == len(tree.expected)
    assert state["stats"]["unmatched"] == len(UNMATCHED)
    assert state["stats"]["failed"] == 0
    assert state["orphan_sidecars"] == [f"Google Photos/{Y}/IMG_9999.jpg.json"]
    assert "Run completed." in result.stdout
    assert "no sidecar" in result.stdout and "sidecar unusable" in result.stdout
    assert "pef-report.csv" in result.stdout
