"""TIFF: the file is itself a TIFF block, so EXIF goes in as the JPEG writer puts it into its block.

Changed IFDs (IFD0 with tag 700 holding the XMP packet, the Exif IFD, the GPS IFD) are appended at
the end of the file and the header is pointed at the new IFD0; the image strips or tiles, every
other IFD and every value stay at their offsets, byte for byte.
"""

from __future__ import annotations

import struct
from dataclasses import replace

from pef.metadata.exif import COLOR_SPACE, EXIF_VERSION, FLASHPIX_VERSION, edit_exif
from pef.metadata.plan import MetadataPlan, Omitted, WriteResult
from pef.metadata.splice import CorruptMedia, SourceRange, SourceReader
from pef.metadata.tiff import TiffEditor, TiffType, TiffValue
from pef.metadata.xmp import merge_xmp, xmp_properties
from pef.metadata.xmp_file import beside_file, tiff_head

XMP_TAG = 700
DNG_VERSION = 0xC612
GPS_PROCESSING_METHOD = 0x001B


class FileBlock:
    """A whole file as a TIFF block, read through a window rather than into memory."""

    def __init__(self, reader: SourceReader, size: int) -> None:
        self.reader = reader
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, span: slice) -> bytes:
        start, stop = max(span.start or 0, 0), min(span.stop if span.stop is not None else self.size, self.size)
        return self.reader.read(stop - start, start, "TIFF structure") if stop > start else b""


def tiff_editor(src_fd: int, file_size: int) -> TiffEditor:
    """An editor over the file's own IFDs; CorruptMedia when they cannot be read."""
    try:
        editor = TiffEditor(FileBlock(SourceReader(src_fd), file_size))
    except (ValueError, struct.error) as error:  # TiffError, and CorruptMedia from a short read, are ValueErrors
        raise CorruptMedia(f"its TIFF structure is unreadable ({error})") from error
    return editor


def is_raw(editor: TiffEditor) -> bool:
    """A DNG is a TIFF by its bytes; like other RAW files it gets an .xmp file beside it."""
    return editor.get_raw("ifd0", DNG_VERSION) is not None


def _required_by_tiff(editor: TiffEditor, had_exif_ifd: bool) -> None:
    """Tags the Exif standard requires of a TIFF once pef has made its Exif or GPS IFD."""
    if not had_exif_ifd and editor.exif.entries:
        for tag, value in ((EXIF_VERSION, b"0232"), (FLASHPIX_VERSION, b"0100")):
            if editor.get_raw("exif", tag) is None:
                editor.set("exif", tag, editor.undefined(value))
        if editor.get_raw("exif", COLOR_SPACE) is None:
            editor.set("exif", COLOR_SPACE, editor.shorts([0xFFFF]))  # uncalibrated: pef knows no better
    if editor.gps.changed and editor.get_raw("gps", GPS_PROCESSING_METHOD) is None:
        # the place was set afterwards (in Google Photos), not measured as the file was made
        editor.set("gps", GPS_PROCESSING_METHOD, editor.undefined(b"ASCII\x00\x00\x00MANUAL"))


def tiff_pieces(src_fd: int, file_size: int, plan: MetadataPlan) -> WriteResult:
    editor = tiff_editor(src_fd, file_size)
    if is_raw(editor):
        result = beside_file(src_fd, file_size, plan, tiff_head, "a DNG: its metadata is in an .xmp file beside it")
        return replace(result, omitted=frozenset({Omitted.IN_FILE}))
    existing_xmp = editor.get_raw("ifd0", XMP_TAG)
    had_exif_ifd = bool(editor.exif.entries)
    try:
        when, source = edit_exif(editor, plan)
        _required_by_tiff(editor, had_exif_ifd)
        xmp = merge_xmp(existing_xmp, xmp_properties(plan, when))
        editor.set("ifd0", XMP_TAG, TiffValue(TiffType.BYTE, len(xmp.data), xmp.data))
        head, tail = editor.appendix()
    except (ValueError, struct.error) as error:
        raise CorruptMedia(f"its TIFF structure is unreadable ({error})") from error
    pieces = [head, SourceRange(len(head), file_size - len(head)), tail]
    return WriteResult(pieces, when, source, xmp.note, sure_xmp=xmp.sure)
