"""The downloaded parts in the window: chosen in the real file dialog, dropped together, remembered, run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from pef.gui.window import MainWindow
from tests.archives import EXPORT, tgz_parts, zip_parts
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.conftest import exiftool_json
from tests.gui.conftest import make_takeout, open_window
from tests.gui.test_review import open_review, open_tab, select
from tests.gui.user import LONG, answering, click, drop, pick_files, run_with, state_of


def contents(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.rglob("*.jpg")
    }


def test_parts_chosen_in_the_file_dialog_are_previewed_run_and_remembered(
    qtbot, window: MainWindow, settings: QSettings, tmp_path: Path
) -> None:
    tree = make_takeout(tmp_path / "given", 12)
    parts = zip_parts(tree.root, tmp_path / "downloads", count=3)
    picking = pick_files(tmp_path / "downloads", [part.name for part in parts])
    with answering(qtbot, picking), qtbot.waitSignal(window.preview_ready, timeout=LONG):
        click(qtbot, window.source_panel.parts_button)
    assert window.source.paths == tuple(part.resolve() for part in parts)
    assert "13 photos and videos" in window.found_label.text() and "in 3 parts" in window.found_label.text()
    click(qtbot, window.preview_button)
    shown = window.summary_view.toPlainText()
    assert "Read from 3 parts:" in shown and f"{parts[1].name} (zip): " in shown
    summary = run_with(qtbot, window, window.start_button)
    assert (summary.status, summary.done, summary.total) == ("completed", 12, 13)
    output = tmp_path / "downloads" / f"{EXPORT}_pefProcessed"
    assert state_of(output)["parts"] == [str(part.resolve()) for part in parts]
    reference = tmp_path / "reference"
    window.close()
    again = open_window(qtbot, settings)
    assert again.recent.folders()[0] == "; ".join(str(part.resolve()) for part in parts)
    assert again.source_edit.text() == again.recent.folders()[0], "the last Takeout is there on reopening"
    from tests.conftest import run_pef

    run_pef("--path", tree.root, "--output", reference, "--timezone", state_of(output)["settings"]["timezone"])
    assert contents(output) == contents(reference)


def test_parts_dropped_together_and_a_damaged_one_named(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path / "given", 10)
    parts = tgz_parts(tree.root, tmp_path / "downloads", count=2)
    whole = parts[1].read_bytes()
    parts[1].write_bytes(whole[: len(whole) // 3])
    with qtbot.waitSignal(window.preview_ready, timeout=LONG):
        assert drop(window, *parts)
    assert "in 2 parts" in window.found_label.text()
    summary = run_with(qtbot, window, window.start_button)
    assert summary.status == "stopped" and f"{parts[1].name} is damaged" in summary.reason
    assert f"{parts[1].name} is damaged" in window.run_view.status_label.text()
    assert window.source_panel.resume_banner.isVisible(), "the run can be resumed once the part is whole"
    parts[1].write_bytes(whole)
    summary = run_with(qtbot, window, window.source_panel.resume_button)
    assert (summary.status, summary.done, summary.total) == ("completed", 10, 11)


def test_review_on_parts_gives_a_photo_the_sidecar_from_another_part(qtbot, window: MainWindow, tmp_path) -> None:
    tree = TakeoutTree(tmp_path / "given" / "Takeout")
    tree.media("Trip/a.jpg", jpeg_bytes(), "a.jpg.json", sidecar("a.jpg"))
    tree.media("Trip/beach photo.jpg", jpeg_bytes((320, 240), (20, 120, 200)), None)
    tree.write_json("Trip/beach.jpg.json", sidecar("beach.jpg", 1_262_347_200, geo=(48.8584, 2.2945, 35.0)))
    parts = tgz_parts(tree.root, tmp_path / "downloads", count=2)
    with qtbot.waitSignal(window.preview_ready, timeout=LONG):
        assert drop(window, *parts)
    run_with(qtbot, window, window.start_button)
    open_review(qtbot, window)
    select(qtbot, open_tab(qtbot, window, 0), "Google Photos/Trip/beach photo.jpg")
    resolve = window.review.resolve
    qtbot.waitUntil(lambda: resolve.candidates.count() > 0, timeout=20_000)
    assert resolve.candidates.item(0).data(Qt.ItemDataRole.UserRole) == "Google Photos/Trip/beach.jpg.json"
    run_with(qtbot, window, resolve.use_button)
    seen = exiftool_json(tmp_path / "downloads" / f"{EXPORT}_pefProcessed" / "Google Photos/Trip/beach photo.jpg")
    assert seen["ExifIFD:DateTimeOriginal"].startswith("2010:01:01") and round(seen["GPS:GPSLatitude"], 4) == 48.8584
