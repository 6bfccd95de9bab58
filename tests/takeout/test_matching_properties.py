"""Property: for any folder Google could export, every media file finds exactly its own sidecar."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pef.takeout.matching import match_sidecars


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
