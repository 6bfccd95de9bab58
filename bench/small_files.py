"""Per-file cost: pef against `cp -r` on many small photos with their sidecars, warm cache, both synced.

    python bench/small_files.py [--files 20000] [--rounds 3] [--workers N] [--repo CHECKOUT] [--fresh-fs]

The photos are ~30 KB JPEGs, each its own bytes, with a date, a place and sometimes a caption in its
sidecar: copying is cheap, so what shows is what pef does per file. `--repo` times another checkout
of pef on the same data as well (before and after a change).
"""

from __future__ import annotations

import sys

from takeouts import time_small_photos

if __name__ == "__main__":
    sys.exit(time_small_photos(__doc__))
