"""Property: for any folder Google could export, every media file finds exactly its own sidecar."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pef.takeout.matching import _ALL_EXTENSIONS, SidecarIndex, match_sidecars
from pef.takeout.naming import media_readings, reading_keys


def _cut(text: str, units: int) -> str:
    """Reference cut, written independently of pef.takeout.naming."""
    out, used = [], 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > units:
            break
        out.append(char)
        used += width
    return "".join(out)


def google_export(titles: list[str], new_style: list[bool]) -> tuple[dict[str, str], list[str]]:
    """Name files as Google does: media name per title, `(n)` for repeats, old or new sidecars."""
    seen: dict[str, int] = {}
    pairs: dict[str, str] = {}
    for title, new in zip(titles, new_style, strict=True):
        stem, ext = title.rsplit(".", 1)
        media_base = _cut(stem, 47) + "." + ext
        count = seen.get(media_base.lower(), 0)
        seen[media_base.lower()] = count + 1
        counter = f"({count})" if count else ""
        media = _cut(stem, 47) + counter + "." + ext
        head = _cut(title + ".supplemental-metadata", 46) if new else _cut(title, 46)
        pairs[media] = head + counter + ".json"
    return pairs, list(pairs.values())


_alphabet = st.sampled_from(list("abcXYZ019 _-.()éü😀日"))
_stems = st.text(_alphabet, min_size=1, max_size=60).filter(lambda s: not s.endswith((" ", ".")))
_titles = st.tuples(_stems, st.sampled_from(["jpg", "JPG", "png", "mp4", "heic"])).map(lambda t: f"{t[0]}.{t[1]}")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_titles, st.booleans()), min_size=1, max_size=8))
def test_every_media_finds_its_own_sidecar(folder: list[tuple[str, bool]]) -> None:
    titles = [title for title, _ in folder]
    pairs, sidecars = google_export(titles, [new for _, new in folder])
    if len(set(sidecars)) != len(sidecars):
        return  # Google itself could not have written two sidecars with one name
    title_of = {sidecar: title for (media, sidecar), title in zip(pairs.items(), titles, strict=True)}
    result = match_sidecars(list(pairs), sidecars, title_of=title_of.get).by_media()
    for media, sidecar in pairs.items():
        assert result[media].sidecar == sidecar, f"{media!r} took {result[media].sidecar!r}, not {sidecar!r}"


_names = st.text(st.sampled_from(list("aIMG_1.-() éЖ😀")), min_size=1, max_size=50)
_extensions = st.sampled_from([".jpg", ".JPG", ".jpeg", ".jfif", ".heic", ".HEIF", ".mp4", ".png", ".tif", ".b", ""])
_sidecar_tails = st.sampled_from([".json", ".supplemental-metadata.json", ".supplemental-me.json", "(1).json"])


@settings(max_examples=500, deadline=None)
@given(_names, _extensions, st.booleans(), st.data())
def test_the_keys_left_out_for_a_folders_extensions_could_find_nothing(
    stem: str, extension: str, edited: bool, data: st.DataObject
) -> None:
    # sidecars named after the file's own stem (or a start of it), with any extension, or after anything
    stems = st.one_of(st.just(stem), st.integers(1, len(stem)).map(lambda cut: stem[:cut]), _names)
    sidecars = data.draw(st.lists(st.tuples(stems, _extensions, _sidecar_tails), max_size=6))
    index = SidecarIndex(sorted({"a/" + name + ext + tail for name, ext, tail in sidecars}))
    extensions = _ALL_EXTENSIONS if edited else ()
    for reading in media_readings(stem + extension):
        every = index.candidates(reading_keys(reading, extensions))
        assert index.candidates(reading_keys(reading, extensions, index.present)) == every
