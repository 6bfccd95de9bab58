"""Command-line options and bad inputs: each gives a clear message, and the run goes on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import TakeoutTree, jpeg_bytes, mp4_bytes, sample, sidecar, tree_digest
from tests.conftest import REPO, exiftool_json, run_pef

INSTANT = 1_561_975_200  # 2019-07-01 10:00:00 UTC


def small_takeout(root: Path) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    tree.media("Photos from 2019/a.jpg", jpeg_bytes(), "a.jpg.json", sidecar("a.jpg", INSTANT, geo=(48.85, 2.35, 0)))
    tree.media("Photos from 2019/b.mp4", mp4_bytes(), "b.mp4.supplemental-metadata.json", sidecar("b.mp4", INSTANT))
    tree.media("Photos from 2019/c.jpg", jpeg_bytes(), None)
    return tree


def test_dry_run_writes_nothing_and_counts(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    before = tree_digest(tmp_path)
    result = run_pef("--path", tree.root, "--dry-run")
    assert tree_digest(tmp_path) == before
    assert not (tmp_path / "Takeout_pefProcessed").exists()
    assert "Dry run" in result.stdout + result.stderr
    out = result.stdout
    assert "media files             3" in out and "with metadata           2" in out and "no sidecar" in out


def test_no_exif_copies_bytes_and_sets_file_time(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    run_pef("--path", tree.root, "--no-exif")
    output = tmp_path / "Takeout_pefProcessed" / "Google Photos" / "Photos from 2019"
    for name in ("a.jpg", "b.mp4"):
        assert (output / name).read_bytes() == (tree.photos / "Photos from 2019" / name).read_bytes()
        assert (output / name).stat().st_mtime == INSTANT


@pytest.mark.parametrize(
    ("zone", "wall", "offset"),
    [
        ("UTC", "2019:07:01 10:00:00", "+00:00"),
        ("America/New_York", "2019:07:01 06:00:00", "-04:00"),
        ("Asia/Kolkata", "2019:07:01 15:30:00", "+05:30"),
    ],
)
def test_timezone_choice(tmp_path: Path, zone: str, wall: str, offset: str) -> None:
    tree = small_takeout(tmp_path)
    run_pef("--path", tree.root, "--timezone", zone)
    exif = exiftool_json(tmp_path / "Takeout_pefProcessed/Google Photos/Photos from 2019/a.jpg")
    assert (exif["ExifIFD:DateTimeOriginal"], exif["ExifIFD:OffsetTimeOriginal"]) == (wall, offset)


def test_local_zone_is_the_computers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = small_takeout(tmp_path)
    monkeypatch.setenv("TZ", "Australia/Sydney")
    run_pef("--path", tree.root, "--timezone", "local")  # a.jpg was taken in Paris: local ignores that
    exif = exiftool_json(tmp_path / "Takeout_pefProcessed/Google Photos/Photos from 2019/a.jpg")
    assert (exif["ExifIFD:DateTimeOriginal"], exif["ExifIFD:OffsetTimeOriginal"]) == ("2019:07:01 20:00:00", "+10:00")


def test_unknown_timezone_is_a_usage_error(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    result = run_pef("--path", tree.root, "--timezone", "Mars/Olympus", check_code=2)
    assert "Mars/Olympus" in result.stderr
    assert not (tmp_path / "Takeout_pefProcessed").exists()


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    result = run_pef("--path", tmp_path / "nope", check_code=2)
    assert "nope" in result.stderr and "There is no folder or file at" in result.stderr


def test_output_inside_source_is_refused(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    result = run_pef("--path", tree.root, "--output", tree.root / "out", check_code=2)
    assert "must not contain each other" in result.stderr


def test_each_run_gets_a_new_folder(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    run_pef("--path", tree.root)
    run_pef("--path", tree.root)
    third = run_pef("--path", tree.root)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("Takeout_"))
    assert names == ["Takeout_pefProcessed", "Takeout_pefProcessed(1)", "Takeout_pefProcessed(2)"]
    assert "Takeout_pefProcessed(2)" in third.stdout


def test_google_photos_folder_as_source(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    run_pef("--path", tree.photos)
    assert (tree.root / "Google Photos_pefProcessed" / "Photos from 2019" / "a.jpg").exists()


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder no one can write in: a mode-500 folder, or for root (who ignores modes) a read-only tmpfs."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_unwritable_output_folder(tmp_path: Path, read_only_folder: Path) -> None:
    tree = small_takeout(tmp_path)
    result = run_pef("--path", tree.root, "--output", read_only_folder / "out", check_code=2)
    assert "cannot use the output folder" in result.stderr and "out" in result.stderr


def test_unwritable_output_subfolder_fails_those_files_only(tmp_path: Path) -> None:
    tree = small_takeout(tmp_path)
    output = tmp_path / "out"
    run_pef("--path", tree.root, "--output", output)
    blocker = output / "Google Photos" / "Photos from 2019"
    shutil.rmtree(blocker)
    blocker.write_text("a file where a folder must go")  # the person changed pef's output by hand
    result = run_pef("--path", tree.root, "--output", output, "--force", check_code=1)
    assert "Photos from 2019/a.jpg" in result.stdout and "cannot write the output" in result.stdout
    state = json.loads((output / "processing_state.json").read_text())
    assert state["stats"]["failed"] == 3 and state["status"] == "completed"


def test_corrupt_and_broken_jpegs_are_copied_and_reported(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    truncated = jpeg_bytes()[:30]  # cut inside the header: no image data at all
    tree.media("cut.jpg", truncated, "cut.jpg.json", sidecar("cut.jpg", INSTANT))
    tree.media("tail-cut.jpg", jpeg_bytes((800, 600))[:-200], "tail-cut.jpg.json", sidecar("tail-cut.jpg", INSTANT))
    tree.media("invalid1.jpg", sample("invalid_image00971.jpg"), "invalid1.jpg.json", sidecar("invalid1.jpg", INSTANT))
    tree.media("invalid2.jpg", sample("invalid_image01088.jpg"), "invalid2.jpg.json", sidecar("invalid2.jpg", INSTANT))
    tree.media("corrupted.jpg", sample("corrupted.jpg"), "corrupted.jpg.json", sidecar("corrupted.jpg", INSTANT))
    tree.media("empty.jpg", b"", "empty.jpg.json", sidecar("empty.jpg", INSTANT))
    result = run_pef("--path", tree.root, check_code=None)
    output = tmp_path / "Takeout_pefProcessed" / "Google Photos"
    state = json.loads((tmp_path / "Takeout_pefProcessed" / "processing_state.json").read_text())
    files = state["files"]
    for name in ("cut.jpg", "empty.jpg"):
        entry = files[f"Google Photos/{name}"]
        assert (entry["status"], entry["reason"]) == ("failed", "corrupt_media"), name
        assert name in entry["error"] and "copied unchanged" in entry["error"]
        assert (output / name).read_bytes() == (tree.photos / name).read_bytes()
    for name in ("tail-cut.jpg", "invalid1.jpg", "invalid2.jpg", "corrupted.jpg"):
        assert files[f"Google Photos/{name}"]["status"] == "done", (name, files[f"Google Photos/{name}"])
        assert exiftool_json(output / name)["ExifIFD:DateTimeOriginal"].startswith("2019:07:01"), name
    assert result.returncode == 1
    assert "cut.jpg" in result.stdout


def test_vanished_source_file_is_reported(tmp_path: Path) -> None:
    from pef.model.outcomes import FileStatus, Reason
    from pef.model.records import FileTask, RunSettings
    from pef.run.copy_file import FileCopier
    from pef.takeout.parts import find_parts
    from pef.takeout.parts_source import PartsSource

    tree = small_takeout(tmp_path)
    source = PartsSource(find_parts([tree.root]))
    list(source.entries())
    processor = FileCopier(source, tmp_path / "out", RunSettings(), None)
    (tree.photos / "Photos from 2019" / "c.jpg").unlink()
    record = processor.process(FileTask("Google Photos/Photos from 2019/c.jpg", 10, "c.jpg", None, None, None))
    assert (record.status, record.reason) == (FileStatus.FAILED, Reason.SOURCE_VANISHED)
    assert "c.jpg" in record.error and "vanished" in record.error
    assert not (tmp_path / "out" / "c.jpg").exists()


def test_user_suffix_pairs_edited_copies(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("IMG_7.jpg", jpeg_bytes(), "IMG_7.jpg.json", sidecar("IMG_7.jpg", INSTANT))
    tree.media("IMG_7-retouche.jpg", jpeg_bytes(), None)
    run_pef("--path", tree.root, "--suffix", "-retouche")
    edited = tmp_path / "Takeout_pefProcessed/Google Photos/IMG_7-retouche.jpg"
    assert edited.stat().st_mtime == INSTANT
    assert exiftool_json(edited)["ExifIFD:DateTimeOriginal"]


def test_a_closed_pipe_is_not_a_crash(tmp_path: Path) -> None:
    import sys

    tree = small_takeout(tmp_path)
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)  # gone before pef writes a line
    reader.wait()
    command = [sys.executable, "-m", "pef", "--path", str(tree.root), "--dry-run"]
    writer = subprocess.run(command, stdout=reader.stdin, stderr=subprocess.PIPE, text=True)
    reader.stdin.close()
    assert "Traceback" not in writer.stderr and "BrokenPipe" not in writer.stderr


def test_no_display_says_so_and_points_to_the_command_line() -> None:
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "pef"], capture_output=True, text=True, env=env, cwd=REPO, timeout=60, check=False
    )
    assert result.returncode == 2 and "no display found" in result.stderr and "pef --path" in result.stderr
    assert "Aborted" not in result.stderr and "qt.qpa" not in result.stderr
