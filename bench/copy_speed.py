"""pef's wall time against plain `cp -r` on the same Takeout of phone-sized JPEGs, cold and warm, in one run.

    python bench/copy_speed.py [--files 400] [--rounds 3] [--workers N] [--repo CHECKOUT] [--fresh-fs]

Both are timed through a final `sync`. Cold: the page cache is dropped before every timing (root
only; otherwise the script says so and times warm data twice). `--repo` times another checkout of pef
on the same data as well (before and after a change).
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
    drop_caches,
    machine,
    make_takeout,
    phone_jpeg,
    print_ratios,
)


def main() -> int:
    args = comparison_arguments(__doc__, files=400)
    work = Path(tempfile.mkdtemp(prefix="pef-bench-"))
    try:
        size = make_takeout(work, args.files, [phone_jpeg(seed) for seed in range(4)], per_folder=100)
        print(machine())
        print(f"{args.files} phone JPEGs with sidecars, {size / 1e6:,.0f} MB")
        commands, after, fresh = comparison(work, args, size)
        for cache, cold in (("cold (page cache dropped before each timing)", True), ("warm", False)):
            if cold and not drop_caches():
                print("cold: not measured (dropping the page cache needs root)")
                continue
            results = compare(commands, args.rounds, after, fresh, cold=cold)
            print(f"{cache}:")
            print_ratios(results, lambda timing: f"{size / 1e6 / timing.seconds:7.1f} MB/s", indent="  ")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
