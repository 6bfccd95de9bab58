"""Kill the command line at random moments, resume, and get exactly what a clean run gives."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from tests.builders import FIXTURES, TakeoutTree, heic_bytes, jpeg_bytes, png_bytes, sidecar
from tests.conftest import REPO, run_pef
from tests.processes import children_of, command_line

FILES = 2_100
KILLS = 22
STATE_FILES = {"processing_state.json", "pef-report.csv", "pef.log", "albums.csv"}
OWN_LOOKALIKES = (
    ".pef.lock",
    ".pef-reserve",
    "processing_state.journal",
    "processing_state.json/IMG_1.jpg",
    "pef.log/a.jpg",
)


@pytest.fixture(scope="module")
def takeout(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    tree = TakeoutTree(tmp_path_factory.mktemp("faults") / "Takeout")
    variants = [jpeg_bytes(color=(c, 50, 90)) for c in range(0, 250, 50)]
    png, heic, movie = png_bytes(), heic_bytes(), (FIXTURES / "phone_faststart.mp4").read_bytes()
    for index in range(FILES):
        folder = f"Photos from {2010 + index % 12}"
        if index % 10 == 9:
            tree.media(
                f"{folder}/Screenshot_{index}.png",
                png,
                f"Screenshot_{index}.png.json",
                sidecar(f"Screenshot_{index}.png", 1_500_000_000 + index * 97),
            )
        elif index % 25 == 7:
            tree.media(f"{folder}/lonely_{index}.jpg", variants[index % 5], None)
        elif index % 50 in (23, 24):  # a movie (header rewritten) and a HEIC (meta box rewritten)
            name, data = (f"VID_{index}.mp4", movie) if index % 50 == 23 else (f"IMG_{index}.HEIC", heic)
            meta = sidecar(name, 1_500_000_000 + index * 97, geo=(45.0, 7.0 + index / 1e4, 300.0), people=("Ann",))
            tree.media(f"{folder}/{name}", data, f"{name}.json", meta)
        else:
            name = f"IMG_{index:05d}.jpg"
            if index % 100 == 3:  # decomposed, as macOS writes names
                name = unicodedata.normalize("NFD", f"Été à Noël {index}.jpg")
            elif index % 150 == 4:  # near the file system's 255 bytes
                name = f"{index}_{'é' * 118}.jpg"
            title = unicodedata.normalize("NFC", name)
            tree.media(
                f"{folder}/{name}",
                variants[index % 5],
                f"{title[:46]}.json" if len(title) > 46 else f"{name}.supplemental-metadata.json",
                sidecar(title, 1_500_000_000 + index * 97, geo=(45.0 + index / 1e4, 7.0, 300.0)),
            )
    for index, name in enumerate(OWN_LOOKALIKES):  # media named like pef's own files, at the output's top
        path = tree.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(variants[index % 5])
    return tree


@pytest.fixture(scope="module")
def reference(takeout: TakeoutTree) -> Path:
    output = takeout.root.parent / "reference"
    run_pef("--path", takeout.root, "--output", output, "--timezone", "Europe/Rome", "--quiet")
    return output


def fingerprint(output: Path) -> dict[str, tuple[str, int]]:
    found = {}
    for path in output.rglob("*"):
        relative = str(path.relative_to(output))
        if path.is_file() and relative not in STATE_FILES:
            found[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


def report_rows(output: Path) -> list[dict]:
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["source"])


def start(takeout: TakeoutTree, output: Path, workers: int = 3) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "pef",
        "--path",
        str(takeout.root),
        "--output",
        str(output),
        "--timezone",
        "Europe/Rome",
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finished_count(output: Path) -> int:
    """Files the saved state (snapshot + journal) counts as finished, read the way a user's next run does."""
    from pef.state.store import StateError, StateStore

    try:
        return len(StateStore(output).peek().files)
    except (StateError, OSError, ValueError):
        return 0


def assert_same_as_reference(output: Path, reference: Path) -> None:
    assert fingerprint(output) == fingerprint(reference)
    assert report_rows(output) == report_rows(reference)
    state, ref_state = (json.loads((folder / "processing_state.json").read_text()) for folder in (output, reference))
    assert state["status"] == "completed"
    assert state["stats"] == ref_state["stats"]
    leftovers = [p.name for p in output.rglob("*") if p.name.endswith((".pef-partial", ".tmp"))]
    leftovers += [p.name for p in output.iterdir() if p.name in ("processing_state.journal", ".pef.lock", ".pef-work")]
    assert leftovers == []
    rows = report_rows(output)
    assert sum(row["kind"] == "media" for row in rows) == FILES + len(OWN_LOOKALIKES)
    assert {row["status"] for row in rows if row["kind"] == "media"} <= {"done", "unmatched"}


def wait_for_start(process: subprocess.Popen) -> None:
    """Read the run's messages until it starts processing files ("Output: …")."""
    for line in process.stderr:
        if line.startswith(("Output:", "Nothing")):
            return


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def wait_for_files(process: subprocess.Popen, output: Path, before: int) -> None:
    """Wait until the run finishes files (its worker processes take a moment to start)."""
    deadline = time.monotonic() + 30
    while process.poll() is None and finished_count(output) <= before and time.monotonic() < deadline:
        time.sleep(0.02)


