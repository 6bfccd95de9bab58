"""A real full disk: a small tmpfs as the output, filled, grown, resumed (needs root to mount)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shlex
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import TakeoutTree, sidecar
from tests.conftest import run_pef

FILES = 24


def noisy_jpeg(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (400, 300), rng.randbytes(400 * 300 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def small_disk(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; this test runs in CI, which is root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.jpg")}


def test_full_disk_pauses_then_resumes_after_it_grows(tmp_path: Path, small_disk: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    for index in range(FILES):
        name = f"IMG_{index:03d}.jpg"
        tree.media(name, noisy_jpeg(index), f"{name}.json", sidecar(name, 1_600_000_000 + index))
    need = sum(p.stat().st_size for p in tree.photos.glob("*.jpg"))
    assert need > 1_500_000, "the Takeout must not fit"
    output = small_disk / "out"

    refused = run_pef("--path", tree.root, "--output", output, check_code=2)
    assert "Add --yes to start anyway" in refused.stderr and not output.exists()

    paused = run_pef("--path", tree.root, "--output", output, "--yes", check_code=3)
    assert "The output disk is full (needs about" in paused.stderr and "Free some space, then resume" in paused.stderr
    assert f"Resume with: pef --path {shlex.quote(str(tree.root))} --output {shlex.quote(str(output))}" in paused.stderr
    state = json.loads((output / "processing_state.json").read_text())
    assert state["status"] == "paused"
    assert state["stats"]["failed"] >= 5 and state["stats"]["done"] >= 1
    assert not list(output.rglob("*.pef-partial")), "no partial file is left on the full disk"
    for entry in state["files"].values():  # what is recorded done is really there, whole
        if entry["status"] == "done":
            assert (output / entry["output"]).stat().st_size == entry["size"]

    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    resumed = run_pef("--path", tree.root, "--output", output)
    assert "Resuming:" in resumed.stderr
    state = json.loads((output / "processing_state.json").read_text())
    assert state["status"] == "completed" and state["stats"]["done"] == FILES and state["stats"]["failed"] == 0

    reference = tmp_path / "reference"
    run_pef("--path", tree.root, "--output", reference)
    assert digest(output) == digest(reference) and len(digest(output)) == FILES
    assert sorted(p.name for p in output.iterdir()) == [
        "Google Photos",
        "pef-report.csv",
        "pef.log",
        "processing_state.json",
    ]


def test_the_save_at_a_pause_uses_the_reserved_room_on_a_disk_with_no_byte_free(small_disk: Path) -> None:
    """Whatever else took the free space (files still in hand), the reserve's own blocks hold the state."""
    from pef.model.outcomes import FileStatus
    from pef.model.records import FileRecord, RunSettings
    from pef.state.reserve import SpaceReserve
    from pef.state.store import RunState, RunStatus, StateStore

    store = StateStore(small_disk)
    store.begin(RunState(source_path="/takeout", settings=RunSettings()))
    try:
        reserve = SpaceReserve(small_disk, 40)
        assert reserve.hold()
        for index in range(40):
            store.hold(FileRecord(f"Photos/IMG_{index:04d}.jpg", FileStatus.DONE, f"Photos/IMG_{index:04d}.jpg"))
            store.write_held()
        filler = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT)  # another writer takes every byte left
        try:
            with pytest.raises(OSError):
                while True:
                    os.write(filler, os.urandom(4096))
        finally:
            os.close(filler)
        with pytest.raises(OSError):
            store.snapshot(RunStatus.PAUSED)  # without the reserve's room, the full disk refuses it
        store.snapshot(RunStatus.PAUSED, room=reserve.path)
    finally:
        store.close()
    saved = json.loads((small_disk / "processing_state.json").read_text())
    assert saved["status"] == "paused" and len(saved["files"]) == 40
    assert not reserve.path.exists(), "the reserve became the state file"
