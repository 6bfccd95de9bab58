"""Reading the downloaded parts: which parts a choice stands for, and every odd thing a part can hold."""

from __future__ import annotations

import io
import json
import stat
import tarfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pef.model.outcomes import Reason
from pef.model.records import RunSettings
from pef.takeout.archive_names import inner_key
from pef.takeout.member_files import DamagedEntry
from pef.takeout.parts import PartKind, find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.source import EntryKind
from pef.takeout.survey import survey_takeout
from tests.archives import EXPORT
from tests.builders import jpeg_bytes, sidecar

PHOTO = jpeg_bytes()
PHOTOS = "Takeout/Google Photos/Photos from 2019"


def entry(name: str, data: bytes = PHOTO, mode: int = stat.S_IFREG | 0o644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, (2019, 5, 12, 12, 34, 56))
    info.create_system, info.external_attr, info.compress_type = 3, mode << 16, zipfile.ZIP_DEFLATED
    return info, data


def write_zip(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]], **options) -> Path:
    with zipfile.ZipFile(path, "w", **options) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


class _Unseekable(io.RawIOBase):
    """A stream: the zip module writes each entry's sizes after its data (data descriptors, flag bit 3)."""

    def __init__(self, target: io.BufferedWriter) -> None:
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self.target.write(data)


def skipped(source: PartsSource) -> dict[str, tuple[Reason, str]]:
    survey = survey_takeout(source, RunSettings())
    return {item.entry.key: (item.reason, item.detail) for item in survey.skipped}


def opened(source: PartsSource, key: str) -> bytes:
    with source.open(key) as handle:
        return handle.read()


