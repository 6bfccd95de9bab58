"""Which sidecars may belong to a media file pef could not match, best first, for the person to choose."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pef.model.photo import Metadata
from pef.takeout.sidecar import parse_sidecar

SHOWN = 8
DAY = 86_400


@dataclass(frozen=True)
class Candidate:
    key: str
    title: str
    taken: int | None  # Unix seconds
    orphan: bool  # no media file uses it: the likeliest owner of a lost photo
    score: float


_SIDECAR_TAIL = re.compile(r"(?:\.s[a-z-]*)?(?:\(\d+\))?\.json$", re.IGNORECASE)


def sidecar_stem(name: str) -> str:
    """The media name a sidecar's own name starts with: `IMG_1.jpg.supplemental-metadata.json` → `IMG_1.jpg`."""
    return _SIDECAR_TAIL.sub("", name)


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0].casefold() if "." in name else name.casefold()


def _closeness(taken: int | None, own_dates: tuple[int, ...]) -> float:
    """1 for the same moment, ½ a day apart, falling towards 0 a year apart."""
    if taken is None or not own_dates:
        return 0.0
    days = min(abs(taken - date) for date in own_dates) / DAY
    return 1 / (1 + days)


def rank_candidates(
    media_key: str,
    own_dates: tuple[int, ...],
    pool: Iterable[str],
    orphans: frozenset[str],
    read: Callable[[str], bytes | None],
) -> list[Candidate]:
    """The sidecars of `pool` ranked for `media_key`: orphans first, then by name, folder and date.

    `own_dates`: the file's own dates (its file time, the date in its name); `read` gives a sidecar's bytes.
    """
    folder, _, name = media_key.rpartition("/")
    wanted = _stem(name)
    ranked = []
    for key in set(pool):
        data = read(key)
        parsed = parse_sidecar(data) if data is not None else None
        if not isinstance(parsed, Metadata):
            continue
        side_folder, _, side_name = key.rpartition("/")
        title = parsed.title or sidecar_stem(side_name)
        similarity = max(
            difflib.SequenceMatcher(None, wanted, _stem(title)).ratio(),
            difflib.SequenceMatcher(None, wanted, _stem(sidecar_stem(side_name))).ratio(),
        )
        score = 2 * similarity + (1.0 if side_folder == folder else 0.0) + _closeness(parsed.taken, own_dates)
        ranked.append(Candidate(key, title, parsed.taken, key in orphans, score))
    ranked.sort(key=lambda c: (not c.orphan, -c.score, c.key))
    return ranked[:SHOWN]


def rank_owners(sidecar_key: str, title: str, media: Iterable[str]) -> list[str]:
    """The media files an orphan sidecar may belong to, best first: by name, then by folder."""
    folder = sidecar_key.rpartition("/")[0]
    wanted = _stem(title or sidecar_stem(sidecar_key.rpartition("/")[2]))

    def score(key: str) -> float:
        media_folder, _, name = key.rpartition("/")
        return 2 * difflib.SequenceMatcher(None, wanted, _stem(name)).ratio() + (media_folder == folder)

    return sorted(media, key=lambda key: (-score(key), key))[:SHOWN]
