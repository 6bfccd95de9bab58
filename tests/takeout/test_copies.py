"""Copies found by their bytes: files of one size are read by their first bytes, and whole only where those agree."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pef.model.library import CopyKind, FolderKind
from pef.takeout import copies
from pef.takeout.copies import EarlyDigests, Placed, early_digests, find_copies
from pef.takeout.file_digests import HEAD_BYTES, PEEK_BYTES, UNREAD, content_digest, head_digest
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from tests.builders import jpeg_bytes


class CountingSource(PartsSource):
    """The real source, counting whole reads (opens) and head reads."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.opened: list[str] = []
        self.heads: list[str] = []

    def open(self, key: str):
        self.opened.append(key)
        return super().open(key)

    def read_head(self, key: str, size: int) -> bytes:
        self.heads.append(key)
        return super().read_head(key, size)


def test_same_size_files_are_read_whole_only_where_their_heads_agree(tmp_path: Path) -> None:
    photo = jpeg_bytes()
    body = photo + bytes(2 * HEAD_BYTES - len(photo))  # a real JPEG, padded past the head
    late = bytearray(body)
    late[HEAD_BYTES + 100] ^= 0xFF  # differs only after the first 64 KB
    early = bytearray(body)
    early[len(photo) + 10] ^= 0xFF  # differs within them
    folder = tmp_path / "Takeout" / "Google Photos" / "Photos from 2019"
    folder.mkdir(parents=True)
    files = {"a.jpg": body, "b.jpg": body, "late.jpg": bytes(late), "early.jpg": bytes(early)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    source = CountingSource(find_parts([tmp_path / "Takeout"]))
    source.entries_list = list(source.entries())
    placed = [
        Placed(f"Google Photos/Photos from 2019/{name}", len(data), FolderKind.LIBRARY) for name, data in files.items()
    ]
    copies = find_copies(placed, source, lambda _photo, _copy: True)
    key = "Google Photos/Photos from 2019/{}".format
    assert {copy: (found.original, found.kind) for copy, found in copies.items()} == {
        key("b.jpg"): (key("a.jpg"), CopyKind.DUPLICATE)
    }
    assert sorted(source.heads) == sorted(key(name) for name in files)
    assert sorted(source.opened) == sorted([key("a.jpg"), key("b.jpg"), key("late.jpg")]), (
        "early.jpg: its head sufficed"
    )


@pytest.mark.parametrize("elsewhere", [False, True])
def test_small_files_read_elsewhere_by_their_first_bytes_are_read_whole_only_where_those_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elsewhere: bool
) -> None:
    """Small photos of one size are read early by their first 4 KB (most differ there: their EXIF dates); only
    those that agree are read whole (`elsewhere`: many of them, so by the reader), and only the same bytes make
    a copy."""
    monkeypatch.setattr(copies, "EARLY_MIN", 1)
    monkeypatch.setattr(copies, "ELSEWHERE_MIN", 1 if elsewhere else 1_000)
    photo = jpeg_bytes()
    body = photo + bytes(3 * PEEK_BYTES - len(photo))  # a real JPEG, padded past what is read early
    late, soon = bytearray(body), bytearray(body)
    late[PEEK_BYTES + 100] ^= 0xFF  # differs only after the first 4 KB
    soon[len(photo) - 10] ^= 0xFF  # differs within them
    folder = tmp_path / "Takeout" / "Google Photos"
    files = {"Photos from 2019/a.jpg": body, "Photos from 2019/late.jpg": bytes(late)}
    files |= {"Photos from 2019/soon.jpg": bytes(soon), "Trip/a.jpg": body, "Trip/tiny.jpg": photo}
    files |= {"Photos from 2020/tiny.jpg": photo}  # no bigger than what is read early: that was all of it
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    source = CountingSource(find_parts([tmp_path / "Takeout"]))
    list(source.entries())
    kinds = {"Trip": FolderKind.ALBUM}
    placed = [
        Placed(f"Google Photos/{name}", len(data), kinds.get(name.split("/")[0], FolderKind.LIBRARY))
        for name, data in sorted(files.items())
    ]
    asked: list[str] = []
    reader = _elsewhere(source, asked)
    early = early_digests([item.key for item in placed], array("q", (i.size for i in placed)), reader)
    assert sorted(asked) == sorted(item.key for item in placed), "every one of a repeated size, read elsewhere"
    source.heads.clear()
    asked.clear()
    key = "Google Photos/{}".format
    assert _copies_of(placed, source, early, reader) == {
        key("Trip/a.jpg"): (key("Photos from 2019/a.jpg"), CopyKind.ALBUM_COPY),
        key("Trip/tiny.jpg"): (key("Photos from 2020/tiny.jpg"), CopyKind.ALBUM_COPY),
    }
    whole = sorted(key(name) for name in ("Photos from 2019/a.jpg", "Photos from 2019/late.jpg", "Trip/a.jpg"))
    # read whole: the three whose first 4 KB agree (soon.jpg differs there; the tiny ones were read whole)
    assert (sorted(asked), sorted(source.heads)) == ((whole, whole) if elsewhere else ([], whole))


