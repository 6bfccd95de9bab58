"""What an output folder proves about files whose records were lost with a damaged state file.

An output only ever gets its final name once it is complete, so a final name is proof of a
finished copy. A file is recorded again only when the output also proves *what* was done; any
doubt means it is done again (in place), which is always safe.
"""

from __future__ import annotations

from pathlib import Path

from pef.metadata.formats import SNIFF_BYTES, media_format_of
from pef.metadata.registry import handler_for
from pef.model.library import CopyAction
from pef.model.outcomes import FileStatus, Reason
from pef.model.photo import Metadata
from pef.model.records import FileRecord, FileTask, now_iso
from pef.run.copy_file import FileCopier
from pef.state import deep_paths

RECOVERED = "recovered from the output folder after the state file was lost"


def recover_record(task: FileTask, output_root: Path, processor: FileCopier) -> FileRecord | None:
    if task.dated or task.action is not CopyAction.WRITE:
        return None  # its place depends on its date or on its original: done again, in place
    try:
        stat = deep_paths.stat(output_root / task.output)
    except OSError:
        return None
    metadata = processor.read_sidecar(task.sidecar) if task.sidecar else None
    if not isinstance(metadata, Metadata):  # copied unchanged: the size alone proves it
        if stat.st_size != task.size:
            return None
        reason, error = task.reason, None
        if metadata is not None:
            reason, error = Reason.BAD_SIDECAR, f"{task.sidecar}: {metadata.detail}"
        return FileRecord(
            task.key,
            FileStatus.UNMATCHED,
            task.output,
            task.sidecar,
            reason,
            stat.st_size,
            at=now_iso(),
            error=error,
            match=task.match,
            note=RECOVERED,
            mtime_ns=stat.st_mtime_ns,
        )
    if metadata.taken is None or int(stat.st_mtime) != metadata.taken:
        return None  # the file time is set last, just before the rename: without it, no proof
    written_into = processor.settings.write_exif and writes_into(output_root / task.output)
    if written_into and stat.st_size == task.size:
        return None  # may have been copied unchanged as corrupt media: let it fail again, quickly
    return FileRecord(
        task.key,
        FileStatus.DONE,
        task.output,
        task.sidecar,
        None,
        stat.st_size,
        at=now_iso(),
        match=task.match,
        note=RECOVERED,
        mtime_ns=stat.st_mtime_ns,
    )


def writes_into(path: Path) -> bool:
    """Whether pef writes metadata into a file of this format (rather than an XMP file beside it)."""
    try:
        with open(path, "rb") as handle:
            return handler_for(media_format_of(handle.read(SNIFF_BYTES), path.name)).writes_into
    except OSError:
        return False
