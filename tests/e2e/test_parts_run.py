"""Runs on the downloaded parts give what a run on the extracted Takeout gives: the same bytes, the same times.

The parts are packed from a generated Takeout (pairs dealt to different parts), unpacked for the
comparison by `unzip` and `tar`, and damaged, withheld, killed and interrupted on the way.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.archives import EXPORT, even_times, tgz_parts, unpack_parts, zip_parts
from tests.builders import FIXTURES, TakeoutTree, heic_bytes, jpeg_bytes, png_bytes, sidecar
from tests.conftest import REPO, run_pef
from tests.e2e.test_fault_injection import fingerprint, finished_count, report_rows, wait_for_start

ZONE = ("--timezone", "Europe/Rome")
PHOTOS = 90
KILL_FILES, KILLS = 1_500, 12


@pytest.fixture(scope="module")
def takeout(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    tree = TakeoutTree(tmp_path_factory.mktemp("parts") / "given" / "Takeout")
    movie, heic, png = (FIXTURES / "phone_faststart.mp4").read_bytes(), heic_bytes(), png_bytes()
    for index in range(PHOTOS):
        folder = f"Photos from {2015 + index % 4}"
        name, data = f"IMG_{index:04d}.jpg", jpeg_bytes(color=(index, 40, 90))
        if index % 9 == 4:
            name, data = f"VID_{index:04d}.mp4", movie
        elif index % 9 == 5:
            name, data = f"IMG_{index:04d}.HEIC", heic
        elif index % 9 == 6:
            name, data = f"Screenshot café {index}.png", png
        if index % 15 == 7:
            tree.media(f"{folder}/{name}", data, None)  # no sidecar: copied with its own time
            continue
        meta = sidecar(name, 1_450_000_000 + index * 86_400, geo=(41.9, 12.5 + index / 1e3, 20.0))
        tree.media(f"{folder}/{name}", data, f"{name}.supplemental-metadata.json", meta)
    tree.media("Holiday/IMG_0001.jpg", jpeg_bytes(color=(1, 40, 90)), "IMG_0001.jpg.json", sidecar("IMG_0001.jpg", 7))
    (tree.photos / "Holiday" / "metadata.json").write_text(json.dumps({"title": "Holiday"}))
    even_times(tree.root)
    return tree


@pytest.fixture(scope="module")
def reference(takeout: TakeoutTree) -> Path:
    output = takeout.root.parent.parent / "reference"
    run_pef("--path", takeout.root, "--output", output, *ZONE, "--quiet")
    return output


def same_output(output: Path, reference: Path) -> None:
    assert fingerprint(output) == fingerprint(reference)
    assert [row for row in report_rows(output) if row["kind"] == "media"] == [
        row for row in report_rows(reference) if row["kind"] == "media"
    ]
    assert json.loads((output / "processing_state.json").read_text())["status"] == "completed"


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def test_zip_parts_tgz_parts_and_extracted_folders_give_the_reference(takeout: TakeoutTree, reference: Path) -> None:
    base = takeout.root.parent.parent
    zips = zip_parts(takeout.root, fresh(base / "zips"), count=3)
    tgzs = tgz_parts(takeout.root, fresh(base / "tgzs"), count=2)
    unpacked = unpack_parts(zips, fresh(base / "unpacked"))
    split = run_pef("--path", unpacked[0], *ZONE, "--output", base / "first-only", check_code=None)
    assert "no_sidecar" in (base / "first-only" / "pef-report.csv").read_text(), split.stderr  # why parts matter
    runs = {
        "a folder of zip parts": ([base / "zips"], base / "zips" / f"{EXPORT}_pefProcessed"),
        "tgz parts one by one": (tgzs, base / "tgzs" / f"{EXPORT}_pefProcessed"),
        "Takeout, Takeout 2, Takeout 3": ([base / "unpacked"], base / "unpacked" / "Takeout_pefProcessed"),
        "a mix": ([zips[0], unpacked[1], zips[2]], base / "mix"),
    }
    for what, (paths, output) in runs.items():
        flags = ["--output", str(output)] if what == "a mix" else []
        result = run_pef("--path", *paths, *flags, *ZONE)
        assert "Read from" in result.stderr, what
        same_output(output, reference)
        state = json.loads((output / "processing_state.json").read_text())
        assert len(state["parts"]) == 3 if what != "tgz parts one by one" else 2, what
    assert "takeout-20251103T101010Z-002.zip (zip): " in run_pef("--path", base / "zips", "--dry-run").stderr


def test_a_damaged_part_is_named_and_the_rest_is_done_then_resumed(takeout: TakeoutTree, reference: Path) -> None:
    base = takeout.root.parent.parent
    zips = zip_parts(takeout.root, fresh(base / "damaged"), count=3)
    whole = zips[1].read_bytes()
    zips[1].write_bytes(whole[: len(whole) // 2])  # the download of part 2 was cut
    output = base / "damaged-out"
    result = run_pef("--path", base / "damaged", "--output", output, *ZONE, check_code=3)
    assert f"{zips[1].name} is damaged" in result.stderr and "Resume with: pef --path" in result.stderr
    rows = {row["source"]: row for row in report_rows(output)}
    assert rows[zips[1].name]["reason"] == "damaged_part" and "cut short" in rows[zips[1].name]["error"]
    done = [row for row in rows.values() if row["kind"] == "media" and row["status"] == "done"]
    assert 0 < len(done) < PHOTOS
    zips[1].write_bytes(whole)  # downloaded again
    run_pef("--path", base / "damaged", "--output", output, *ZONE)
    same_output(output, reference)


def test_a_part_downloaded_later_is_picked_up_by_resume(takeout: TakeoutTree, reference: Path) -> None:
    base = takeout.root.parent.parent
    tgzs = tgz_parts(takeout.root, fresh(base / "later"), count=3)
    held_back = tgzs[1].rename(base / tgzs[1].name)
    result = run_pef("--path", base / "later", *ZONE, check_code=3)
    assert f"{held_back.name} is missing" in result.stderr
    output = base / "later" / f"{EXPORT}_pefProcessed"
    rows = {row["source"]: row for row in report_rows(output)}
    assert rows[held_back.name]["reason"] == "missing_part"
    held_back.rename(tgzs[1])
    shown = run_pef("progress", output).stdout
    assert f"Source:       {base / 'later'}" in shown and f"  part        {tgzs[2]}" in shown
    assert str(tgzs[1]) not in shown
    result = run_pef("--path", base / "later", "--resume", *ZONE)
    assert f"Resuming in {output}" in result.stderr
    same_output(output, reference)
    assert len(json.loads((output / "processing_state.json").read_text())["parts"]) == 3


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    """Enough files that a kill lands while they are being written."""
    tree = TakeoutTree(tmp_path_factory.mktemp("many") / "Takeout")
    variants = [jpeg_bytes(color=(c, 90, 40)) for c in range(0, 250, 25)]
    for index in range(KILL_FILES):
        name = f"IMG_{index:05d}.jpg"
        meta = sidecar(name, 1_400_000_000 + index * 3_600) if index % 11 else None
        tree.media(f"Photos from {2010 + index % 9}/{name}", variants[index % 10], meta and f"{name}.json", meta)
    even_times(tree.root)
    return tree


def _start(paths: list[Path], output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "pef", "--path", *map(str, paths), "--output", str(output), *ZONE]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("kind", ["tgz", "zip"])
def test_kill_9_and_ctrl_c_at_random_moments_on_parts_then_resume(many: TakeoutTree, kind: str) -> None:
    base = many.root.parent
    reference = base / f"reference-{kind}"
    run_pef("--path", many.root, "--output", reference, *ZONE, "--quiet")
    parts = (tgz_parts if kind == "tgz" else zip_parts)(many.root, fresh(base / f"parts-{kind}"), count=3)
    timing = _start(parts, base / f"timing-{kind}")
    wait_for_start(timing)
    began = time.monotonic()
    timing.communicate()
    window = time.monotonic() - began
    output, rng, codes, progress = base / f"killed-{kind}", random.Random(14), [], []
    for attempt in range(KILLS):
        process = _start(parts, output)
        wait_for_start(process)
        time.sleep(rng.uniform(0.0, window / 6))
        process.send_signal(signal.SIGINT if attempt % 3 == 2 else signal.SIGKILL)
        process.communicate()
        codes.append(process.returncode)
        progress.append(finished_count(output))
    print(f"\n{kind} parts, writing takes {window:.2f} s: exit codes {codes}; files finished after each: {progress}")
    assert sum(code in (-signal.SIGKILL, 130) for code in codes) >= KILLS // 2
    run_pef("--path", *parts, "--output", output, *ZONE)
    same_output(output, reference)
    leftovers = [path.name for path in output.iterdir() if path.name in (".pef-work", "processing_state.journal")]
    assert leftovers == []


def test_a_full_output_drive_while_unpacking_pauses_and_resumes(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; this test runs in CI, which is root")
    drive = tmp_path / "drive"
    drive.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(drive)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        tree = TakeoutTree(tmp_path / "given" / "Takeout")
        clips = {f"clip_{n}.avi": random.Random(n).randbytes(9_000_000) for n in range(6)}  # unpacked on the drive
        for name, data in clips.items():
            tree.media(f"Photos from 2020/{name}", data, f"{name}.json", sidecar(name, 1_600_000_000))
        parts = zip_parts(tree.root, tmp_path / "downloads", count=2, method=zipfile.ZIP_STORED)
        output = drive / "out"
        result = run_pef("--path", *parts, "--output", output, "--yes", *ZONE, check_code=3)
        assert "output disk is full" in result.stderr
        subprocess.run(["mount", "-o", "remount,size=80m", str(drive)], check=True)
        run_pef("--path", *parts, "--output", output, *ZONE)
        for name, data in clips.items():
            assert (output / "Google Photos" / "Photos from 2020" / name).read_bytes() == data
        assert not (output / ".pef-work").exists()
    finally:
        subprocess.run(["umount", str(drive)], check=True)


def test_a_hostile_zip_writes_nothing_outside_its_output(tmp_path: Path) -> None:
    part = tmp_path / "downloads" / f"{EXPORT}-001.zip"
    part.parent.mkdir()
    photo = jpeg_bytes(color=(3, 3, 3))
    with zipfile.ZipFile(part, "w") as archive:
        for name in (
            "../../evil.jpg",
            "/tmp/evil-absolute.jpg",
            "Takeout/../../evil2.jpg",
            "Takeout/Google Photos/ok.jpg",
        ):
            archive.writestr(name, photo)
        link = zipfile.ZipInfo("Takeout/Google Photos/link.jpg")
        link.create_system, link.external_attr = 3, (0o120777 << 16)
        archive.writestr(link, "../../../../etc/passwd")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    output = tmp_path / "downloads" / "out"
    run_pef("--path", part, "--output", output, *ZONE)
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file() and output not in path.parents}
    assert after == before and not Path("/tmp/evil-absolute.jpg").exists()
    rows = {row["source"]: row["reason"] for row in report_rows(output)}
    assert rows[f"{part.name}: ../../evil.jpg"] == rows[f"{part.name}: /tmp/evil-absolute.jpg"] == "unsafe_path"
    assert rows[f"{part.name}: Takeout/../../evil2.jpg"] == "unsafe_path"
    assert rows["Google Photos/link.jpg"] == "symlink" and rows["Google Photos/ok.jpg"] == "no_sidecar"
    assert (output / "Google Photos" / "ok.jpg").read_bytes() == photo
