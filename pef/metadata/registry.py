"""One handler per container, chosen by its sniffed format (never its extension): write, check, where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pef.metadata.formats import MediaFormat
from pef.metadata.heif import heif_pieces
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.mp4 import movie_pieces
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult
from pef.metadata.png import png_pieces
from pef.metadata.tiff_file import tiff_pieces
from pef.metadata.verify import (
    Check,
    check_heif,
    check_image,
    check_jpeg,
    check_movie,
    check_tiff,
    check_xmp_file,
)
from pef.metadata.webp import webp_pieces
from pef.metadata.xmp_file import MetadataWriter, tiff_head, xmp_file_writer


@dataclass(frozen=True)
class FormatHandler:
    """All pef knows of one container: how to write into it, how to read that back, and where it goes."""

    write: MetadataWriter
    check: Check
    writes_into: bool  # the metadata goes into the file itself (else into an .xmp file beside it)


_XMP_FILE_ONLY = FormatHandler(xmp_file_writer(None), check_xmp_file, writes_into=False)
HANDLERS: dict[MediaFormat, FormatHandler] = {
    MediaFormat.JPEG: FormatHandler(jpeg_pieces, check_jpeg, writes_into=True),
    MediaFormat.PNG: FormatHandler(png_pieces, check_image, writes_into=True),
    MediaFormat.WEBP: FormatHandler(webp_pieces, check_image, writes_into=True),
    MediaFormat.ISO_VIDEO: FormatHandler(movie_pieces, check_movie, writes_into=True),
    MediaFormat.HEIF: FormatHandler(heif_pieces, check_heif, writes_into=True),
    MediaFormat.TIFF: FormatHandler(tiff_pieces, check_tiff, writes_into=True),
    MediaFormat.TIFF_RAW: FormatHandler(xmp_file_writer(tiff_head), check_xmp_file, writes_into=False),
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
    if handler.writes_into and xmp_file is not None and Omitted.IN_FILE not in result.omitted:
        problems += check_xmp_file(path, plan, result, xmp_file)
    return problems


def metadata_writer(media_format: MediaFormat) -> MetadataWriter:
    return handler_for(media_format).write
