"""One handler per container, chosen by its sniffed format (never its extension): write, check, where."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pef.metadata.exif import camera_date_in
from pef.metadata.formats import MediaFormat
from pef.metadata.heif import heif_exif_block
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.mp4 import movie_pieces
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.metadata.png import png_pieces
from pef.metadata.splice import SourceReader, whole_file
from pef.metadata.verify import Check, check_image, check_movie, check_xmp_file
from pef.metadata.webp import webp_pieces
from pef.metadata.xmp import xmp_file_packet

MetadataWriter = Callable[[int, int, MetadataPlan], WriteResult]  # source fd, size, plan


CameraExif = Callable[[SourceReader, int], bytes | None]  # a file's own EXIF block, read only
TIFF_HEAD_BYTES = 256 * 1024  # a TIFF-based RAW keeps IFD0 and the Exif IFD near its start


def tiff_head(reader: SourceReader, file_size: int) -> bytes | None:
    return os.pread(reader.fd, min(file_size, TIFF_HEAD_BYTES), 0)


def xmp_file_writer(camera_exif: CameraExif | None) -> MetadataWriter:
    """The file copied as it is; its metadata goes into an .xmp file beside it (camera dates respected)."""

    def write(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
        camera = camera_date_in(camera_exif(SourceReader(src_fd), file_size)) if camera_exif else None
        when, source = plan.dated(camera)
        return WriteResult(whole_file(file_size), when, source, xmp_file=xmp_file_packet(plan, when))

    return write


@dataclass(frozen=True)
class FormatHandler:
    """All pef knows of one container: how to write into it, how to read that back, and where it goes."""

    write: MetadataWriter
    check: Check
    writes_into: bool  # the metadata goes into the file itself (else into an .xmp file beside it)


_XMP_FILE_ONLY = FormatHandler(xmp_file_writer(None), check_xmp_file, writes_into=False)
HANDLERS: dict[MediaFormat, FormatHandler] = {
    MediaFormat.JPEG: FormatHandler(jpeg_pieces, check_image, writes_into=True),
    MediaFormat.PNG: FormatHandler(png_pieces, check_image, writes_into=True),
    MediaFormat.WEBP: FormatHandler(webp_pieces, check_image, writes_into=True),
    MediaFormat.ISO_VIDEO: FormatHandler(movie_pieces, check_movie, writes_into=True),
    MediaFormat.HEIF: FormatHandler(xmp_file_writer(heif_exif_block), check_xmp_file, writes_into=False),
    MediaFormat.TIFF: FormatHandler(xmp_file_writer(tiff_head), check_xmp_file, writes_into=False),
}


def handler_for(media_format: MediaFormat) -> FormatHandler:
    """GIF, AVI, MKV, non-TIFF RAW and anything else pef cannot write into losslessly get an XMP file."""
    return HANDLERS.get(media_format, _XMP_FILE_ONLY)


def check_output(
    media_format: MediaFormat, path: Path, plan: MetadataPlan, result: WriteResult, xmp_file: Path | None
) -> list[str]:
    """What reads back differently from what was written, in the file and in the .xmp file beside it."""
    handler = handler_for(media_format)
    problems = handler.check(path, plan, result, xmp_file)
    if handler.writes_into and xmp_file is not None:
        problems += check_xmp_file(path, plan, result, xmp_file)
    return problems


def metadata_writer(media_format: MediaFormat) -> MetadataWriter:
    return handler_for(media_format).write
