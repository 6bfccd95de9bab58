"""Review's decisions: a chosen sidecar, a date from the name, a typed date; kept by every later run."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from pef.model.events import RunSummary
from pef.model.outcomes import DecisionKind
from pef.model.records import Decision
from pef.run.engine import Engine
from pef.run.request import RunRequest, resolve_run
from pef.takeout.candidates import rank_candidates
from pef.takeout.name_dates import date_from_name
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.conftest import exiftool_json

CHOSEN_TAKEN = 1_262_347_200  # 2010-01-01 12:00 UTC
TYPED = int(datetime(2001, 2, 3, 4, 5, 6).astimezone().timestamp())


def run(source: Path, output: Path, force: bool = False, **decisions: Decision) -> RunSummary:
    """A run with dates from names turned off, so that Review's date from the name is what writes one."""
    request = RunRequest(source, output, force=force, decisions=decisions, name_dates=False)
    return Engine(resolve_run(request).job, lambda _event: None).run()


def report(output: Path) -> dict[str, dict]:
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["source"]: row for row in csv.DictReader(handle)}


def takeout(tmp_path: Path) -> TakeoutTree:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("Trip/beach photo.jpg", jpeg_bytes(color=(1, 2, 3)), None)  # its sidecar was left with another name
    tree.write_json("Trip/beach.jpg.json", sidecar("beach.jpg", CHOSEN_TAKEN, geo=(48.8584, 2.2945, 35.0)))
    tree.media("Trip/IMG_20190512_123456.jpg", jpeg_bytes(color=(4, 5, 6)), None)
    tree.media("Trip/scan.jpg", jpeg_bytes(color=(7, 8, 9)), None)
    return tree


def test_each_kind_of_decision_is_written_reported_and_kept(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "out"
    first = run(tree.root, output)
    assert sum(first.unmatched.values()) == 3 and first.orphans == {"no_media": 1}
    photo, named, scan = (f"Google Photos/Trip/{n}" for n in ("beach photo.jpg", "IMG_20190512_123456.jpg", "scan.jpg"))
    from_name = date_from_name("IMG_20190512_123456.jpg").instant(None)
    decisions = {
        photo: Decision(DecisionKind.SIDECAR, sidecar="Google Photos/Trip/beach.jpg.json"),
        named: Decision(DecisionKind.FILENAME, taken=from_name),
        scan: Decision(DecisionKind.MANUAL, taken=TYPED),
    }
    second = run(tree.root, output, **decisions)
    assert (second.done, sum(second.unmatched.values()), second.orphans) == (3, 0, {})
    rows = report(output)
    assert [rows[key]["date_source"] for key in (photo, named, scan)] == ["manual_sidecar", "filename", "manual"]
    assert rows[photo]["match"] == "chosen" and rows[photo]["sidecar"] == "Google Photos/Trip/beach.jpg.json"
    assert rows["Google Photos/Trip/beach.jpg.json"]["status"] == "used"
    seen = {key: exiftool_json(output / key) for key in (photo, named, scan)}
    assert seen[photo]["ExifIFD:DateTimeOriginal"] == "2010:01:01 13:00:00"  # the chosen sidecar's place: Paris
    assert round(seen[photo]["GPS:GPSLatitude"], 4) == 48.8584
    assert seen[named]["ExifIFD:DateTimeOriginal"] == "2019:05:12 12:34:56"
    assert seen[scan]["ExifIFD:DateTimeOriginal"] == "2001:02:03 04:05:06"
    saved = json.loads((output / "processing_state.json").read_text())["decisions"]
    assert saved[scan] == {"kind": "manual", "sidecar": None, "taken": TYPED}

    times = {key: (output / key).stat().st_mtime_ns for key in decisions}
    run(tree.root, output)  # a plain re-run keeps them and redoes nothing
    assert {key: (output / key).stat().st_mtime_ns for key in decisions} == times
    (output / named).unlink()
    forced = run(tree.root, output, force=True)  # --force redoes every file, still as decided
    assert forced.done == 3 and report(output)[named]["date_source"] == "filename"
    assert exiftool_json(output / named)["ExifIFD:DateTimeOriginal"] == "2019:05:12 12:34:56"

    changed = {scan: Decision(DecisionKind.MANUAL, taken=TYPED + 3600)}
    run(tree.root, output, **changed)  # another decision for the same file redoes it
    assert exiftool_json(output / scan)["ExifIFD:DateTimeOriginal"] == "2001:02:03 05:05:06"


def test_candidates_put_orphans_first_then_the_closest_name(tmp_path: Path) -> None:
    sidecars = {
        "A/beach.jpg.json": sidecar("beach.jpg", CHOSEN_TAKEN),
        "A/beach photo.png.json": sidecar("beach photo.png", CHOSEN_TAKEN),  # used by another file
        "B/unrelated.jpg.json": sidecar("unrelated.jpg", 100),
        "B/broken.json": "not json",
    }
    read = lambda key: (  # noqa: E731
        sidecars[key].encode() if isinstance(sidecars[key], str) else json.dumps(sidecars[key]).encode()
    )
    ranked = rank_candidates(
        "A/beach photo.jpg", (CHOSEN_TAKEN,), sidecars, frozenset({"A/beach.jpg.json", "B/unrelated.jpg.json"}), read
    )
    assert [c.key for c in ranked] == ["A/beach.jpg.json", "B/unrelated.jpg.json", "A/beach photo.png.json"]
    assert ranked[0].orphan and ranked[0].title == "beach.jpg" and ranked[0].taken == CHOSEN_TAKEN
