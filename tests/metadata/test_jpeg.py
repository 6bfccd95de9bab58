"""The JPEG writer's reading of a header: where a cut-short file ends is said in the report's words."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from pef.metadata.jpeg import read_header
from pef.metadata.splice import CorruptMedia, SourceReader
from tests.builders import jpeg_bytes


def _segment_starts(data: bytes) -> list[tuple[int, int, int]]:
    """(where, marker, length) of each segment before the image data, read from the intact file."""
    found, position = [], 2
    while data[position + 1] != 0xDA:
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        found.append((position, data[position + 1], length))
        position += 2 + length
    return found


def _expected(cut: int, segments: list[tuple[int, int, int]]) -> str:
    for start, marker, length in segments:
        if cut == start:
            return "no image data (SOS) before the end of the file"
        if cut == start + 1:
            return f"file ends inside the marker at byte {start}"
        if cut in (start + 2, start + 3):
            return f"file ends inside the segment length at byte {start + 2}"
        if cut < start + 2 + length:
            return f"file ends inside the segment FF{marker:02X} at byte {start + 4}"
    return "no image data (SOS) before the end of the file"


def test_a_header_cut_at_any_byte_says_where_it_ends(tmp_path: Path) -> None:
    data = jpeg_bytes(exif=b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00", comment=b"a comment")
    segments = _segment_starts(data)
    assert [marker for _, marker, _ in segments][:2] == [0xE0, 0xE1]
    scan = segments[-1][0] + 2 + segments[-1][2]
    file = tmp_path / "cut.jpg"
    for cut in range(2, scan + 1):
        file.write_bytes(data[:cut])
        fd = os.open(file, os.O_RDONLY)
        try:
            with pytest.raises(CorruptMedia) as raised:
                read_header(SourceReader(fd), cut)
        finally:
            os.close(fd)
        assert str(raised.value) == _expected(cut, segments), cut


def test_an_intact_header_keeps_every_segment_as_it_was(tmp_path: Path) -> None:
    data = jpeg_bytes(comment=b"kept")
    file = tmp_path / "whole.jpg"
    file.write_bytes(data)
    fd = os.open(file, os.O_RDONLY)
    try:
        header = read_header(SourceReader(fd), len(data))
    finally:
        os.close(fd)
    assert b"\xff\xd8" + b"".join(segment.raw for segment in header.segments) == data[: header.scan_offset]
    assert data[header.scan_offset : header.scan_offset + 2] == b"\xff\xda"
    assert (header.size.width, header.size.height) == (64, 48)
