"""Damaged or hostile files: every parser says CorruptMedia (or reads nothing); none crashes or hangs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pef.metadata.exif import ExifTooLarge
from pef.metadata.formats import media_format_of, sniff
from pef.metadata.heif import heif_exif_block
from pef.metadata.plan import MetadataPlan
from pef.metadata.registry import check_output, metadata_writer
from pef.metadata.splice import CorruptMedia, SourceReader, write_pieces
from pef.metadata.xmp import XmpUnreadable, merge_xmp, read_xmp, xmp_properties
from pef.model.photo import GeoPoint
from tests.builders import (
    FIXTURES,
    SAMPLES,
    avif_bytes,
    heic_bytes,
    jpeg_bytes,
    movie_nested_deep,
    mp4_bytes,
    tiff_bytes,
)

PLAN = MetadataPlan(1_700_000_000, None, GeoPoint(35.0, 139.0, 5.0), "words", ("Ann",), True, ("Album",))
SEEDS = [
    (FIXTURES / "phone_faststart.mp4").read_bytes(),
    (FIXTURES / "clip_moov_last.mov").read_bytes(),
    (FIXTURES / "iphone_keys.mov").read_bytes(),
    (SAMPLES / "heic_IMG_5195.HEIC").read_bytes()[:4000],
    (SAMPLES / "heic_samplefilehub.heif").read_bytes(),
    heic_bytes(),
    avif_bytes(),
    tiff_bytes(),
    (SAMPLES / "invalid_image00971.jpg").read_bytes()[:40000],
    jpeg_bytes(),
]


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer[: max(8, len(buffer) - cut)])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    edits=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),  # where the headers are
    cut=st.integers(0, 3000),
)
def test_damaged_files_are_corrupt_media_never_a_crash(seed: int, edits: list[tuple[int, int]], cut: int) -> None:
    data = _mutate(SEEDS[seed], edits, cut)
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        fd = handle.fileno()
        with contextlib.suppress(CorruptMedia, ExifTooLarge):
            metadata_writer(sniff(data[:32]))(fd, len(data), PLAN)
        heif_exif_block(SourceReader(fd), len(data))  # returns None for what it cannot read


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_existing_xmp_is_merged_or_replaced(packet: bytes) -> None:
    merged, note, _sure = merge_xmp(packet, xmp_properties(PLAN, None))
    assert b"Album" in merged
    assert note == "" or "unreadable" in note


def test_a_box_claiming_to_be_huge_is_refused(tmp_path: Path) -> None:
    data = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00\x00\x00\x01moov" + (2**62).to_bytes(8, "big")
    path = tmp_path / "huge.mp4"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        metadata_writer(sniff(data[:32]))(fd, len(data), PLAN)
        raise AssertionError("a box larger than its file was accepted")
    except CorruptMedia as error:
        assert "past the end" in str(error)
    finally:
        os.close(fd)


def _written(tmp_path: Path, data: bytes) -> str:
    """What the writer for `data` does with it: "written", or the CorruptMedia message."""
    path = tmp_path / "file"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        metadata_writer(sniff(data[:32]))(fd, len(data), PLAN)
        return "written"
    except CorruptMedia as error:
        return str(error)
    finally:
        os.close(fd)


def test_boxes_nested_thousands_deep_are_corrupt_media_not_a_recursion_error(tmp_path: Path) -> None:

    assert "nested more than" in _written(tmp_path, movie_nested_deep(mp4_bytes()))


def test_exif_blocks_shorter_than_their_header_are_replaced_and_said(tmp_path: Path) -> None:
    from pef.metadata.exif import build_exif

    for block in (b"", b"I", b"II*\x00", b"MM\x00*\x00\x00"):
        built = build_exif(block, PLAN)
        assert built.block.startswith((b"II*\x00", b"MM\x00*"))
        assert block == b"" or "unreadable" in built.note
    jpeg = jpeg_bytes()
    assert _written(tmp_path, jpeg[:2] + b"\xff\xe1\x00\x0aExif\x00\x00II" + jpeg[2:]) == "written"


def test_xmp_nested_thousands_deep_is_replaced_not_a_recursion_error() -> None:
    deep = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</x:xmpmeta>"
    merged, note, _sure = merge_xmp(deep, xmp_properties(PLAN, None))
    assert b"Album" in merged and "nest more than" in note
    with pytest.raises(XmpUnreadable, match="nest more than 64 deep"):  # the read-back check's reader too
        read_xmp(deep)
    rdf = b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    for depth, readable in ((62, True), (63, False)):  # with the root and its rdf:RDF: 64 levels, then 65
        packet = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + rdf + b"<a>" * depth + b"</a>" * depth
        packet += b"</rdf:RDF></x:xmpmeta>"
        if readable:
            assert read_xmp(packet) == {}
        else:
            with pytest.raises(XmpUnreadable, match="nest more than"):
                read_xmp(packet)


IN_PLACE_SEEDS = [
    ("phone.HEIC", (SAMPLES / "heic_IMG_5195.HEIC").read_bytes()),
    ("sample.heif", (SAMPLES / "heic_samplefilehub.heif").read_bytes()),
    ("made.heic", heic_bytes()),
    ("made.avif", avif_bytes()),
    ("scan.tif", tiff_bytes()),
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(range(len(IN_PLACE_SEEDS))),
    edits=st.lists(st.tuples(st.integers(0, 3100), st.integers(0, 255)), min_size=1, max_size=4),
)
@example(seed=1, edits=[(273, 0)])  # an iref reference to no item at all (found by this test on 2026-11-24)
def test_mutated_heif_and_tiff_headers_give_a_reason_or_a_file_that_reads_back(
    seed: int, edits: list[tuple[int, int]]
) -> None:
    """The meta box and the IFDs mutated: the writer says CorruptMedia, or writes a file its check can read."""
    name, original = IN_PLACE_SEEDS[seed]
    data = _mutate(original, edits, 0)
    media_format = media_format_of(data[:32], name)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "source", Path(folder) / name
        source.write_bytes(data)
        with open(source, "rb") as handle:
            try:
                result = metadata_writer(media_format)(handle.fileno(), len(data), PLAN)
            except (CorruptMedia, ExifTooLarge):
                return
            fd = os.open(target, os.O_WRONLY | os.O_CREAT)
            try:
                write_pieces(handle.fileno(), fd, result.pieces)
            finally:
                os.close(fd)
        problems = check_output(media_format, target, PLAN, result, None)
        assert isinstance(problems, list)  # a list of what differs; the copier then copies the file unchanged
