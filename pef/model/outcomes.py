"""Statuses and reason codes: every file pef does not process fully says why, with one of these."""

from __future__ import annotations

from enum import StrEnum


class FileStatus(StrEnum):
    """Outcome of one source media file."""

    DONE = "done"  # copied with its sidecar's metadata written
    UNMATCHED = "unmatched"  # copied unchanged: no usable sidecar (see Reason)
    FAILED = "failed"  # not copied, or copied without the metadata it should have (see error)


class Reason(StrEnum):
    """Why a file was not matched, was skipped, or failed."""

    # media without metadata
    NO_SIDECAR = "no_sidecar"
    BAD_SIDECAR = "bad_sidecar"
    AMBIGUOUS = "ambiguous"
    # sidecars without media, and files that are not media
    NO_MEDIA = "no_media"
    ALBUM_METADATA = "album_metadata"
    TRASHED = "trashed"  # in the Trash (Bin) of Google Photos, left out as asked (--trash skip)
    NOT_MEDIA = "not_media"
    SYMLINK = "symlink"
    SPECIAL_FILE = "special_file"
    # entries of the downloaded parts that are not read
    UNSAFE_PATH = "unsafe_path"  # an archive path that would lead out of the export (absolute, "..")
    DUPLICATE_ENTRY = "duplicate_entry"  # the same file at the same path in another part: one is enough
    NAME_COLLISION = "name_collision"  # another file at the same path (after normalising the name)
    MISSING_PART = "missing_part"  # a numbered part of the download that is not with the others
    # failures
    CORRUPT_MEDIA = "corrupt_media"
    METADATA_TOO_LARGE = "metadata_too_large"
    SOURCE_VANISHED = "source_vanished"
    SOURCE_UNREACHABLE = "source_unreachable"  # its folder is gone too: the source drive, not the file
    READ_ERROR = "read_error"
    WRITE_ERROR = "write_error"
    DISK_FULL = "disk_full"
    PERMISSION_DENIED = "permission_denied"
    VERIFY_MISMATCH = "verify_mismatch"
    INTERNAL_ERROR = "internal_error"  # a bug in pef: the log has the traceback
    DAMAGED_PART = "damaged_part"  # its part of the download is damaged or cut short (also: a whole part)


class MatchKind(StrEnum):
    """How a media file found its sidecar."""

    OWN = "own"  # the sidecar named after it
    EDITED = "edited"  # an edited copy using its original's sidecar
    CONVERTED = "converted"  # a still Google converted from a HEIC (IMG_1.HEIC.jpg), using the HEIC's sidecar
    COMPANION = "companion"  # the video half of a live or motion photo, using the still's sidecar
    CHOSEN = "chosen"  # a sidecar the person chose in Review
    ALBUM_COPY = "album_copy"  # the sidecar of its copy in an album folder (its own is missing)


class DateSource(StrEnum):
    """Where the date written into a file came from (a column of the report)."""

    SIDECAR = "sidecar"  # the sidecar's instant, as wall-clock time in the chosen zone
    CAMERA = "camera"  # the camera's own wall-clock time, which denotes the sidecar's instant; offset added
    SIDECAR_OVER_CAMERA = "sidecar_over_camera"  # the camera's date disagreed (corrected in Google Photos)
    MANUAL_SIDECAR = "manual_sidecar"  # a sidecar the person chose in Review
    FILENAME = "filename"  # the date in the file's name (IMG_20190512_123456)
    MANUAL = "manual"  # a date the person typed in Review


class DecisionKind(StrEnum):
    """What the person decided in Review for a file pef could not match."""

    SIDECAR = "sidecar"  # use this sidecar
    FILENAME = "filename"  # use the date in the file's name
    MANUAL = "manual"  # use this date


# How a failure behaves (outcomes.py is the one place these classes are said):
# permanent: a later attempt cannot fix it; recorded once, redone only when the person asks (Retry failed).
PERMANENT_FAILURES = frozenset(
    {Reason.CORRUPT_MEDIA, Reason.METADATA_TOO_LARGE, Reason.VERIFY_MISMATCH, Reason.INTERNAL_ERROR}
)
# environmental: the drives or folders, not one file; only these, five in a row, pause a run.
ENVIRONMENT_FAILURES = frozenset(
    {Reason.DISK_FULL, Reason.WRITE_ERROR, Reason.PERMISSION_DENIED, Reason.SOURCE_UNREACHABLE}
)
# Every other failure is the file's own: it fails alone and is tried again by the next run.
