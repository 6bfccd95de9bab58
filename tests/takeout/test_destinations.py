"""Output names: no two outputs, no output and another's `.xmp`, no output and pef's own files share a name."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pef.state.layout import OWN_NAMES
from pef.takeout.destinations import RESERVED, OutputNamer
from pef.takeout.file_names import XMP_SUFFIX, collision_key

# pieces that make names collide: case, normalisation, a name that is another's `.xmp`, pef's own names
PIECES = [
    "a",
    "A",
    "é",
    unicodedata.normalize("NFD", "é"),
    ".jpg",
    ".JPG",
    ".xmp",
    ".XMP",
    " (pef-2)",
    "pef-report.csv",
]
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
keys = st.lists(st.tuples(st.sampled_from(["", "F", "f", "F/x", "F/x/a", "F/X"]), names), max_size=25)


def in_key_order(found: list[tuple[str, str]]) -> list[str]:
    """The keys as the plan asks for their names: sorted as text, so a folder's files and subfolders interleave."""
    return sorted({f"{folder}/{name}" if folder else name for folder, name in found})


def taken_names(files: list[str], folders: list[str]) -> list[str]:
    """Every name the outputs take on a drive: each file and its `.xmp`, each folder, pef's own names."""
    taken = [*files, *(name + XMP_SUFFIX for name in files), *folders, *OWN_NAMES, *RESERVED]
    return [collision_key(name) for name in taken]


@given(keys)
def test_outputs_in_folders_never_share_a_name_on_any_drive(found: list[tuple[str, str]]) -> None:
    namer = OutputNamer()
    files = [namer.file(key) for key in in_key_order(found)]
    folders = sorted({namer.folder(folder) for folder, _ in found if folder} | {namer.folder("F")})
    folders += [folder.rpartition("/")[0] for folder in folders if "/" in folder]
    taken = taken_names(files, sorted(set(folders)))
    assert len(taken) == len(set(taken)), files


@given(keys)
def test_outputs_below_a_dated_root_never_share_a_name(found: list[tuple[str, str]]) -> None:
    namer = OutputNamer()
    files = [namer.dated("Photos", key) for key in in_key_order(found)]
    names_below = [file.removeprefix("Photos/") for file in files]
    taken = [collision_key(name) for name in (*names_below, *(name + XMP_SUFFIX for name in names_below))]
    assert len(taken) == len(set(taken)), files


def test_a_name_is_changed_only_when_it_or_its_xmp_is_taken() -> None:
    namer = OutputNamer()
    assert namer.folder("a.jpg") == "a.jpg"
    assert namer.file("a.jpg.xmp") == "a.jpg.xmp", "a folder takes no .xmp name"
    assert namer.file("b.jpg") == "b.jpg"
    assert namer.file("B.JPG.XMP") == "B.JPG (pef-2).XMP", "the .xmp a file may get beside it"
    assert namer.file("c.jpg.xmp") == "c.jpg.xmp"
    assert namer.file("C.jpg") == "C (pef-2).jpg", "its .xmp would be another file"
    assert namer.file("d.xmp") == "d.xmp" and namer.file("d") == "d (pef-2)"
    assert namer.file("pef-report.csv") == "pef-report (pef-2).csv"
    assert namer.file("F/pef-report.csv") == "F/pef-report.csv", "pef's own names are taken at the top only"


def test_a_folder_left_in_key_order_lets_go_of_its_names_and_is_never_named_in_again() -> None:
    namer = OutputNamer()
    keys = ["A/B.jpg", "A/C.jpg", "A/a/x.jpg", "A/a/z/y.jpg", "A/b.JPG", "A/c.jpg"]
    assert keys == sorted(keys)
    assert [namer.file(key) for key in keys] == [
        "A/B.jpg",
        "A/C.jpg",
        "A/a/x.jpg",
        "A/a/z/y.jpg",
        "A/b (pef-2).JPG",  # the folder between them did not let go of its parent's names
        "A/c (pef-2).jpg",  # nor did a folder two down
    ]
    assert namer.file("B/x.jpg") == "B/x.jpg"
    with pytest.raises(RuntimeError, match="out of key order"):
        namer.file("A/y.jpg")  # A was left: its names are gone, a name there now could meet one of them
