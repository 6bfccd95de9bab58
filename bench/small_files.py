"""Per-file cost: pef against `cp -r` on many small photos with their sidecars, warm cache, both synced.

    python bench/small_files.py [--files 20000] [--rounds 3] [--workers N] [--repo CHECKOUT]

The photos are ~30 KB JPEGs, each its own bytes, with a date, a place and sometimes a caption in its
sidecar: copying is cheap, so what shows is what pef does per file. `--repo` times another checkout
of pef on the same data as well (before and after a change).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from takeouts import compare, machine, make_takeout, pef_command, small_jpeg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, help="pef's --workers (default: pef's own choice)")
    parser.add_argument("--repo", type=Path, help="another checkout of pef to time on the same data")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pef-small-"))
    try:
        size = make_takeout(work, args.files, [small_jpeg(seed) for seed in range(16)])
        print(f"{machine()}")
        print(f"{args.files:,} photos of ~{size / args.files / 1000:.0f} KB with sidecars ({size / 1e6:,.0f} MB); warm")
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
        results = compare(commands, args.rounds, cleanups)
        floor = results["cp -r"].seconds
        for label, timing in results.items():
            print(
                f"{label:<14} {timing.seconds:7.2f} s  {args.files / timing.seconds:8,.0f} files/s  "
                f"peak {timing.peak_mb:6.0f} MB   ratio to cp -r {timing.seconds / floor:5.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _remover(folder: Path):
    return lambda: shutil.rmtree(folder)


if __name__ == "__main__":
    sys.exit(main())
