"""Folder kinds by name in the languages the Takeout reference gives, and by what a folder holds."""

from __future__ import annotations

import pytest

from pef.model.library import FolderKind
from pef.takeout.folder_kinds import folder_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Trash", FolderKind.TRASH), ("Bin", FolderKind.TRASH), ("Papierkorb", FolderKind.TRASH),
        ("Corbeille", FolderKind.TRASH), ("Корзина", FolderKind.TRASH), ("prullenbak", FolderKind.TRASH),
        ("Archive", FolderKind.ARCHIVE), ("Archiv", FolderKind.ARCHIVE), ("Archiwum", FolderKind.ARCHIVE),
        ("Архив", FolderKind.ARCHIVE), ("Locked Folder", FolderKind.LOCKED),
        ("Failed Videos", FolderKind.FAILED_VIDEOS),
    ],
)  # fmt: skip
def test_special_folders_in_every_language_whatever_they_hold(name: str, kind: FolderKind) -> None:
    assert folder_kind(name, holds_album_file=False) is kind
    assert folder_kind(name, holds_album_file=True) is kind


@pytest.mark.parametrize(
    "name", ["Photos from 2019", "Fotos von 2019", "Photos de 2019", "Foto's uit 2019", "Photos\u00a0from 2018",
             "Zdjęcia z 2020", "2005-02-05", "2005-02-05 #2"],
)  # fmt: skip
def test_year_and_date_folders_are_the_library_even_with_an_album_file(name: str) -> None:
    assert folder_kind(name, holds_album_file=True) is FolderKind.LIBRARY


def test_an_album_is_a_folder_with_an_album_file_or_an_untitled_albums_name() -> None:
    assert folder_kind("Summer 2019", holds_album_file=True) is FolderKind.ALBUM
    assert folder_kind("Sans titre(9)", holds_album_file=False) is FolderKind.ALBUM
    assert folder_kind("Untitled(1)", holds_album_file=False) is FolderKind.ALBUM
    assert folder_kind("Google Photos", holds_album_file=False) is FolderKind.LIBRARY
    assert folder_kind("My phone dump", holds_album_file=False) is FolderKind.LIBRARY  # never a copy by place
