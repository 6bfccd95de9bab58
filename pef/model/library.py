"""How a run lays out the library it writes: albums, folders by date, special folders, duplicates."""

from __future__ import annotations

from enum import StrEnum


class AlbumMode(StrEnum):
    """What becomes of a photo's copies in album folders."""

    COPY = "copy"  # every album folder holds full copies (pef 0.1)
    LINK = "link"  # one file per photo; album folders hold links to it
    KEYWORDS = "keywords"  # one file per photo; albums only in its metadata and in albums.csv


class Layout(StrEnum):
    """Which folders the photos go into."""

    TAKEOUT = "takeout"  # the Takeout's own folders
    YEAR = "year"
    MONTH = "year/month"
    DAY = "year/month/day"

    @property
    def by_date(self) -> bool:
        return self is not Layout.TAKEOUT


class DuplicateMode(StrEnum):
    """What becomes of a photo uploaded twice (the same bytes in two places of the library)."""

    KEEP = "keep"
    LINK = "link"


class FolderKind(StrEnum):
    """What a folder of the Takeout is, by its name and what it holds."""

    LIBRARY = "library"  # Photos from 2019, 2005-02-05 (older exports), or the container itself
    ALBUM = "album"
    TRASH = "trash"
    ARCHIVE = "archive"
    LOCKED = "locked"
    FAILED_VIDEOS = "failed_videos"

    @property
    def special(self) -> bool:
        return self not in (FolderKind.LIBRARY, FolderKind.ALBUM)


class CopyKind(StrEnum):
    """Why a media file is recognised as the same photo as another (the same bytes)."""

    ALBUM_COPY = "album_copy"  # in an album folder, the photo of a year folder (or of another album)
    DUPLICATE = "duplicate"  # in the library twice: uploaded twice


class CopyAction(StrEnum):
    """What a run does with a media file: the modes decide it for copies."""

    WRITE = "write"  # a file of its own
    LINK = "link"  # a link to the output of the photo it is a copy of
    OMIT = "omit"  # no file: the photo's own output stands for it (albums in its metadata)


class LinkKind(StrEnum):
    """How an output stands for another's file."""

    HARD = "hard"  # the same file under two names: no bytes twice
    SYMBOLIC = "symbolic"  # a relative symbolic link (the drive holds no hard links)
    NONE = "none"  # no file at all: the photo's own output (albums mode `keywords`)


# Top-level folders of the output: never mixed into the library silently.
TOP_FOLDERS = {
    FolderKind.TRASH: "Trash",
    FolderKind.ARCHIVE: "Archive",
    FolderKind.LOCKED: "Locked Folder",
    FolderKind.FAILED_VIDEOS: "Failed Videos",
}
PARTNER_FOLDER = "Partner shared"
ALBUMS_FOLDER = "Albums"  # album folders, in a layout by date
UNDATED_FOLDER = "Undated"  # media with no date to write, in a layout by date
