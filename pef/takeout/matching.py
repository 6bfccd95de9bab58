"""Pair media files with their sidecars, folder by folder, by index (never a folder scan per file).

1. Own sidecars: every media file proposes to the sidecars its name can come from, best rank
   first; a sidecar keeps the best proposer (stable assignment). The sidecar's `title` breaks ties;
   a tie it cannot break is reported as ambiguous, never guessed.
2. Edited copies take their original's sidecar (shared).
3. Stills Google converted from a HEIC (IMG_2367.HEIC.jpg) take the HEIC's sidecar (shared).
4. Videos of live and motion photos take their still's sidecar (shared).
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from pef.model.codes import MATCH_KINDS, REASONS
from pef.model.key_names import KeyNames
from pef.model.keys import KeyRows, in_key_order
from pef.model.outcomes import MatchKind, Reason
from pef.takeout.naming import (
    EDIT_SUFFIXES,
    MEDIA_EXTENSIONS,
    MediaKind,
    MediaReading,
    TitleKey,
    companion_stems,
    converted_original,
    key_extension,
    media_kind,
    media_readings,
    nfc,
    own_readings,
    predicted_media_name,
    reading_keys,
    sidecar_keys,
    split_extension,
)

TitleLookup = Callable[[str], str | None]
_Outcome = tuple[str | None, MatchKind | None, Reason | None]  # a file's sidecar, how it was matched, or why not
_ALL_EXTENSIONS = tuple(sorted(MEDIA_EXTENSIONS))


@dataclass(frozen=True, slots=True)
class MediaMatch:
    media: str
    sidecar: str | None
    kind: MatchKind | None
    reason: Reason | None = None


@dataclass(frozen=True)
class MatchResult:
    """Each media file's match, in key order, as columns (no object a file: a million of them), and the orphans."""

    keys: list[str]  # the media files, in key order
    sidecars: KeyNames  # each file's sidecar: its key and an ending, mostly
    kinds: bytearray  # MATCH_KINDS
    reasons: bytearray  # REASONS
    orphans: tuple[str, ...]  # sidecars no media file uses

    def at(self, row: int) -> MediaMatch:
        kind, reason = MATCH_KINDS.values[self.kinds[row]], REASONS.values[self.reasons[row]]
        return MediaMatch(self.keys[row], self.sidecar(row), kind, reason)

    def sidecar(self, row: int) -> str | None:
        return self.sidecars.get(row, self.keys[row])

    @cached_property
    def _rows(self) -> KeyRows:
        return KeyRows(self.keys)

    def of(self, key: str) -> MediaMatch:
        """The match of one media file, found by its key (a binary search: the keys are in order)."""
        row = self._rows.row_of(key)
        if row is None:
            raise KeyError(key)
        return self.at(row)

    @property
    def media(self) -> tuple[MediaMatch, ...]:
        return tuple(map(self.at, range(len(self.keys))))

    def by_media(self) -> dict[str, MediaMatch]:
        return {match.media: match for match in self.media}

    def where(self, keep: Callable[[str], bool]) -> MatchResult:
        """The matches of the media files whose keys are kept (the orphans stay as they are)."""
        rows = [row for row, key in enumerate(self.keys) if keep(key)]
        sidecars = KeyNames()
        for row in rows:
            sidecars.append(self.keys[row], self.sidecar(row))
        return MatchResult(
            [self.keys[row] for row in rows],
            sidecars,
            bytearray(self.kinds[row] for row in rows),
            bytearray(self.reasons[row] for row in rows),
            self.orphans,
        )


def _folder(key: str) -> str:
    return key.rpartition("/")[0]


def _name(key: str) -> str:
    return key.rpartition("/")[2]


class SidecarIndex:
    """The sidecars of one folder, by every title key their names can stand for."""

    def __init__(self, sidecars: list[str]) -> None:
        """`sidecars` in key order."""
        self._by_key: dict[TitleKey, list[str]] = defaultdict(list)
        for sidecar in sidecars:
            for key in sidecar_keys(_name(sidecar)):
                self._by_key[key].append(sidecar)
        # most folders hold one or two extensions: a name's keys for the others could find nothing
        self.present = frozenset(key_extension(key.text) for key in self._by_key if key.complete)

    def candidates(self, keys: dict[TitleKey, int], rank_base: int = 0) -> dict[str, int]:
        """Sidecars reachable from ranked keys, each with its best rank."""
        found: dict[str, int] = {}
        for key, rank in keys.items():
            for sidecar in self._by_key.get(key, ()):
                total = rank_base + rank
                if total < found.get(sidecar, total + 1):
                    found[sidecar] = total
        return found


