"""The window used as a person would (offscreen): choose, preview, run, pause, stop, resume, review."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from pef.gui.window import MainWindow
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.conftest import exiftool_json, run_pef


def make_takeout(root: Path, count: int) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    for index in range(count):
        tree.media(
            f"Photos from 2020/IMG_{index:04d}.jpg",
            jpeg_bytes(color=(index % 255, 9, 9)),
            f"IMG_{index:04d}.jpg.json",
            sidecar(f"IMG_{index:04d}.jpg", 1_600_000_000 + index),
        )
    tree.media("Photos from 2020/lonely.jpg", jpeg_bytes(), None)
    return tree


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch) -> None:
    """A modal dialog would wait forever offscreen (a failed test's teardown closes a running window)."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: QMessageBox.StandardButton.Ok)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    return window


def choose(qtbot, window: MainWindow, folder: Path) -> None:
    with qtbot.waitSignal(window.preview_ready, timeout=60_000):
        window.set_source(folder)


def state_of(folder: Path) -> dict:
    return json.loads((folder / "processing_state.json").read_text())


def test_run_to_completion(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 30)
    assert not window.start_button.isEnabled()
    choose(qtbot, window, tree.root)
    assert window.found_label.text() == "Takeout with 31 media files and 30 sidecars."
    assert window.output_options.output_label.text().endswith("Takeout_pefProcessed")
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    summary = finished.args[0]
    assert (summary.total, summary.done, sum(summary.unmatched.values())) == (31, 30, 1)
    assert window.run_view.progress.value() == window.run_view.progress.maximum() == 31
    assert window.run_view.counts_label.text() == "Done 30 · Unmatched 1 · Failed 0"
    assert "Run completed." in window.summary_view.toPlainText()
    assert window.open_button.isEnabled() and window.start_button.isEnabled()
    assert window.output_options.output_label.text().endswith("Takeout_pefProcessed"), "names the folder this run wrote"
    output = tmp_path / "Takeout_pefProcessed"
    assert state_of(output)["status"] == "completed"
    assert exiftool_json(output / "Google Photos/Photos from 2020/IMG_0007.jpg")["ExifIFD:DateTimeOriginal"]


def test_preview_counts_and_space(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 5)
    choose(qtbot, window, tree.root)
    qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)
    text = window.summary_view.toPlainText()
    assert "Dry run" in text and "with metadata           5" in text and "no_sidecar" in text
    assert "To copy:" in text and "free on the output drive" in text
    assert not (tmp_path / "Takeout_pefProcessed").exists(), "a preview writes nothing"


