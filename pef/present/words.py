"""Plain words for counts, sizes and durations: shared by the terminal and the window."""

from __future__ import annotations

import re

from pef.model.events import RunSummary
from pef.model.library import LinkKind
from pef.model.outcomes import DateSource, Reason

EXPLANATIONS: dict[Reason, str] = {  # one sentence for people, and what they can do; both faces and the report
    Reason.NO_SIDECAR: "No sidecar belongs to this file, so it was copied as it is with its own date.",
    Reason.BAD_SIDECAR: "Its sidecar could not be used (see the details), so it was copied as it is.",
    Reason.AMBIGUOUS: "Two files could both own the same sidecar; pef does not guess, so both were copied as they are.",
    Reason.NO_MEDIA: "No photo or video in its folder has this sidecar's name; nothing was written from it.",
    Reason.ALBUM_METADATA: "An album's description, not a photo's; its title is written into the album's photos.",
    Reason.TRASHED: "You deleted it in Google Photos (it was in the Trash), and this run leaves the Trash out.",
    Reason.NOT_MEDIA: "Not a photo or a video, so it was not copied.",
    Reason.SYMLINK: "A link to somewhere else; pef never follows links out of the Takeout, so it was not copied.",
    Reason.SPECIAL_FILE: "A pipe, socket or device rather than a file, so it was not copied.",
    Reason.UNSAFE_PATH: "Its path inside the archive would lead out of the export (absolute, or with “..”), so it "
    "was not unpacked.",
    Reason.DUPLICATE_ENTRY: "The same file (same path, same size) is in another part too; that copy was used.",
    Reason.NAME_COLLISION: "Another file of the Takeout has the same path, and pef never writes one over the "
    "other, so this one was not copied; unpack it by hand if you need it.",
    Reason.MISSING_PART: "This part of the download is not with the others: download it, put it beside them and "
    "resume.",
    Reason.DAMAGED_PART: "Its part of the download is damaged or cut short; download that part again and resume.",
    Reason.CORRUPT_MEDIA: "The file is damaged or not what its name says, so it was copied as it is, without metadata.",
    Reason.METADATA_TOO_LARGE: "Its metadata does not fit into this kind of file, so it was copied as it is.",
    Reason.SOURCE_VANISHED: "The file disappeared from the Takeout while pef ran; put it back and resume.",
    Reason.SOURCE_UNREACHABLE: "The Takeout's drive or folder could not be reached; reconnect it and resume.",
    Reason.READ_ERROR: "pef could not read it from the Takeout (see the details); fix that and resume.",
    Reason.WRITE_ERROR: "pef could not write it into the output folder (see the details); fix that and resume.",
    Reason.DISK_FULL: "The output drive was full; free some space and resume.",
    Reason.PERMISSION_DENIED: "pef was not allowed to write into the output folder; fix that and resume.",
    Reason.VERIFY_MISMATCH: "The metadata did not read back as written, so the file was copied as it is instead.",
    Reason.INTERNAL_ERROR: "An error in pef; the file was copied as it is, and pef.log has the details for a report.",
}

# What a terminal would act on instead of showing: control characters (escape sequences, carriage
# returns), direction overrides that reorder what follows, and lone surrogates from non-UTF-8 names.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """Text a terminal shows as it is: what it would act on is written as an escape (\\x1b, \\n, \\u202e)."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


NOTHING_TO_DO = "Nothing to do: every file of this run is already finished."


def space_question(free: int, needed: int) -> str:
    """What both faces ask when the output drive looks too small; everything before "Start anyway?" is the fact."""
    return (
        f"The output drive has {human_bytes(free)} free, but about {human_bytes(needed)} are still "
        "to be copied. Start anyway? (pef pauses by itself when the disk is full.)"
    )


def headline(summary: RunSummary) -> str:
    """The run's outcome in one line; never a plain "completed" when files failed."""
    if summary.dry_run:
        return "Dry run — nothing was written. A run would process:"
    problems = sum(summary.failed.values())
    if summary.status == "completed" and problems:
        return f"Completed with {problems:,} problem{'s' if problems != 1 else ''} (see Failed files)."
    return f"Run {summary.status}."


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


DATE_SOURCES = {  # the report's date_source column, in words
    DateSource.SIDECAR: "sidecar date",
    DateSource.CAMERA: "camera's time",
    DateSource.SIDECAR_OVER_CAMERA: "date corrected",
    DateSource.MANUAL_SIDECAR: "sidecar chosen",
    DateSource.FILENAME: "date from name",
    DateSource.MANUAL: "date typed in",
}


REASON_WORDS: dict[str, str] = {  # a reason in a few words: the summary's rows and Review's column
    Reason.NO_SIDECAR: "no sidecar",
    Reason.BAD_SIDECAR: "sidecar unusable",
    Reason.AMBIGUOUS: "two owners",
    Reason.NO_MEDIA: "no media file",
    Reason.ALBUM_METADATA: "album files",
    Reason.TRASHED: "in the Trash",
    Reason.NOT_MEDIA: "not media",
    Reason.SYMLINK: "links",
    Reason.SPECIAL_FILE: "special files",
    Reason.UNSAFE_PATH: "unsafe paths",
    Reason.DUPLICATE_ENTRY: "in two parts",
    Reason.NAME_COLLISION: "same path",
    Reason.MISSING_PART: "missing part",
    Reason.DAMAGED_PART: "damaged part",
    Reason.CORRUPT_MEDIA: "damaged",
    Reason.METADATA_TOO_LARGE: "too much metadata",
    Reason.SOURCE_VANISHED: "gone from Takeout",
    Reason.SOURCE_UNREACHABLE: "Takeout unreachable",
    Reason.READ_ERROR: "unreadable",
    Reason.WRITE_ERROR: "could not write",
    Reason.DISK_FULL: "disk full",
    Reason.PERMISSION_DENIED: "not allowed",
    Reason.VERIFY_MISMATCH: "did not read back",
    Reason.INTERNAL_ERROR: "error in pef",
}


