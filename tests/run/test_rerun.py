"""A run on a finished output: said again at once when nothing changed; any change found by size or time is done."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pef.model.events import FileFinished, Message, RunFinished, RunStarted, RunSummary, ScanFinished
from pef.model.outcomes import DecisionKind
from pef.model.records import Decision
from pef.present.words import NOTHING_TO_DO
from pef.run.engine import Engine
from pef.run.request import RequestRefused, RunRequest, resolve_run
from pef.state.layout import REPORT_NAME, STATE_NAME
from tests.archives import zip_parts
from tests.builders import TakeoutTree, jpeg_bytes, sidecar


def takeout(root: Path) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    for number in range(6):
        name = f"IMG_{number:02d}.jpg"
        tree.media(name, jpeg_bytes(color=(number, 9, 9)), f"{name}.json", sidecar(name, geo=(48.85, 2.29, 35.0)))
    tree.media("Trip/beach.jpg", jpeg_bytes(color=(1, 2, 3)), None)  # unmatched
    tree.media("broken.jpg", b"\xff\xd8\xff\xe0\x00", "broken.jpg.json", sidecar("broken.jpg"))  # fails for good
    tree.write_json("Trip/metadata.json", {"title": "Trip"})
    return tree


def run(sources: Path | tuple[Path, ...], output: Path, **asked) -> tuple[RunSummary, list[object]]:
    events: list[object] = []
    request = RunRequest(sources if isinstance(sources, tuple) else (sources,), output, timezone="UTC", **asked)
    summary = Engine(resolve_run(request).job, events.append).run()
    return summary, events


def said(events: list[object]) -> list[object]:
    """Everything a face shows of a run with nothing to do, in order."""
    return [event for event in events if isinstance(event, Message | ScanFinished | RunStarted | RunFinished)]


def stamp(path: Path) -> tuple[int, int, bytes]:
    found = path.stat()
    return found.st_ino, found.st_mtime_ns, path.read_bytes()


def finished_once(tmp_path: Path) -> tuple[TakeoutTree, Path, RunSummary]:
    tree, output = takeout(tmp_path), tmp_path / "out"
    first, _ = run(tree.root, output)
    assert (first.done, sum(first.unmatched.values()), first.failed) == (6, 1, {"corrupt_media": 1})
    return tree, output, first


def test_nothing_changed_is_said_again_with_nothing_read_or_written(tmp_path: Path) -> None:
    tree, output, first = finished_once(tmp_path)
    state, report = stamp(output / STATE_NAME), stamp(output / REPORT_NAME)
    again, events = run(tree.root, output)
    assert again == first  # the failure's record included
    assert not any(isinstance(event, FileFinished) for event in events)
    assert (stamp(output / STATE_NAME), stamp(output / REPORT_NAME)) == (state, report)  # not even the state
    # what a run looking at everything says in the same case (a stray file of the person's makes it look)
    (output / "notes.txt").write_text("mine")
    looked, looked_events = run(tree.root, output)
    assert stamp(output / STATE_NAME) != state
    assert looked == again and said(looked_events) == said(events)
    assert NOTHING_TO_DO in [event.text for event in said(events) if isinstance(event, Message)]


def test_the_state_says_what_it_keeps_for_the_next_run(tmp_path: Path) -> None:
    _tree, output, first = finished_once(tmp_path)
    head = json.loads((output / STATE_NAME).read_text(encoding="utf-8"))
    kept = head["finished"]
    assert len(kept["source"]) == len(kept["outputs"]) == 40
    assert kept["summary"]["failed"] == {"corrupt_media": 1} and kept["summary"]["total"] == first.total
    assert [key for key, _record in kept["summary"]["failures"]] == ["Google Photos/broken.jpg"]


@pytest.mark.parametrize(
    "change",
    ["source touched", "source added", "output edited", "output deleted", "report deleted", "state damaged"],
)
def test_any_change_is_looked_at(tmp_path: Path, change: str) -> None:
    tree, output, first = finished_once(tmp_path)
    photo = output / "Google Photos" / "IMG_03.jpg"
    written = photo.read_bytes()
    if change == "source touched":
        source = tree.photos / "IMG_02.jpg.json"
        os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1))
    elif change == "source added":
        tree.media("IMG_99.jpg", jpeg_bytes(color=(99, 9, 9)), "IMG_99.jpg.json", sidecar("IMG_99.jpg"))
    elif change == "output edited":
        photo.write_bytes(written + b"edited")
    elif change == "output deleted":
        photo.unlink()
    elif change == "report deleted":
        (output / REPORT_NAME).unlink()
    else:
        text = (output / STATE_NAME).read_text(encoding="utf-8")
        (output / STATE_NAME).write_text(text.replace('"done_bytes": ', '"done_bytes": "x", "was": '), encoding="utf-8")
    state = stamp(output / STATE_NAME)
    again, events = run(tree.root, output)
    assert stamp(output / STATE_NAME) != state  # looked at: saved again
    redone = [event.record.key for event in events if isinstance(event, FileFinished)]
    assert redone == {
        "source added": ["Google Photos/IMG_99.jpg"],
        "output edited": ["Google Photos/IMG_03.jpg"],
        "output deleted": ["Google Photos/IMG_03.jpg"],
    }.get(change, [])
    assert again.done == first.done + (change == "source added")
    assert photo.read_bytes() == written and (output / REPORT_NAME).is_file()
    state = stamp(output / STATE_NAME)
    third, third_events = run(tree.root, output)  # and the run after that finds nothing changed again
    assert third == again and stamp(output / STATE_NAME) == state
    assert not any(isinstance(event, FileFinished) for event in third_events)


def test_what_the_person_asks_for_is_done(tmp_path: Path) -> None:
    tree, output, _first = finished_once(tmp_path)
    _, retried = run(tree.root, output, retry_failed=True)
    assert [event.record.key for event in retried if isinstance(event, FileFinished)] == ["Google Photos/broken.jpg"]
    chosen = {"Google Photos/Trip/beach.jpg": Decision(DecisionKind.MANUAL, taken=1_262_347_200)}
    decided, events = run(tree.root, output, decisions=chosen)
    assert [event.record.key for event in events if isinstance(event, FileFinished)] == list(chosen)
    assert sum(decided.unmatched.values()) == 0
    with pytest.raises(RequestRefused, match="other settings"):
        run(tree.root, output, write_exif=False)


def test_downloaded_parts_count_by_their_size_and_time(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    parts = tuple(zip_parts(tree.root, tmp_path / "parts", count=2))
    output = tmp_path / "out"
    first, _ = run(parts, output)
    state = stamp(output / STATE_NAME)
    again, events = run(parts, output)
    assert again == first and stamp(output / STATE_NAME) == state
    assert [event.text for event in events if isinstance(event, Message)][:1] == ["Read from 2 parts:"]
    os.utime(parts[1], ns=(parts[1].stat().st_atime_ns, parts[1].stat().st_mtime_ns + 1_000_000_000))
    looked, _ = run(parts, output)
    assert looked == first and stamp(output / STATE_NAME) != state
