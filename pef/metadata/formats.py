"""Recognise a container by its first bytes, never by its extension (Takeouts hold PNGs named .jpg)."""

from __future__ import annotations

from enum import StrEnum

SNIFF_BYTES = 32


class MediaFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    GIF = "gif"
    HEIF = "heif"  # HEIC, HEIF, AVIF: ISO-BMFF image files
    ISO_VIDEO = "iso_video"  # MP4, MOV, M4V, 3GP, motion-photo videos
    TIFF = "tiff"  # TIFF images
    TIFF_RAW = "tiff_raw"  # TIFF-based RAW: NEF, CR2, ARW, DNG, ORF, RW2…
    RIFF_VIDEO = "riff_video"  # AVI
    MATROSKA = "matroska"
    RAW = "raw"  # RAW formats that are not TIFF-based: CR3, RAF
    OTHER = "other"


_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}


def sniff(head: bytes) -> MediaFormat:
    if head.startswith(b"\xff\xd8\xff"):
        return MediaFormat.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaFormat.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaFormat.WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return MediaFormat.RIFF_VIDEO
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return MediaFormat.GIF
    if head[4:8] == b"ftyp" and head[8:12] == b"crx ":
        return MediaFormat.RAW
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return MediaFormat.RAW
    if head[4:8] == b"ftyp":
        return MediaFormat.HEIF if head[8:12] in _HEIF_BRANDS else MediaFormat.ISO_VIDEO
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):  # old QuickTime without ftyp
        return MediaFormat.ISO_VIDEO
    if head[:4] in (b"II*\x00", b"MM\x00*", b"IIRO", b"IIU\x00"):
        return MediaFormat.TIFF
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MediaFormat.MATROSKA
    return MediaFormat.OTHER


TIFF_EXTENSIONS = (".tif", ".tiff")


def media_format_of(head: bytes, name: str) -> MediaFormat:
    """The container of a file: its first bytes say which; a TIFF by its bytes is an image only if named so.

    TIFF-based RAW files (NEF, CR2, ARW, DNG…) are TIFFs by their bytes, and always carry RAW names.
    """
    found = sniff(head)
    if found is MediaFormat.TIFF and not name.lower().endswith(TIFF_EXTENSIONS):
        return MediaFormat.TIFF_RAW
    return found