def test_the_first_readable_file_in_key_order_is_the_photo_and_an_unreadable_one_is_nobodys_copy(
    tmp_path: Path,
) -> None:
    photo = jpeg_bytes()
    folder = tmp_path / "Takeout" / "Google Photos"
    for name in ("Photos from 2020/b.jpg", "Photos from 2019/c.jpg", "Photos from 2020/a.jpg", "Trip/a.jpg"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(photo)
    (folder / "Photos from 2019/gone.jpg").write_bytes(photo)
    source = PartsSource(find_parts([tmp_path / "Takeout"]))
    list(source.entries())
    (folder / "Photos from 2019/gone.jpg").unlink()  # listed, then gone: it cannot be read
    key = "Google Photos/{}".format
    placed = [  # not in key order, as the scan may give them
        Placed(key("Trip/a.jpg"), len(photo), FolderKind.ALBUM),
        Placed(key("Photos from 2020/b.jpg"), len(photo), FolderKind.LIBRARY),
        Placed(key("Photos from 2019/gone.jpg"), len(photo), FolderKind.LIBRARY),
        Placed(key("Photos from 2020/a.jpg"), len(photo), FolderKind.LIBRARY),
        Placed(key("Photos from 2019/c.jpg"), len(photo), FolderKind.LIBRARY),
    ]
    copies = find_copies(placed, source, lambda _photo, _copy: True)
    photo_key = key("Photos from 2019/c.jpg")
    assert {copy: (found.original, found.kind) for copy, found in copies.items()} == {
        key("Photos from 2020/a.jpg"): (photo_key, CopyKind.DUPLICATE),
        key("Photos from 2020/b.jpg"): (photo_key, CopyKind.DUPLICATE),
        key("Trip/a.jpg"): (photo_key, CopyKind.ALBUM_COPY),
    }


def test_heads_are_read_several_at_once_a_batch_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copies, "HEAD_BATCH", 4)  # six files: two batches, the copy and its photo in different ones
    photo = jpeg_bytes()
    body = photo + bytes(2 * HEAD_BYTES - len(photo))
    folder = tmp_path / "Takeout" / "Google Photos" / "Photos from 2019"
    folder.mkdir(parents=True)
    files = {}
    for index, name in enumerate("abcdef"):
        data = bytearray(body)
        data[len(photo) + 10] = 0 if name == "f" else index  # f: a's bytes; the others differ within the head
        files[f"{name}.jpg"] = bytes(data)
        (folder / f"{name}.jpg").write_bytes(data)
    together = threading.Barrier(2, timeout=10)

    class MeetingSource(PartsSource):
        """Each head read waits for another to begin: read one after another, the first waits in vain and raises."""

        def read_head(self, key: str, size: int) -> bytes:
            together.wait()
            return super().read_head(key, size)

    source = MeetingSource(find_parts([tmp_path / "Takeout"]))
    source.entries_list = list(source.entries())
    key = "Google Photos/Photos from 2019/{}".format
    placed = [Placed(key(name), len(data), FolderKind.LIBRARY) for name, data in files.items()]
    copies_found = find_copies(placed, source, lambda _photo, _copy: True)
    assert {copy: (found.original, found.kind) for copy, found in copies_found.items()} == {
        key("f.jpg"): (key("a.jpg"), CopyKind.DUPLICATE)
    }


def test_files_that_only_share_a_slot_of_the_first_pass_are_told_apart_by_their_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copies, "ODD", 0)  # every size and every digest in one slot: the first pass lets all through
    photo = jpeg_bytes()
    folder = tmp_path / "Takeout" / "Google Photos" / "Photos from 2019"
    folder.mkdir(parents=True)
    files = {f"{index}.jpg": photo + bytes([index]) * (1 + index % 2) for index in range(6)}  # two sizes
    files["again.jpg"] = files["3.jpg"]
    for name, data in files.items():
        (folder / name).write_bytes(data)
    source = PartsSource(find_parts([tmp_path / "Takeout"]))
    list(source.entries())
    key = "Google Photos/Photos from 2019/{}".format
    placed = [Placed(key(name), len(data), FolderKind.LIBRARY) for name, data in files.items()]
    found = find_copies(placed, source, lambda _photo, _copy: True)
    assert {copy: (found.original, found.kind) for copy, found in found.items()} == {
        key("again.jpg"): (key("3.jpg"), CopyKind.DUPLICATE)
    }


