"""The resume table of design.md, the lock, `pef progress`, and what a damaged state costs."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pef.state.outputs import OutputLock
from tests.builders import TakeoutTree, jpeg_bytes
from tests.conftest import REPO, run_pef

N = 40


def takeout(root: Path, count: int = N) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    tree.dated_photos("Photos from 2018", count, 1_500_000_000)
    tree.media("Photos from 2018/orphanless.jpg", jpeg_bytes(), None)
    return tree


def state(folder: Path) -> dict:
    return json.loads((folder / "processing_state.json").read_text())


def stopped_run(tree: TakeoutTree, output: Path, keep: int) -> None:
    """A run that finished only `keep` files: made by a real run whose state is then cut back."""
    run_pef("--path", tree.root, "--output", output)
    data = state(output)
    for key in sorted(data["files"])[keep:]:
        (output / data["files"].pop(key)["output"]).unlink()
    data["status"] = "stopped"
    (output / "processing_state.json").write_text(json.dumps(data))


def test_resume_continues_the_latest_unfinished_run(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    first = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, first, keep=15)
    result = run_pef("--path", tree.root, "--resume")
    assert f"Resuming in {first}" in result.stderr
    assert f"Resuming: 15 of {N + 1} already done." in result.stderr
    assert state(first)["status"] == "completed" and len(state(first)["files"]) == N + 1
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists()


def test_resume_with_nothing_to_resume_starts_fresh_and_says_so(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    result = run_pef("--path", tree.root, "--resume")
    assert "No earlier run of this source was found; starting fresh." in result.stderr
    assert state(tmp_path / "Takeout_pefProcessed")["status"] == "completed"


def test_a_plain_rerun_with_no_one_to_ask_says_which_flag_continues(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    stopped_run(tree, tmp_path / "Takeout_pefProcessed", keep=5)
    result = run_pef("--path", tree.root, check_code=2)
    assert "an unfinished run of this Takeout is in" in result.stderr
    assert f"pef --path {tree.root} --resume" in result.stderr and "--force" in result.stderr
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists(), "nothing begun"
    run_pef("--path", tree.root, "--yes")  # yes to every question: continue it
    assert state(tmp_path / "Takeout_pefProcessed")["status"] == "completed"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists()


@pytest.mark.parametrize(("answer", "continued"), [(b"\r", True), (b"n\r", False)])
def test_a_plain_rerun_at_a_terminal_asks_to_continue(tmp_path: Path, answer: bytes, continued: bool) -> None:
    import pty

    tree = takeout(tmp_path)
    first = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, first, keep=5)
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "pef", "--path", str(tree.root)],
        stdin=follower, stdout=follower, stderr=follower, cwd=REPO, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while b"Continue it? [Y/n]" not in seen:
        seen += os.read(leader, 4096)
    os.write(leader, answer)
    with contextlib.suppress(OSError):  # the pty closes when pef exits
        while chunk := os.read(leader, 4096):
            seen += chunk
    os.close(leader)
    assert child.wait(timeout=120) == 0, seen.decode(errors="replace")
    assert state(first)["status"] == ("completed" if continued else "stopped")
    assert (tmp_path / "Takeout_pefProcessed(1)").exists() is not continued


def test_output_folder_continues_its_own_state(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "chosen"
    stopped_run(tree, output, keep=30)
    result = run_pef("--path", tree.root, "--output", output)
    assert f"Resuming: 30 of {N + 1} already done." in result.stderr


def test_force_makes_a_new_folder(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    stopped_run(tree, tmp_path / "Takeout_pefProcessed", keep=5)
    run_pef("--path", tree.root, "--force")
    assert state(tmp_path / "Takeout_pefProcessed(1)")["status"] == "completed"
    assert state(tmp_path / "Takeout_pefProcessed")["status"] == "stopped"


@pytest.mark.parametrize("flags", [("--resume", "--force"), ("--output", "{out}", "--force")])
def test_force_on_a_folder_redoes_every_file_in_place(tmp_path: Path, flags: tuple[str, ...]) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    run_pef("--path", tree.root)
    marker = output / "Google Photos/Photos from 2018/IMG_001.jpg"
    marker.write_bytes(b"damaged by hand")
    result = run_pef("--path", tree.root, *(f.format(out=output) for f in flags), "--no-exif")
    assert "Resuming:" not in result.stderr
    assert marker.read_bytes() == (tree.photos / "Photos from 2018/IMG_001.jpg").read_bytes()
    assert state(output)["settings"]["write_exif"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Takeout", "Takeout_pefProcessed"]


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (("--no-exif",), "write_exif: saved True, now False"),
        (("--timezone", "UTC"), "timezone: saved 'auto', now 'UTC'"),
        (("--suffix", "-retouche"), "suffixes: saved [], now ['-retouche']"),
    ],
)
def test_other_settings_are_refused_with_the_difference(tmp_path: Path, flags: tuple[str, ...], words: str) -> None:
    tree = takeout(tmp_path)
    stopped_run(tree, tmp_path / "Takeout_pefProcessed", keep=5)
    result = run_pef("--path", tree.root, "--resume", *flags, check_code=2)
    assert words in result.stderr and "--force" in result.stderr


def test_a_run_from_before_auto_zones_resumes_with_its_own_zone(tmp_path: Path) -> None:
    """pef 0.1 saved timezone "local" by default; continuing such a run without --timezone keeps it."""
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=5)
    data = state(output)
    data["settings"]["timezone"] = "local"
    (output / "processing_state.json").write_text(json.dumps(data))
    result = run_pef("--path", tree.root, "--resume")
    assert "Resuming: 5 of" in result.stderr
    assert state(output)["status"] == "completed" and state(output)["settings"]["timezone"] == "local"
    fresh = run_pef("--path", tree.root, "--force")  # a new folder, no run to continue: auto
    assert "Takeout_pefProcessed(1)" in fresh.stderr
    assert state(tmp_path / "Takeout_pefProcessed(1)")["settings"]["timezone"] == "auto"


def test_other_source_is_refused(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    other = takeout(tmp_path / "other")
    output = tmp_path / "shared-out"
    stopped_run(tree, output, keep=5)
    result = run_pef("--path", other.root, "--output", output, check_code=2)
    assert "another source" in result.stderr and str(tree.root) in result.stderr


def test_a_second_run_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "busy"
    output.mkdir()
    with OutputLock(output):
        result = run_pef("--path", tree.root, "--output", output, check_code=2)
    assert "in use by another pef run" in result.stderr and str(os.getpid()) in result.stderr


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from pef.state.outputs import OutputLock; OutputLock(Path(sys.argv[1])).acquire();"
            "print('held', flush=True); time.sleep(60)",
            str(output),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    assert (output / ".pef.lock").read_text() == str(holder.pid), "the dead run's lock is still on disk"
    run_pef("--path", tree.root, "--output", output)
    assert state(output)["status"] == "completed"


def test_outputs_deleted_or_changed_by_hand_are_redone(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    run_pef("--path", tree.root)
    deleted = output / "Google Photos/Photos from 2018/IMG_003.jpg"
    cut = output / "Google Photos/Photos from 2018/IMG_004.jpg"
    reference = deleted.read_bytes(), cut.read_bytes()
    deleted.unlink()
    cut.write_bytes(cut.read_bytes()[:100])
    run_pef("--path", tree.root, "--resume")
    assert (deleted.read_bytes(), cut.read_bytes()) == reference


def test_leftover_partial_files_are_removed(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=10)
    (output / ".pef-work").mkdir()  # a run that stopped keeps its work folder
    partial = output / ".pef-work" / "7-IMG_020.jpg.partial"
    partial.write_bytes(b"half")
    result = run_pef("--path", tree.root, "--resume")
    assert not partial.exists() and not (output / ".pef-work").exists(), "a finished run leaves no work folder"
    assert "Removed 1 half-written file(s)" in result.stderr


def test_partial_files_of_pef_0_1_are_removed_once(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=10)
    assert not (output / ".pef-work").exists()  # as pef 0.1 left it: partials beside their outputs
    partial = output / "Google Photos/Photos from 2018/.IMG_020.jpg.pef-partial"
    partial.write_bytes(b"half")
    result = run_pef("--path", tree.root, "--resume")
    assert not partial.exists()
    assert "Removed 1 half-written file(s)" in result.stderr


def test_damaged_state_is_kept_aside_and_rebuilt(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    run_pef("--path", tree.root)
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*.jpg")}
    text = (output / "processing_state.json").read_text()
    (output / "processing_state.json").write_text(text[: len(text) // 2])
    result = run_pef("--path", tree.root, "--resume")
    assert "unreadable" in result.stderr and "kept as processing_state.json.corrupt-" in result.stderr
    assert f"{N + 1} finished file(s) were recovered from the output folder" in result.stderr
    assert len(list(output.glob("processing_state.json.corrupt-*"))) == 1
    rebuilt = state(output)
    assert rebuilt["status"] == "completed" and rebuilt["stats"]["done"] == N
    assert rebuilt["stats"]["unmatched"] == 1
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*.jpg")} == before, "nothing was redone"


def test_progress_command(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=20)
    data = state(output)
    key = sorted(data["files"])[0]
    data["files"][key].update(status="failed", reason="disk_full", error=f"{key}: the output disk is full")
    (output / "processing_state.json").write_text(json.dumps(data))
    result = run_pef("progress", output)
    out = result.stdout
    assert "Status:       stopped (no pef process is running it now" in out
    assert "pending            21   51.2%" in out
    assert "failed              1    2.4%" in out
    assert f"{key}: the output disk is full" in out
    assert "Success rate: 95.0%" in out


def test_progress_never_calls_a_dead_run_running(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=3)
    data = state(output)
    data["status"] = "running"  # as a run killed with -9 leaves it
    (output / "processing_state.json").write_text(json.dumps(data))
    assert "Status:       interrupted (no pef process is running it now" in run_pef("progress", output).stdout
    with OutputLock(output):  # a live run holds the folder
        assert (
            f"Status:       running (pef process {os.getpid()} is working on it)" in run_pef("progress", output).stdout
        )


def test_help_lists_every_command() -> None:
    out = run_pef("--help").stdout
    assert "pef progress OUTPUT" in out and "--path SRC" in out and "no arguments" in out


def test_progress_clear_asks_unless_yes(tmp_path: Path) -> None:
    tree = takeout(tmp_path)
    output = tmp_path / "Takeout_pefProcessed"
    stopped_run(tree, output, keep=3)
    refused = run_pef("progress", output, "--clear", check_code=2)
    assert "--yes" in refused.stderr and (output / "processing_state.json").exists()
    run_pef("progress", output, "--clear", "--yes")
    assert not (output / "processing_state.json").exists()
    assert (output / "Google Photos/Photos from 2018/IMG_000.jpg").exists(), "the copied files stay"
    missing = run_pef("progress", output, check_code=2)
    assert "holds no pef progress" in missing.stderr
