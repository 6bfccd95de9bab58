"""Copies found by their bytes: files of one size are read by their first bytes, and whole only where those agree."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pef.model.library import CopyKind, FolderKind
from pef.takeout import copies
from pef.takeout.copies import HEAD_BYTES, Placed, find_copies
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