def _alike_files(tmp_path: Path) -> tuple[CountingSource, list[Placed], dict[str, tuple[str, CopyKind]]]:
    """Three copies of one photo (one of them in an album), another photo, and two files listed but gone."""
    photo = jpeg_bytes()
    other = photo + b"\0"  # of its own size
    folder = tmp_path / "Takeout" / "Google Photos"
    files = {"Photos from 2019/c.jpg": photo, "Photos from 2020/a.jpg": photo, "Trip/a.jpg": photo}
    files |= {
        "Photos from 2019/gone.jpg": photo,
        "Photos from 2019/gone2.jpg": photo,
        "Photos from 2019/other.jpg": other,
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    source = CountingSource(find_parts([tmp_path / "Takeout"]))
    list(source.entries())
    (folder / "Photos from 2019/gone.jpg").unlink()
    (folder / "Photos from 2019/gone2.jpg").unlink()
    key = "Google Photos/{}".format
    kinds = {"Trip": FolderKind.ALBUM}
    placed = [
        Placed(key(name), len(data), kinds.get(name.split("/")[0], FolderKind.LIBRARY))
        for name, data in sorted(files.items())
    ]
    expected = {
        key("Photos from 2020/a.jpg"): (key("Photos from 2019/c.jpg"), CopyKind.DUPLICATE),
        key("Trip/a.jpg"): (key("Photos from 2019/c.jpg"), CopyKind.ALBUM_COPY),
    }
    return source, placed, expected


def _elsewhere(source: PartsSource, asked: list[str], died: bool = False) -> copies.DigestReader:
    """A reader of digests "elsewhere": here, into a list, as a worker process would; `died`: it never finishes."""

    def reader(keys: Iterator[str], count: int, limit: int | None) -> Callable[[], bytearray | None]:
        named = list(keys)
        assert len(named) == count
        asked.extend(named)
        read = (
            content_digest(source, key, HEAD_BYTES) if limit is None else head_digest(source, key, limit)
            for key in named
        )
        digests = bytearray(b"".join(digest or UNREAD for digest in read))
        return lambda: None if died else digests

    return reader


def _copies_of(
    placed: list[Placed], source: PartsSource, early: EarlyDigests | None, reader: copies.DigestReader | None = None
) -> dict[str, tuple]:
    found = find_copies(placed, source, lambda _photo, _copy: True, early, reader)
    return {copy: (found.original, found.kind) for copy, found in found.items()}


def test_digests_read_elsewhere_find_the_same_copies_and_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copies, "EARLY_MIN", 1)
    source, placed, expected = _alike_files(tmp_path)
    asked: list[str] = []
    sizes = array("q", (item.size for item in placed))
    early = early_digests([item.key for item in placed], sizes, _elsewhere(source, asked))
    assert sorted(asked) == sorted(item.key for item in placed if item.size == placed[0].size)
    source.heads.clear()
    assert _copies_of(placed, source, early) == expected, "the unreadable files are nobody's copies"
    assert source.heads == [] and source.opened == [], "every file was read elsewhere"


def test_files_not_read_elsewhere_are_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, placed, expected = _alike_files(tmp_path)
    asked: list[str] = []
    keys = [item.key for item in placed]
    some = array("q", [0, 4])
    early = EarlyDigests(keys, some, _elsewhere(source, asked)(iter([keys[0], keys[4]]), 2, PEEK_BYTES))  # type: ignore[arg-type]
    source.heads.clear()
    assert _copies_of(placed, source, early) == expected
    assert sorted(set(source.heads)) == sorted(set(keys) - {keys[0], keys[4], keys[3]}), (
        "the rest of that size, read here (other.jpg, of its own size, is read by nobody)"
    )
    died = early_digests([item.key for item in placed], array("q", (item.size for item in placed)), None)
    assert died is None, "no reader: nothing is read elsewhere"
    monkeypatch.setattr(copies, "EARLY_MIN", 1)
    gone = early_digests([i.key for i in placed], array("q", (i.size for i in placed)), _elsewhere(source, [], True))
    source.heads.clear()
    assert _copies_of(placed, source, gone) == expected, "a reader that died: all of them are read here"
    assert len(source.heads) == 5


def test_a_digest_read_elsewhere_is_found_whatever_order_it_is_asked_in() -> None:
    keys = [f"Photos/{n:02d}.jpg" for n in range(10)]
    rows = array("I", [1, 2, 3, 5, 8])
    early = EarlyDigests(keys, rows, lambda: bytearray(len(rows) * len(UNREAD)))
    asked = [1, 2, 3, 5, 8, 2, 8, 1, 0, 4, 3, 5, 9]  # in key order (the copies' way), then back, then not read
    expected = [0, 1, 2, 3, 4, 1, 4, 0, None, None, 2, 3, None]
    assert [early.slot_of(keys[row]) for row in asked] == expected
    assert early.slot_of("Photos/elsewhere.jpg") is None
