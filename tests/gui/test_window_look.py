"""What the window is as a desktop app: its size, its keys, its menus, its words and its palettes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabWidget, QWidget

from pef import __version__
from pef.gui.window import MainWindow
from pef.resources import icon_png
from tests.gui.conftest import open_window
from tests.gui.user import answering, click, dialog_text, menu_item, press


def test_the_minimum_size_fits_a_laptop_screen(qtbot, window: MainWindow) -> None:
    for opened in (False, True):
        if window.options.toggle.isChecked() != opened:
            click(qtbot, window.options.toggle)
        assert window.options.body.isVisible() == opened
        hint = window.minimumSizeHint()
        assert hint.width() <= 800 and hint.height() <= 560, (opened, hint)


def test_geometry_is_remembered(qtbot, settings: QSettings) -> None:
    window = open_window(qtbot, settings, (900, 600))
    window.close()
    again = open_window(qtbot, settings, (900, 600))
    assert (again.width(), again.height()) == (900, 600)


def mnemonics(window: MainWindow) -> Counter:
    """Every Alt+letter of the window (buttons, labels, tabs) and of its menu bar."""
    texts = [b.text() for b in window.findChildren(QAbstractButton)]
    texts += [label.text() for label in window.findChildren(QLabel) if label.buddy() is not None]
    texts += [box.title() for box in window.findChildren(QGroupBox)]
    texts += [tabs.tabText(i) for tabs in window.findChildren(QTabWidget) for i in range(tabs.count())]
    texts += [action.text() for action in window.menuBar().actions()]
    return Counter(m.group(1).lower() for text in texts if (m := re.search(r"&([^&])", text)))


def test_every_accelerator_is_unique(window: MainWindow) -> None:
    found = mnemonics(window)
    assert {letter for letter, count in found.items() if count > 1} == set(), found
    assert {"c", "s", "p", "t", "w", "m", "i", "l", "u", "g", "b", "o"} <= set(found)


def test_alt_s_starts_and_f1_explains(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from tests.gui.conftest import make_takeout
    from tests.gui.user import type_takeout

    type_takeout(qtbot, window, make_takeout(tmp_path, 1).root)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    with answering(qtbot, press("OK")) as seen:
        qtbot.keyClick(window, Qt.Key.Key_F1)
    assert "sidecar" in dialog_text(seen[0]) and "Orphan" in dialog_text(seen[0])


def test_about_and_the_reasons_through_the_help_menu(qtbot, window: MainWindow) -> None:
    with answering(qtbot, press("OK")) as seen:
        menu_item(qtbot, window, "Help", "About pef")
    about = dialog_text(seen[0])
    assert f"pef {__version__}" in about and "MIT" in about and "takeout.google.com" in about
    with answering(qtbot, press("OK")) as seen:
        menu_item(qtbot, window, "Help", "What the reasons mean")
    assert "no sidecar" in dialog_text(seen[0]) and "no_sidecar" not in dialog_text(seen[0])


def test_the_window_and_its_about_box_show_pefs_icon(qtbot, window: MainWindow) -> None:
    assert {size.width() for size in window.windowIcon().availableSizes()} >= {16, 32, 48, 256, 512}
    shown: list[QImage] = []

    def look_then_ok(dialog: QWidget) -> None:
        shown.append(dialog.iconPixmap().toImage())
        press("OK")(dialog)

    with answering(qtbot, look_then_ok):
        menu_item(qtbot, window, "Help", "About pef")
    (image,) = shown
    assert (image.width(), image.height()) == (64, 64)
    with Image.open(icon_png(64)) as drawn:  # the shipped file, read by Pillow
        for x, y in ((32, 32), (20, 40), (50, 52), (2, 2)):
            assert image.pixelColor(x, y).getRgb() == drawn.convert("RGBA").getpixel((x, y)), (x, y)


def test_tooltips_explain_the_words(window: MainWindow) -> None:
    tips = " ".join(w.toolTip() for w in window.findChildren(QAbstractButton)) + " ".join(
        window.review.tabs.tabToolTip(i) for i in range(4)
    )
    tips += window.metadata.exif_box.toolTip() + window.metadata.suffix_edit.toolTip()
    for word in ("sidecar", "Sidecars", "edited copy", "no photo or video uses"):
        assert word in tips, word


def test_the_dark_palette_is_chosen_from_the_view_menu_and_kept(qtbot, settings: QSettings) -> None:
    window = open_window(qtbot, settings)
    bar = window.menuBar()
    view = next(a for a in bar.actions() if a.text() == "&View").menu()
    looks = next(a for a in view.actions() if a.text() == "&Appearance").menu()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(view.menuAction()).center())
    qtbot.waitUntil(view.isVisible)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.actionGeometry(looks.menuAction()).center())
    qtbot.waitUntil(looks.isVisible)
    dark = next(a for a in looks.actions() if a.text() == "Dark")
    qtbot.mouseClick(looks, Qt.MouseButton.LeftButton, pos=looks.actionGeometry(dark).center())
    try:
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert settings.value("view/appearance") == "dark" and dark.isChecked()
        window.close()
        again = open_window(qtbot, settings)
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80, "kept"
        click(qtbot, again.options.toggle)
    finally:
        from pef.gui.appearance import apply_appearance

        apply_appearance("system")
