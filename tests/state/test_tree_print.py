"""A tree's print: the same items give the same print in any order; any path, size, time or kind moves it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pef.state.tree_print import tree_print

NAMES = ["b.jpg", "a/x.json", "a/y.jpg", "c/d/e/f.mp4", "Café.jpg"]


def build(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())
        os.utime(path, ns=(1_000_000_000, 1_700_000_000_123_456_789))
    return root


def test_the_order_things_were_made_in_does_not_count(tmp_path: Path) -> None:
    one = build(tmp_path / "one", NAMES)
    other = build(tmp_path / "other", list(reversed(NAMES)))
    assert tree_print(one) == tree_print(other) is not None


@pytest.mark.parametrize(
    "change", ["time", "size", "renamed", "added", "removed", "empty folder", "link", "moved to a folder"]
)
def test_every_change_moves_it(tmp_path: Path, change: str) -> None:
    root = build(tmp_path / "tree", NAMES)
    before = tree_print(root)
    target = root / "a" / "y.jpg"
    if change == "time":
        os.utime(target, ns=(1_000_000_000, 1_700_000_000_123_456_790))
    elif change == "size":
        mtime = target.stat().st_mtime_ns
        target.write_bytes(b"longer than before")
        os.utime(target, ns=(1_000_000_000, mtime))
    elif change == "renamed":
        target.rename(root / "a" / "z.jpg")
    elif change == "added":
        build(root, ["a/new.jpg"])
    elif change == "removed":
        target.unlink()
    elif change == "empty folder":
        (root / "a" / "empty").mkdir()
    elif change == "link":
        (root / "link.jpg").symlink_to(target)
    else:
        (root / "y.jpg").mkdir()
        target.rename(root / "y.jpg" / "a")
    assert tree_print(root) != before


def test_names_left_out_are_left_out_at_the_top_only(tmp_path: Path) -> None:
    root = build(tmp_path / "tree", NAMES)
    before = tree_print(root, frozenset({"pef.log"}))
    build(root, ["pef.log"])
    assert tree_print(root, frozenset({"pef.log"})) == before != tree_print(root)
    build(root, ["a/pef.log"])
    assert tree_print(root, frozenset({"pef.log"})) != before


def test_names_that_are_not_utf8_and_paths_past_path_max(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"caf\xe9.jpg"), "wb") as handle:
        handle.write(b"x")
    before = tree_print(root)
    deep = os.open(root, os.O_RDONLY)
    for _ in range(40):  # 40 × 200 characters: far past PATH_MAX
        os.mkdir("d" * 200, dir_fd=deep)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
        os.close(deep)
        deep = inner
    os.close(os.open("photo.jpg", os.O_CREAT | os.O_WRONLY, dir_fd=deep))
    os.close(deep)
    deeper = tree_print(root)
    assert None not in (before, deeper) and before != deeper


def test_a_tree_it_cannot_look_into_has_no_print(tmp_path: Path) -> None:
    assert tree_print(tmp_path / "nowhere") is None
