"""Turn one source media file into its output: read, write under a temporary name, rename."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pef.metadata.exif import ExifTooLarge
from pef.metadata.formats import SNIFF_BYTES, MediaFormat, media_format_of
from pef.metadata.plan import MetadataPlan, WriteResult, join_notes
from pef.metadata.registry import check_output, handler_for
from pef.metadata.splice import CorruptMedia, Piece, SourceChanged, whole_file
from pef.metadata.timezone import WallClock, ZoneRule, local_day
from pef.metadata.xmp import xmp_file_packet
from pef.model.library import CopyAction, Layout
from pef.model.outcomes import DateSource, FileStatus, Reason
from pef.model.photo import Metadata
from pef.model.records import FileRecord, FileTask, RunSettings, now_iso
from pef.run.failures import RETRIES, FileFailure, backoff, output_failure, source_failure
from pef.run.output_files import OutputFiles
from pef.run.stand_in import StandIns
from pef.state.layout import WORK_DIR
from pef.takeout.destinations import placed
from pef.takeout.member_files import DamagedEntry
from pef.takeout.name_dates import NameDate, date_from_name
from pef.takeout.parts_source import PartsSource, entry_failure
from pef.takeout.sidecar import MAX_SIDECAR_BYTES, SidecarProblem, parse_sidecar

EXIF_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp")
PARTIAL_NAME_CHARS = 40  # of the output's name, in its partial's name: short whatever the output is called
RENAMED = "saved under another name: the source name clashes with another output or is not valid on every drive"


def xmp_path(destination: Path) -> Path:
    """The XMP file of an output pef cannot write into: IMG_1.HEIC → IMG_1.HEIC.xmp."""
    return destination.with_name(f"{destination.name}.xmp")


def named_note(named: NameDate) -> str:
    return f"dated from its name: {named.words()}"


def output_of(
    task: FileTask, layout: Layout, zones: ZoneRule, metadata: Metadata | None, when: WallClock | None = None
) -> str:
    """Where an output goes: in a layout by date, the folder of the date written (`when`), else of the sidecar's."""
    day = when.local.date() if when is not None else sidecar_day(metadata, zones)
    return placed(task, layout, day, metadata is not None and metadata.from_partner)


def sidecar_day(metadata: Metadata | None, zones: ZoneRule) -> date | None:
    """The day a sidecar dates its photo, in the zone the settings give for the place it was taken."""
    if metadata is None or metadata.taken is None:
        return None
    return local_day(metadata.taken, zones.zone_at(metadata.geo))


def _token(task: FileTask) -> str:
    return task.decision.token if task.decision else ""


RetryNotice = Callable[[FileTask, int, float, str], None]  # task, retry number, delay, error


