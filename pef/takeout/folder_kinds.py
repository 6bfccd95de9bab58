"""What a folder of the Takeout is, by its name (in every language the reference gives) and what it holds."""

from __future__ import annotations

import re
import unicodedata

from pef.model.library import FolderKind

_SPECIAL_NAMES = {
    FolderKind.TRASH: ("trash", "bin", "corbeille", "papelera", "papierkorb", "cestino", "lixeira", "prullenbak",
                       "kosz", "корзина"),
    FolderKind.ARCHIVE: ("archive", "archiv", "archivo", "archivio", "arquivo", "archief", "archiwum", "архив"),
    FolderKind.LOCKED: ("locked folder",),
    FolderKind.FAILED_VIDEOS: ("failed videos",),
}  # fmt: skip
_SPECIAL = {name: kind for kind, names in _SPECIAL_NAMES.items() for name in names}

# "Photos from 2019" and its translations; a date folder of exports before 2021 ("2005-02-05", "2005-02-05 #2")
_YEAR = re.compile(
    r"(photos from|fotos von|photos de|fotos de|fotos do|foto dal|foto del|foto's uit|zdjęcia z|fotky z|"
    r"fotos från|billeder fra|bilder fra|фото за|фотографии за) (1[89]|20)\d\d"
)
_DATED = re.compile(r"(1[89]|20)\d\d-[01]\d-[0-3]\d( #\d+)?")
_UNTITLED = re.compile(
    r"(untitled|sans titre|sin título|senza titolo|sem título|unbenannt|naamloos|bez tytułu|nimetön|無題|"
    r"без названия|adsız|未命名|제목 없음)( ?\(\d+\))?"
)


def plain(name: str) -> str:
    """A folder name as compared: NFC, no-break spaces as spaces, trimmed, case folded."""
    return " ".join(unicodedata.normalize("NFC", name).replace("\u00a0", " ").split()).casefold()


def folder_kind(name: str, holds_album_file: bool) -> FolderKind:
    """The kind of the folder called `name`; `holds_album_file`: an album's description file is in it.

    A year or date folder is the library even when Google put an album file in it; a folder with an
    album file is an album; any other folder is the library too, so no photo is ever taken for a copy
    only because of where it lies.
    """
    text = plain(name)
    if text in _SPECIAL:
        return _SPECIAL[text]
    if _YEAR.fullmatch(text) or _DATED.fullmatch(text):
        return FolderKind.LIBRARY
    if _UNTITLED.fullmatch(text):
        return FolderKind.ALBUM
    if holds_album_file:
        return FolderKind.ALBUM
    return FolderKind.LIBRARY
