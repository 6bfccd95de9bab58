"""The matcher against every naming rule of takeout-format.md (real names reported by users)."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from pef.model.outcomes import MatchKind, Reason
from pef.takeout.matching import match_sidecars
from pef.takeout.naming import cut_utf16, utf16_len

LONG_47 = "Cabrillo National Monument_magnoliastudios-37123"[:47]


def pairs(media: list[str], sidecars: list[str], **kwargs) -> dict[str, str | None]:
    result = match_sidecars(media, sidecars, **kwargs)
    return {m.media: m.sidecar for m in result.media}


def new_style(title: str) -> str:
    return cut_utf16(title + ".supplemental-metadata", 46) + ".json"


@pytest.mark.parametrize(
    ("media", "sidecar"),
    [
        ("IMG_1234.jpg", "IMG_1234.jpg.json"),
        ("Urlaub in Knaufspesch in der Schneifel (38).JPG", "Urlaub in Knaufspesch in der Schneifel (38).JP.json"),
        ("MVIMG_20191230_232926.jpg", "MVIMG_20191230_232926.jpg.supplemental-metadat.json"),
        ("Screenshot_20231027_123303_Facebook.jpg", "Screenshot_20231027_123303_Facebook.jpg.supple.json"),
        ("Screenshot_20200301-161151.png", "Screenshot_20200301-161151.png.supplemental-me.json"),
        ("IMG_3479(1).JPG", "IMG_3479.JPG(1).json"),
        ("Scan35(1).jpg", "Scan35.jpg.supplemental-metadata(1).json"),
        ("CLIP0001(10).AVI", "CLIP0001.AVI.supplemental-metadata(10).json"),
        ("Screenshot_20231027_123303_Facebook(1).jpg", "Screenshot_20231027_123303_Facebook.jpg.supple(1).json"),
        ("skytree (2).jpg", "skytree (2).jpg.supplemental-metadata.json"),
        ("27_06_12 - 1.mov", "27_06_12 - 1.mov.json"),
        ("20030616.jpg", "20030616.json"),
        ("Peanut Butter Balls.jpg", "Peanut Butter Balls.supplemental-metadata.json"),
        ("2013-12-23(1).jpg", "2013-12-23.supplemental-metadata(1).json"),
        ("IMG_4081(1).jpg", "IMG_4081.JPG(1).json"),
        ("IMG_5000.jpeg", "IMG_5000.jpg.json"),
        ("IMG_5001.jpg", "IMG_5001.JPEG.json"),
        (LONG_47 + ".jpg", LONG_47[:46] + ".json"),
        (LONG_47 + "(494).jpg", LONG_47[:46] + "(494).json"),
        (
            "a-very-long-title-of-a-holiday-photo-taken-in-2.jpg",
            "a-very-long-title-of-a-holiday-photo-taken-in-2025.jpg.supplemental-metadata.json",
        ),
        ("PXL_20230101_101010123.MP.jpg", "PXL_20230101_101010123.MP.jpg.supplemental-metadata.json"),
    ],
)
def test_documented_pairs(media: str, sidecar: str) -> None:
    assert pairs([f"Photos from 2020/{media}"], [f"Photos from 2020/{sidecar}"]) == {
        f"Photos from 2020/{media}": f"Photos from 2020/{sidecar}"
    }


@pytest.mark.parametrize("length", range(1, 70))
def test_new_style_cut_at_every_title_length(length: int) -> None:
    title = ("P" * length)[: max(length - 4, 1)] + ".jpg" if length > 4 else "P" * length
    stem = title.rsplit(".", 1)[0] if "." in title else title
    ext = "." + title.rsplit(".", 1)[1] if "." in title else ""
    media = cut_utf16(stem, 47) + ext
    assert pairs([media], [new_style(title)]) == {media: new_style(title)}
    assert pairs([media], [cut_utf16(title, 46) + ".json"]) == {media: cut_utf16(title, 46) + ".json"}


def test_units_are_utf16_not_code_points_or_bytes() -> None:
    title = "😀" * 10 + "é" * 20 + "x" * 10 + ".jpg"  # 20 + 20 + 10 units before the extension
    assert utf16_len(title) == 54
    media = cut_utf16(title[:-4], 47) + ".jpg"
    assert utf16_len(media) == 51
    assert pairs([media], [new_style(title)]) == {media: new_style(title)}


def test_nfd_names_match_nfc_names() -> None:
    media = unicodedata.normalize("NFD", "Málaga Café.jpg")
    sidecar = unicodedata.normalize("NFC", "Málaga Café.jpg.json")
    result = match_sidecars([media], [sidecar])
    assert result.media[0].sidecar == sidecar


def test_prefix_is_never_a_match() -> None:
    result = match_sidecars(["IMG_1.jpg", "IMG_10.jpg"], ["IMG_1.jpg.json"])
    by_media = result.by_media()
    assert by_media["IMG_1.jpg"].sidecar == "IMG_1.jpg.json"
    assert by_media["IMG_10.jpg"].sidecar is None
    assert by_media["IMG_10.jpg"].reason is Reason.NO_SIDECAR


def test_orphan_sidecar_is_reported() -> None:
    result = match_sidecars(["a/IMG_1.jpg"], ["a/IMG_1.jpg.json", "a/IMG_9999.jpg.json"])
    assert result.orphans == ("a/IMG_9999.jpg.json",)


def test_pairs_stay_inside_their_folder() -> None:
    result = match_sidecars(["2019/IMG_1.jpg"], ["2020/IMG_1.jpg.json"])
    assert result.media[0].sidecar is None
    assert result.orphans == ("2020/IMG_1.jpg.json",)


@pytest.mark.parametrize(
    "suffix",
    [
        "-edited",
        "-bearbeitet",
        "-modifié",
        "-modificato",
        "-bewerkt",
        "-edytowane",
        "-編集済み",
        "-ha editado",
        "-editado",
        "-editat",
        "-muokattu",
        "-düzenlendi",
        "-已修改",
        "-已編輯",
        "-编辑",
        "-измененный",
    ],
)
def test_edited_copies_share_the_original_sidecar(suffix: str) -> None:
    result = match_sidecars(["IMG_1234.jpg", f"IMG_1234{suffix}.jpg"], ["IMG_1234.jpg.json"])
    by_media = result.by_media()
    assert by_media["IMG_1234.jpg"].kind is MatchKind.OWN
    assert by_media[f"IMG_1234{suffix}.jpg"].sidecar == "IMG_1234.jpg.json"
    assert by_media[f"IMG_1234{suffix}.jpg"].kind is MatchKind.EDITED


def test_edit_suffix_clipped_by_the_cut() -> None:
    original = "Con Yoli por Málaga en el piso nuevo_001.JPG"
    edited = cut_utf16("Con Yoli por Málaga en el piso nuevo_001-ha editado", 47) + ".JPG"
    assert edited == "Con Yoli por Málaga en el piso nuevo_001-ha edi.JPG"
    result = match_sidecars([original, edited], [original + ".json"]).by_media()
    assert result[edited].sidecar == original + ".json"


def test_user_supplied_suffix() -> None:
    result = match_sidecars(["IMG_7.jpg", "IMG_7-retouche.jpg"], ["IMG_7.jpg.json"], extra_suffixes=["-retouche"])
    assert result.by_media()["IMG_7-retouche.jpg"].sidecar == "IMG_7.jpg.json"


def test_edit_whose_original_was_deleted_has_its_own_sidecar() -> None:
    result = match_sidecars(["IMG_2-edited.jpeg"], ["IMG_2-edited.jpeg.json"]).by_media()
    assert result["IMG_2-edited.jpeg"].kind is MatchKind.OWN


def test_edit_of_a_heic_saved_as_jpeg() -> None:
    result = match_sidecars(["IMG_3.HEIC", "IMG_3-edited.jpg"], ["IMG_3.HEIC.json"]).by_media()
    assert result["IMG_3-edited.jpg"].sidecar == "IMG_3.HEIC.json"


@pytest.mark.parametrize("video", ["IMG_4573.MP4", "IMG_4573.MOV", "IMG_4573.mov"])
def test_live_photo_video_shares_the_still_sidecar(video: str) -> None:
    result = match_sidecars(["IMG_4573.HEIC", video], ["IMG_4573.HEIC.json"]).by_media()
    assert result[video].sidecar == "IMG_4573.HEIC.json"
    assert result[video].kind is MatchKind.COMPANION


@pytest.mark.parametrize(
    ("still", "video", "sidecar"),
    [
        ("PXL_20230101_101010123.MP.jpg", "PXL_20230101_101010123.MP", "PXL_20230101_101010123.MP.jpg.json"),
        ("PXL_20230101_101010123.MP.jpg", "PXL_20230101_101010123.MP~2", "PXL_20230101_101010123.MP.jpg.json"),
        ("MVIMG_20180418_113218.jpg", "MVIMG_20180418_113218", "MVIMG_20180418_113218.jpg.json"),
    ],
)
def test_motion_photo_video_shares_the_still_sidecar(still: str, video: str, sidecar: str) -> None:
    result = match_sidecars([still, video], [sidecar]).by_media()
    assert result[still].sidecar == sidecar
    assert result[video].sidecar == sidecar


def test_image_does_not_borrow_a_sibling_image_sidecar() -> None:
    result = match_sidecars(["IMG_1.jpg", "IMG_1.png"], ["IMG_1.jpg.json"]).by_media()
    assert result["IMG_1.png"].sidecar is None


def test_duplicates_each_get_their_own_sidecar() -> None:
    media = ["IMG_1.jpg", "IMG_1(1).jpg", "IMG_1(2).jpg"]
    sidecars = ["IMG_1.jpg.json", "IMG_1.jpg(1).json", "IMG_1.jpg.supplemental-metadata(2).json"]
    assert pairs(media, sidecars) == dict(zip(media, sidecars, strict=True))


def test_both_styles_in_one_folder() -> None:
    media = ["IMG_1.jpg", "IMG_2.jpg"]
    sidecars = ["IMG_1.jpg.json", "IMG_2.jpg.supplemental-metadata.json"]
    assert pairs(media, sidecars) == dict(zip(media, sidecars, strict=True))


def test_title_breaks_a_tie_between_case_variants() -> None:
    titles = {"IMG_1.JPG.json": "IMG_1.JPG"}
    result = match_sidecars(["IMG_1.JPG", "IMG_1.jpg"], ["IMG_1.JPG.json"], title_of=titles.get).by_media()
    assert result["IMG_1.JPG"].sidecar == "IMG_1.JPG.json"
    assert result["IMG_1.jpg"].sidecar is None


def test_unbreakable_tie_is_ambiguous_not_guessed() -> None:
    result = match_sidecars(["IMG_1.JPG", "IMG_1.jpg"], ["IMG_1.JPG.json"]).by_media()
    assert {m.reason for m in result.values()} == {Reason.AMBIGUOUS}
    assert all(m.sidecar is None for m in result.values())


def test_long_titles_sharing_46_units_are_told_apart_by_title() -> None:
    base = "Family reunion at the lake house with everybody_"
    a, b = base[:47] + ".jpg", (base[:46] + "X") + ".jpg"
    assert a != b
    sidecars = [base[:46] + ".json", base[:46] + "(1).json"]
    titles = {sidecars[0]: base + "first.jpg", sidecars[1]: base[:46] + "X second.jpg"}
    result = match_sidecars([a, b], sidecars, title_of=titles.get).by_media()
    assert result[a].sidecar == sidecars[0]


@pytest.mark.parametrize("sidecar", ["IMG_2367.HEIC.supplemental-metadata.json", "IMG_2367.HEIC.json"])
def test_still_converted_from_heic_and_its_live_video_share_the_heic_sidecar(sidecar: str) -> None:
    result = match_sidecars(["IMG_2367.HEIC.jpg", "IMG_2367.MP4"], [sidecar]).by_media()
    assert result["IMG_2367.HEIC.jpg"].sidecar == sidecar
    assert result["IMG_2367.MP4"].sidecar == sidecar
    assert result["IMG_2367.MP4"].kind is MatchKind.COMPANION


def test_converted_still_beside_its_heic_shares_the_heic_sidecar() -> None:
    files = ["IMG_2367.HEIC", "IMG_2367.HEIC.jpg", "IMG_2367.MP4"]
    result = match_sidecars(files, ["IMG_2367.HEIC.json"])
    by_media = result.by_media()
    assert by_media["IMG_2367.HEIC"].kind is MatchKind.OWN
    assert by_media["IMG_2367.HEIC.jpg"].kind is MatchKind.CONVERTED
    assert {m.sidecar for m in result.media} == {"IMG_2367.HEIC.json"}
    assert not result.orphans


@pytest.mark.parametrize("sidecar", ["IMG_1559.HEIC.json", "IMG_1559.HEIC.supplemental-metadata.json"])
def test_title_of_a_heic_whose_file_is_a_jpeg(sidecar: str) -> None:
    result = match_sidecars(["IMG_1559.jpg", "IMG_1559.MOV"], [sidecar]).by_media()
    assert result["IMG_1559.jpg"].sidecar == sidecar
    assert result["IMG_1559.MOV"].sidecar == sidecar


def test_converted_still_takes_the_heic_named_exactly_beside_one_named_in_another_case() -> None:
    found = pairs(["IMG_3.HEIC", "IMG_3.heic", "IMG_3.HEIC.jpeg"], ["IMG_3.HEIC.json", "IMG_3.json"])
    assert found == {"IMG_3.HEIC": "IMG_3.HEIC.json", "IMG_3.heic": "IMG_3.json", "IMG_3.HEIC.jpeg": "IMG_3.HEIC.json"}
    found = pairs(["IMG_3.HEIC", "IMG_3.heic", "IMG_3.heic.jpg"], ["IMG_3.HEIC.json", "IMG_3.json"])
    assert found["IMG_3.heic.jpg"] == "IMG_3.json"


def test_a_jpeg_own_sidecar_wins_over_a_heic_title() -> None:
    found = pairs(["IMG_1559.jpg", "IMG_1559.HEIC"], ["IMG_1559.HEIC.json", "IMG_1559.jpg.json"])
    assert found == {"IMG_1559.jpg": "IMG_1559.jpg.json", "IMG_1559.HEIC": "IMG_1559.HEIC.json"}


def test_a_png_never_takes_a_heic_title() -> None:
    result = match_sidecars(["IMG_1559.png"], ["IMG_1559.HEIC.json"])
    assert result.by_media()["IMG_1559.png"].sidecar is None


def test_tilde_motion_video_shares_its_tilde_still_sidecar() -> None:
    still, video = "PXL_20230101_101010123.MP~2.jpg", "PXL_20230101_101010123.MP~2"
    result = match_sidecars([still, video], [f"{still}.json"]).by_media()
    assert result[video].sidecar == f"{still}.json"
    assert result[video].kind is MatchKind.COMPANION


def _steps_to_match(originals: int) -> int:
    """Python-level calls (generator steps too) the matcher makes for one folder with an edit of every tenth photo."""
    media = [f"IMG_{n:06d}.jpg" for n in range(originals)]
    media += [f"IMG_{n:06d}-edited.jpg" for n in range(0, originals, 10)]
    sidecars = [f"IMG_{n:06d}.jpg.json" for n in range(originals)]
    steps = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal steps
        steps += event == "call"

    sys.setprofile(count)
    try:
        result = match_sidecars(media, sidecars)
    finally:
        sys.setprofile(None)
    assert result.by_media()["IMG_000010-edited.jpg"].sidecar == "IMG_000010.jpg.json"
    return steps


def test_matching_edits_grows_linearly_with_the_folder() -> None:
    # counted, not timed: 4x the files in one folder must cost about 4x the work, never 16x
    assert _steps_to_match(4000) < 4.5 * _steps_to_match(1000)
