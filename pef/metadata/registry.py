"""Which lossless writer handles a container (by its sniffed format, not its extension)."""

from __future__ import annotations

from collections.abc import Callable

from pef.metadata.exif import ExifPlan
from pef.metadata.formats import MediaFormat
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.png import png_pieces
from pef.metadata.splice import Piece
from pef.metadata.webp import webp_pieces

PieceBuilder = Callable[[int, int, ExifPlan], tuple[list[Piece], str]]

_EXIF_WRITERS: dict[MediaFormat, PieceBuilder] = {
    MediaFormat.JPEG: jpeg_pieces,
    MediaFormat.PNG: png_pieces,
    MediaFormat.WEBP: webp_pieces,
}


def exif_writer(media_format: MediaFormat) -> PieceBuilder | None:
    """The writer that puts EXIF into this container, or None: then only the file time is set."""
    return _EXIF_WRITERS.get(media_format)
