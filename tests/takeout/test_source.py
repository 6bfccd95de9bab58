"""Reading a Takeout folder's files: whole, up to a size, through short reads, never past a swap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pef.takeout import source
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.source import read_file_head


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "photo.jpg").write_bytes(bytes(range(200)))
    (tmp_path / "a" / "empty.jpg").write_bytes(b"")
    return tmp_path


def test_a_file_is_read_whole_or_up_to_the_size_asked(folder: Path) -> None:
    assert read_file_head(folder, "a/photo.jpg", "a/photo.jpg", 1000) == bytes(range(200))
    assert read_file_head(folder, "a/photo.jpg", "a/photo.jpg", 50) == bytes(range(50))
    assert read_file_head(folder, "a/empty.jpg", "a/empty.jpg", 1000) == b""


def test_short_reads_go_on_to_the_end(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_read = os.read
    calls = []

    def short_read(fd: int, count: int) -> bytes:  # as some network and FUSE drives answer
        calls.append(count)
        return real_read(fd, min(count, 7))

    monkeypatch.setattr(source.os, "read", short_read)
    assert read_file_head(folder, "a/photo.jpg", "a/photo.jpg", 1000) == bytes(range(200))
    assert len(calls) == 29  # 28 reads of 7 bytes and one of 4: none past the size found when opened


def test_a_file_swapped_for_a_symlink_or_a_folder_is_not_read(folder: Path) -> None:
    (folder / "a" / "link.jpg").symlink_to(folder / "a" / "photo.jpg")
    (folder / "a" / "folder.jpg").mkdir()
    with pytest.raises(OSError):
        read_file_head(folder, "a/link.jpg", "a/link.jpg", 1000)
    with pytest.raises(OSError):
        read_file_head(folder, "a/folder.jpg", "a/folder.jpg", 1000)


def test_a_lone_folders_sidecars_are_not_sized_and_two_folders_are_sized_whole(tmp_path: Path) -> None:
    for part in ("one", "two"):
        (tmp_path / part / "2019").mkdir(parents=True)
        (tmp_path / part / "2019" / f"{part}.jpg").write_bytes(bytes(300))
        (tmp_path / part / "2019" / f"{part}.jpg.JSON").write_bytes(bytes(40))
    alone = PartsSource(find_parts([tmp_path / "one"]))
    sizes = {entry.key: entry.size for entry in alone.entries()}
    assert sizes == {"2019/one.jpg": 300, "2019/one.jpg.JSON": source.UNSIZED}  # an lstat saved a sidecar
    assert [held.size for held in alone.held] == [300]
    both = PartsSource(find_parts([tmp_path / "one", tmp_path / "two"]))
    assert {entry.size for entry in both.entries()} == {300, 40}, "parts are sized: one path may be in two"
    assert [held.size for held in both.held] == [340, 340]
