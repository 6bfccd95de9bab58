"""Choosing what to read and where to write, as a person would: dialogs, drops, typing, and the refusals."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt

from pef.gui.window import MainWindow
from tests.builders import TakeoutTree
from tests.conftest import run_pef
from tests.gui.conftest import make_takeout, open_window, tmpfs_drive
from tests.gui.user import (
    LONG,
    answering,
    click,
    dialog_text,
    drop,
    menu_item,
    pick_item,
    pick_path,
    press,
    run_with,
    state_of,
    type_into,
    type_takeout,
)


def test_choose_through_the_real_folder_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 3)
    with answering(qtbot, pick_path(tree.root)), qtbot.waitSignal(window.preview_ready, timeout=LONG):
        click(qtbot, window.choose_button)
    assert window.source_edit.text() == str(tree.root) and window.start_button.isEnabled()
    assert window.recent.folders() == [str(tree.root)]


def test_drop_a_folder_and_a_file(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 2)
    with qtbot.waitSignal(window.preview_ready, timeout=LONG):
        assert drop(window, tree.root)
    assert window.source.paths == (tree.root.resolve(),)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a Takeout")
    assert drop(window, notes), "taken, to say why it cannot be used"
    assert "is a file, not a folder or a .zip/.tgz part" in window.found_label.text()
    assert not window.start_button.isEnabled()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "empty", "No photos or videos in"),
        (lambda tmp: tmp / "code", "No photos or videos in"),
        (lambda tmp: tmp / "code" / "main.py", "is a file, not a folder"),
        (lambda tmp: tmp / "nowhere", "There is no folder or file at"),
    ],
)
def test_what_is_no_takeout_is_refused_in_words(qtbot, window: MainWindow, tmp_path: Path, make, words: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "main.py").write_text("print('hello')\n")
    (tmp_path / "code" / "README.md").write_text("# a project\n")
    target = make(tmp_path)
    if target.is_dir():
        type_takeout(qtbot, window, target)
    else:
        type_into(qtbot, window.source_edit, str(target))
    assert words in window.found_label.text()
    assert not window.start_button.isEnabled() and not window.preview_button.isEnabled()
    qtbot.keyClick(window.source_edit, Qt.Key.Key_Return)  # Enter: nothing starts
    assert window.job is None and not list(tmp_path.glob("*_pefProcessed*"))


def test_another_folder_clears_what_the_last_run_showed(qtbot, window: MainWindow, tmp_path: Path) -> None:
    first, second = make_takeout(tmp_path / "a", 2), make_takeout(tmp_path / "b", 3)
    type_takeout(qtbot, window, first.root)
    run_with(qtbot, window, window.start_button)
    assert window.open_button.isEnabled() and window.run_view.status_label.text() == "Run completed."
    type_takeout(qtbot, window, second.root)
    assert window.run_view.status_label.text() == "" and window.run_view.counts_label.text() == ""
    assert not window.open_button.isEnabled() and window.tabs.tabText(1) == "Review"
    assert window.review.unmatched.model.rowCount() == 0
    assert window.output_options.output_label.text() == f"Output: {tmp_path / 'b' / 'Takeout_pefProcessed'}"


@pytest.mark.parametrize("where", ["inside the Takeout", "a folder with the user's own files"])
def test_the_window_refuses_the_output_folders_the_command_line_refuses(
    qtbot, window: MainWindow, tmp_path: Path, where: str
) -> None:
    tree = make_takeout(tmp_path, 2)
    target = tree.root / "out" if where == "inside the Takeout" else tmp_path / "Library"
    if where != "inside the Takeout":
        target.mkdir()
        (target / "IMG_0000.jpg").write_bytes(b"the user's own photo")
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.options.toggle)
    type_into(qtbot, window.output_options.output_edit, str(target), enter=False)
    assert window.output_options.mode_choose.isChecked(), "typing a folder chooses it"
    expected = "must not contain each other" if where == "inside the Takeout" else "pef did not write"
    assert expected in window.output_options.output_label.text()
    assert expected in window.options.line.text(), "the folded line says it too"
    with answering(qtbot, press("OK")) as seen:
        click(qtbot, window.start_button)
    assert dialog_text(seen[0]).startswith("The run cannot start") and expected in dialog_text(seen[0])
    assert expected in run_pef("--path", tree.root, "--output", target, check_code=2).stderr, "the same words"
    assert window.job is None and not (target / "processing_state.json").exists()


def test_options_reach_the_run_and_are_remembered(qtbot, window: MainWindow, settings: QSettings, tmp_path) -> None:
    tree = make_takeout(tmp_path, 3)
    type_takeout(qtbot, window, tree.root)
    menu_item(qtbot, window, "View", "Options")
    assert window.options.body.isVisible()
    click(qtbot, window.metadata.exif_box)
    type_into(qtbot, window.metadata.zone_box.lineEdit(), "UTC", enter=False)
    type_into(qtbot, window.metadata.suffix_edit, "-retouche, -mine", enter=False)
    pick_item(qtbot, window.library.layout_box, "By year (2019)")
    pick_item(qtbot, window.library.albums_box, "Album folders of links to the photos")
    click(qtbot, window.library.skip_trash_box)
    assert "files copied only" in window.options.line.text()
    assert "folders by year, albums as links, Trash left out" in window.options.line.text()
    run_with(qtbot, window, window.start_button)
    output = tmp_path / "Takeout_pefProcessed"
    assert state_of(output)["settings"] == {
        "suffixes": ["-retouche", "-mine"], "write_exif": False, "timezone": "UTC",
        "name_dates": True, "xmp_files": False,
        "albums": "link", "layout": "year", "skip_trash": True, "duplicates": "keep",
    }  # fmt: skip
    assert not window.metadata.name_dates_box.isEnabled(), "nothing is written: no date from names either"
    name = "Google Photos/Photos from 2020/IMG_0001.jpg"
    outputs = [path for path in output.rglob("IMG_0001.jpg") if path.parent.name.isdigit()]
    assert [path.read_bytes() for path in outputs] == [(tree.root / name).read_bytes()]  # in its year's folder
    window.close()
    again = open_window(qtbot, settings)
    assert (again.metadata.exif_box.isChecked(), again.metadata.zone(), again.metadata.suffix_edit.text()) == (
        False,
        "UTC",
        "-retouche, -mine",
    )
    library = again.library
    assert (library.layout_box.currentText(), library.albums_box.currentText(), library.skip_trash_box.isChecked()) == (
        "By year (2019)",
        "Album folders of links to the photos",
        True,
    )


def test_name_dates_and_xmp_files_by_their_checkboxes(qtbot, window: MainWindow, settings: QSettings, tmp_path) -> None:
    tree = make_takeout(tmp_path, 2)
    named = "Google Photos/Photos from 2020/IMG_20190512_123456.jpg"
    (tree.root / named).write_bytes((tree.root / "Google Photos/Photos from 2020/IMG_0001.jpg").read_bytes())
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.options.toggle)
    assert window.metadata.name_dates_box.isChecked() and not window.metadata.xmp_box.isChecked()
    click(qtbot, window.metadata.name_dates_box)
    click(qtbot, window.metadata.xmp_box)
    assert ".xmp files beside them" in window.options.line.text()
    run_with(qtbot, window, window.start_button)
    output = tmp_path / "Takeout_pefProcessed"
    saved = state_of(output)
    assert (saved["settings"]["name_dates"], saved["settings"]["xmp_files"]) == (False, True)
    assert (output / named).read_bytes() == (tree.root / named).read_bytes(), "not dated from its name"
    assert (output / "Google Photos/Photos from 2020/IMG_0001.jpg.xmp").is_file()
    window.close()
    again = open_window(qtbot, settings)
    assert (again.metadata.name_dates_box.isChecked(), again.metadata.xmp_box.isChecked()) == (False, True)


def test_an_unknown_zone_is_refused_before_anything_runs(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 1)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.options.toggle)
    type_into(qtbot, window.metadata.zone_box.lineEdit(), "Mars/Olympus", enter=False)
    with answering(qtbot, press("OK")) as seen:
        click(qtbot, window.start_button)
    assert "Mars/Olympus" in dialog_text(seen[0])
    assert window.job is None and not (tmp_path / "Takeout_pefProcessed").exists()


def test_resume_continues_with_the_runs_own_settings(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = make_takeout(tmp_path, 6)
    output = tmp_path / "Takeout_pefProcessed"
    run_pef("--path", tree.root, "--timezone", "local", "--suffix", "-mine", "--no-exif")
    saved = state_of(output)
    saved["status"] = "stopped"
    for key in sorted(saved["files"])[3:]:
        (output / saved["files"].pop(key)["output"]).unlink()
    (output / "processing_state.json").write_text(json.dumps(saved))
    type_takeout(qtbot, window, tree.root)
    assert window.resume_banner.isVisible() and not window.output_options.mode_resume.isHidden()
    assert window.output_options.mode_resume.isChecked()
    metadata = window.metadata
    assert (metadata.zone(), metadata.suffix_edit.text(), metadata.exif_box.isChecked()) == ("local", "-mine", False)
    assert run_with(qtbot, window, window.resume_button).status == "completed"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists()


def test_free_space_is_measured_on_the_chosen_folders_drive(qtbot, window: MainWindow, tmp_path: Path) -> None:
    with tmpfs_drive(tmp_path / "small drive", "size=1m") as small:
        tree = TakeoutTree(tmp_path / "Takeout")
        for index in range(8):  # 8 × ~270 KB of noise: more than the small drive, far less than the big one
            buffer = io.BytesIO()
            Image.frombytes("RGB", (480, 480), os.urandom(480 * 480 * 3)).save(buffer, "JPEG", quality=95)
            tree.media(f"IMG_{index}.jpg", buffer.getvalue(), None)
        type_takeout(qtbot, window, tree.root)
        run_with(qtbot, window, window.start_button)  # the default folder: room enough, nothing asked
        click(qtbot, window.options.toggle)
        type_into(qtbot, window.output_options.output_edit, str(small / "out"), enter=False)
        click(qtbot, window.preview_button)
        assert "not enough free space" in window.summary_view.toPlainText()
        with answering(qtbot, press("Cancel")) as seen:
            click(qtbot, window.start_button)
        assert dialog_text(seen[0]).startswith("Not enough free space") and "Start anyway" in [
            b.text() for b in seen[0].buttons()
        ]
        assert not (small / "out").exists(), "cancelled: nothing written"


def test_recent_takeouts_are_in_the_file_menu(qtbot, settings: QSettings, tmp_path: Path) -> None:
    keep, gone = make_takeout(tmp_path / "keep", 1).root, tmp_path / "gone"
    settings.setValue("recent", [str(gone), str(keep)])
    window = open_window(qtbot, settings)
    assert [a.text() for a in window.recent.menu_.actions()] == [str(keep)]
    assert window.source_edit.text() == str(keep), "the last Takeout is shown on opening"
