"""What being resumable costs on a large run: time in journal writes, syncs and snapshots.

    python bench/state_overhead.py [--files 30000]

Small files are the worst case (the per-file cost of the journal is not hidden behind copying).
Prints pef's own account from pef.log, the snapshot's size, and the wall time against `cp -r`.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pef-state-bench-"))
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 120, 30)).save(buffer, "JPEG")
    data = buffer.getvalue()
    for index in range(args.files):
        folder = work / "Takeout" / "Google Photos" / f"Photos from {2000 + index // 2000}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{index:06d}.jpg").write_bytes(data)
        sidecar = {"title": f"IMG_{index:06d}.jpg", "photoTakenTime": {"timestamp": str(1_400_000_000 + index)}}
        (folder / f"IMG_{index:06d}.jpg.json").write_text(json.dumps(sidecar))
    started = time.perf_counter()
    subprocess.run(["cp", "-r", str(work / "Takeout"), str(work / "copy")], check=True)
    subprocess.run(["sync"], check=True)
    cp_seconds = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pef", "--path", str(work / "Takeout"), "--quiet", "--timezone", "UTC"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(["sync"], check=True)
    pef_seconds = time.perf_counter() - started
    output = work / "Takeout_pefProcessed"
    line = next(line for line in (output / "pef.log").read_text().splitlines() if "saving progress took" in line)
    print(f"{args.files:,} files of {len(data):,} bytes")
    print(f"cp -r {cp_seconds:.2f} s; pef {pef_seconds:.2f} s (ratio {pef_seconds / cp_seconds:.2f})")
    print("pef.log: " + re.sub(r"^.*INFO: ", "", line))
    print(f"state file {(output / 'processing_state.json').stat().st_size / 1e6:.1f} MB")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