def a_moment(rng: random.Random, window: float) -> float:
    """A random moment within a twentieth of a run, after a file was recorded.

    A resumed run records a batch (up to 64 files) before its first kill can land, so the moments are
    short. Ten or more kills must land before the run is done, even when the timing run was slowed by
    the machine's neighbours.
    """
    return rng.uniform(0.0, window / 20)


def processing_seconds(takeout: TakeoutTree, output: Path, workers: int = 3) -> float:
    process = start(takeout, output, workers)
    wait_for_start(process)
    started = time.monotonic()
    process.communicate()
    return time.monotonic() - started


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_kill_9_at_random_moments_then_resume(takeout: TakeoutTree, reference: Path, workers: int) -> None:
    rng = random.Random(20261122 + workers)
    output = takeout.root.parent / f"killed-{workers}"
    window = processing_seconds(takeout, takeout.root.parent / f"timing-{workers}", workers)
    progress, orphans = [], 0
    for attempt in range(KILLS):
        process = start(takeout, output, workers)
        if attempt % 4 == 3:
            time.sleep(rng.uniform(0.0, 0.4))  # during start-up, the scan or the state's loading
        else:
            wait_for_start(process)
            wait_for_files(process, output, progress[-1] if progress else 0)
            time.sleep(a_moment(rng, window))
        workers_seen = children_of(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers_seen) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not any(alive(pid) for pid in workers_seen), "a worker process outlived pef's kill -9"
        orphans += len(workers_seen)
        progress.append(finished_count(output))
    mid_run = sum(1 for before, after in zip([0, *progress], progress, strict=False) if after - before > 0)
    print(
        f"\nkill -9 x{KILLS}, {workers} worker(s) (processing takes {window:.2f} s): files finished after each kill: "
        f"{progress}; {orphans} worker processes killed with pef"
    )
    assert orphans > 0, "no kill landed while worker processes ran"
    assert mid_run >= 10, f"only {mid_run} kills landed while files were being written"
    result = run_pef("--path", takeout.root, "--output", output, "--timezone", "Europe/Rome", check_code=None)
    assert result.returncode == 0, result.stderr
    assert_same_as_reference(output, reference)


def test_a_worker_process_killed_costs_no_file(takeout: TakeoutTree, reference: Path) -> None:
    output = takeout.root.parent / "worker-killed"
    process = start(takeout, output, 2)
    wait_for_start(process)
    wait_for_files(process, output, 0)
    workers = [pid for pid in children_of(process.pid) if b"spawn_main" in command_line(pid)]
    assert workers, "the run has worker processes"
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
    _, errors = process.communicate()
    assert process.returncode == 0, errors
    assert_same_as_reference(output, reference)
    assert "A worker process stopped; the rest of the run goes on in pef's own process" in errors


def test_sigint_at_random_moments_then_resume(takeout: TakeoutTree, reference: Path) -> None:
    """Ctrl+C lets the files in hand finish (up to six batches here, 96-126 files), so one run of this Takeout
    takes only a dozen before it is done: the Ctrl+Cs go to two runs, each pressed a few files after the run
    recorded its first, at a random moment within a batch (a moment in time let a run that went faster than
    its timing run, the machine's neighbours gone, finish before ten had landed)."""
    rng = random.Random(7)
    outputs = [takeout.root.parent / "interrupted", takeout.root.parent / "interrupted-again"]
    codes, progress = [], []
    for attempt in range(KILLS):
        output = outputs[attempt % 2]
        process = start(takeout, output)
        wait_for_start(process)  # the Ctrl+C handler is installed by now
        wait_for_files(process, output, finished_count(output) + rng.randint(0, 20))
        time.sleep(rng.uniform(0.0, 0.05))
        process.send_signal(signal.SIGINT)
        if attempt % 5 == 4:  # now and then a second Ctrl+C: quit at once
            time.sleep(rng.uniform(0.0, 0.05))
            process.send_signal(signal.SIGINT)
        rest = process.communicate()[1]
        codes.append(process.returncode)
        progress.append(finished_count(output))
        if process.returncode == 130 and attempt % 5 != 4:
            assert "Progress saved. Resume with: pef --path" in rest
    print(f"\nSIGINT x{KILLS}, two runs in turns: exit codes {codes}; files finished after each: {progress}")
    assert set(codes) <= {0, 130}, codes
    assert codes.count(130) >= 10
    for output in outputs:
        result = run_pef("--path", takeout.root, "--output", output, "--timezone", "Europe/Rome", check_code=None)
        assert result.returncode == 0, result.stderr
        assert_same_as_reference(output, reference)


def test_resuming_a_completed_run_does_nothing(takeout: TakeoutTree, reference: Path) -> None:
    before = fingerprint(reference)
    result = run_pef("--path", takeout.root, "--output", reference, "--timezone", "Europe/Rome")
    assert "Nothing to do" in result.stderr
    media = FILES + len(OWN_LOOKALIKES)
    assert f"Resuming: {media:,} of {media:,} already done." in result.stderr
    assert fingerprint(reference) == before


def test_saving_progress_costs_little(reference: Path) -> None:
    log = (reference / "pef.log").read_text()
    line = next(line for line in log.splitlines() if "saving progress took" in line)
    share = float(line.split("(")[1].split("%")[0])
    print(f"\n{line.split('INFO: ')[1]}")
    assert share < 50, line  # generous: tiny files make the per-file cost look large; see bench/
    assert os.path.exists(reference / "processing_state.json")
