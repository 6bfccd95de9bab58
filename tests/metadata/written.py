"""Run one writer on a file as the copier does, and check it reads back as pef's own check says."""

from __future__ import annotations

import os
from pathlib import Path

from pef.metadata.formats import media_format_of
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.metadata.registry import check_output, metadata_writer
from pef.metadata.splice import write_pieces


def written(tmp_path: Path, data: bytes, name: str, plan: MetadataPlan) -> tuple[Path, WriteResult]:
    """`name` written from `data` (kept as `src-name`), with its .xmp file beside it when there is one."""
    source, target = tmp_path / f"src-{name}", tmp_path / name
    source.write_bytes(data)
    media_format = media_format_of(data[:32], name)
    with open(source, "rb") as src:
        result = metadata_writer(media_format)(src.fileno(), len(data), plan)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            write_pieces(src.fileno(), fd, result.pieces)
        finally:
            os.close(fd)
    xmp = None
    if result.xmp_file is not None:
        xmp = target.with_name(target.name + ".xmp")
        xmp.write_bytes(result.xmp_file)
    assert check_output(media_format, target, plan, result, xmp) == [], "pef's own read-back agrees"
    return target, result
