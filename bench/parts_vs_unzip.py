"""pef straight from the downloaded parts against unzip-then-pef, on the same Takeout, in one run.

    python bench/parts_vs_unzip.py [--files 300] [--parts 3] [--rounds 3] [--kind zip|tgz]

Prints the wall time of each way (both end with a `sync`), their ratio, and the peak extra disk each
used beside the parts: what the file system's used blocks rose to during the run (output, extracted
folders and pef's unpacked entries, nameless ones included), sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from copy_speed import drop_caches, make_takeout  # a sibling script, not a package


def used_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


class PeakDisk:
    """The most bytes the drive of `folder` held above what it held at the start."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.start, self.peak = folder, used_bytes(folder), 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, used_bytes(self.folder) - self.start)

    def __enter__(self) -> PeakDisk:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, used_bytes(self.folder) - self.start)


def pack(root: Path, folder: Path, parts: int, kind: str) -> list[Path]:
    """The Takeout as Google packs it: numbered parts, every entry under Takeout/, deflate (or gzip)."""
    files = sorted(path for path in root.rglob("*") if path.is_file())
    folder.mkdir(parents=True)
    made = []
    for number in range(parts):
        chunk = files[number::parts]
        target = folder / f"takeout-20251103T101010Z-{number + 1:03d}.{kind}"
        if kind == "zip":
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in chunk:
                    archive.write(path, f"Takeout/{path.relative_to(root)}")
        else:
            with tarfile.open(target, "w:gz") as archive:
                for path in chunk:
                    archive.add(path, f"Takeout/{path.relative_to(root)}")
        made.append(target)
    return made


def run(commands: list[list[str]], cold: bool, watch: Path) -> tuple[float, int]:
    if cold:
        drop_caches()
    else:
        os.sync()
    with PeakDisk(watch) as disk:
        started = time.perf_counter()
        for command in commands:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.sync()
        elapsed = time.perf_counter() - started
    return elapsed, disk.peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--parts", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", choices=("zip", "tgz"), default="zip")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pef-parts-bench-"))
    print(f"Making a Takeout of {args.files} phone JPEGs in {work} …", flush=True)
    size = make_takeout(work / "given", args.files)
    parts = pack(work / "given" / "Takeout", work / "downloads", args.parts, args.kind)
    shutil.rmtree(work / "given")
    packed = sum(part.stat().st_size for part in parts)
    cold = drop_caches()
    print(
        f"{args.files} files, {size / 1e6:,.0f} MB in {args.parts} {args.kind} parts of {packed / 1e6:,.0f} MB; "
        f"page cache {'dropped before each timing' if cold else 'warm (not root)'}"
    )
    pef = [sys.executable, "-m", "pef", "--quiet", "--yes", "--timezone", "UTC"]
    unpack = "unzip -q {part} -d {into}" if args.kind == "zip" else "tar -xzf {part} -C {into}"
    first = "unzip, then pef" if args.kind == "zip" else "tar -x, then pef"
    results: dict[str, list[tuple[float, int]]] = {first: [], "pef on the parts": []}
    for round_ in range(args.rounds):
        extracted = work / f"extracted-{round_}"
        steps = []
        for number, part in enumerate(parts, start=1):
            into = extracted / f"part{number}"
            into.mkdir(parents=True)
            steps.append(unpack.format(part=part, into=into).split())
        folders = [str(extracted / f"part{n}" / "Takeout") for n in range(1, len(parts) + 1)]
        steps.append([*pef, "--path", *folders, "--output", str(work / f"out-a-{round_}")])
        results[first].append(run(steps, cold, work))
        direct = [[*pef, "--path", *map(str, parts), "--output", str(work / f"out-b-{round_}")]]
        results["pef on the parts"].append(run(direct, cold, work))
        for folder in (extracted, work / f"out-a-{round_}", work / f"out-b-{round_}"):
            shutil.rmtree(folder)
    baseline = statistics.median(seconds for seconds, _ in results[first])
    for label, values in results.items():
        seconds = statistics.median(value[0] for value in values)
        peak = max(value[1] for value in values)
        print(
            f"{label:<18} median {seconds:6.2f} s  ({size / 1e6 / seconds:6.1f} MB/s), ratio {seconds / baseline:.2f}; "
            f"peak extra disk {peak / 1e6:,.0f} MB ({peak / size:.2f} × the photos)  runs: "
            + ", ".join(f"{value[0]:.2f}" for value in values)
        )
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
