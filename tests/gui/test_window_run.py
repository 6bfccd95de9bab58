"""A run in the window, used as a person would: start, pause, stop, close, reopen, resume; the numbers agree."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton

import pef.gui.window as window_module
import pef.run.engine as engine_module
from pef.gui.window import MainWindow
from pef.run.output_files import OutputFiles
from tests.conftest import exiftool_json
from tests.gui.conftest import make_takeout, open_window, tmpfs_drive
from tests.gui.user import (
    LONG,
    answering,
    click,
    dialog_text,
    pick_path,
    press,
    run_with,
    state_of,
    type_into,
    type_takeout,
)


def shown_counts(window: MainWindow) -> tuple[int, int, int]:
    return tuple(int(n.replace(",", "")) for n in re.findall(r"[\d,]+", window.run_view.counts_label.text()))


def saved_counts(output: Path) -> tuple[int, int, int]:
    files = state_of(output)["files"].values()
    return tuple(sum(1 for f in files if f["status"] == status) for status in ("done", "unmatched", "failed"))


def test_enter_starts_and_the_end_shows_the_engines_numbers(qtbot, sized_window: MainWindow, tmp_path: Path) -> None:
    window = sized_window
    tree = make_takeout(tmp_path, 30)
    assert not window.start_button.isEnabled(), "nothing to start before a Takeout is chosen"
    type_takeout(qtbot, window, tree.root)
    assert window.found_label.text().startswith("31 photos and videos (")
    with qtbot.waitSignal(window.run_finished, timeout=LONG) as finished:
        qtbot.keyClick(window.source_edit, Qt.Key.Key_Return)  # Enter starts, once the Takeout is looked through
    summary = finished.args[0]
    assert (summary.total, summary.done, sum(summary.unmatched.values())) == (31, 30, 1)
    output = tmp_path / "Takeout_pefProcessed"
    assert window.run_view.progress.value() == window.run_view.progress.maximum() == 31
    assert shown_counts(window) == (30, 1, 0) == saved_counts(output)
    assert window.run_view.status_label.text() == "Run completed."
    assert window.tabs.tabText(1) == "Review (1)"
    assert window.open_button.isEnabled()
    assert window.output_options.output_label.text() == f"Output: {tmp_path / 'Takeout_pefProcessed(1)'}", (
        "the line says what Start would write to now"
    )
    assert exiftool_json(output / "Google Photos/Photos from 2020/IMG_0007.jpg")["ExifIFD:DateTimeOriginal"]


def test_pause_shows_one_resume_and_the_saved_numbers(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 1500)
    output = tmp_path / "Takeout_pefProcessed"
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.start_button)
    qtbot.waitUntil(lambda: window.run_view.progress.value() > 0, timeout=LONG)
    click(qtbot, window.pause_button)
    qtbot.waitUntil(lambda: state_of(output)["status"] == "paused", timeout=LONG)
    qtbot.waitUntil(lambda: window.run_view.progress.value() == len(state_of(output)["files"]), timeout=10_000)
    assert shown_counts(window) == saved_counts(output)
    assert window.run_view.status_label.text().startswith("Paused.")
    resumes = [b for b in window.findChildren(QPushButton) if b.isVisible() and "Resume" in b.text()]
    assert resumes == [window.pause_button], "one Resume button, not two"
    held = window.run_view.progress.value()
    qtbot.wait(300)
    assert window.run_view.progress.value() == held, "nothing moves while paused"
    summary = run_with(qtbot, window, window.pause_button)
    assert summary.status == "completed" and window.pause_button.text() == "&Pause"


def test_stop_then_reopen_shows_the_takeout_and_resumes(qtbot, settings: QSettings, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 1500)
    output = tmp_path / "Takeout_pefProcessed"
    first = open_window(qtbot, settings)
    type_takeout(qtbot, first, tree.root)
    click(qtbot, first.start_button)
    qtbot.waitUntil(lambda: first.run_view.progress.value() >= 50, timeout=LONG)
    stopped = run_with(qtbot, first, first.stop_button)
    assert stopped.status == "stopped"
    finished = len(state_of(output)["files"])
    assert first.run_view.progress.value() == finished == sum(shown_counts(first)), "bar, counts and state agree"
    assert f"{finished:,} of 1,501 files are done" in first.resume_label.text(), "the banner too"
    first.close()

    second = MainWindow(settings)  # reopened: the last Takeout is there, and its unfinished run offered
    qtbot.addWidget(second)
    second.resize(1280, 720)
    second.show()
    assert second.source_edit.text() == str(tree.root)
    assert second.resume_banner.isVisible() and f"{finished:,} of 1,501 files are done" in second.resume_label.text()
    qtbot.waitUntil(lambda: second.preview is not None, timeout=LONG)
    summary = run_with(qtbot, second, second.resume_button)
    assert summary.status == "completed" and not (tmp_path / "Takeout_pefProcessed(1)").exists()
    assert not second.resume_banner.isVisible()


def test_closing_during_a_run_asks_in_verbs(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 600)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.start_button)
    with answering(qtbot, press("Keep running")) as seen:
        window.close()  # the window's close button
    assert dialog_text(seen[0]).startswith("Stop the run and close?") and window.job.running and window.isVisible()
    with answering(qtbot, press("Stop and close")):
        window.close()
    assert not window.job.running and not window.isVisible()
    assert state_of(tmp_path / "Takeout_pefProcessed")["status"] in ("stopped", "completed")


def test_a_full_disk_pauses_with_one_banner_and_true_numbers(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    disk = {"full": False, "created": 0}

    class FillsUp(OutputFiles):  # the boundary: the drive, full after 30 files until the test frees it
        def create(self, path: Path) -> int:
            disk["created"] += 1
            if disk["created"] == 30:
                disk["full"] = True
            if disk["full"]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            return super().create(path)

    monkeypatch.setattr(engine_module, "OutputFiles", FillsUp)
    output = tmp_path / "Takeout_pefProcessed"
    tree = make_takeout(tmp_path, 100)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.start_button)
    qtbot.waitUntil(window.run_view.pause_banner.isVisible, timeout=LONG)
    assert window.run_view.pause_label.text().startswith("pef paused by itself: The output disk is full")
    assert not window.pause_button.isVisible(), "the banner's Resume is the only one"
    qtbot.waitUntil(lambda: state_of(output)["status"] == "paused", timeout=LONG)
    qtbot.waitUntil(lambda: shown_counts(window) == saved_counts(output), timeout=10_000)
    assert shown_counts(window)[2] >= 5, "the failed files are counted"
    disk["full"] = False
    summary = run_with(qtbot, window, window.run_view.pause_resume_button)
    assert summary.status == "completed" and summary.done == 100
    assert shown_counts(window) == (100, 1, 0) == saved_counts(output)


def test_keeps_the_computer_awake_and_notifies_at_the_end(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    tools, log = tmp_path / "bin", tmp_path / "log"
    tools.mkdir()
    log.mkdir()
    (tools / "systemd-inhibit").write_text(
        f'#!/bin/sh\necho "$@" > {log}/inhibit\necho $$ >> {log}/pids\nexec sleep 600\n'
    )
    (tools / "notify-send").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}/notified\n')
    for tool in tools.iterdir():
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    monkeypatch.setattr(window_module, "LONG_RUN_SECONDS", 0.0)  # every run counts as long here
    tree = make_takeout(tmp_path, 1500)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.start_button)
    qtbot.waitUntil((log / "pids").exists, timeout=10_000)
    first = int((log / "pids").read_text().split()[0])
    assert "--what=sleep:idle" in (log / "inhibit").read_text() and alive(first)
    click(qtbot, window.pause_button)
    qtbot.waitUntil(lambda: not alive(first), timeout=10_000)  # released on pause
    summary = run_with(qtbot, window, window.pause_button)
    second = int((log / "pids").read_text().split()[1])  # held again on resume, released at the end
    assert not alive(second)
    qtbot.waitUntil((log / "notified").exists, timeout=10_000)
    assert (log / "notified").read_text().splitlines() == ["--app-name=pef", "pef: the run ended", "Run completed."]
    assert summary.status == "completed"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state != "Z"


def test_an_error_that_stops_a_run_is_told_in_words(qtbot, window: MainWindow, tmp_path: Path) -> None:
    with tmpfs_drive(tmp_path / "read-only drive", "ro,size=1m") as drive:
        tree = make_takeout(tmp_path, 3)
        type_takeout(qtbot, window, tree.root)
        click(qtbot, window.options.toggle)
        type_into(qtbot, window.output_options.output_edit, str(drive / "Library"), enter=False)
        with answering(qtbot, press("OK")) as seen:
            click(qtbot, window.start_button)
            qtbot.waitUntil(lambda: bool(seen), timeout=LONG)
        text = dialog_text(seen[0])
        assert "the drive is read-only" in text and str(drive / "Library") in text and "Errno" not in text


def test_a_finished_output_chosen_again_shows_its_numbers_without_redoing_a_file(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    tree = make_takeout(tmp_path, 30)
    type_takeout(qtbot, window, tree.root)
    first = run_with(qtbot, window, window.start_button)
    output = tmp_path / "Takeout_pefProcessed"
    saved = (output / "processing_state.json").stat()
    click(qtbot, window.options.toggle)  # the options, folded once chosen
    with answering(qtbot, pick_path(output)):
        click(qtbot, window.output_options.output_button)
    assert window.output_options.output_label.text() == f"Output: {output}"
    again = run_with(qtbot, window, window.start_button)
    assert again == first and (again.done, sum(again.unmatched.values())) == (30, 1)
    assert shown_counts(window) == (30, 1, 0) == saved_counts(output)
    assert window.run_view.progress.value() == window.run_view.progress.maximum() == 31
    assert window.run_view.status_label.text() == "Run completed."
    after = (output / "processing_state.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (saved.st_ino, saved.st_mtime_ns), "nothing was redone or saved"
