"""Sidecars are read strictly: a Metadata value or a reason, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pef.model.outcomes import Reason
from pef.model.photo import GeoPoint, Metadata
from pef.takeout.sidecar import SidecarProblem, is_album_file, parse_sidecar
from tests.builders import sidecar


def parse(document: dict | str) -> Metadata | SidecarProblem:
    return parse_sidecar((document if isinstance(document, str) else json.dumps(document)).encode())


def test_taken_time_is_the_date_never_the_upload_time() -> None:
    meta = parse(sidecar("a.jpg", taken=1_000_000_000, created=1_700_000_000))
    assert isinstance(meta, Metadata) and meta.taken == 1_000_000_000
    assert parse(sidecar("a.jpg", taken=None, created=1_700_000_000)).taken is None


def test_geo_data_then_camera_geo_and_zero_means_none() -> None:
    assert parse(sidecar("a", geo=(1.5, 2.5, 3.0))).geo == GeoPoint(1.5, 2.5, 3.0)
    assert parse(sidecar("a", geo=None, geo_exif=(4.0, 5.0, 0.0))).geo == GeoPoint(4.0, 5.0, None)
    assert parse(sidecar("a", geo=None, geo_exif=None)).geo is None


def test_words_people_favourite() -> None:
    meta = parse(sidecar("a", description=" Été ", people=("Ana", "Bo", "Ana"), favorited=True))
    assert (meta.description, meta.people, meta.favorited) == ("Été", ("Ana", "Bo"), True)


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ('{"title": "a", "photoTakenTime": {"timestamp": ', "not valid JSON"),
        ("[1, 2]", "not an object"),
        ({"title": "a", "photoTakenTime": {"timestamp": "yesterday"}}, "not a number"),
        ({"title": "a", "photoTakenTime": {"timestamp": True}}, "timestamp"),
        ({"title": "a", "photoTakenTime": "1561975200"}, "not an object"),
        ({"title": "a", "geoData": {"latitude": "north", "longitude": 1}}, "latitude"),
        ({"title": "a", "geoData": {"latitude": 95.0, "longitude": 1}}, "not a place"),
        ({"title": 7}, "title is not text"),
        ({"title": "a", "photoTakenTime": {"timestamp": "99999999999999"}}, "out of range"),
    ],
)
def test_malformed_sidecars_say_why(document: dict | str, words: str) -> None:
    problem = parse(document)
    assert isinstance(problem, SidecarProblem) and problem.reason is Reason.BAD_SIDECAR
    assert words in problem.detail


def test_not_utf8() -> None:
    problem = parse_sidecar(b'{"title": "\xff"}')
    assert isinstance(problem, SidecarProblem) and "UTF-8" in problem.detail


@given(st.binary(max_size=300))
def test_any_bytes_give_a_value_or_a_reason(data: bytes) -> None:
    assert isinstance(parse_sidecar(data), Metadata | SidecarProblem)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "title",
                        "photoTakenTime",
                        "timestamp",
                        "geoData",
                        "latitude",
                        "longitude",
                        "people",
                        "name",
                        "description",
                    ]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_json_gives_a_value_or_a_reason(document: object) -> None:
    assert isinstance(parse_sidecar(json.dumps(document).encode()), Metadata | SidecarProblem)


def test_album_files_are_not_photo_sidecars() -> None:
    assert is_album_file(json.dumps({"title": "Trip", "description": "", "access": "protected"}).encode())
    assert is_album_file(json.dumps({"albumData": {"title": "Old"}}).encode())
    assert is_album_file(json.dumps({"title": "Only a title"}).encode())
    assert not is_album_file(json.dumps(sidecar("IMG_1.jpg")).encode())
