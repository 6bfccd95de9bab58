"""What `--timezone auto` costs: the offline zone lookup's size on disk, first call and per-call time.

    python bench/zone_lookup.py [--points 200000]

The lookup runs once per file with a place; the figures below put it beside a file's copy time.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import tzfpy

from pef.metadata.timezone import zone_at_place
from pef.model.photo import GeoPoint


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    args = parser.parse_args()
    package = Path(tzfpy.__file__).parent
    print(f"tzfpy: {folder_size(package) / 1e6:.1f} MB installed at {package}")
    start = time.perf_counter()
    zone_at_place(GeoPoint(35.6895, 139.6917))
    print(f"first lookup (loads the index): {1000 * (time.perf_counter() - start):.1f} ms")
    rng = random.Random(1)
    points = [GeoPoint(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(args.points)]
    start = time.perf_counter()
    for point in points:
        zone_at_place(point)
    each = (time.perf_counter() - start) / len(points)
    print(f"{args.points:,} lookups of random places (name → ZoneInfo included): {1e6 * each:.2f} µs each")
    print(f"for 100,000 photos: {100_000 * each:.2f} s in all")
    # photos cluster where people live; some regions have far more detailed borders than others
    for city, (latitude, longitude) in CITIES.items():
        near = [
            GeoPoint(latitude + rng.uniform(-0.05, 0.05), longitude + rng.uniform(-0.05, 0.05)) for _ in range(2000)
        ]
        start = time.perf_counter()
        for point in near:
            zone_at_place(point)
        print(f"  around {city:<10} {1e6 * (time.perf_counter() - start) / len(near):7.1f} µs each")


CITIES = {
    "Paris": (48.85, 2.35),
    "Tokyo": (35.68, 139.69),
    "New York": (40.71, -74.0),
    "Geneva": (46.2, 6.15),
    "São Paulo": (-23.55, -46.63),
}


if __name__ == "__main__":
    main()
