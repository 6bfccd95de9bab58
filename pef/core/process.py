"""Turn one source media file into its output: read, write under a temporary name, rename."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from pef.core.outcomes import FileStatus, Reason
from pef.core.output_files import OutputFiles
from pef.core.records import FileRecord, FileTask, RunSettings, now_iso
from pef.core.sidecar import MAX_SIDECAR_BYTES, Metadata, SidecarProblem, parse_sidecar
from pef.core.source import FolderSource
from pef.metadata.exif import ExifPlan, ExifTooLarge
from pef.metadata.formats import SNIFF_BYTES, MediaFormat, sniff
from pef.metadata.registry import exif_writer
from pef.metadata.splice import CorruptMedia, Piece, SourceChanged, whole_file
from pef.metadata.timezone import wall_clock

PARTIAL_SUFFIX = ".pef-partial"
EXIF_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp")


def partial_path(destination: Path) -> Path:
    """Where an output is written before it is complete (hidden; removed on resume)."""
    return destination.with_name(f".{destination.name}{PARTIAL_SUFFIX}")


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


def _source_failure(key: str, error: OSError) -> FileFailure:
    if error.errno == errno.ENOENT:
        return FileFailure(Reason.SOURCE_VANISHED, f"{key}: the source file vanished")
    if error.errno in _ACCESS_ERRORS:
        return FileFailure(Reason.PERMISSION_DENIED, f"{key}: cannot read the source file (permission denied)")
    transient = error.errno in TRANSIENT_ERRNOS
    return FileFailure(Reason.READ_ERROR, f"{key}: cannot read the source file ({error.strerror or error})", transient)


def _output_failure(output: str, error: OSError) -> FileFailure:
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


RetryNotice = Callable[[FileTask, int, float, str], None]  # task, retry number, delay, error


@dataclass(frozen=True)
class FileProcessor:
    """Everything a worker needs; shared read-only by all workers."""

    source: FolderSource
    output_root: Path
    settings: RunSettings
    zone: tzinfo | None
    files: OutputFiles = field(default_factory=OutputFiles)
    sleep: Callable[[float], bool] = lambda _seconds: True  # waits out a backoff; False: stop instead
    on_retry: RetryNotice = lambda *_: None

    def read_sidecar(self, key: str) -> Metadata | SidecarProblem:
        try:
            with self.source.open(key) as handle:
                return parse_sidecar(handle.read(MAX_SIDECAR_BYTES + 1))
        except OSError as error:
            return SidecarProblem(Reason.BAD_SIDECAR, f"cannot read it ({error.strerror or error})")

    def process(self, task: FileTask) -> FileRecord:
        """Process a file, retrying transient errors with backoff; permanent ones are recorded at once."""
        retry = 0
        while True:
            record, transient = self._attempt(task, retry + 1)
            if not transient or retry >= RETRIES:
                return record
            retry += 1
            delay = backoff(retry)
            self.on_retry(task, retry, delay, record.error or "")
            if not self.sleep(delay):
                return record

    def _attempt(self, task: FileTask, attempts: int) -> tuple[FileRecord, bool]:
        metadata: Metadata | None = None
        status, reason, error = FileStatus.UNMATCHED, task.reason, None
        if task.sidecar is not None:
            parsed = self.read_sidecar(task.sidecar)
            if isinstance(parsed, SidecarProblem):
                reason, error = parsed.reason, f"{task.sidecar}: {parsed.detail}"
            else:
                metadata, status, reason = parsed, FileStatus.DONE, None
        try:
            size, note, failure = self._write(task, metadata)
        except FileFailure as failed:
            record = FileRecord(
                task.key,
                FileStatus.FAILED,
                None,
                task.sidecar,
                failed.reason,
                0,
                attempts,
                now_iso(),
                str(failed),
                task.match,
            )
            return record, failed.transient
        if failure is not None:
            status, reason, error = FileStatus.FAILED, failure.reason, str(failure)
        record = FileRecord(
            task.key, status, task.output, task.sidecar, reason, size, attempts, now_iso(), error, task.match, note
        )
        return record, False

    def _write(self, task: FileTask, metadata: Metadata | None) -> tuple[int, str, FileFailure | None]:
        try:
            source = self.source.open(task.key)
        except OSError as error:
            raise _source_failure(task.key, error) from error
        with source:
            src_fd = source.fileno()
            stat = os.fstat(src_fd)
            pieces, note, failure = self._pieces(task, src_fd, stat.st_size, metadata)
            mtime_ns = metadata.taken * 1_000_000_000 if metadata and metadata.taken else stat.st_mtime_ns
            destination = self.output_root / task.output
            partial = partial_path(destination)
            files = self.files
            try:
                if not self.output_root.is_dir():  # never recreate it: an unplugged drive's mount point
                    raise OSError(errno.ENOENT, "the output folder is no longer there", str(self.output_root))
                files.make_folder(destination.parent)
                dst_fd = files.create(partial)
            except OSError as error:
                raise _output_failure(task.output, error) from error
            try:
                try:
                    written = files.write(src_fd, dst_fd, pieces)
                finally:
                    files.close(dst_fd)
                files.set_time(partial, mtime_ns)
                files.rename(partial, destination)
            except SourceChanged as error:
                self._remove_quietly(partial)
                vanished = os.fstat(src_fd).st_nlink == 0
                reason = Reason.SOURCE_VANISHED if vanished else Reason.READ_ERROR
                raise FileFailure(reason, f"{task.key}: {error.strerror}") from error
            except OSError as error:
                self._remove_quietly(partial)
                raise _output_failure(task.output, error) from error
        return written, note, failure

    def _remove_quietly(self, partial: Path) -> None:
        """Remove a half-written file; if even that fails (drive gone), the next run's start removes it."""
        with contextlib.suppress(OSError):  # the error that got us here is raised, not this one
            self.files.remove(partial)

    def _pieces(
        self, task: FileTask, src_fd: int, size: int, metadata: Metadata | None
    ) -> tuple[list[Piece], str, FileFailure | None]:
        if metadata is None or not self.settings.write_exif:
            return whole_file(size), "", None
        media_format = sniff(os.pread(src_fd, SNIFF_BYTES, 0))
        writer = exif_writer(media_format)
        when = wall_clock(metadata.taken, self.zone) if metadata.taken is not None else None
        plan = ExifPlan.of(metadata, when)
        try:
            if size == 0:
                raise CorruptMedia("the file is empty")
            if media_format is MediaFormat.OTHER and task.key.lower().endswith(EXIF_EXTENSIONS):
                raise CorruptMedia("its content is not the image its name says")
            if writer is None or (plan.when is None and plan.geo is None and not plan.description):
                return whole_file(size), "", None
            pieces, note = writer(src_fd, size, plan)
        except CorruptMedia as error:
            message = f"{task.key}: {error}; copied unchanged, without metadata"
            return whole_file(size), "", FileFailure(Reason.CORRUPT_MEDIA, message)
        except ExifTooLarge as error:
            message = f"{task.key}: {error}; copied unchanged, without metadata"
            return whole_file(size), "", FileFailure(Reason.METADATA_TOO_LARGE, message)
        except OSError as error:
            raise _source_failure(task.key, error) from error
        return pieces, note, None