def test_a_folder_of_parts_stands_for_its_parts_in_number_order(tmp_path: Path) -> None:
    for name in (f"{EXPORT}-010.zip", f"{EXPORT}-002.tgz", f"{EXPORT}-001.zip", "holiday.zip", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    for name in ("Takeout 10", "Takeout", "Takeout 2", "Photos"):
        (tmp_path / name).mkdir()
    parts = find_parts([tmp_path])
    assert [part.name for part in parts.parts] == [
        "Takeout", "Takeout 2", "Takeout 10", f"{EXPORT}-001.zip", f"{EXPORT}-002.tgz", f"{EXPORT}-010.zip",
    ]  # fmt: skip
    assert parts.parts[4].kind is PartKind.TAR and parts.home == tmp_path / "Takeout"
    assert parts.missing() == []  # an extracted folder may be any of the numbers
    assert find_parts(parts.paths[3:]).missing() == [f"{EXPORT}-{n:03d}.zip" for n in range(3, 10)]
    assert find_parts([tmp_path / f"{EXPORT}-002.tgz"]).home == tmp_path / EXPORT
    assert find_parts([tmp_path / "Photos"]).is_folder  # a plain folder is a Takeout as before


def test_inner_keys_are_the_extracted_paths_or_a_refusal() -> None:
    assert inner_key("Takeout/Google Photos/a.jpg") == ("Google Photos/a.jpg", "")
    assert inner_key("Takeout\\Google Photos\\.\\b.jpg") == ("Google Photos/b.jpg", "")
    assert inner_key(unicodedata.normalize("NFD", "Takeout/Été.jpg")) == ("Été.jpg", "")
    for unsafe in ("../evil.jpg", "Takeout/../../evil.jpg", "/etc/evil.jpg", "C:/evil.jpg", "C:\\evil.jpg"):
        assert inner_key(unsafe)[0] == "" and inner_key(unsafe)[1], unsafe


def test_zip_oddities_are_read_or_refused_each_with_a_reason(tmp_path: Path) -> None:
    nfc, nfd = "Café.jpg", unicodedata.normalize("NFD", "Café.jpg")
    part = write_zip(
        tmp_path / f"{EXPORT}-001.zip",
        [
            entry(f"{PHOTOS}/a.jpg"),
            entry(f"{PHOTOS}/a.jpg.json", json.dumps(sidecar("a.jpg", 1_557_000_000)).encode()),
            entry(f"{PHOTOS}/{nfc}", jpeg_bytes(color=(1, 2, 3))),
            entry(f"{PHOTOS}/{nfd}", jpeg_bytes(color=(9, 9, 9))),  # one name once normalised: a clash
            entry(f"{PHOTOS}/link.jpg", b"/etc/passwd", stat.S_IFLNK | 0o777),
            entry(f"{PHOTOS}/pipe.jpg", b"", stat.S_IFIFO | 0o644),
            entry("../outside.jpg"),
            entry("/abs.jpg"),
            entry(f"{PHOTOS}/"),
        ],
    )
    source = PartsSource(find_parts([part]))
    found = skipped(source)
    assert found[f"{part.name}: Google Photos/Photos from 2019/{nfc}"][0] is Reason.NAME_COLLISION
    assert found["Google Photos/Photos from 2019/link.jpg"][0] is Reason.SYMLINK
    assert found["Google Photos/Photos from 2019/pipe.jpg"][0] is Reason.SPECIAL_FILE
    assert found[f"{part.name}: ../outside.jpg"][0] is Reason.UNSAFE_PATH
    assert found[f"{part.name}: /abs.jpg"][0] is Reason.UNSAFE_PATH
    assert opened(source, "Google Photos/Photos from 2019/a.jpg") == PHOTO
    assert opened(source, f"Google Photos/Photos from 2019/{nfc}") == jpeg_bytes(color=(1, 2, 3))
    source.close()


def test_zip64_data_descriptors_store_and_cp437_names(tmp_path: Path) -> None:
    path = tmp_path / f"{EXPORT}-001.zip"
    with open(path, "wb") as raw, zipfile.ZipFile(_Unseekable(raw), "w") as archive:
        info, data = entry(f"{PHOTOS}/streamed.jpg")
        archive.writestr(info, data)
        stored, _ = entry(f"{PHOTOS}/stored.jpg")
        stored.compress_type = zipfile.ZIP_STORED
        archive.writestr(stored, PHOTO)
        with archive.open(entry(f"{PHOTOS}/big.jpg")[0], "w", force_zip64=True) as handle:
            handle.write(PHOTO)
        archive.writestr(entry(f"{PHOTOS}/cafX.jpg")[0], PHOTO)  # renamed below to CP437 bytes, unflagged
    data = path.read_bytes()
    assert data.count(b"cafX.jpg") == 2 and b"PK\x07\x08" in data  # local + central names; data descriptors
    path.write_bytes(data.replace(b"cafX.jpg", b"caf\x82.jpg"))  # 0x82 is é in CP437
    source = PartsSource(find_parts([path]))
    keys = [e.key for e in source.entries()]
    assert keys == [
        f"Google Photos/Photos from 2019/{n}" for n in ("streamed.jpg", "stored.jpg", "big.jpg", "café.jpg")
    ]
    assert all(opened(source, key) == PHOTO for key in keys)
    source.close()


def test_a_damaged_entry_fails_alone_and_a_cut_zip_is_named(tmp_path: Path) -> None:
    good, bad = jpeg_bytes(color=(5, 5, 5)), jpeg_bytes(color=(6, 6, 6))
    info, _ = entry(f"{PHOTOS}/bad.jpg")
    info.compress_type = zipfile.ZIP_STORED
    part = write_zip(tmp_path / f"{EXPORT}-001.zip", [entry(f"{PHOTOS}/good.jpg", good), (info, bad)])
    data = part.read_bytes()
    at = data.index(bad) + len(bad) // 2
    part.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :])  # a bit flipped: the CRC says so
    cut = write_zip(tmp_path / f"{EXPORT}-002.zip", [entry(f"{PHOTOS}/other.jpg")])
    cut.write_bytes(cut.read_bytes()[:-30])  # the central directory's end is gone
    source = PartsSource(find_parts([tmp_path]))
    found = skipped(source)
    assert found[cut.name][0] is Reason.DAMAGED_PART and "table of contents is cut short" in found[cut.name][1]
    assert opened(source, "Google Photos/Photos from 2019/other.jpg") == PHOTO  # read from its own header
    assert opened(source, "Google Photos/Photos from 2019/good.jpg") == good
    with pytest.raises(DamagedEntry, match="CRC"):
        source.open("Google Photos/Photos from 2019/bad.jpg")
    source.close()


