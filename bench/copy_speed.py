"""pef's wall time against plain `cp -r` on the same Takeout of phone-sized JPEGs, in one run.

    python bench/copy_speed.py [--files 300] [--rounds 3] [--keep DIR]

Prints each timing and the ratios pef/cp. Where it may (root), the page cache is dropped before every
timing so both read from disk alike; otherwise both read warm data and the script says so.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

BASE_INSTANT = 1_561_975_200


def phone_jpeg(seed: int) -> bytes:
    """A ~3 MB 12-megapixel-like JPEG with camera EXIF (noise compresses like a real photo's detail)."""
    rng = random.Random(seed)
    width, height = 2800, 2100
    noise = Image.frombytes("RGB", (width // 4, height // 4), rng.randbytes(width * height * 3 // 16))
    image = noise.resize((width, height), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Google", "Pixel 7"
    exif.get_ifd(0x8769)[0x9003] = "2019:07:01 12:00:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def make_takeout(root: Path, files: int) -> int:
    bases = [phone_jpeg(seed) for seed in range(4)]
    total = 0
    for index in range(files):
        folder = root / "Takeout" / "Google Photos" / f"Photos from {2015 + index % 8}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"IMG_{index:05d}.jpg"
        data = bases[index % len(bases)]
        (folder / name).write_bytes(data)
        total += len(data)
        sidecar = {
            "title": name,
            "description": "",
            "photoTakenTime": {"timestamp": str(BASE_INSTANT + index * 60), "formatted": ""},
            "creationTime": {"timestamp": "1700000000", "formatted": ""},
            "geoData": {"latitude": 48.85 + index / 1e4, "longitude": 2.35, "altitude": 35.0},
        }
        (folder / f"{name}.supplemental-metadata.json").write_text(json.dumps(sidecar))
    return total


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def timed(command: list[str], cold: bool) -> float:
    if cold:
        drop_caches()
    else:
        os.sync()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.sync()  # both must have their bytes on disk before the clock stops
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the Takeout here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pef-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Making a Takeout of {args.files} phone JPEGs in {work} …", flush=True)
    size = make_takeout(work, args.files)
    cold = drop_caches()
    cache = "dropped before each timing" if cold else "warm (not root)"
    print(f"{args.files} files, {size / 1e6:,.0f} MB; page cache {cache}")
    pef = [sys.executable, "-m", "pef", "--path", str(work / "Takeout"), "--quiet", "--yes", "--timezone", "UTC"]
    timings: dict[str, list[float]] = {"cp -r": [], "pef": [], "pef --no-exif": []}
    for round_ in range(args.rounds):
        for label, command in (
            ("cp -r", ["cp", "-r", str(work / "Takeout"), str(work / f"cp-{round_}")]),
            ("pef", [*pef, "--output", str(work / f"pef-{round_}")]),
            ("pef --no-exif", [*pef, "--no-exif", "--output", str(work / f"raw-{round_}")]),
        ):
            timings[label].append(timed(command, cold))
        for folder in (f"cp-{round_}", f"pef-{round_}", f"raw-{round_}"):
            shutil.rmtree(work / folder)
    cp = statistics.median(timings["cp -r"])
    for label, values in timings.items():
        median = statistics.median(values)
        print(
            f"{label:<15} median {median:6.2f} s  ({size / 1e6 / median:7.1f} MB/s)  runs: "
            + ", ".join(f"{v:.2f}" for v in values)
            + f"   ratio to cp -r: {median / cp:.2f}"
        )
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
