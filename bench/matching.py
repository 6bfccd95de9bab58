"""The matcher's time a file as one folder grows: it must stay flat (no step that grows with the folder).

    python bench/matching.py [--sizes 10000 40000 160000] [--edits 10]

Each folder holds photos named as a phone names them, each with its sidecar, and an edited copy
(`-edited`) of one photo in `--edits`, which shares its original's sidecar. Keys only: nothing is read.
"""

from __future__ import annotations

import argparse
import time

from pef.takeout.matching import match_sidecars


def folder(originals: int, every: int) -> tuple[list[str], list[str]]:
    """(media keys, sidecar keys) of one folder, in key order."""
    place = "Takeout/Google Photos/Photos from 2020"
    media = [f"{place}/IMG_{n:07d}.jpg" for n in range(originals)]
    media += [f"{place}/IMG_{n:07d}-edited.jpg" for n in range(0, originals, every)]
    sidecars = [f"{place}/IMG_{n:07d}.jpg.supplemental-metadata.json" for n in range(originals)]
    return sorted(media), sidecars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 40_000, 160_000])
    parser.add_argument("--edits", type=int, default=10, help="an edited copy of one photo in this many")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for originals in args.sizes:
        media, sidecars = folder(originals, args.edits)
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            match_sidecars(media, sidecars)
            best = min(best, time.perf_counter() - start)
        print(
            f"one folder of {originals:,} photos and {len(media) - originals:,} edits: "
            f"{best:.2f} s, {1e6 * best / len(media):.1f} µs a file (best of {args.rounds})"
        )


if __name__ == "__main__":
    main()