def explanation(code: str) -> str:
    """A reason code's sentence for people ("" for none, or for a code of a newer pef)."""
    return EXPLANATIONS.get(code, "")  # type: ignore[call-overload]  # a StrEnum member is its code: the str finds it


def reason_words(code: str) -> str:
    return REASON_WORDS.get(code, code.replace("_", " "))  # type: ignore[call-overload]


def summary_lines(summary: RunSummary) -> list[str]:
    unmatched, failed = sum(summary.unmatched.values()), sum(summary.failed.values())
    groups = [summary.unmatched, summary.failed, summary.orphans, summary.skipped]
    labels = [reason_words(code) for group in groups for code in group]
    labels += [DATE_SOURCES[DateSource(key)] for key in summary.dates]
    width = max([16, *(4 + len(label) for label in labels)])

    def row(label: str, count: int, note: str = "") -> str:
        return f"  {label:<{width}}{count:>9,}" + (f"  {note}" if note else "")

    def reasons(counts: dict[str, int]) -> list[str]:
        return [row(f"  {reason_words(code)}", count) for code, count in sorted(counts.items())]

    lines = [headline(summary), row("media files", summary.total), row("with metadata", summary.done)]
    lines += [row(f"  {DATE_SOURCES[DateSource(key)]}", count) for key, count in sorted(summary.dates.items())]
    lines += [row("unmatched", unmatched, "(copied unchanged)"), *reasons(summary.unmatched)]
    if not summary.dry_run:
        lines += [row("failed", failed), *reasons(summary.failed)]
    orphans = sum(summary.orphans.values())
    if orphans:
        lines += [row("orphan sidecars", orphans, "(no media file)"), *reasons(summary.orphans)]
    skipped = sum(summary.skipped.values())
    if skipped:
        lines += [row("other files", skipped, "(not copied)"), *reasons(summary.skipped)]
    if summary.status != "completed" and not summary.dry_run:
        lines.append(row("not yet done", summary.total - summary.done - unmatched - failed))
    lines += library_lines(summary)
    if summary.failures:
        lines.append("Failed files:")
        lines += [f"  {record.error or record.key}" for record in summary.failures[:50]]
        if len(summary.failures) > 50:
            lines.append(f"  … and {len(summary.failures) - 50} more (see the report)")
    if summary.output:
        lines.append(f"Output: {summary.output}" if not summary.dry_run else f"Output would be: {summary.output}")
    if summary.report and not summary.dry_run:
        lines.append(f"Report: {summary.report}")
    return lines


LINK_WORDS = {
    LinkKind.HARD: "hard links (one file, two names)",
    LinkKind.SYMBOLIC: "symbolic links (the drive holds no hard links)",
    LinkKind.NONE: "no file of their own (their albums are in the photo's metadata and albums.csv)",
}
SHOWN_FOLDERS = 12


def library_lines(summary: RunSummary) -> list[str]:
    """The top-level folders and how many files each holds; album copies and duplicates, and what became of them."""
    lines = []
    if summary.folders:
        folders = sorted(summary.folders.items(), key=lambda item: (item[0][:1].isdigit(), item[0]))
        shown = [f"{name} ({count:,})" for name, count in folders[:SHOWN_FOLDERS]]
        more = len(folders) - SHOWN_FOLDERS
        lines.append("Folders: " + ", ".join(shown) + (f", and {more} more" if more > 0 else "") + ".")
    kinds = (
        (summary.album_copies, "album copy", "album copies"),
        (summary.duplicates, "identical duplicate", "identical duplicates"),
    )
    found = [f"{count:,} {one if count == 1 else many}" for count, one, many in kinds if count]
    if found:
        lines.append(f"Recognised by their bytes: {' and '.join(found)} of photos in the library.")
    for kind in LinkKind:
        if count := summary.links.get(kind.value, 0):
            lines.append(f"  {count:,} as {LINK_WORDS[kind]}")
    if summary.saved_bytes:
        lines.append(f"  {human_bytes(summary.saved_bytes)} not written twice.")
    return lines


_ERRNO_WORDS = {  # what an operating-system error means for the person, by its errno name
    "EROFS": "the drive is read-only",
    "EACCES": "pef is not allowed to write there",
    "EPERM": "pef is not allowed to write there",
    "ENOSPC": "the drive is full",
    "EDQUOT": "your disk quota is used up",
    "EEXIST": "something with that name is already there",
    "ENOENT": "it is not there (any more)",
    "ENOTDIR": "a part of that path is a file, not a folder",
    "EIO": "the drive reported a read or write error",
    "ENAMETOOLONG": "the name is too long for that drive",
    "ENOTCONN": "the drive is disconnected",
    "EISDIR": "it is a folder, not a file",
}


def describe_error(error: BaseException) -> str:
    """An error that stopped a whole run, in words for people: what, where, and the system's own words."""
    import errno as errno_names

    if isinstance(error, OSError):
        name = errno_names.errorcode.get(error.errno or 0, "")
        meaning = _ERRNO_WORDS.get(name) or (error.strerror or str(error)).rstrip(".")
        where = f" ({error.filename})" if error.filename else ""
        return f"pef could not go on: {meaning}{where}."
    return f"pef could not go on because of an error in pef ({error.__class__.__name__}: {error}); pef.log has details."
