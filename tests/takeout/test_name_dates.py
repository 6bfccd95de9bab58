"""Dates in file names: each pattern of takeout-format.md, and what must not be read as a date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pef.takeout.name_dates import date_from_name


@pytest.mark.parametrize(
    ("name", "wall", "utc", "day_only"),
    [
        ("IMG_20190512_123456.jpg", datetime(2019, 5, 12, 12, 34, 56), False, False),
        ("VID_20190512_123456.mp4", datetime(2019, 5, 12, 12, 34, 56), False, False),
        ("PXL_20210101_123456789.jpg", datetime(2021, 1, 1, 12, 34, 56), True, False),
        ("PXL_20230101_101010123.MP.jpg", datetime(2023, 1, 1, 10, 10, 10), True, False),
        ("Screenshot_2019-05-12-12-34-56.png", datetime(2019, 5, 12, 12, 34, 56), False, False),
        ("Screenshot_20200301-161151.png", datetime(2020, 3, 1, 16, 11, 51), False, False),
        ("Screenshot_20231027_123303_Facebook.jpg", datetime(2023, 10, 27, 12, 33, 3), False, False),
        ("IMG-20190512-WA0001.jpg", datetime(2019, 5, 12, 12, 0, 0), False, True),
        ("WhatsApp Image 2023-12-25 at 14.30.45.jpeg", datetime(2023, 12, 25, 14, 30, 45), False, False),
        ("20231227_152817.jpg", datetime(2023, 12, 27, 15, 28, 17), False, False),
        ("MVIMG_20180418_113218.jpg", datetime(2018, 4, 18, 11, 32, 18), False, False),
    ],
)
def test_dates_in_names(name: str, wall: datetime, utc: bool, day_only: bool) -> None:
    found = date_from_name(name)
    assert found is not None and (found.wall, found.utc, found.day_only) == (wall, utc, day_only)


@pytest.mark.parametrize(
    "name",
    ["IMG_1234.jpg", "20030616.jpg", "IMG_20191301_123456.jpg", "IMG_20190512_1234567890.jpg", "IMG_18500101_1200.jpg"],
)
def test_no_date_where_there_is_none(name: str) -> None:
    assert date_from_name(name) is None


def test_a_pixel_name_is_utc_and_others_are_wall_time_in_the_zone_given() -> None:
    tokyo, new_year = timezone(timedelta(hours=9)), int(datetime(2021, 1, 1, tzinfo=UTC).timestamp())
    assert date_from_name("PXL_20210101_000000000.jpg").instant(tokyo) == new_year
    assert date_from_name("IMG_20210101_090000.jpg").instant(tokyo) == new_year
