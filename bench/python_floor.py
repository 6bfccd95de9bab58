"""The floor under pef's per-file cost: a Python program doing only what pef must do to each photo's bytes.

    python bench/python_floor.py [--files 20000] [--rounds 3] [--workers N] [--repo CHECKOUT] [--fresh-fs]

On the small photos of `small_files.py`, timed against `cp -r` and pef in the same run: each photo's
sidecar read and parsed, the photo read whole and written under a work name, its time set, and renamed
into place, in worker processes (as many as pef's default) handed 64 photos at a time. No metadata
built, nothing checked, nothing recorded: what pef takes beyond this is its own work, not the copying.

Between the two, `pef --no-exif` (copy and set file times only): everything of pef's but the metadata,
that is the survey, the sidecars, the records, the report and the state. What pef takes beyond it is
the metadata written into each photo and read back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from multiprocessing import get_context
from pathlib import Path

from takeouts import time_small_photos

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


def _floor_commands(work: Path, args: argparse.Namespace, commands: dict[str, list[str]]) -> dict[str, list[str]]:
    """The floor and `pef --no-exif`, each writing beside pef's output (the last argument, as the removers expect)."""
    pef = commands["pef"]  # its options, then "--output" and its folder
    beside = Path(pef[-1]).with_name
    workers = str(args.workers or os.cpu_count() or 2)
    return {
        "python floor": [sys.executable, __file__, "--copy", str(work / "Takeout"), workers, str(beside("floor"))],
        "pef --no-exif": [*pef[:-2], "--no-exif", "--output", str(beside("no-exif"))],
    }


def main() -> int:
    if sys.argv[1:2] == ["--copy"]:
        copy_takeout(Path(sys.argv[2]), Path(sys.argv[4]), int(sys.argv[3]))
        return 0
    return time_small_photos(__doc__, _floor_commands)


if __name__ == "__main__":
    sys.exit(main())
