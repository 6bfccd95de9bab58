"""An output that stands in for another's: a link to the photo's file, or (albums in its metadata) no file at all."""

from __future__ import annotations

import errno
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pef.model.library import CopyAction, CopyKind, LinkKind
from pef.model.outcomes import ENVIRONMENT_FAILURES
from pef.model.records import FileRecord, FileTask, now_iso
from pef.run.failures import output_failure
from pef.run.output_files import OutputFiles
from pef.takeout.file_names import XMP_SUFFIX

# what a drive says when it holds no links of this kind (FAT and exFAT: none; some network shares: no hard links)
NO_LINKS = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS})


def copy_words(task: FileTask) -> str:
    return "album copy" if task.copy_kind is CopyKind.ALBUM_COPY else "identical duplicate"


@dataclass(frozen=True)
class StandIns:
    files: OutputFiles
    output_root: Path

    @staticmethod
    def output(task: FileTask, original: FileRecord) -> str:
        """Where a copy's link goes: its own place, or beside its original in the folder of the date written."""
        assert original.output is not None
        if task.action is CopyAction.OMIT:
            return original.output
        if task.dated:
            return f"{original.output.rpartition('/')[0]}/{task.output.rpartition('/')[2]}".lstrip("/")
        return task.output

    @classmethod
    def foreseen(cls, task: FileTask, original: FileRecord) -> FileRecord:
        """What a run would record for a copy standing in for `original` (a hard link where it links)."""
        kind = LinkKind.NONE if task.action is CopyAction.OMIT else LinkKind.HARD
        return cls._record(task, original, cls.output(task, original), kind, "")

    def stand_in(self, task: FileTask, original: FileRecord, partial: Path) -> FileRecord | None:
        """The record of a copy that `original`'s output stands for; None when the drive holds no links."""
        output = self.output(task, original)
        assert original.output is not None
        if task.action is CopyAction.OMIT:
            note = f"{copy_words(task)} of {original.key}: no file of its own; its albums are in {original.output}"
            return self._record(task, original, output, LinkKind.NONE, note)
        target, destination = self.output_root / original.output, self.output_root / output
        try:
            self.files.make_folder(destination.parent)
            kind = self._link(target, destination, partial)
            if kind is None:
                return None
            if (self.output_root / (original.output + XMP_SUFFIX)).exists():  # its metadata beside it, too
                xmp = Path(f"{destination}{XMP_SUFFIX}")
                self._link(Path(f"{target}{XMP_SUFFIX}"), xmp, partial.with_name(partial.name + ".xmp"))
        except OSError as error:
            self.files.remove(partial)
            raise output_failure(output, error) from error
        words = "a hard link to" if kind is LinkKind.HARD else "a symbolic link to"
        return self._record(
            task, original, output, kind, f"{copy_words(task)} of {original.key}: {words} {original.output}"
        )

    def _link(self, target: Path, destination: Path, partial: Path) -> LinkKind | None:
        """Link `destination` to `target` (made under `partial`, then renamed: never half there)."""
        self.files.remove(partial)
        try:
            self.files.hard_link(target, partial)
            kind = LinkKind.HARD
        except OSError as error:
            if error.errno not in NO_LINKS:
                raise
            try:
                self.files.symlink(os.path.relpath(target, destination.parent), partial)
            except OSError as again:
                if again.errno in NO_LINKS:
                    return None
                raise
            kind = LinkKind.SYMBOLIC
        self.files.rename(partial, destination)
        return kind

    @staticmethod
    def _record(task: FileTask, original: FileRecord, output: str, kind: LinkKind, note: str) -> FileRecord:
        return FileRecord(
            task.key, original.status, output, task.sidecar, original.reason, original.size, 1, now_iso(),
            None, task.match, note, original.date_source, original.mtime_ns,
            task.decision.token if task.decision else "", copy_of=original.key, link=kind,
        )  # fmt: skip


class AwaitedOriginals:
    """Copies that stand in for an original wait until the original's record is made (this run's to-do)."""

    def __init__(self, todo: Sequence[FileTask]) -> None:
        originals = {task.copy_of for task in todo if task.action is not CopyAction.WRITE}
        # the originals among the files to do, not a set of every key to do (a million)
        self._unrecorded = {task.key for task in todo if task.key in originals} if originals else set()
        self._waiting: dict[str, list[FileTask]] = defaultdict(list)

    def holds(self, task: FileTask) -> bool:
        """Whether the task must wait (it is kept, and given back once its original is recorded)."""
        if task.action is CopyAction.WRITE or task.copy_of not in self._unrecorded:
            return False
        self._waiting[task.copy_of].append(task)
        return True

    def recorded(self, record: FileRecord) -> list[FileTask]:
        """The copies that may go now (none while the original waits for a drive to come back)."""
        if record.reason in ENVIRONMENT_FAILURES:
            return []
        self._unrecorded.discard(record.key)
        return self._waiting.pop(record.key, [])

    def __bool__(self) -> bool:
        return bool(self._waiting)