@dataclass(frozen=True)
class FileCopier:
    """Everything a worker needs; shared read-only by all workers."""

    source: PartsSource
    output_root: Path
    settings: RunSettings
    zones: ZoneRule
    files: OutputFiles = field(default_factory=OutputFiles)
    sleep: Callable[[float], bool] = lambda _seconds: True  # waits out a backoff; False: stop instead
    on_retry: RetryNotice = lambda *_: None
    _numbers: Iterator[int] = field(default_factory=itertools.count)  # names in the work folder
    _pid: int = field(default_factory=os.getpid)  # a copier lives in one process: made where it works
    _folders: set[Path] = field(default_factory=set)  # output folders made: not asked for again with every file

    @property
    def work(self) -> Path:
        return self.output_root / WORK_DIR

    @property
    def links(self) -> StandIns:
        return StandIns(self.files, self.output_root)

    def _source_failure(self, task: FileTask, error: OSError) -> FileFailure:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):  # unpacking an entry of a part onto the output drive
            return output_failure(task.output, error)
        return source_failure(task.key, error, self.source.reachable(task.key))

    def read_sidecar(self, key: str) -> Metadata | SidecarProblem:
        try:
            return parse_sidecar(self.source.read_head(key, MAX_SIDECAR_BYTES + 1))
        except OSError as error:
            return SidecarProblem(Reason.BAD_SIDECAR, f"cannot read it ({error.strerror or error})")
        except DamagedEntry as error:
            return SidecarProblem(
                Reason.BAD_SIDECAR, f"cannot read it: {entry_failure(error, self.source.part_of(key))}"
            )

    def process(self, task: FileTask, original: FileRecord | None = None) -> FileRecord:
        """Process a file, retrying transient errors with backoff; permanent ones are recorded at once.

        A copy the modes link or leave out (`task.action`) stands in for its `original`'s output once
        that is done; until then, or where the drive holds no links, it is written as a file of its own.
        """
        standing = original is not None and original.status is FileStatus.DONE and original.output
        if task.action is not CopyAction.WRITE and standing:
            assert original is not None
            try:
                stand_in = self.links.stand_in(task, original, self._work_name(task.output))
            except FileFailure as failed:
                return self._failed(task, failed, 1)
            if stand_in is not None:
                return stand_in
        retry = 0
        while True:
            record, transient = self._attempt(task, retry + 1)
            if standing and task.action is not CopyAction.WRITE:  # the drive holds no links: a copy of its own
                record = record._replace(copy_of=task.copy_of)
            if not transient or retry >= RETRIES:
                return record
            retry += 1
            delay = backoff(retry)
            self.on_retry(task, retry, delay, record.error or "")
            if not self.sleep(delay):
                return record

    def copy_unchanged(self, task: FileTask, error: str) -> FileRecord:
        """The last line of defence after a bug in pef: the file is copied as it is, and fails as internal_error."""
        try:
            written = self._write(task, None)
        except FileFailure as failed:
            return self._failed(task, failed, 1)
        note = join_notes("copied unchanged after an error in pef", written.note)
        return FileRecord(
            task.key, FileStatus.FAILED, written.output, task.sidecar, Reason.INTERNAL_ERROR,
            written.size, 1, now_iso(), error, task.match, note, None, written.mtime_ns, _token(task),
        )  # fmt: skip

    def _failed(self, task: FileTask, failed: FileFailure, attempts: int) -> FileRecord:
        return FileRecord(
            task.key, FileStatus.FAILED, None, task.sidecar, failed.reason,
            0, attempts, now_iso(), str(failed), task.match, decided=_token(task),
        )  # fmt: skip

    def _attempt(self, task: FileTask, attempts: int) -> tuple[FileRecord, bool]:
        metadata: Metadata | None = None
        status, reason, error = FileStatus.UNMATCHED, task.reason, None
        decision = task.decision
        if decision is not None and decision.taken is not None:  # a date from the name, or typed in Review
            metadata, status, reason = Metadata("", decision.taken), FileStatus.DONE, None
        elif task.sidecar is not None:
            parsed = self.read_sidecar(task.sidecar)
            if isinstance(parsed, SidecarProblem):
                reason, error = parsed.reason, f"{task.sidecar}: {parsed.detail}"
            else:
                metadata, status, reason = parsed, FileStatus.DONE, None
        named = self._name_date(task) if metadata is None else None
        if named is not None:  # written like a sidecar's date; the report says it came from the name
            metadata, status, reason = Metadata("", named.instant(self.zones.zone_at(None))), FileStatus.DONE, None
        try:
            written = self._write(task, metadata, guessed=named is not None)
        except FileFailure as failed:
            return self._failed(task, failed, attempts), failed.transient
        if named is not None and written.date_source not in (None, DateSource.CAMERA):
            written = replace(
                written, date_source=DateSource.FILENAME, note=join_notes(named_note(named), written.note)
            )
        if written.failure is not None:
            status, reason, error = FileStatus.FAILED, written.failure.reason, str(written.failure)
        record = FileRecord(
            task.key,
            status,
            written.output,
            task.sidecar,
            reason,
            written.size,
            attempts,
            now_iso(),
            error,
            task.match,
            written.note,
            decision.date_source if decision and written.date_source else written.date_source,
            written.mtime_ns,
            _token(task),
        )
        return record, False

    def _name_date(self, task: FileTask) -> NameDate | None:
        """The date in the name of a file that has no sidecar at all (an ambiguous one is for the person)."""
        if not (self.settings.name_dates and self.settings.write_exif) or task.decision is not None:
            return None
        return date_from_name(task.key.rpartition("/")[2]) if task.reason is Reason.NO_SIDECAR else None

    def _write(self, task: FileTask, metadata: Metadata | None, guessed: bool = False) -> Written:
        """Write the output (`guessed`: the date is only the name's, a camera's own date wins)."""
        try:
            source = self.source.open(task.key)
        except OSError as error:
            raise self._source_failure(task, error) from error
        except DamagedEntry as error:
            message = f"{task.key}: {entry_failure(error, self.source.part_of(task.key))}"
            raise FileFailure(Reason.DAMAGED_PART, message) from error
        with source:
            src_fd = source.fileno()
            stat_ = os.fstat(src_fd)
            media_format, plan, result, failure = self._plan(task, src_fd, stat_.st_size, metadata, guessed)
            output = output_of(task, self.settings.layout, self.zones, metadata, result.when)
            destination = self.output_root / output
            partial = self._work_name(output)
            xmp = xmp_path(destination) if result.xmp_file is not None else None
            xmp_partial = partial.with_name(f"{partial.stem}.xmp.partial")
            notes = [result.note, RENAMED if task.renamed else ""]
            try:
                if destination.parent not in self._folders:
                    self._make_folder(destination.parent)
                size = self._write_file(src_fd, partial, result.pieces)
                if xmp is not None:
                    self._write_file(src_fd, xmp_partial, [result.xmp_file or b""])
                if plan is not None:
                    problems = check_output(media_format, partial, plan, result, xmp and xmp_partial)
                    if problems:
                        size, failure = self._unchanged(task, src_fd, stat_.st_size, partial, xmp_partial, problems)
                        xmp = None
                taken = result.when.instant() if result.when else (metadata.taken if metadata else None)
                mtime_ns, time_note = self._set_time(partial, taken, stat_.st_mtime_ns)
                notes.append(time_note)
                if xmp is not None:
                    self._set_time(xmp_partial, taken, stat_.st_mtime_ns)
                    self._rename(xmp_partial, xmp)
                self._rename(partial, destination)
            except SourceChanged as error:
                self._remove_quietly(partial, xmp_partial)
                vanished = os.fstat(src_fd).st_nlink == 0
                reason = Reason.SOURCE_VANISHED if vanished else Reason.READ_ERROR
                raise FileFailure(reason, f"{task.key}: {error.strerror}") from error
            except OSError as error:
                self._remove_quietly(partial, xmp_partial)
                raise output_failure(task.output, error) from error
        date_source = result.date_source if failure is None else None
        return Written(size, join_notes(*notes), failure, date_source, mtime_ns, output)

    def _make_folder(self, folder: Path) -> None:
        if not self.output_root.is_dir():  # never recreate it: an unplugged drive's mount point
            raise OSError(errno.ENOENT, "the output folder is no longer there", str(self.output_root))
        self.files.make_folder(folder)
        self._folders.add(folder)

    def _rename(self, partial: Path, destination: Path) -> None:
        """Give a written file its name; a folder removed since it was made is made again (the root never)."""
        try:
            self.files.rename(partial, destination)
        except FileNotFoundError:
            self._folders.discard(destination.parent)
            self._make_folder(destination.parent)
            self.files.rename(partial, destination)

    def _work_name(self, output: str) -> Path:
        """A short name of pef's own in the work folder, where an output is made before it takes its name."""
        # the process's number too: worker processes share the work folder
        name = output.rpartition("/")[2][:PARTIAL_NAME_CHARS]
        return self.work / f"{self._pid}-{next(self._numbers)}-{name}.partial"

    def _set_time(self, path: Path, taken: int | None, source_ns: int) -> tuple[int, str]:
        """Give a written file its time: the photo's, else the source file's. Returns what it got, and a note."""
        wanted = taken * 1_000_000_000 if taken is not None else source_ns
        self.files.set_time(path, wanted)
        got = self.files.time_of(path)
        if taken is not None and got // 1_000_000_000 != taken:
            return got, "the output drive cannot hold this date as a file time; the file's time differs"
        return got, ""

    def _write_file(self, src_fd: int, path: Path, pieces: list[Piece]) -> int:
        dst_fd = self.files.create(path)
        try:
            return self.files.write(src_fd, dst_fd, pieces)
        finally:
            self.files.close(dst_fd)

    def _unchanged(
        self, task: FileTask, src_fd: int, size: int, partial: Path, xmp_partial: Path, problems: list[str]
    ) -> tuple[int, FileFailure]:
        """The metadata did not read back as written: the file is copied as it was, and fails."""
        self.files.remove(xmp_partial)
        written = self._write_file(src_fd, partial, whole_file(size))
        message = f"{task.key}: the metadata did not read back as written ({'; '.join(problems)}); copied unchanged"
        return written, FileFailure(Reason.VERIFY_MISMATCH, message)

    def _remove_quietly(self, *paths: Path) -> None:
        """Remove half-written files; if even that fails (drive gone), the next run's start removes them."""
        for path in paths:
            with contextlib.suppress(OSError):  # the error that got us here is raised, not this one
                self.files.remove(path)

    def _plan(
        self, task: FileTask, src_fd: int, size: int, metadata: Metadata | None, guessed: bool
    ) -> tuple[MediaFormat, MetadataPlan | None, WriteResult, FileFailure | None]:
        """The format, the plan (None: nothing to write), the writer's result and a failure to record."""
        unchanged = WriteResult(whole_file(size), None, None)
        if metadata is None or not self.settings.write_exif:
            return MediaFormat.OTHER, None, unchanged, None
        try:
            media_format = media_format_of(os.pread(src_fd, SNIFF_BYTES, 0), task.key)
            plan = MetadataPlan.of(metadata, self.zones, task.albums, camera_first=guessed)
            if size == 0:
                raise CorruptMedia("the file is empty")
            if media_format is MediaFormat.OTHER and task.key.lower().endswith(EXIF_EXTENSIONS):
                raise CorruptMedia("its content is not the image its name says")
            if plan.is_empty:
                return media_format, None, unchanged, None
            result = handler_for(media_format).write(src_fd, size, plan)
            if self.settings.xmp_files and result.xmp_file is None:
                result = replace(result, xmp_file=xmp_file_packet(plan, result.when))
            return media_format, plan, result, None
        except CorruptMedia as error:
            message = f"{task.key}: {error}; copied unchanged, without metadata"
            return MediaFormat.OTHER, None, unchanged, FileFailure(Reason.CORRUPT_MEDIA, message)
        except ExifTooLarge as error:
            message = f"{task.key}: {error}; copied unchanged, without metadata"
            return MediaFormat.OTHER, None, unchanged, FileFailure(Reason.METADATA_TOO_LARGE, message)
        except OSError as error:
            raise self._source_failure(task, error) from error


@dataclass(frozen=True)
class Written:
    """What became of one output: its size, a note, a failure to record, the date's source, its file time."""

    size: int
    note: str
    failure: FileFailure | None
    date_source: DateSource | None
    mtime_ns: int
    output: str  # where it went, relative to the output folder