def test_pause_and_resume(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 1500)
    choose(qtbot, window, tree.root)
    window.start()
    qtbot.waitUntil(lambda: window.run_view.progress.value() > 0, timeout=60_000)
    qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    output = tmp_path / "Takeout_pefProcessed"
    qtbot.waitUntil(lambda: state_of(output)["status"] == "paused", timeout=30_000)
    assert window.run_view.pause_banner.isVisible() and window.run_view.status_label.text() == "Paused."
    assert window.pause_button.text() == "&Resume"
    held = window.run_view.progress.value()
    qtbot.wait(300)
    assert window.run_view.progress.value() == held, "nothing moves while paused"
    with qtbot.waitSignal(window.run_finished, timeout=120_000) as finished:
        qtbot.mouseClick(window.pause_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "completed" and not window.run_view.pause_banner.isVisible()


def test_stop_reopen_see_the_unfinished_run_and_resume(qtbot, settings: QSettings, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 1500)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    choose(qtbot, first, tree.root)
    first.start()
    qtbot.waitUntil(lambda: first.run_view.progress.value() >= 50, timeout=60_000)
    with qtbot.waitSignal(first.run_finished, timeout=60_000) as stopped:
        qtbot.mouseClick(first.stop_button, Qt.MouseButton.LeftButton)
    assert stopped.args[0].status == "stopped"
    finished_before = len(state_of(tmp_path / "Takeout_pefProcessed")["files"])
    first.close()

    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert second.recent.folders() == [str(tree.root)]
    choose(qtbot, second, Path(second.recent.folders()[0]))
    assert second.resume_banner.isVisible()
    assert f"{finished_before:,} of 1,501 done" in second.resume_label.text()
    assert second.output_options.mode_resume.isChecked()
    with qtbot.waitSignal(second.run_finished, timeout=120_000) as finished:
        qtbot.mouseClick(second.resume_button, Qt.MouseButton.LeftButton)
    assert second.run_view.first_progress == finished_before, "the bar starts at the prior count"
    assert finished.args[0].status == "completed"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists()
    assert not second.resume_banner.isVisible()


def test_close_while_running_asks_then_stops_cleanly(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    tree = make_takeout(tmp_path, 300)
    choose(qtbot, window, tree.root)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    window.start()
    window.close()
    assert asked, "closing during a run asks first"
    assert not window.job.running
    assert state_of(tmp_path / "Takeout_pefProcessed")["status"] in ("stopped", "completed")


def test_review_tables(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 6)
    tree.write_json("Photos from 2020/IMG_9999.jpg.json", sidecar("IMG_9999.jpg"))
    tree.media("Photos from 2020/cut.jpg", b"\xff\xd8\xff\xe0", "cut.jpg.json", sidecar("cut.jpg"))
    tree.media("Photos from 2020/other.png", jpeg_bytes(), None)
    choose(qtbot, window, tree.root)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.start()
    review = window.review
    assert [review.tabs.tabText(i) for i in range(3)] == ["&Unmatched (2)", "&Orphan sidecars (1)", "F&ailed (1)"]
    unmatched = review.unmatched
    assert {unmatched.model.row_at(r).source for r in range(2)} == {
        "Google Photos/Photos from 2020/lonely.jpg",
        "Google Photos/Photos from 2020/other.png",
    }
    assert {unmatched.model.row_at(r).reason for r in range(2)} == {"no_sidecar"}
    unmatched.filter.setText("OTHER")
    assert [row.source for row in unmatched.visible_rows()] == ["Google Photos/Photos from 2020/other.png"]
    unmatched.proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert review.orphans.model.row_at(0).reason == "no_media"
    failed = review.failed.model.row_at(0)
    assert (failed.reason, "cut.jpg" in failed.details) == ("corrupt_media", True)
    review.tabs.setCurrentWidget(unmatched)
    target = tmp_path / "export.csv"
    review.export_csv(str(target))
    with open(target, encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [
            ["file", "reason", "details"],
            ["Google Photos/Photos from 2020/other.png", "no_sidecar", ""],
        ]
    assert review.retry_button.isEnabled()
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as retried:
        qtbot.mouseClick(review.retry_button, Qt.MouseButton.LeftButton)
    entry = state_of(tmp_path / "Takeout_pefProcessed")["files"]["Google Photos/Photos from 2020/cut.jpg"]
    assert entry["status"] == "failed" and retried.args[0].status == "completed"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists(), "retrying uses the same folder"


def test_drop_a_folder(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 2)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tree.root))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.preview_ready, timeout=30_000):
        window.dropEvent(event)
    assert window.source == tree.root.resolve()


def test_recent_folders_drop_missing_ones(settings: QSettings, qtbot, tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    settings.setValue("recent", [str(tmp_path / "gone"), str(keep)])
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.recent.folders() == [str(keep)]
    assert [a.text() for a in window.recent.menu_.actions()] == [str(keep)]
    assert settings.value("recent", type=list) == [str(keep)]


def test_window_geometry_is_remembered(settings: QSettings, qtbot) -> None:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, window.height() - 30)  # inside the 800-pixel offscreen screen
    size = (window.width(), window.height())
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size


def test_icon_buttons_have_accessible_names(window: MainWindow) -> None:
    assert window.recent.accessibleName() == "Recent Takeout folders"
    for button in (window.start_button, window.pause_button, window.stop_button, window.preview_button):
        assert "&" in button.text(), f"{button.text()} has a mnemonic"


