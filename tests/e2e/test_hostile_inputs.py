"""Odd names, values, files and folders: each ends in a clear outcome, and no photo is lost or overwritten.

Every test checks the same promises (tests/promises.py): the source and everything outside the
output folder unchanged, every source media file in the output exactly once (found by content),
a report row with a reason for each, no traceback on the terminal, and the exit code.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest

from tests.builders import movie_nested_deep, mp4_bytes, png_bytes, sidecar
from tests.conftest import REPO, run_pef
from tests.promises import Promises, files_of, report, unique_jpeg, write_file

INSTANT = 1_561_975_200
NFD_CAFE = unicodedata.normalize("NFD", "Café")


def sidecar_bytes(title: str, **values) -> bytes:
    return json.dumps(sidecar(title, **values), ensure_ascii=False).encode()


def takeout(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "Takeout"
    source.mkdir()
    return source, tmp_path / "out"


def add(promises: Promises, relative: bytes, data: bytes, sidecar_name: bytes | None = None, meta: bytes = b"") -> None:
    write_file(promises.source, relative, data)
    promises.media[relative] = data
    if sidecar_name is not None:
        folder = relative.rpartition(b"/")[0]
        write_file(promises.source, (folder + b"/" if folder else b"") + sidecar_name, meta)


def test_decomposed_names_every_combination(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    nfc, nfd = "Café".encode(), NFD_CAFE.encode()
    files = {
        b"P/" + nfd + b".jpg": b"P/" + nfd + b".jpg.json",  # NFD photo, NFD sidecar
        b"P/" + nfc + b" 2.jpg": b"P/" + nfd + b" 2.jpg.json",  # NFC photo, NFD sidecar
        b"P/" + nfd + b" 3.jpg": b"P/" + nfc + b" 3.jpg.json",  # NFD photo, NFC sidecar
        nfd + b"/a.jpg": nfd + b"/a.jpg.json",  # inside an NFD album folder
    }
    layout = {**files, b"Side/" + nfc + b".jpg": None, b"Side/" + nfd + b".jpg": None}  # both forms side by side
    promises = Promises(tmp_path, source, output)
    for index, (media, sidecar_path) in enumerate(layout.items()):
        promises.media[media] = unique_jpeg(index)
        write_file(source, media, promises.media[media])
        if sidecar_path is not None:
            title = unicodedata.normalize("NFC", media.decode().rsplit("/", 1)[1])
            write_file(source, sidecar_path, sidecar_bytes(title, taken=INSTANT + index))
    promises.seal()
    result = run_pef("--path", source, "--output", output, "--timezone", "UTC", check_code=None)
    rows = promises.check(result, 0)
    done = sorted(unicodedata.normalize("NFC", row["source"]) for row in rows if row["status"] == "done")
    assert done == sorted(["Café/a.jpg", "P/Café.jpg", "P/Café 2.jpg", "P/Café 3.jpg"])
    side = sorted(row["output"] for row in rows if row["source"].startswith("Side/"))
    assert side == ["Side/Café (pef-2).jpg", "Side/Café.jpg"], "two files, two outputs, both NFC"


def test_output_folder_with_the_users_own_files_is_refused(tmp_path: Path) -> None:
    source, _ = takeout(tmp_path)
    write_file(source, b"IMG_1234.jpg", unique_jpeg(1))
    library = tmp_path / "My Pictures"
    library.mkdir()
    for name in ("IMG_1234.jpg", "pef-report.csv", "pef.log"):
        (library / name).write_bytes(b"the user's own " + name.encode())
    before = files_of(tmp_path)
    result = run_pef("--path", source, "--output", library, check_code=2)
    assert "already holds files that pef did not write" in result.stderr
    assert files_of(tmp_path) == before, "nothing anywhere was written"
    assert sorted(p.name for p in library.iterdir()) == ["IMG_1234.jpg", "pef-report.csv", "pef.log"]
    assert (library / "IMG_1234.jpg").read_bytes() == b"the user's own IMG_1234.jpg"
    empty = tmp_path / "empty"
    empty.mkdir()
    run_pef("--path", source, "--output", empty)  # an empty folder is fine
    assert (empty / "IMG_1234.jpg").exists()


@pytest.mark.parametrize(
    "value",
    ["--5", "1²", "٣٤٥", "99999999999", "-62135596800", "253402300000", "1" * 5000, "\ud800"],
    ids=[
        "double-minus",
        "superscript",
        "arabic-digits",
        "year-5138",
        "year-0",
        "year-9999+",
        "5000-digits",
        "surrogate",
    ],
)
def test_odd_sidecar_values_cost_no_photo_and_no_run(tmp_path: Path, value: str) -> None:
    source, output = takeout(tmp_path)
    promises = Promises(tmp_path, source, output)
    odd = {"photoTakenTime": {"timestamp": value}}
    add(promises, b"a.jpg", unique_jpeg(1), b"a.jpg.json", json.dumps({**sidecar("a.jpg"), **odd}).encode())
    add(promises, b"b.jpg", unique_jpeg(2), b"b.jpg.json", json.dumps(sidecar("b.jpg", description=value)).encode())
    add(promises, b"c.jpg", unique_jpeg(3), b"c.jpg.json", json.dumps(sidecar("c.jpg", people=(value,))).encode())
    write_file(source, b"orphan.jpg.json", json.dumps({**sidecar("orphan.jpg"), **odd}).encode())
    write_file(source, b"Album/metadata.json", json.dumps({"title": value, "date": {"timestamp": value}}).encode())
    add(promises, b"Album/d.jpg", unique_jpeg(4), b"d.jpg.json", json.dumps(sidecar("d.jpg")).encode())
    promises.seal()
    result = run_pef("--path", source, "--output", output, check_code=None)
    rows = {row["source"]: row for row in promises.check(result, 0)}
    assert rows["a.jpg"]["status"] in ("done", "unmatched")
    if rows["a.jpg"]["status"] == "unmatched":
        assert rows["a.jpg"]["reason"] == "bad_sidecar" and "timestamp" in rows["a.jpg"]["error"]
    assert {rows[k]["status"] for k in ("b.jpg", "c.jpg", "Album/d.jpg")} == {"done"}
    orphan = next(row for row in report(output) if row["source"] == "orphan.jpg.json")
    assert orphan["status"] == "orphan" and orphan["reason"] in ("bad_sidecar", "no_media")


def test_odd_media_is_copied_unchanged_with_a_reason(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    promises = Promises(tmp_path, source, output)
    jpeg = unique_jpeg(7)
    short_exif = jpeg[:2] + b"\xff\xe1\x00\x0aExif\x00\x00II" + jpeg[2:]  # an EXIF block of 2 bytes
    png = png_bytes()
    short_png = png[:33] + _png_chunk(b"eXIf", b"II*\x00") + png[33:]  # 4 bytes: no room for an IFD pointer
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b"<a>" * 3000 + b"</a>" * 3000 + b"</x:xmpmeta>"
    other = unique_jpeg(8)
    deep_xmp = other[:2] + b"\xff\xe1" + (len(xmp) + 31).to_bytes(2, "big") + b"http://ns.adobe.com/xap/1.0/\x00"
    deep_xmp += xmp + other[2:]
    for index, (name, data) in enumerate(
        [
            ("short-exif.jpg", short_exif),
            ("short-exif.png", short_png),
            ("deep.mp4", movie_nested_deep(mp4_bytes())),
            ("deep-xmp.jpg", deep_xmp),
        ]
    ):
        add(promises, name.encode(), data, f"{name}.json".encode(), sidecar_bytes(name, taken=INSTANT + index))
    promises.seal()
    result = run_pef("--path", source, "--output", output, check_code=None)
    rows = {row["source"]: row for row in promises.check(result, result.returncode)}
    assert result.returncode in (0, 1)
    for name, row in rows.items():
        assert row["reason"] != "internal_error", (name, row)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def test_names_that_clash_with_pefs_own_files_and_each_other(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    promises = Promises(tmp_path, source, output)
    names = [
        b".pef.lock",
        b".pef-reserve",
        b"processing_state.journal",
        b"processing_state.json/IMG_1.jpg",
        b"pef-report.csv/IMG_2.jpg",
        b".pef-work/IMG_3.jpg",
        b"X.HEIC",
        b"X.HEIC.xmp",
        b"a:b?.jpg",
        b"CON.jpg",
        b"Case.JPG",
        b"case.jpg",
        b".IMG_4.jpg.pef-partial",
    ]
    for index, name in enumerate(names):
        add(promises, name, unique_jpeg(100 + index))
    promises.seal()
    result = run_pef("--path", source, "--output", output, check_code=None)
    rows = promises.check(result, 0)
    outputs = [row["output"] for row in rows]
    assert len({name.casefold() for name in outputs}) == len(outputs), outputs
    assert not {".pef.lock", ".pef-reserve", "processing_state.journal", "X.HEIC.xmp"} & set(outputs)
    json.loads((output / "processing_state.json").read_text())  # still pef's own state file
    renamed = [row for row in rows if row["output"] != row["source"]]
    assert renamed and all("another name" in row["note"] for row in renamed)
    rerun = run_pef("--path", source, "--output", output)
    assert "Nothing to do" in rerun.stderr


def test_long_names_deep_paths_and_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    promises = Promises(tmp_path, source, output)
    stem = "é" * 121  # 242 bytes
    long_names = [(stem + "ab.jpg").encode(), ("x" * 251 + ".jpg").encode(), ("y" * 243 + ".HEIC").encode()]
    for index, name in enumerate(long_names):
        meta = sidecar_bytes(name.decode()[:40], taken=INSTANT)
        add(promises, b"Long/" + name, unique_jpeg(200 + index), name[:46] + b".json", meta)
    deep = b"/".join([b"d" * 200] * 25)  # 5,000 bytes: past PATH_MAX
    add(promises, deep + b"/IMG_deep.jpg", unique_jpeg(210), b"IMG_deep.jpg.json", sidecar_bytes("IMG_deep.jpg"))
    add(promises, b"Bytes/caf\xe9.jpg", unique_jpeg(211))
    add(promises, b"Bytes/caf%E9.jpg", unique_jpeg(212))
    add(promises, b"Bytes/\xff\xfe.jpg", unique_jpeg(213), b"\xff\xfe.jpg.json", sidecar_bytes("x.jpg"))
    promises.seal()
    result = run_pef("--path", source, "--output", output, check_code=None)
    rows = {row["source"]: row for row in promises.check(result, 0)}
    assert rows[deep.decode() + "/IMG_deep.jpg"]["status"] == "done"
    assert {rows["Bytes/caf%E9.jpg"]["output"], rows["Bytes/caf%E9 (pef-2).jpg"]["output"]} == {
        "Bytes/caf%E9.jpg",
        "Bytes/caf%E9 (pef-2).jpg",
    }
    for row in rows.values():
        assert all(len(part.encode()) <= 251 for part in row["output"].split("/")), row["output"]
    assert "Nothing to do" in run_pef("--path", source, "--output", output).stderr


def test_fifos_devices_and_a_file_swapped_for_a_fifo_never_hang(tmp_path: Path) -> None:
    from pef.model.events import ScanFinished
    from pef.model.records import RunSettings
    from pef.run.engine import Engine
    from pef.run.job import Job
    from pef.takeout.parts import find_parts

    source, output = takeout(tmp_path)
    write_file(source, b"a.jpg", unique_jpeg(300))
    write_file(source, b"b.jpg", unique_jpeg(301))
    os.mkfifo(source / "pipe.jpg")

    def swap(event) -> None:
        if isinstance(event, ScanFinished):  # after the scan, before b.jpg is read
            (source / "b.jpg").unlink()
            os.mkfifo(source / "b.jpg")

    summary = Engine(Job(find_parts([source]), output, RunSettings(), workers=1), swap).run()
    rows = {row["source"]: row for row in report(output)}
    assert rows["pipe.jpg"]["reason"] == "special_file"
    assert rows["b.jpg"]["status"] == "failed" and rows["b.jpg"]["reason"] == "read_error"
    assert "no longer a regular file" in rows["b.jpg"]["error"]
    assert rows["a.jpg"]["status"] == "unmatched" and summary.status == "completed"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become another user")
def test_an_unreadable_folder_is_reported_and_the_rest_is_processed(tmp_path: Path) -> None:
    workspace = Path(os.environ.get("TMPDIR", "/tmp")) / f"pef-unreadable-{os.getpid()}"
    shutil.rmtree(workspace, ignore_errors=True)
    workspace.mkdir(mode=0o777)
    try:
        source = workspace / "Takeout"
        write_file(source, b"Fine/a.jpg", unique_jpeg(400))
        write_file(source, b"Locked/b.jpg", unique_jpeg(401))
        write_file(source, b"c.jpg", unique_jpeg(402))
        (source / "c.jpg").chmod(0o000)
        (source / "Locked").chmod(0o000)
        for folder in (source, source / "Fine"):
            folder.chmod(0o755)
        (source / "Fine" / "a.jpg").chmod(0o644)
        workspace.chmod(0o777)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "pef"]
        result = subprocess.run(
            [*command, "--path", str(source), "--output", str(workspace / "out")],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "HOME": str(workspace)},
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        rows = {row["source"]: row for row in report(workspace / "out")}
        assert rows["Fine/a.jpg"]["status"] == "unmatched"
        assert rows["Locked"]["reason"] == "read_error" and "Permission denied" in rows["Locked"]["error"]
        assert rows["c.jpg"]["status"] == "failed" and "permission denied" in rows["c.jpg"]["error"]
        state = json.loads((workspace / "out" / "processing_state.json").read_text())
        assert state["status"] == "completed", "one unreadable file does not pause the run"
        whole = subprocess.run(
            [*command, "--path", str(source / "Locked"), "--output", str(workspace / "out2")],
            capture_output=True,
            text=True,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
        )
        assert whole.returncode == 2 and "not allowed to read the folder" in whole.stderr
        assert not (workspace / "out2").exists()
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", str(workspace)], check=False)
        shutil.rmtree(workspace, ignore_errors=True)


def test_a_bug_in_pef_costs_no_photo_and_does_not_pause_the_run(tmp_path: Path, monkeypatch) -> None:
    from pef.metadata.registry import FormatHandler
    from pef.metadata.verify import check_image
    from pef.model.events import Message
    from pef.model.records import RunSettings
    from pef.run import copy_file
    from pef.run.engine import Engine
    from pef.run.job import Job
    from pef.takeout.parts import find_parts

    source, output = takeout(tmp_path)
    promises = Promises(tmp_path, source, output)
    for index in range(8):  # more than the auto-pause streak
        add(promises, f"IMG_{index}.jpg".encode(), unique_jpeg(500 + index), f"IMG_{index}.jpg.json".encode(),
            sidecar_bytes(f"IMG_{index}.jpg"))  # fmt: skip
    promises.seal()

    def write(*_args):
        raise KeyError("a bug in a writer")

    monkeypatch.setattr(copy_file, "handler_for", lambda _format: FormatHandler(write, check_image, True))
    heard: list = []
    summary = Engine(Job(find_parts([source]), output, RunSettings()), heard.append).run()
    assert summary.status == "completed" and summary.failed == {"internal_error": 8}
    for key, data in promises.media.items():
        assert (output / key.decode()).read_bytes() == data, "copied unchanged, byte for byte"
    messages = [event for event in heard if isinstance(event, Message)]
    assert all("\n" not in message.text for message in messages)
    assert "KeyError: 'a bug in a writer'" in (output / "pef.log").read_text()
    assert all(row["reason"] == "internal_error" for row in report(output) if row["kind"] == "media")


def test_resume_recognises_a_run_killed_before_its_first_save(tmp_path: Path) -> None:
    source, _ = takeout(tmp_path)
    write_file(source, b"a.jpg", unique_jpeg(600))
    killed = tmp_path / "Takeout_pefProcessed"
    killed.mkdir()
    (killed / ".pef.lock").write_text("12345")
    (killed / "pef.log").write_text("2026-11-23 10:00:00+0000 scan: 1 media files\n")
    result = run_pef("--path", source, "--resume")
    assert f"Resuming in {killed}" in result.stderr
    assert (killed / "a.jpg").exists() and not (tmp_path / "Takeout_pefProcessed(1)").exists()


def test_an_output_changed_since_it_was_finished_is_redone(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    write_file(source, b"a.jpg", unique_jpeg(700))
    write_file(source, b"a.jpg.json", sidecar_bytes("a.jpg", taken=INSTANT))
    run_pef("--path", source, "--output", output)
    written = (output / "a.jpg").read_bytes()
    (output / "a.jpg").write_bytes(os.urandom(len(written)))  # same size, garbage, a new time
    result = run_pef("--path", source, "--output", output)
    assert "Nothing to do" not in result.stderr
    assert (output / "a.jpg").read_bytes() == written


def test_the_terminal_shows_names_and_commands_safely(tmp_path: Path) -> None:
    workspace = tmp_path / "it's here"
    workspace.mkdir()
    source, _ = takeout(workspace)
    write_file(source, b"evil\x1b]0;pwned\x07\x1b[2J.jpg", unique_jpeg(800)[:40])  # fails: named in the summary
    write_file(source, b"evil\x1b]0;pwned\x07\x1b[2J.jpg.json", sidecar_bytes("evil.jpg"))
    process = subprocess.Popen(
        [sys.executable, "-m", "pef", "--path", str(source)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    out, err = process.communicate(timeout=120)
    assert b"\x1b" not in out + err, "an escape sequence from a name reached the terminal"
    assert b"\\x1b]0;pwned" in out + err
    interrupted = workspace / "Takeout_pefProcessed"
    state = json.loads((interrupted / "processing_state.json").read_text())
    state["status"] = "stopped"
    (interrupted / "processing_state.json").write_text(json.dumps(state))
    line = next(line for line in run_pef("--path", source, check_code=2).stderr.splitlines() if "--resume" in line)
    command = shlex.split(line.split("Continue it with: ", 1)[1].split(" — or ", 1)[0])
    assert command[:2] == ["pef", "--path"] and Path(command[2]) == source


def test_a_run_with_failures_does_not_say_plainly_completed(tmp_path: Path) -> None:
    source, output = takeout(tmp_path)
    write_file(source, b"cut.jpg", unique_jpeg(900)[:40])
    write_file(source, b"cut.jpg.json", sidecar_bytes("cut.jpg"))
    write_file(source, b"fine.jpg", unique_jpeg(901))
    result = run_pef("--path", source, "--output", output, check_code=1)
    assert "Completed with 1 problem" in result.stdout and "Run completed." not in result.stdout
    progress = run_pef("progress", output).stdout
    assert "failed              1" in progress and "done                0" in progress
