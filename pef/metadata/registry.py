"""Which writer handles a container (by its sniffed format, not its extension)."""

from __future__ import annotations

from collections.abc import Callable

from pef.metadata.formats import MediaFormat
from pef.metadata.jpeg import jpeg_pieces
from pef.metadata.mp4 import movie_pieces
from pef.metadata.plan import MetadataPlan, WriteResult
from pef.metadata.png import png_pieces
from pef.metadata.splice import whole_file
from pef.metadata.webp import webp_pieces
from pef.metadata.xmp import sidecar_xmp

MetadataWriter = Callable[[int, int, MetadataPlan], WriteResult]  # source fd, size, plan


def xmp_sidecar_pieces(_src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    """The file copied as it is; its metadata goes into an .xmp file beside it."""
    when, source = plan.dated()
    return WriteResult(whole_file(file_size), when, source, xmp_sidecar=sidecar_xmp(plan, when))


_IN_FILE_WRITERS: dict[MediaFormat, MetadataWriter] = {
    MediaFormat.JPEG: jpeg_pieces,
    MediaFormat.PNG: png_pieces,
    MediaFormat.WEBP: webp_pieces,
    MediaFormat.ISO_VIDEO: movie_pieces,
}


def metadata_writer(media_format: MediaFormat) -> MetadataWriter:
    """HEIC, GIF, AVI, MKV, RAW and anything else pef cannot write into losslessly get an XMP sidecar."""
    return _IN_FILE_WRITERS.get(media_format, xmp_sidecar_pieces)