@pytest.mark.parametrize("form", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT])
def test_tgz_long_names_links_and_a_cut(tmp_path: Path, form: int) -> None:
    long_name = f"{'Ünïcode ' * 20}IMG_1.jpg"  # well past ustar's 100 bytes
    path = tmp_path / f"{EXPORT}-001.tgz"
    with tarfile.open(path, "w:gz", format=form) as archive:
        for name, data in ((long_name, PHOTO), ("IMG_2.jpg", jpeg_bytes(color=(7, 7, 7)))):
            info = tarfile.TarInfo(f"{PHOTOS}/{name}")
            info.size, info.mtime = len(data), 1_557_000_000
            archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo(f"{PHOTOS}/link.jpg")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../../etc/passwd"
        archive.addfile(link)
        hard = tarfile.TarInfo(f"{PHOTOS}/hard.jpg")
        hard.type, hard.linkname = tarfile.LNKTYPE, f"{PHOTOS}/IMG_2.jpg"
        archive.addfile(hard)
    source = PartsSource(find_parts([path]))
    found = skipped(source)
    assert found["Google Photos/Photos from 2019/link.jpg"][0] is Reason.SYMLINK
    assert found["Google Photos/Photos from 2019/hard.jpg"][0] is Reason.SYMLINK
    key = f"Google Photos/Photos from 2019/{long_name}"
    source.expect([key, "Google Photos/Photos from 2019/IMG_2.jpg"])
    assert opened(source, "Google Photos/Photos from 2019/IMG_2.jpg") == jpeg_bytes(color=(7, 7, 7))
    assert opened(source, key) == PHOTO  # behind the stream now: it was unpacked as the stream passed it
    source.close()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    cut = PartsSource(find_parts([path]))
    found = skipped(cut)
    assert found[path.name][0] is Reason.DAMAGED_PART and "cut short" in found[path.name][1]
    cut.close()


@pytest.mark.parametrize("streamed", [False, True])
def test_a_cut_zip_gives_every_entry_before_the_cut(tmp_path: Path, streamed: bool) -> None:
    photos = {f"IMG_{n}.jpg": jpeg_bytes(color=(n * 40, 9, 9)) for n in range(5)}
    path = tmp_path / f"{EXPORT}-001.zip"
    with open(path, "wb") as raw:
        target = _Unseekable(raw) if streamed else raw  # streamed: sizes in data descriptors, after the data
        with zipfile.ZipFile(target, "w") as archive:
            for name, data in photos.items():
                archive.writestr(entry(f"{PHOTOS}/{name}")[0], data)
    whole = path.read_bytes()
    path.write_bytes(whole[: whole.index(b"IMG_3.jpg") + 60])  # cut inside IMG_3's deflated bytes
    source = PartsSource(find_parts([path]))
    found = skipped(source)
    assert found[path.name][0] is Reason.DAMAGED_PART and "after 3 whole entries" in found[path.name][1]
    for name in ("IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg"):
        assert opened(source, f"Google Photos/Photos from 2019/{name}") == photos[name]
    with pytest.raises(FileNotFoundError):
        source.open("Google Photos/Photos from 2019/IMG_3.jpg")
    source.close()


archive_names = st.lists(
    st.lists(
        st.sampled_from(["..", ".", "", "Takeout", "a", "Été", unicodedata.normalize("NFD", "Été"), "x\\..\\y", "C:"])
        | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"), min_size=1, max_size=12),
        min_size=1,
        max_size=4,
    ).map("/".join),
    min_size=1,
    max_size=8,
)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zip module says so when writing the same name twice
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=archive_names)
def test_any_entry_names_stay_inside_the_export_and_each_is_read_or_refused(tmp_path: Path, names: list[str]) -> None:
    path = tmp_path / f"{EXPORT}-001.zip"
    named = [name for name in names if name and not name.endswith("/")]
    with zipfile.ZipFile(path, "w") as archive:
        for number, name in enumerate(named):
            archive.writestr(entry(name)[0], b"%d" % number)
    source = PartsSource(find_parts([path]))
    listed = list(source.entries())
    assert len(listed) == len(named)  # every entry is read or refused, none vanishes
    files = [item for item in listed if item.kind is EntryKind.FILE]
    assert len({item.key for item in files}) == len(files)
    for item in files:
        pieces = item.key.split("/")
        assert ".." not in pieces and "" not in pieces and not item.key.startswith("/"), item.key
        assert (tmp_path / "export" / item.key).resolve().is_relative_to(tmp_path / "export")
        assert opened(source, item.key) in {b"%d" % n for n in range(len(named))}
    source.close()
