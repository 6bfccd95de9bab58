"""Scale: time and peak memory of each step on libraries of tiny photos, against `cp -r` in the same run.

    python bench/scale.py [--files 100000 300000 1000000] [--workers N] [--repo CHECKOUT] [--keep DIR] [--fresh-fs]

For each size: the dry run (scan and match), the real run (synced, against `cp -r` synced), a re-run
with nothing left to do (its share of the real run), and `pef progress` on the finished output.
Tiny JPEGs make every cost per file, never per byte. A million files take a few GB of disk.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

from takeouts import (
    fresh_filesystem,
    machine,
    make_takeout,
    pef_command,
    timed,
    tiny_jpeg,
    with_fresh_fs,
)


def measure(files: int, work: Path, workers: int | None, repo: Path | None, fresh_fs: bool) -> None:
    size = make_takeout(work, files, [tiny_jpeg()])
    source = str(work / "Takeout")
    options = ["--path", source, "--quiet", "--yes", "--timezone", "UTC"]
    options += ["--workers", str(workers)] if workers else []
    pef = pef_command(repo)

    def outputs(name: str) -> contextlib.AbstractContextManager[Path]:
        """Where `cp -r` or pef writes: a new file system of its own, or a folder of `work`."""
        if fresh_fs:
            return fresh_filesystem(work / f"fresh-{name}", size, 2 * files)
        (work / name).mkdir()
        return contextlib.nullcontext(work / name)

    print(f"\n{files:,} photos of {size / files:,.0f} bytes with sidecars", flush=True)
    dry = timed([*pef, *options, "--dry-run"], sync=False)
    print(f"  scan + match (dry run)   {dry.seconds:8.1f} s   peak {dry.peak_mb:6.0f} MB", flush=True)
    with outputs("copy") as folder:
        copy = timed(["cp", "-r", source, str(folder / "copy")])
        shutil.rmtree(folder / "copy")
    with outputs("out") as folder:
        output = str(folder / "pef")
        run = timed([*pef, *options, "--output", output])
        print(
            f"  real run                 {run.seconds:8.1f} s   peak {run.peak_mb:6.0f} MB   "
            f"{1000 * run.seconds / files:.2f} ms a file; "
            f"cp -r {copy.seconds:.1f} s, ratio {run.seconds / copy.seconds:.2f}",
            flush=True,
        )
        again = timed([*pef, *options, "--output", output, "--resume"])
        print(
            f"  re-run, nothing to do    {again.seconds:8.1f} s   peak {again.peak_mb:6.0f} MB   "
            f"{100 * again.seconds / run.seconds:.1f} % of the run",
            flush=True,
        )
        progress = timed([*pef, "progress", output], sync=False)
        print(f"  pef progress             {progress.seconds:8.2f} s   peak {progress.peak_mb:6.0f} MB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--workers", type=int, help="pef's --workers (default: pef's own choice)")
    parser.add_argument("--repo", type=Path, help="time this checkout of pef rather than the installed one")
    parser.add_argument("--keep", type=Path, help="work in this folder (emptied after each size)")
    args = with_fresh_fs(parser)
    print(machine())
    for files in args.files:
        work = Path(tempfile.mkdtemp(prefix="pef-scale-", dir=args.keep))
        try:
            measure(files, work, args.workers, args.repo, args.fresh_fs)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
