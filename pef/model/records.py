"""Values that travel from the planner to the workers and from the workers to the state."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from json.encoder import encode_basestring  # json's C escaper, as json.dumps(…, ensure_ascii=False) uses it
from typing import NamedTuple

from pef.model.library import AlbumMode, CopyAction, CopyKind, DuplicateMode, FolderKind, Layout, LinkKind
from pef.model.outcomes import DateSource, DecisionKind, FileStatus, MatchKind, Reason


@dataclass(frozen=True)
class RunSettings:
    """Settings that change what a run writes; a state file made with others is refused."""

    suffixes: tuple[str, ...] = ()
    write_exif: bool = True
    timezone: str = "auto"
    name_dates: bool = True  # media with no usable sidecar get the date their name carries
    xmp_files: bool = False  # an .xmp file beside every output, even where the metadata is inside it
    albums: AlbumMode = AlbumMode.KEYWORDS
    layout: Layout = Layout.TAKEOUT
    skip_trash: bool = False  # leave out what the person deleted in Google Photos
    duplicates: DuplicateMode = DuplicateMode.KEEP

    def as_json(self) -> dict:
        return {
            "suffixes": list(self.suffixes),
            "write_exif": self.write_exif,
            "timezone": self.timezone,
            "name_dates": self.name_dates,
            "xmp_files": self.xmp_files,
            "albums": self.albums.value,
            "layout": self.layout.value,
            "skip_trash": self.skip_trash,
            "duplicates": self.duplicates.value,
        }

    @classmethod
    def from_json(cls, data: dict) -> RunSettings:
        return cls(
            tuple(data.get("suffixes", ())),
            bool(data.get("write_exif", True)),
            str(data.get("timezone", "auto")),
            bool(data.get("name_dates", True)),
            bool(data.get("xmp_files", False)),
            AlbumMode(data.get("albums", AlbumMode.COPY)),  # a state saved before the modes: full album copies
            Layout(data.get("layout", Layout.TAKEOUT)),
            bool(data.get("skip_trash", False)),
            DuplicateMode(data.get("duplicates", DuplicateMode.KEEP)),
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """What the person chose in Review for one media file; kept in the run's state for every later run."""

    kind: DecisionKind
    sidecar: str | None = None  # SIDECAR: the sidecar's key
    taken: int | None = None  # FILENAME, MANUAL: the instant, Unix seconds

    @property
    def token(self) -> str:
        """Says which decision an output was made with: another decision redoes the file."""
        return f"{self.kind.value}:{self.sidecar if self.kind is DecisionKind.SIDECAR else self.taken}"

    @property
    def date_source(self) -> DateSource:
        return {
            DecisionKind.SIDECAR: DateSource.MANUAL_SIDECAR,
            DecisionKind.FILENAME: DateSource.FILENAME,
            DecisionKind.MANUAL: DateSource.MANUAL,
        }[self.kind]

    def as_json(self) -> dict:
        return {"kind": self.kind.value, "sidecar": self.sidecar, "taken": self.taken}

    @classmethod
    def from_json(cls, data: dict) -> Decision:
        taken = data.get("taken")
        return cls(DecisionKind(data["kind"]), data.get("sidecar"), int(taken) if taken is not None else None)


class FileTask(NamedTuple):
    """One source media file and what the plan says to do with it.

    A named tuple: made a million times a survey, 0.4 µs each against 2 µs for a frozen dataclass.
    """

    key: str
    size: int
    output: str  # path relative to the output folder
    sidecar: str | None
    match: MatchKind | None
    reason: Reason | None  # why there is no sidecar
    albums: tuple[str, ...] = ()  # the albums holding this photo (its own folder's and its copies')
    decision: Decision | None = None  # what the person chose in Review
    folder: FolderKind = FolderKind.LIBRARY  # what the folder holding it is
    copy_of: str = ""  # the key of the photo it has the same bytes as (its original)
    copy_kind: CopyKind | None = None
    action: CopyAction = CopyAction.WRITE
    dated: bool = False  # its output's folders are the date written (`output` is the folder below them and its name)
    renamed: bool = False  # its output's name or folder is not the source's (a drive could not hold it, a clash)


def _string(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)


def _value(member: StrEnum | None) -> str:
    return "null" if member is None else encode_basestring(member)  # a StrEnum is its value: no property to ask


class FileRecord(NamedTuple):
    """What happened to one source media file (one line of the journal, one entry of the state); a named tuple."""

    key: str
    status: FileStatus
    output: str | None
    sidecar: str | None = None
    reason: Reason | None = None
    size: int = 0  # bytes of the output
    attempts: int = 1
    at: str = ""
    error: str | None = None
    match: MatchKind | None = None
    note: str = ""
    date_source: DateSource | None = None
    mtime_ns: int = 0  # the output's modification time when pef finished it (0: not recorded, pef 0.1)
    decided: str = ""  # the token of the Review decision it was made with
    copy_of: str = ""  # the key of the photo whose file this output is (a link), or stands for (no file)
    link: LinkKind | None = None

    @property
    def owns_output(self) -> bool:
        """Whether `output` is a name this record made (not the output of the photo it stands for)."""
        return self.output is not None and self.link is not LinkKind.NONE

    def as_json(self) -> dict:
        return json.loads(self.json_text())

    def json_text(self, key: bool = False) -> str:
        """`as_json` as `json.dumps(…, ensure_ascii=False)` writes it (`key`: with the key first, a journal line).

        Written field by field with json's own C escaper: the journal writes one a file, and every snapshot one
        for every file; a dict handed to json.dumps cost twice as much."""
        text = (
            f'"status": {_value(self.status)}, "output": {_string(self.output)}, "sidecar": {_string(self.sidecar)}, '
            f'"reason": {_value(self.reason)}, "size": {self.size:d}, "attempts": {self.attempts:d}, '
            f'"at": {_string(self.at)}, "error": {_string(self.error)}, "match": {_value(self.match)}, '
            f'"note": {_string(self.note)}, "date_source": {_value(self.date_source)}, "mtime_ns": {self.mtime_ns:d}'
        )
        if self.decided:
            text += f', "decided": {_string(self.decided)}'
        if self.link:
            text += f', "copy_of": {_string(self.copy_of)}, "link": {_value(self.link)}'
        return f'{{"key": {_string(self.key)}, {text}}}' if key else f"{{{text}}}"

    @classmethod
    def from_json(cls, key: str, data: dict) -> FileRecord:
        return cls(
            key=key,
            status=FileStatus(data["status"]),
            output=_text(data.get("output")),
            sidecar=_text(data.get("sidecar")),
            reason=Reason(data["reason"]) if data.get("reason") else None,
            size=int(data.get("size", 0)),
            attempts=int(data.get("attempts", 1)),
            at=str(data.get("at", "")),
            error=data.get("error"),
            match=MatchKind(data["match"]) if data.get("match") else None,
            note=str(data.get("note", "")),
            date_source=DateSource(data["date_source"]) if data.get("date_source") else None,
            mtime_ns=int(data.get("mtime_ns") or 0),
            decided=str(data.get("decided", "")),
            copy_of=str(data.get("copy_of", "")),
            link=LinkKind(data["link"]) if data.get("link") else None,
        )


def _text(text: object) -> str | None:
    return text if isinstance(text, str) else None


def now_iso() -> str:
    return _iso_second(int(time.time()))


@functools.lru_cache(maxsize=1)  # a record's time is to the second: formatted once a second, not once a file
def _iso_second(second: int) -> str:
    return datetime.fromtimestamp(second).astimezone().isoformat(timespec="seconds")
