"""Names every drive can hold: the shortcut for plain names agrees with the full rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pef.takeout import file_names
from pef.takeout.file_names import is_plain, portable_name

# pieces the rules look at: devices, pef 0.1's suffix, trailing dots and spaces, signs, long names
PIECES = ["con", "COM1", "lpt9", "Aux", "nul", ".pef-partial", "IMG_", ".jpg", " ", ".", "é", "a", "-", "(", ")"]
PIECES += ["_", "0", "<", "~", "x" * 120]
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)


@given(names)
def test_a_name_taken_as_plain_is_one_the_full_rules_leave_as_it_is(name: str) -> None:
    if is_plain(name):
        assert file_names._made_portable(name) == name


def test_plain_names_are_the_common_ones_and_the_others_are_mended() -> None:
    assert all(map(is_plain, ["IMG_20190701_123456.jpg", "PXL_20210101_000000000.MP.jpg", "IMG-2019-WA0001 (1).jpeg"]))
    assert portable_name("IMG_1.jpg.pef-partial") == "IMG_1.jpg.pef-partial_"
    assert portable_name("COM1.jpg") == "_COM1.jpg" and portable_name("conxx.jpg") == "conxx.jpg"
    assert portable_name("IMG_1.jpg.") == "IMG_1.jpg" and portable_name("IMG_1:2.jpg") == "IMG_1_2.jpg"
    assert not is_plain("x" * 300) and len(portable_name("x" * 300).encode()) <= file_names.MAX_NAME_BYTES