def _dup_of(sidecar: str) -> int:
    """The lowest `(n)` a sidecar's name can carry (asked only where titles are compared)."""
    return min((key.dup for key in sidecar_keys(_name(sidecar))), default=0)


def _title_score(media: str, sidecar: str, title_of: TitleLookup) -> int:
    """0: the sidecar's title names this file exactly; 1: but for case; 2: no word from the title."""
    title = title_of(sidecar)
    if not title:
        return 2
    name = _name(media)
    predicted = predicted_media_name(title, _dup_of(sidecar))
    if predicted == name:
        return 0
    return 1 if predicted.casefold() == name.casefold() else 2


class _FolderMatcher:
    def __init__(self, media: list[str], sidecars: list[str], suffixes: tuple[str, ...], title_of: TitleLookup):
        self.media = sorted(media)
        self.sidecars = sorted(sidecars)
        self.suffixes = suffixes
        self.title_of = title_of
        self.index = SidecarIndex(self.sidecars)
        self.raw = {m: self._raw_candidates(m) for m in self.media}
        self.reach = Counter(sidecar for found in self.raw.values() for sidecar in found)
        self.assigned: dict[str, tuple[str, MatchKind]] = {}
        self.ambiguous: set[str] = set()

    def run(self) -> tuple[list[_Outcome], list[str]]:
        """Each media file's outcome, in order, and the sidecars no file uses."""
        self._assign_own()
        self._share_with_edits()
        self._share_with_conversions()
        self._share_with_companions()
        used = {sidecar for sidecar, _ in self.assigned.values()}
        outcomes: list[_Outcome] = []
        for media in self.media:
            if media in self.assigned:
                outcomes.append((*self.assigned[media], None))
            else:
                outcomes.append((None, None, Reason.AMBIGUOUS if media in self.ambiguous else Reason.NO_SIDECAR))
        return outcomes, [sidecar for sidecar in self.sidecars if sidecar not in used]

    def _readings(self, media: str) -> tuple[MediaReading, ...]:
        return media_readings(_name(media), self.suffixes)

    def _raw_candidates(self, media: str) -> dict[str, int]:
        own = own_readings(_name(media))
        present = self.index.present
        if len(own) == 1:  # most names: read one way only
            return self.index.candidates(reading_keys(own[0], (), present))
        found: dict[str, int] = {}
        for order, reading in enumerate(own):
            for sidecar, rank in self.index.candidates(reading_keys(reading, (), present), order * 4).items():
                found[sidecar] = min(rank, found.get(sidecar, rank))
        return found

    def _own_candidates(self, media: str) -> list[tuple[tuple[int, int, str], str]]:
        raw = self.raw[media]
        # the title is read only where two files or two sidecars compete
        scored = [
            (
                (
                    rank,
                    _title_score(media, sidecar, self.title_of) if len(raw) > 1 or self.reach[sidecar] > 1 else 0,
                    sidecar,
                ),
                sidecar,
            )
            for sidecar, rank in raw.items()
        ]
        return sorted(scored)

    def _assign_own(self) -> None:
        contested = []
        for media, raw in self.raw.items():
            if len(raw) == 1 and self.reach[sidecar := next(iter(raw))] == 1:
                self.assigned[media] = (sidecar, MatchKind.OWN)  # what no other file asks for: no contest
            elif raw:
                contested.append(media)
        choices = {m: self._own_candidates(m) for m in contested}
        next_choice = dict.fromkeys(contested, 0)
        holder: dict[str, tuple[tuple[int, int], str]] = {}
        tied: dict[str, set[str]] = defaultdict(set)
        free = deque(contested)
        while free:
            media = free.popleft()
            if next_choice[media] >= len(choices[media]):
                continue
            (rank, score, _), sidecar = choices[media][next_choice[media]]
            next_choice[media] += 1
            current = holder.get(sidecar)
            if current is None or (rank, score) < current[0]:
                holder[sidecar] = ((rank, score), media)
                if current is not None:
                    free.append(current[1])
            else:
                if (rank, score) == current[0]:
                    tied[sidecar].update({media, current[1]})
                free.append(media)
        winners = {media: sidecar for sidecar, (_, media) in holder.items()}
        for sidecar, contenders in tied.items():
            score, media = holder[sidecar]
            losers = {m for m in contenders if m not in winners and m != media}
            if losers and all(self._best_score(m, sidecar) == score for m in losers):
                self.ambiguous.update(losers | {media})
                winners.pop(media, None)
        for media, sidecar in winners.items():
            self.assigned[media] = (sidecar, MatchKind.OWN)

    def _best_score(self, media: str, sidecar: str) -> tuple[int, int] | None:
        for (rank, score, _), candidate in self._own_candidates(media):
            if candidate == sidecar:
                return rank, score
        return None

    def _share_with_edits(self) -> None:
        # a set, not a look through every assignment for each edit: one folder may hold 40,000 photos and 4,000 edits
        claimed = {sidecar for sidecar, _ in self.assigned.values()}
        present = self.index.present
        for media in self.media:
            if media in self.assigned or media in self.ambiguous:
                continue
            best: tuple[int, int, str] | None = None
            for reading in self._readings(media):
                if not reading.edited:
                    continue
                for sidecar, rank in self.index.candidates(reading_keys(reading, _ALL_EXTENSIONS, present)).items():
                    candidate = (rank, int(sidecar not in claimed), sidecar)
                    best = candidate if best is None or candidate < best else best
            if best is not None:
                self.assigned[media] = (best[2], MatchKind.EDITED)
                claimed.add(best[2])

    def _unassigned(self) -> list[str]:
        return [media for media in self.media if media not in self.assigned and media not in self.ambiguous]

    def _share_with_conversions(self) -> None:
        converted = [
            (media, original) for media in self._unassigned() if (original := converted_original(_name(media)))
        ]
        if not converted:  # the common case: no index of every name
            return
        by_name: dict[str, str] = {}
        for media in sorted(self.assigned):  # the same owner whatever the order files were assigned in
            by_name.setdefault(_name(media), media)
            by_name.setdefault(_name(media).casefold(), media)
        for media, original in converted:
            owner = by_name.get(original) or by_name.get(original.casefold())
            if owner is not None:
                self.assigned[media] = (self.assigned[owner][0], MatchKind.CONVERTED)

    def _share_with_companions(self) -> None:
        videos = [media for media in self._unassigned() if media_kind(_name(media)) is not MediaKind.IMAGE]
        if not videos:  # the common case: no index of every still
            return
        stills: dict[str, str] = {}
        for media, (sidecar, _) in sorted(self.assigned.items()):
            if media_kind(_name(media)) is MediaKind.IMAGE:
                stem = split_extension(_name(media))[0]
                inner = converted_original(_name(media))  # IMG_2367.HEIC.jpg: its video is IMG_2367.MP4
                for name in (stem, *((split_extension(inner)[0],) if inner else ())):
                    stills.setdefault(name, sidecar)
                    stills.setdefault(name.casefold(), sidecar)
        for media in videos:
            for stem in companion_stems(_name(media)):
                sidecar = stills.get(stem) or stills.get(stem.casefold())
                if sidecar:
                    self.assigned[media] = (sidecar, MatchKind.COMPANION)
                    break


