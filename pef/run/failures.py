"""What went wrong with one file, in a reason: errno classes, and which errors deserve a retry."""

from __future__ import annotations

import errno

from pef.model.outcomes import Reason


class FileFailure(Exception):
    def __init__(self, reason: Reason, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.transient = transient


# Errors that a moment later may be gone: a busy or stalled share, a file locked by another program.
TRANSIENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in (
        "EIO",
        "EAGAIN",
        "EBUSY",
        "ETIMEDOUT",
        "ESTALE",
        "ECONNRESET",
        "ECONNABORTED",
        "EHOSTDOWN",
        "EHOSTUNREACH",
        "ENETDOWN",
        "ENETUNREACH",
        "ENOTCONN",
        "EINTR",
        "ETXTBSY",
        "EDEADLK",
        "ENOLCK",
        "EREMOTEIO",
    )
    if hasattr(errno, name)
)
_DISK_ERRORS = {errno.ENOSPC: Reason.DISK_FULL, errno.EDQUOT: Reason.DISK_FULL}
_ACCESS_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS}


def source_failure(key: str, error: OSError, folder_there: bool) -> FileFailure:
    """A source file that cannot be read: its own problem, unless its folder is gone too (the drive)."""
    if not folder_there:
        message = f"{key}: the source folder is no longer reachable"
        return FileFailure(Reason.SOURCE_UNREACHABLE, message, error.errno in TRANSIENT_ERRNOS)
    if error.errno == errno.ENOENT:
        return FileFailure(Reason.SOURCE_VANISHED, f"{key}: the source file vanished")
    if error.errno in _ACCESS_ERRORS:
        return FileFailure(Reason.READ_ERROR, f"{key}: cannot read the source file (permission denied)")
    if isinstance(error, IsADirectoryError):
        return FileFailure(Reason.READ_ERROR, f"{key}: it is no longer a regular file")
    transient = error.errno in TRANSIENT_ERRNOS
    return FileFailure(Reason.READ_ERROR, f"{key}: cannot read the source file ({error.strerror or error})", transient)


def output_failure(output: str, error: OSError) -> FileFailure:
    if error.errno in _DISK_ERRORS:
        return FileFailure(_DISK_ERRORS[error.errno], f"{output}: the output disk is full")
    if error.errno in _ACCESS_ERRORS:
        return FileFailure(Reason.PERMISSION_DENIED, f"{output}: cannot write the output (permission denied)")
    transient = error.errno in TRANSIENT_ERRNOS
    return FileFailure(Reason.WRITE_ERROR, f"{output}: cannot write the output ({error.strerror or error})", transient)


RETRIES = 3
BACKOFF_SECONDS = (1.0, 2.0, 4.0)  # before the 1st, 2nd and 3rd retry; capped at the last


def backoff(retry: int) -> float:
    return BACKOFF_SECONDS[min(retry, len(BACKOFF_SECONDS)) - 1]
