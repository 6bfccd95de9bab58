"""pef's wall time against plain `cp -r` on the same Takeout of phone-sized JPEGs, cold and warm, in one run.

    python bench/copy_speed.py [--files 400] [--rounds 3] [--workers N] [--repo CHECKOUT]

Both are timed through a final `sync`. Cold: the page cache is dropped before every timing (root
only; otherwise the script says so and times warm data twice). `--repo` times another checkout of pef
on the same data as well (before and after a change).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from takeouts import compare, drop_caches, machine, make_takeout, pef_command, phone_jpeg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, help="pef's --workers (default: pef's own choice)")
    parser.add_argument("--repo", type=Path, help="another checkout of pef to time on the same data")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pef-bench-"))
    try:
        size = make_takeout(work, args.files, [phone_jpeg(seed) for seed in range(4)], per_folder=100)
        print(machine())
        print(f"{args.files} phone JPEGs with sidecars, {size / 1e6:,.0f} MB")
        source = str(work / "Takeout")
        options = ["--path", source, "--quiet", "--yes", "--timezone", "UTC"]
        options += ["--workers", str(args.workers)] if args.workers else []
        commands = {
            "cp -r": ["cp", "-r", source, str(work / "copy")],
            "pef": [*pef_command(), *options, "--output", str(work / "pef")],
        }
        if args.repo:
            commands["pef at --repo"] = [*pef_command(args.repo), *options, "--output", str(work / "other")]
        cleanups = {label: _remover(Path(command[-1])) for label, command in commands.items()}
        for cache, cold in (("cold (page cache dropped before each timing)", True), ("warm", False)):
            if cold and not drop_caches():
                print("cold: not measured (dropping the page cache needs root)")
                continue
            results = compare(commands, args.rounds, cleanups, cold=cold)
            floor = results["cp -r"].seconds
            print(f"{cache}:")
            for label, timing in results.items():
                print(
                    f"  {label:<14} {timing.seconds:7.2f} s  {size / 1e6 / timing.seconds:7.1f} MB/s  "
                    f"peak {timing.peak_mb:6.0f} MB   ratio to cp -r {timing.seconds / floor:5.2f}"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _remover(folder: Path):
    return lambda: shutil.rmtree(folder)


if __name__ == "__main__":
    sys.exit(main())
