"""The window used as a person would: choose a Takeout, Start, watch it finish (offscreen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from pef.gui.window import MainWindow
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.conftest import exiftool_json


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


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_run_to_completion(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 30)
    assert not window.start_button.isEnabled()
    window.source_edit.setText(str(tree.root))
    assert window.start_button.isEnabled()
    assert "Takeout_pefProcessed" in window.output_label.text()
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    summary = finished.args[0]
    assert (summary.total, summary.done, sum(summary.unmatched.values())) == (31, 30, 1)
    assert window.progress.value() == window.progress.maximum() == 31
    assert "Run completed." in window.summary_view.toPlainText()
    assert "no_sidecar" in window.summary_view.toPlainText()
    assert window.open_button.isEnabled() and window.start_button.isEnabled()
    assert window.output_label.text().endswith("Takeout_pefProcessed"), "names the folder this run wrote"
    output = tmp_path / "Takeout_pefProcessed"
    assert json.loads((output / "processing_state.json").read_text())["status"] == "completed"
    exif = exiftool_json(output / "Google Photos/Photos from 2020/IMG_0007.jpg")
    assert exif["ExifIFD:DateTimeOriginal"]


def test_stop_saves_progress_and_the_thread_ends(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 200)
    window.source_edit.setText(str(tree.root))
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        window.start()
        window.stop()  # before the first file is handed out
    summary = finished.args[0]
    assert summary.status == "stopped"
    assert not window.job.running
    assert window.status_label.text() == "Run stopped."
    state = json.loads((tmp_path / "Takeout_pefProcessed" / "processing_state.json").read_text())
    assert state["status"] == "stopped" and state["stats"]["pending"] == 201


def test_close_while_running_asks_then_stops_cleanly(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    tree = make_takeout(tmp_path, 300)
    window.source_edit.setText(str(tree.root))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    window.start()
    window.close()
    assert asked, "closing during a run asks first"
    assert not window.job.running
    state = json.loads((tmp_path / "Takeout_pefProcessed" / "processing_state.json").read_text())
    assert state["status"] in ("stopped", "completed")
