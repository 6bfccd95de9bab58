"""The library modes, end to end: album copies, album-only photos, special folders in two languages,
identical duplicates, for every album mode and two layouts; read back by inode counts and exiftool.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pef.model.events import RunFinished
from pef.model.library import AlbumMode, Layout
from pef.model.outcomes import DecisionKind
from pef.model.records import Decision
from pef.present.words import summary_lines
from pef.run.engine import Engine
from pef.run.output_files import OutputFiles
from pef.run.request import RunRequest, resolve_run
from tests.builders import TakeoutTree, sidecar
from tests.conftest import REPO, run_pef
from tests.e2e.test_fault_injection import a_moment, finished_count, report_rows, wait_for_start
from tests.promises import identity, unique_jpeg

ZONE = ("--timezone", "UTC")
OWN = {"processing_state.json", "pef-report.csv", "pef.log", "albums.csv", ".pef.lock", ".pef-reserve"}
JULY_2019, MARCH_2020 = 1_561_975_200, 1_583_400_000  # 2019-07-01 10:00 UTC, 2020-03-05 09:20 UTC
PHOTO_A, PHOTO_B, SHARED, C_YEAR, C_ALBUM, D = (unique_jpeg(seed) for seed in range(501, 507))


def _album(tree: TakeoutTree, folder: str, title: str) -> None:
    tree.write_json(f"{folder}/metadata.json", {"title": title, "description": "", "access": "protected"})


def _photo(tree: TakeoutTree, relative: str, data: bytes, taken: int | None, **extra: object) -> None:
    name = relative.rsplit("/", 1)[-1]
    meta = {**sidecar(name, taken), **extra} if taken is not None else None
    tree.media(relative, data, f"{name}.supplemental-metadata.json" if meta else None, meta)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    """A photo in its year folder and two albums; album-only; a look-alike; twins; special folders."""
    tree = TakeoutTree(tmp_path_factory.mktemp("library") / "Takeout")
    _photo(tree, "Photos from 2019/IMG_A.jpg", PHOTO_A, JULY_2019)
    _photo(tree, "Holiday/IMG_A.jpg", PHOTO_A, JULY_2019)
    _photo(tree, "Best of/IMG_A.jpg", PHOTO_A, JULY_2019)
    _photo(tree, "Photos from 2020/IMG_B.jpg", PHOTO_B, MARCH_2020)
    _photo(tree, "Holiday/IMG_B.jpg", PHOTO_B, MARCH_2020)
    _photo(tree, "Holiday/IMG_SHARED.jpg", SHARED, JULY_2019 + 3_600)  # in no year folder
    _photo(tree, "Photos from 2019/IMG_C.jpg", C_YEAR, JULY_2019 + 60)
    _photo(tree, "Best of/IMG_C.jpg", C_ALBUM, JULY_2019 + 60)  # the same name, other bytes: a photo of its own
    _photo(tree, "Photos from 2019/IMG_D.jpg", D, JULY_2019 + 120)
    _photo(tree, "Photos from 2020/IMG_D_again.jpg", D, JULY_2019 + 120)  # uploaded twice
    _photo(tree, "Photos from 2019/IMG_P.jpg", unique_jpeg(507), JULY_2019 + 180,
           googlePhotosOrigin={"fromPartnerSharing": {}})  # fmt: skip
    _photo(tree, "Trash/IMG_T.jpg", unique_jpeg(508), JULY_2019)
    _photo(tree, "Papierkorb/IMG_T2.jpg", unique_jpeg(509), JULY_2019)
    _photo(tree, "Archive/IMG_R.jpg", unique_jpeg(510), MARCH_2020)
    _photo(tree, "Archiv/IMG_R2.jpg", unique_jpeg(511), MARCH_2020)
    _photo(tree, "Locked Folder/IMG_L.jpg", unique_jpeg(512), MARCH_2020)
    _photo(tree, "Photos from 2019/IMG_0001.jpg", unique_jpeg(513), JULY_2019 + 240)
    _photo(tree, "Photos from 2020/IMG_0001.jpg", unique_jpeg(514), JULY_2019 + 300)  # same name, same month
    _photo(tree, "Photos from 2019/no date.jpg", unique_jpeg(515), None)
    _album(tree, "Holiday", "Holiday")
    _album(tree, "Best of", "Best of")
    return tree


def files_of(output: Path) -> dict[str, os.stat_result]:
    """Every media output (links included), by its path in the output folder."""
    found = {}
    for directory, folders, names in os.walk(output):
        folders[:] = [name for name in folders if name != ".pef-work"]
        for name in names:
            relative = os.path.relpath(os.path.join(directory, name), output)
            if relative not in OWN:
                found[relative] = os.lstat(os.path.join(directory, name))
    return found


def album_rows(output: Path) -> list[dict]:
    with open(output / "albums.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def exif_of(output: Path) -> dict[str, dict]:
    result = subprocess.run(
        ["exiftool", "-j", "-r", "-HierarchicalSubject", "-DateTimeOriginal", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    return {os.path.relpath(item["SourceFile"], output): item for item in json.loads(result.stdout or "[]")}


def albums_in(item: dict) -> set[str]:
    subjects = item.get("HierarchicalSubject", [])
    subjects = [subjects] if isinstance(subjects, str) else subjects
    return {subject.split("|", 1)[1] for subject in subjects if subject.startswith("Albums|")}


def run_modes(library: TakeoutTree, output: Path, *modes: str) -> Path:
    shutil.rmtree(output, ignore_errors=True)
    run_pef("--path", library.root, "--output", output, *ZONE, *modes, "--quiet")
    return output


@pytest.mark.parametrize("layout", ["takeout", "year/month"])
@pytest.mark.parametrize("albums", ["copy", "link", "keywords"])
def test_every_album_entry_opens_its_photo_and_the_bytes_on_disk_match_the_mode(
    library: TakeoutTree, tmp_path: Path, albums: str, layout: str
) -> None:
    output = run_modes(library, tmp_path / "out", "--albums", albums, "--layout", layout)
    files, exif = files_of(output), exif_of(output)
    rows = {row["source"]: row for row in report_rows(output) if row["kind"] == "media"}
    assert all(row["status"] == "done" or row["source"].endswith("no date.jpg") for row in rows.values()), rows

    # every album entry opens the right photo, which carries every album it is in
    entries = album_rows(output)
    assert sorted((row["album"], row["source"].rsplit("/", 1)[1]) for row in entries) == [
        ("Best of", "IMG_A.jpg"), ("Best of", "IMG_C.jpg"),
        ("Holiday", "IMG_A.jpg"), ("Holiday", "IMG_B.jpg"), ("Holiday", "IMG_SHARED.jpg"),
    ]  # fmt: skip
    for row in entries:
        source = (library.root / row["source"]).read_bytes()
        opened = (output / row["output"]).read_bytes()
        assert identity(opened) == identity(source), row
        assert row["album"] in albums_in(exif[os.path.relpath(os.path.realpath(output / row["output"]), output)])
    photo_a = rows["Google Photos/Photos from 2019/IMG_A.jpg"]["output"]
    assert albums_in(exif[photo_a]) == {"Holiday", "Best of"}
    assert exif[photo_a]["DateTimeOriginal"] == "2019:07:01 10:00:00"

    # bytes on disk: unique inodes of regular files
    regular = {path: st for path, st in files.items() if not os.path.islink(output / path)}
    inodes = {(st.st_dev, st.st_ino) for st in regular.values()}
    media = len(rows)  # 19 media files in the Takeout
    expected = {"copy": media, "link": media - 3, "keywords": media - 3}[albums]  # 3 album copies of A and B
    assert len(inodes) == expected, sorted(files)
    names = {"copy": 0, "link": 3, "keywords": 0}[albums]  # album entries that are a second name of a photo
    assert len(regular) - len(inodes) == names
    link_rows = [row for row in rows.values() if row["link"]]
    assert {row["link"] for row in link_rows} == (
        {"hard"} if albums == "link" else {"none"} if albums == "keywords" else set()
    )
    assert all(row["copy_of"] == "Google Photos/Photos from 2019/IMG_A.jpg" or "IMG_B" in row["copy_of"]
               for row in link_rows)  # fmt: skip

    # special folders in two languages, each in its own top-level folder; a partner's photos apart
    top = {path.split("/", 1)[0] for path in files}
    assert {"Trash", "Archive", "Locked Folder", "Partner shared"} <= top
    assert sorted(p.rsplit("/", 1)[1] for p in files if p.startswith("Trash/")) == ["IMG_T.jpg", "IMG_T2.jpg"]
    assert sorted(p.rsplit("/", 1)[1] for p in files if p.startswith("Archive/")) == ["IMG_R.jpg", "IMG_R2.jpg"]
    assert [p.rsplit("/", 1)[1] for p in files if p.startswith("Partner shared/")] == ["IMG_P.jpg"]

    # the duplicate is kept (the default) and named in the report
    duplicate = rows["Google Photos/Photos from 2020/IMG_D_again.jpg"]
    assert duplicate["copy_of"] == "Google Photos/Photos from 2019/IMG_D.jpg" and not duplicate["link"]
    assert rows["Google Photos/Best of/IMG_C.jpg"]["copy_of"] == ""  # other bytes: a photo of its own

    if layout == "year/month":
        assert photo_a == "2019/07/IMG_A.jpg"
        assert rows["Google Photos/Photos from 2020/IMG_B.jpg"]["output"] == "2020/03/IMG_B.jpg"
        assert rows["Google Photos/Photos from 2019/no date.jpg"]["output"] == "Undated/no date.jpg"
        assert rows["Google Photos/Trash/IMG_T.jpg"]["output"] == "Trash/2019/07/IMG_T.jpg"
        twins = {rows[f"Google Photos/Photos from {year}/IMG_0001.jpg"]["output"] for year in (2019, 2020)}
        assert twins == {"2019/07/IMG_0001.jpg", "2019/07/IMG_0001 (pef-2).jpg"}  # never one over the other
        shared = rows["Google Photos/Holiday/IMG_SHARED.jpg"]["output"]
        assert shared == ("2019/07/IMG_SHARED.jpg" if albums == "keywords" else "Albums/Holiday/IMG_SHARED.jpg")
    else:
        assert photo_a == "Google Photos/Photos from 2019/IMG_A.jpg"
        assert rows["Google Photos/Papierkorb/IMG_T2.jpg"]["output"] == "Trash/IMG_T2.jpg"
        assert rows["Google Photos/Photos from 2019/IMG_P.jpg"]["output"] == (
            "Partner shared/Google Photos/Photos from 2019/IMG_P.jpg"
        )


def test_trash_skipped_and_duplicates_linked_are_reported(library: TakeoutTree, tmp_path: Path) -> None:
    output = run_modes(library, tmp_path / "out", "--trash", "skip", "--duplicates", "link")
    rows = {row["source"]: row for row in report_rows(output)}
    for key in ("Google Photos/Trash/IMG_T.jpg", "Google Photos/Papierkorb/IMG_T2.jpg"):
        assert rows[key]["status"] == "skipped" and rows[key]["reason"] == "trashed" and "Trash" in rows[key]["why"]
    assert not (output / "Trash").exists()
    duplicate = output / rows["Google Photos/Photos from 2020/IMG_D_again.jpg"]["output"]
    original = output / rows["Google Photos/Photos from 2019/IMG_D.jpg"]["output"]
    assert os.path.samefile(duplicate, original) and rows["Google Photos/Photos from 2020/IMG_D_again.jpg"]["link"]
    # each sidecar a photo uses is said once (a photo and its album copies share one), a trashed photo's is skipped
    used = [row["source"] for row in report_rows(output) if row["status"] == "used"]
    media_sidecars = {row["sidecar"] for row in rows.values() if row["kind"] == "media" and row["sidecar"]}
    assert used == sorted(media_sidecars) and "Google Photos/Holiday/IMG_A.jpg.supplemental-metadata.json" in used
    assert rows["Google Photos/Trash/IMG_T.jpg.supplemental-metadata.json"]["status"] == "skipped"


def test_a_drive_without_hard_links_gets_symbolic_links_and_the_summary_says_so(
    library: TakeoutTree, tmp_path: Path
) -> None:
    class NoHardLinks(OutputFiles):
        def hard_link(self, target: Path, path: Path) -> None:
            raise OSError(1, "Operation not permitted")  # as exFAT says

    job = resolve_run(RunRequest(library.root, tmp_path / "out", timezone="UTC", albums=AlbumMode.LINK)).job
    events: list = []
    Engine(job, events.append, files=NoHardLinks()).run()
    summary = next(event.summary for event in events if isinstance(event, RunFinished))
    assert summary.links == {"symbolic": 3}
    links = [path for path, st in files_of(job.output).items() if os.path.islink(job.output / path)]
    assert len(links) == 3 and all(not os.readlink(job.output / path).startswith("/") for path in links)
    for path in links:
        assert identity((job.output / path).read_bytes()) in {identity(PHOTO_A), identity(PHOTO_B)}
    assert any("symbolic links" in line for line in summary_lines(summary))


def test_a_continued_run_keeps_its_modes_and_refuses_others_without_force(library: TakeoutTree, tmp_path: Path) -> None:
    output = run_modes(library, tmp_path / "out", "--albums", "link", "--layout", "year")
    result = run_pef("--path", library.root, "--output", output, *ZONE)  # no modes given: its own, not the defaults
    assert "Nothing to do: every file of this run is already finished." in result.stderr
    progress = run_pef("progress", output).stdout
    assert "albums link, folders year, Trash kept, duplicates keep" in progress
    assert "Album copies and duplicates: 3 hard links" in progress
    refused = run_pef("--path", library.root, "--output", output, *ZONE, "--layout", "takeout", check_code=2)
    assert "layout: saved 'year', now 'takeout'" in refused.stderr and "--force" in refused.stderr
    run_pef("--path", library.root, "--output", output, *ZONE, "--layout", "takeout", "--force", "--quiet")
    files = files_of(output)
    assert not any(path.startswith(("2019/", "2020/")) for path in files), sorted(files)  # the old layout let go of
    assert not (output / "2019").exists() and not (output / "Undated").exists()
    assert "Google Photos/Photos from 2019/IMG_A.jpg" in files


def test_a_date_given_in_review_moves_the_file_out_of_undated(library: TakeoutTree, tmp_path: Path) -> None:
    output = run_modes(library, tmp_path / "out", "--layout", "year/month")
    key = "Google Photos/Photos from 2019/no date.jpg"
    assert (output / "Undated/no date.jpg").is_file()
    decision = Decision(DecisionKind.MANUAL, taken=MARCH_2020)
    job = resolve_run(RunRequest(library.root, output, decisions={key: decision})).job
    assert job.settings.layout is Layout.MONTH  # a continued run keeps its own modes
    Engine(job, lambda _event: None).run()
    rows = {row["source"]: row for row in report_rows(output)}
    assert rows[key]["output"] == "2020/03/no date.jpg" and rows[key]["date_source"] == "manual"
    assert not (output / "Undated").exists()  # let go of, and the folder it left empty
    assert identity((output / "2020/03/no date.jpg").read_bytes()) == identity(
        (library.photos / "Photos from 2019/no date.jpg").read_bytes()
    )


# ---- kill -9 at random moments, then resume: the same output as a clean run ----

KILL_PHOTOS, KILLS = 500, 10


@pytest.fixture(scope="module")
def albums_many(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    tree = TakeoutTree(tmp_path_factory.mktemp("albums-many") / "Takeout")
    rng = random.Random(15)
    for index in range(KILL_PHOTOS):
        name, data, taken = f"IMG_{index:04d}.jpg", unique_jpeg(2_000 + index), 1_400_000_000 + index * 86_400
        _photo(tree, f"Photos from {2014 + index * 5 // KILL_PHOTOS}/{name}", data, taken)
        for album in ("Trip", "Family", "Best"):
            if rng.random() < 0.3:
                _photo(tree, f"{album}/{name}", data, taken)
    for album in ("Trip", "Family", "Best"):
        _album(tree, album, album)
    return tree


def structure(output: Path) -> dict[str, tuple]:
    """Each output: its content and time, and which other output it is (a hard link) or points to."""
    files = files_of(output)
    first: dict[tuple[int, int], str] = {}
    for path in sorted(files):
        st = files[path]
        if not os.path.islink(output / path):
            first.setdefault((st.st_dev, st.st_ino), path)
    shape = {}
    for path in sorted(files):
        full = output / path
        same = os.readlink(full) if os.path.islink(full) else first[(files[path].st_dev, files[path].st_ino)]
        shape[path] = (hashlib.sha256(full.read_bytes()).hexdigest(), full.stat().st_mtime_ns, same)
    return shape


def album_entries(output: Path) -> int:
    """The album entries on the disk (links to the photos), counted as the run makes them."""
    try:
        return sum(len(os.listdir(album)) for album in (output / "Albums").iterdir())
    except OSError:  # not there yet, or an album folder made or let go of while counted
        return 0


def _start(source: Path, output: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "pef", "--path", str(source), "--output", str(output), *ZONE,
               "--albums", "link", "--layout", "year/month", "--duplicates", "link"]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_kill_9_at_random_moments_then_resume_gives_the_clean_run(albums_many: TakeoutTree, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    timing = _start(albums_many.root, clean)
    wait_for_start(timing)
    started = time.monotonic()
    timing.communicate()
    window = time.monotonic() - started  # how long this machine takes to process them: a kill's moment scales with it
    output, rng, progress = tmp_path / "killed", random.Random(16), []
    total, links, linked = finished_count(clean), album_entries(clean), []
    for attempt in range(KILLS):
        process = _start(albums_many.root, output)
        wait_for_start(process)
        # a random moment, told by what the run has done, not by the clock: a loaded machine's first saves
        # may come later than any time chosen for it, and a quick one makes all its links between two looks
        if attempt < KILLS // 2:  # told by the files saved as finished, then anywhere in what comes next
            at_least = (progress[-1] if progress else 0) + rng.randint(1, KILL_PHOTOS // KILLS)
            while process.poll() is None and finished_count(output) < at_least:
                time.sleep(0.002)
            time.sleep(a_moment(rng, window))  # up to a twentieth of the run: 50 ms let a fast machine finish it
        else:  # told by the album links on the disk: one made, the next not yet
            at_least = album_entries(output) + rng.randint(1, 40)
            while process.poll() is None and album_entries(output) < at_least:
                pass
        process.send_signal(signal.SIGKILL)
        process.communicate()
        progress.append(finished_count(output))
        linked += [album_entries(output)] if attempt >= KILLS // 2 else []
    print(f"\nfiles finished after each kill: {progress}; album links on the disk after the last kills: {linked}")
    assert sum(0 < count < total for count in progress) >= KILLS // 2  # most kills landed mid-run
    assert any(0 < count < links for count in linked)  # some while the links were made
    _start(albums_many.root, output).communicate()
    assert structure(output) == structure(clean)
    assert album_rows(output) == album_rows(clean)
    inodes = {(st.st_dev, st.st_ino) for path, st in files_of(output).items()}
    assert len(inodes) == KILL_PHOTOS  # one file per photo, every album entry a link to it
