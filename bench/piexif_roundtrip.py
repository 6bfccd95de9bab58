"""Why pef writes EXIF with its own TIFF editor: piexif's load → dump → insert against pef, on real cameras.

    python bench/piexif_roundtrip.py [--samples FOLDER]   (needs exiftool and piexif: pip install -e '.[test]')

Each camera JPEG gets the same date and place written twice: once by piexif (load, set the tags, dump,
insert: the usual recipe) and once by pef (a real run on a one-photo Takeout). exiftool, an
independent reader, then compares each result's maker notes with the original's, tag by tag, and
says whether the image data is still the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import piexif

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "camera"
TAKEN = 1_561_975_200  # 2019-07-01 10:00 UTC
PLACE = (48.8584, 2.2945)


def maker_notes(path: Path) -> tuple[dict, list[str]]:
    """exiftool's reading of the maker notes (every tag, as numbers) and its warnings."""
    out = subprocess.run(
        ["exiftool", "-j", "-n", "-G1", "-a", "-MakerNotes:all", "-Warning", str(path)], capture_output=True, text=True
    )
    found = json.loads(out.stdout)[0] if out.stdout.strip() else {}
    warnings = [value for key, value in found.items() if key.endswith(":Warning")]
    return {key: value for key, value in found.items() if not key.endswith((":Warning", "SourceFile"))}, warnings


def scan_data(data: bytes) -> bytes:
    """The compressed image: everything from the first start-of-scan segment on, found segment by segment
    (a thumbnail inside the EXIF has a start-of-scan of its own)."""
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xDA:
            return data[at:]
        at += 2 + length
    return b""


def rational(value: float) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return ((degrees, 1), (minutes, 1), (seconds, 100))


def by_piexif(source: Path, target: Path) -> str:
    """The usual recipe; returns "" or what piexif raised."""
    try:
        exif = piexif.load(str(source))
        exif["Exif"][piexif.ExifIFD.DateTimeOriginal] = b"2019:07:01 10:00:00"
        exif["GPS"].update(
            {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: rational(PLACE[0]),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: rational(PLACE[1]),
            }
        )
        target.write_bytes(source.read_bytes())
        piexif.insert(piexif.dump(exif), str(target))
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:70]
    return ""


def by_pef(source: Path, work: Path) -> Path:
    """A real pef run on a Takeout holding this one photo and its sidecar."""
    photos = work / "Takeout" / "Google Photos" / "Photos from 2019"
    photos.mkdir(parents=True)
    (photos / source.name).write_bytes(source.read_bytes())
    sidecar = {
        "title": source.name,
        "photoTakenTime": {"timestamp": str(TAKEN)},
        "geoData": {"latitude": PLACE[0], "longitude": PLACE[1], "altitude": 0.0},
    }
    (photos / f"{source.name}.json").write_text(json.dumps(sidecar))
    output = work / "out"
    command = [
        sys.executable,
        "-m",
        "pef",
        "--path",
        str(work / "Takeout"),
        "--output",
        str(output),
        "--quiet",
        "--yes",
    ]
    subprocess.run(command, capture_output=True, cwd=ROOT, stdin=subprocess.DEVNULL)
    return next(output.rglob(source.name))


def verdict(original: Path, written: Path) -> str:
    before, known = maker_notes(original)
    after, warnings = maker_notes(written)
    warnings = [warning for warning in warnings if warning not in known]  # a camera's own quirks are not news
    changed = sum(before.get(key) != value for key, value in after.items()) + len(before.keys() - after.keys())
    same_image = scan_data(original.read_bytes()) == scan_data(written.read_bytes())
    notes = "kept" if changed == 0 and not warnings else f"{changed} of {len(before)} tags changed or lost"
    return notes + (f" ({warnings[0]})" if warnings else "") + ("" if same_image else ", image data changed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=Path(os.environ.get("PEF_SAMPLES", SAMPLES)))
    args = parser.parse_args()
    tally = {"piexif raised": 0, "piexif broke maker notes": 0, "pef broke maker notes": 0, "with maker notes": 0}
    print("| camera file | maker-note tags | piexif load → dump → insert | pef |\n|---|---|---|---|")
    for source in sorted(args.samples.glob("*.jpg")):
        notes, _ = maker_notes(source)
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            raised = by_piexif(source, work / "piexif.jpg")
            piexif_says = f"raised {raised}" if raised else verdict(source, work / "piexif.jpg")
            pef_says = verdict(source, by_pef(source, work))
        tally["piexif raised"] += bool(raised)
        if notes:
            tally["with maker notes"] += 1
            tally["piexif broke maker notes"] += not raised and not piexif_says.startswith("kept")
            tally["pef broke maker notes"] += not pef_says.startswith("kept")
        print(f"| {source.name} | {len(notes)} | {piexif_says} | {pef_says} |")
    print()
    print(", ".join(f"{key}: {value}" for key, value in tally.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
