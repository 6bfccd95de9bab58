"""A person at the window: typing, clicking, dropping, using menus and answering the real dialogs."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from pef.gui.window import MainWindow

LEFT = Qt.MouseButton.LeftButton
LONG = 120_000


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"{widget.__class__.__name__} {getattr(widget, 'text', str)()}"
    qtbot.mouseClick(widget, LEFT)


def type_into(qtbot, edit: QLineEdit, text: str, enter: bool = True) -> None:
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def pick_item(qtbot, combo: QComboBox, text: str) -> None:
    """Choose an item of a closed drop-down as a keyboard user does: focus it, then arrow keys."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, f"{text} is not among the choices"


def type_takeout(qtbot, window: MainWindow, folder: Path) -> None:
    """Type the Takeout's path and press Enter; wait until the window has looked through it."""
    with qtbot.waitSignal(window.preview_ready, timeout=LONG):
        type_into(qtbot, window.source_edit, str(folder))


def run_with(qtbot, window: MainWindow, button: QAbstractButton):
    """Click a button that starts a run; returns the run's summary."""
    with qtbot.waitSignal(window.run_finished, timeout=LONG) as finished:
        click(qtbot, button)
    return finished.args[0]


@contextlib.contextmanager
def answering(qtbot, answer: Callable[[QWidget], None]) -> Iterator[list[QWidget]]:
    """Answer the next modal dialog with `answer(dialog)`; yields the dialogs answered, to look at."""
    seen: list[QWidget] = []
    timer = QTimer()
    timer.setInterval(30)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog not in seen:
            seen.append(dialog)
            _SAID[id(dialog)] = _words_of(dialog)  # a static QMessageBox is deleted once answered
            timer.stop()
            answer(dialog)

    timer.timeout.connect(look)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def press(text: str) -> Callable[[QWidget], None]:
    """Answer a message box by clicking the button that says `text`."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox), dialog
        buttons = {button.text().replace("&", ""): button for button in dialog.buttons()}
        assert text in buttons, f"{text!r} not among {list(buttons)}"
        QTimer.singleShot(0, buttons[text].click)

    return answer


def _typing(*texts: str) -> Callable[[QWidget], None]:
    """Answer a file dialog by typing into its name field, each text followed by Enter."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog), dialog
        edit = dialog.findChild(QLineEdit, "fileNameEdit")

        def type_it() -> None:
            for text in texts:
                edit.clear()
                QTest.keyClicks(edit, text)
                QTest.keyClick(edit, Qt.Key.Key_Return)

        QTimer.singleShot(0, type_it)

    return answer


def pick_path(path: Path) -> Callable[[QWidget], None]:
    """Answer a file dialog by typing a path into it and pressing Enter."""
    return _typing(str(path))


def pick_files(folder: Path, names: list[str]) -> Callable[[QWidget], None]:
    """Answer a file dialog as a person picks several files: go to their folder, then type them, quoted."""
    return _typing(str(folder), " ".join(f'"{name}"' for name in names))


_SAID: dict[int, str] = {}


def _words_of(dialog: QWidget) -> str:
    if not isinstance(dialog, QMessageBox):
        return dialog.windowTitle()
    return f"{dialog.windowTitle()}\n{dialog.text()}\n{dialog.informativeText()}"


def dialog_text(dialog: QWidget) -> str:
    """What a dialog answered through `answering` said (its title, text and more)."""
    return _SAID[id(dialog)]


def menu_item(qtbot, window: MainWindow, menu_title: str, item: str) -> None:
    """Open a menu of the menu bar with the mouse and click one of its items."""
    bar = window.menuBar()
    menu_action = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, LEFT, pos=bar.actionGeometry(menu_action).center())
    menu: QMenu = menu_action.menu()
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    action = next(a for a in menu.actions() if a.text().replace("&", "") == item)
    assert action.isEnabled(), f"{menu_title} › {item} is disabled"
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())


def drop(window: MainWindow, *paths: Path) -> bool:
    """Drag files or folders from the file manager onto the window; True when the window took them."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    centre = QPointF(window.rect().center())
    actions, buttons, keys = Qt.DropAction.CopyAction, LEFT, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre.toPoint(), actions, data, buttons, keys)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    dropped = QDropEvent(centre, actions, data, buttons, keys)
    QApplication.sendEvent(window, dropped)
    return dropped.isAccepted()


def state_of(folder: Path) -> dict:
    return json.loads((folder / "processing_state.json").read_text())