def match_sidecars(
    media: Iterable[str],
    sidecars: Iterable[str],
    title_of: TitleLookup = lambda _sidecar: None,
    extra_suffixes: Iterable[str] = (),
) -> MatchResult:
    """Pair media keys with sidecar keys (`/`-separated paths inside the export); the result is in key order."""
    suffixes = tuple(dict.fromkeys((*(nfc(s) for s in extra_suffixes if s), *EDIT_SUFFIXES)))
    keys = media if isinstance(media, list) and in_key_order(media) else sorted(media)
    rows_by_folder: dict[str, array] = defaultdict(lambda: array("q"))  # a folder's rows, in key order
    sidecars_by_folder: dict[str, list[str]] = defaultdict(list)
    for row, key in enumerate(keys):
        rows_by_folder[_folder(key)].append(row)
    for key in sidecars:
        sidecars_by_folder[_folder(key)].append(key)
    found = KeyNames(len(keys))  # a byte a file: no string made or held for a sidecar named after its file
    kinds, reasons = bytearray(len(keys)), bytearray(len(keys))
    orphans: list[str] = []
    for folder in sorted(rows_by_folder.keys() | sidecars_by_folder.keys()):
        rows = rows_by_folder.get(folder, ())
        outcomes, folder_orphans = _FolderMatcher(
            [keys[row] for row in rows], sidecars_by_folder.get(folder, []), suffixes, title_of
        ).run()
        kind_codes, reason_codes = MATCH_KINDS.codes, REASONS.codes
        for row, (sidecar, kind, reason) in zip(rows, outcomes, strict=True):
            found.set(row, keys[row], sidecar)
            kinds[row], reasons[row] = kind_codes[kind], reason_codes[reason]
        orphans.extend(folder_orphans)
    return MatchResult(keys, found, kinds, reasons, tuple(orphans))
