"""The floor under pef's per-file cost: a Python program doing only what pef must do to each photo's bytes.

    python bench/python_floor.py [--files 20000] [--rounds 3] [--workers N] [--repo CHECKOUT] [--fresh-fs]

On the small photos of `small_files.py`, timed against `cp -r` and pef in the same run: each photo's
sidecar read and parsed, the photo read whole and written under a work name, its time set, and renamed
into place, in worker processes (as many as pef's default) handed 64 photos at a time. No metadata
built, nothing checked, nothing recorded: what pef takes beyond this is its own work, not the copying.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from multiprocessing import get_context
from pathlib import Path

from takeouts import compare, comparison, comparison_arguments, machine, make_takeout, print_ratios, small_jpeg

BATCH = 64


def _copy(batch: list[tuple[str, str, str]]) -> int:
    """Each photo of the batch (source folder, name, output folder) copied as pef must at least."""
    for folder, name, into in batch:
        source = os.path.join(folder, name)
        with open(source + ".supplemental-metadata.json", "rb") as sidecar:
            taken = int(json.loads(sidecar.read())["photoTakenTime"]["timestamp"])
        fd = os.open(source, os.O_RDONLY)
        try:
            data = os.read(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
        work = os.path.join(into, f".work-{name}")
        out = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(out, data)
        finally:
            os.close(out)
        os.utime(work, (taken, taken))
        os.rename(work, os.path.join(into, name))
    return len(batch)


def copy_takeout(takeout: Path, output: Path, workers: int) -> int:
    photos = []
    for folder, _folders, names in os.walk(takeout):
        media = sorted(name for name in names if not name.endswith(".json"))
        into = output / Path(folder).relative_to(takeout)
        into.mkdir(parents=True, exist_ok=True)
        photos += [(folder, name, str(into)) for name in media]
    batches = [photos[start : start + BATCH] for start in range(0, len(photos), BATCH)]
    with get_context("spawn").Pool(workers) as pool:
        return sum(pool.imap_unordered(_copy, batches))


def main() -> int:
    if sys.argv[1:2] == ["--copy"]:
        copy_takeout(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return 0
    args = comparison_arguments(__doc__, files=20_000)
    work = Path(tempfile.mkdtemp(prefix="pef-floor-"))
    try:
        size = make_takeout(work, args.files, [small_jpeg(seed) for seed in range(16)])
        print(machine())
        print(f"{args.files:,} photos of ~{size / args.files / 1000:.0f} KB with sidecars; warm")
        commands, after, fresh = comparison(work, args, size)
        pef_output = Path(commands["pef"][-1])
        floor = [sys.executable, __file__, "--copy", str(work / "Takeout"), str(pef_output.with_name("floor"))]
        commands = {
            "cp -r": commands["cp -r"],
            "python floor": [*floor, str(args.workers or os.cpu_count() or 2)],
            **{label: command for label, command in commands.items() if label != "cp -r"},
        }
        if not fresh:
            after["python floor"] = lambda: shutil.rmtree(pef_output.with_name("floor"))
        results = compare(commands, args.rounds, after, fresh)
        print_ratios(results, lambda timing: f"{args.files / timing.seconds:8,.0f} files/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
