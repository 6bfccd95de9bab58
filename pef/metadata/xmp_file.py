"""The way out for a container pef cannot write into: the file copied as it is, an .xmp file beside it."""

from __future__ import annotations

import os
from collections.abc import Callable

from pef.metadata.exif import camera_date_in
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.metadata.splice import SourceReader, whole_file
from pef.metadata.xmp import xmp_file_packet

MetadataWriter = Callable[[int, int, MetadataPlan], WriteResult]  # source fd, size, plan
CameraExif = Callable[[SourceReader, int], bytes | None]  # a file's own EXIF block, read only
TIFF_HEAD_BYTES = 256 * 1024  # a TIFF-based RAW keeps IFD0 and the Exif IFD near its start


def tiff_head(reader: SourceReader, file_size: int) -> bytes | None:
    return os.pread(reader.fd, min(file_size, TIFF_HEAD_BYTES), 0)


def beside_file(
    src_fd: int, file_size: int, plan: MetadataPlan, camera: CameraExif | None, note: str = ""
) -> WriteResult:
    """The file as it is, and its metadata in an .xmp file (the camera's own date respected)."""
    found = camera_date_in(camera(SourceReader(src_fd), file_size)) if camera else None
    when, source = plan.dated(found)
    return WriteResult(whole_file(file_size), when, source, note, xmp_file=xmp_file_packet(plan, when))


def xmp_file_writer(camera: CameraExif | None) -> MetadataWriter:
    def write(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
        return beside_file(src_fd, file_size, plan, camera)

    return write