def test_auto_pause_banner_and_its_resume_button(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    import pef.run.engine as engine_module
    from pef.run.output_files import OutputFiles

    disk = {"full": True}  # full until the banner shows, then space is freed

    class FillsUp(OutputFiles):
        def create(self, path: Path) -> int:
            if disk["full"]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            return super().create(path)

    monkeypatch.setattr(engine_module, "OutputFiles", FillsUp)
    tree = make_takeout(tmp_path, 40)
    choose(qtbot, window, tree.root)
    window.start()
    qtbot.waitUntil(window.run_view.pause_banner.isVisible, timeout=60_000)
    assert window.run_view.pause_label.text().startswith("Paused: The output disk is full")
    assert window.run_view.status_label.text() == "Paused by pef."
    disk["full"] = False
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(window.run_view.pause_resume_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "completed" and finished.args[0].done == 40


def test_double_click_opens_and_show_in_folder(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tree = make_takeout(tmp_path, 2)
    choose(qtbot, window, tree.root)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.start()
    table = window.review.unmatched
    table.view.selectRow(0)
    table.view.doubleClicked.emit(table.proxy.index(0, 0))
    expected = tmp_path / "Takeout_pefProcessed" / "Google Photos/Photos from 2020/lonely.jpg"
    assert opened == [str(expected)]
    window.review.show_in_folder()
    assert opened[-1] == str(expected.parent)


def test_the_zone_starts_at_auto_and_a_run_records_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    assert window.metadata.zone_box.currentText() == "Where each photo was taken (auto)", "the default"
    assert "where each photo was taken" in window.metadata.zone_box.toolTip()
    tree = make_takeout(tmp_path, 1)
    choose(qtbot, window, tree.root)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.start()
    assert state_of(tmp_path / "Takeout_pefProcessed")["settings"]["timezone"] == "auto"


def test_resume_continues_with_the_runs_own_settings(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A run begun with other options (or by pef 0.1, before auto zones) is offered as it was begun."""
    tree = make_takeout(tmp_path, 6)
    output = tmp_path / "Takeout_pefProcessed"
    run_pef("--path", tree.root, "--timezone", "local", "--suffix", "-mine", "--no-exif")
    saved = state_of(output)
    saved["status"] = "stopped"
    for key in sorted(saved["files"])[3:]:
        (output / saved["files"].pop(key)["output"]).unlink()
    (output / "processing_state.json").write_text(json.dumps(saved))
    choose(qtbot, window, tree.root)
    assert window.resume_banner.isVisible()
    assert (window.metadata.zone(), window.metadata.suffix_edit.text(), window.metadata.exif_box.isChecked()) == (
        "local",
        "-mine",
        False,
    )
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(window.resume_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "completed", "not refused for other settings"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists()


def test_metadata_options_reach_the_run_and_are_remembered(
    qtbot, window: MainWindow, settings: QSettings, tmp_path: Path
) -> None:
    tree = make_takeout(tmp_path, 3)
    choose(qtbot, window, tree.root)
    window.metadata.exif_box.setChecked(False)
    window.metadata.zone_box.setCurrentText("UTC")
    window.metadata.suffix_edit.setText("-retouche, -mine")
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.start()
    output = tmp_path / "Takeout_pefProcessed"
    assert state_of(output)["settings"] == {"suffixes": ["-retouche", "-mine"], "write_exif": False, "timezone": "UTC"}
    name = "Google Photos/Photos from 2020/IMG_0001.jpg"
    assert (output / name).read_bytes() == (tree.root / name).read_bytes()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert (again.metadata.exif_box.isChecked(), again.metadata.zone(), again.metadata.suffix_edit.text()) == (
        False,
        "UTC",
        "-retouche, -mine",
    )


def test_an_unknown_zone_is_refused_before_anything_runs(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    tree = make_takeout(tmp_path, 1)
    choose(qtbot, window, tree.root)
    window.metadata.zone_box.setCurrentText("Mars/Olympus")
    window.start()
    assert warned and "Mars/Olympus" in warned[0]
    assert window.job is None and not (tmp_path / "Takeout_pefProcessed").exists()


def test_unfinished_run_date_reads_like_a_date(qtbot, settings: QSettings, tmp_path: Path) -> None:
    import re

    tree = make_takeout(tmp_path, 1500)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    choose(qtbot, first, tree.root)
    with qtbot.waitSignal(first.run_finished, timeout=60_000):
        first.start()
        first.stop()
    first._offer_unfinished(tree.root.resolve())
    assert re.match(r"Unfinished run from \d\d [A-Z][a-z]{2} \d{4}: 0 of 1,501 done", first.resume_label.text())


def test_review_model_sorts_and_filters_100k_rows(qtbot) -> None:
    from pef.gui.review import ReviewRow, ReviewTable

    table = ReviewTable("unmatched")
    qtbot.addWidget(table)
    rows = tuple(
        ReviewRow(f"Photos/IMG_{i:06d}.jpg", "no_sidecar" if i % 2 else "ambiguous", "", "") for i in range(100_000)
    )
    table.model.set_rows(rows)
    table.proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert table.proxy.index(0, 0).data() == "Photos/IMG_099999.jpg"
    table.filter.setText("AMBIGUOUS")
    assert table.proxy.rowCount() == 50_000
    table.filter.setText("img_09999")
    assert sorted(r.source for r in table.visible_rows()) == [f"Photos/IMG_09999{d}.jpg" for d in range(10)]


@pytest.mark.parametrize(
    ("state", "reason", "shown"),
    [("paused", "The output disk is full.", "Paused by pef."), ("paused", "", "Paused."), ("stopping", "", "Stopping")],
)
def test_files_finishing_after_a_pause_or_stop_leave_the_status_alone(
    window: MainWindow, tmp_path: Path, state: str, reason: str, shown: str
) -> None:
    """The files in hand still finish after a pause or stop; their progress must not hide that state."""
    from collections import Counter

    from pef.model.events import ControlChanged, FileFinished, RunStarted
    from pef.model.outcomes import FileStatus
    from pef.model.records import FileRecord

    window._on_event(RunStarted(tmp_path, 10, 0, 1000, 0))
    window._on_event(ControlChanged(state, reason))
    late = FileRecord("a.jpg", FileStatus.DONE, "a.jpg", size=100)
    window._on_event(FileFinished(late, 3, 10, 300, Counter(done=3)))
    assert window.run_view.status_label.text().startswith(shown)
    assert window.run_view.progress.value() == 3, "the bar still counts the file"
    window._on_event(ControlChanged("running"))
    window._on_event(FileFinished(late, 4, 10, 400, Counter(done=4)))
    assert window.run_view.status_label.text().startswith("4 of 10 files")


@pytest.mark.parametrize("where", ["inside the Takeout", "a folder with the user's own files"])
def test_the_window_refuses_the_output_folders_the_command_line_refuses(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, where: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    tree = make_takeout(tmp_path, 2)
    target = tree.root / "out" if where == "inside the Takeout" else tmp_path / "Library"
    if where != "inside the Takeout":
        target.mkdir()
        (target / "IMG_0000.jpg").write_bytes(b"the user's own photo")
    with qtbot.waitSignal(window.preview_ready, timeout=60_000):
        qtbot.keyClicks(window.source_edit, str(tree.root))
        qtbot.keyClick(window.source_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(window.output_options.output_edit, str(target))  # typing a folder chooses "Use this output folder"
    assert window.output_options.mode_choose.isChecked()
    expected = "must not contain each other" if where == "inside the Takeout" else "pef did not write"
    assert expected in window.output_options.output_label.text()
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert warned and expected in warned[0], "the same words as the command line"
    cli = run_pef("--path", tree.root, "--output", target, check_code=2)
    assert expected in cli.stderr
    assert window.job is None and not (target / "processing_state.json").exists()
    if where != "inside the Takeout":
        assert [p.name for p in target.iterdir()] == ["IMG_0000.jpg"]


def test_free_space_is_measured_on_the_chosen_folders_drive(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    small = tmp_path / "small drive"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        assert os.statvfs(small).f_bavail * os.statvfs(small).f_frsize <= 1 << 20
        asked = []
        monkeypatch.setattr(
            QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No
        )
        tree = TakeoutTree(tmp_path / "Takeout")
        for index in range(8):  # 8 × ~270 KB of noise: more than the small drive, far less than the big one
            buffer = io.BytesIO()
            Image.frombytes("RGB", (480, 480), os.urandom(480 * 480 * 3)).save(buffer, "JPEG", quality=95)
            tree.media(f"IMG_{index}.jpg", buffer.getvalue(), None)
        with qtbot.waitSignal(window.preview_ready, timeout=60_000):
            qtbot.keyClicks(window.source_edit, str(tree.root))
            qtbot.keyClick(window.source_edit, Qt.Key.Key_Return)
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)  # the default folder: room enough
        assert asked == []
        qtbot.waitUntil(lambda: window.job is not None and not window.job.running, timeout=60_000)
        qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)
        assert "not enough free space" not in window.summary_view.toPlainText()
        qtbot.keyClicks(window.output_options.output_edit, str(small / "out"))
        qtbot.mouseClick(window.preview_button, Qt.MouseButton.LeftButton)  # the preview measures that drive too
        assert "not enough free space" in window.summary_view.toPlainText()
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 1 and "free" in asked[0], asked
        assert not (small / "out").exists(), "answered No: nothing written"
    finally:
        subprocess.run(["umount", str(small)], check=True)
