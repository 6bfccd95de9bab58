"""Per-file cost: pef against `cp -r` on many small photos with their sidecars, warm cache, both synced.

    python bench/small_files.py [--files 20000] [--rounds 3] [--workers N] [--repo CHECKOUT] [--fresh-fs]

The photos are ~30 KB JPEGs, each its own bytes, with a date, a place and sometimes a caption in its
sidecar: copying is cheap, so what shows is what pef does per file. `--repo` times another checkout
of pef on the same data as well (before and after a change).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from takeouts import (
    compare,
    comparison,
    comparison_arguments,
    machine,
    make_takeout,
    print_ratios,
    small_jpeg,
)


def main() -> int:
    args = comparison_arguments(__doc__, files=20_000)
    work = Path(tempfile.mkdtemp(prefix="pef-small-"))
    try:
        size = make_takeout(work, args.files, [small_jpeg(seed) for seed in range(16)])
        print(f"{machine()}")
        print(f"{args.files:,} photos of ~{size / args.files / 1000:.0f} KB with sidecars ({size / 1e6:,.0f} MB); warm")
        commands, after, fresh = comparison(work, args, size)
        results = compare(commands, args.rounds, after, fresh)
        print_ratios(results, lambda timing: f"{args.files / timing.seconds:8,.0f} files/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
