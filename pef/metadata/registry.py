"""Which writer handles a container (by its sniffed format, not its extension)."""

from __future__ import annotations

import os
from collections.abc import Callable

from pef.metadata.exif import camera_date_in
from pef.metadata.formats import MediaFormat
from pef.metadata.heif import heif_exif_block
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.mp4 import movie_pieces
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.metadata.png import png_pieces
from pef.metadata.splice import SourceReader, whole_file
from pef.metadata.webp import webp_pieces
from pef.metadata.xmp import sidecar_xmp

MetadataWriter = Callable[[int, int, MetadataPlan], WriteResult]  # source fd, size, plan


CameraExif = Callable[[SourceReader, int], bytes | None]  # a file's own EXIF block, read only
TIFF_HEAD_BYTES = 256 * 1024  # a TIFF-based RAW keeps IFD0 and the Exif IFD near its start


def tiff_head(reader: SourceReader, file_size: int) -> bytes | None:
    return os.pread(reader.fd, min(file_size, TIFF_HEAD_BYTES), 0)


def xmp_sidecar_writer(camera_exif: CameraExif | None) -> MetadataWriter:
    """The file copied as it is; its metadata goes into an .xmp file beside it (camera dates respected)."""

    def write(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
        camera = camera_date_in(camera_exif(SourceReader(src_fd), file_size)) if camera_exif else None
        when, source = plan.dated(camera)
        return WriteResult(whole_file(file_size), when, source, xmp_sidecar=sidecar_xmp(plan, when))

    return write


_IN_FILE_WRITERS: dict[MediaFormat, MetadataWriter] = {
    MediaFormat.JPEG: jpeg_pieces,
    MediaFormat.PNG: png_pieces,
    MediaFormat.WEBP: webp_pieces,
    MediaFormat.ISO_VIDEO: movie_pieces,
}
IN_FILE_FORMATS = frozenset(_IN_FILE_WRITERS)
_XMP_FILE_WRITERS: dict[MediaFormat, MetadataWriter] = {
    MediaFormat.HEIF: xmp_sidecar_writer(heif_exif_block),
    MediaFormat.TIFF: xmp_sidecar_writer(tiff_head),
}
_XMP_FILE_ONLY = xmp_sidecar_writer(None)


def metadata_writer(media_format: MediaFormat) -> MetadataWriter:
    """HEIC, GIF, AVI, MKV, RAW and anything else pef cannot write into losslessly get an XMP sidecar."""
    return _IN_FILE_WRITERS.get(media_format) or _XMP_FILE_WRITERS.get(media_format, _XMP_FILE_ONLY)
