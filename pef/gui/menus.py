"""The menu bar (File, Run, View, Help), About, and the help texts that explain pef's words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from pef import __version__
from pef.gui.appearance import APPEARANCES
from pef.model.outcomes import Reason
from pef.present.words import EXPLANATIONS, reason_words

HOW_IT_WORKS = """
<p><b>What pef does.</b> Google's Takeout keeps each photo's date, place, caption and people in a
<b>sidecar</b>: a small <code>.json</code> file beside the photo, often with a shortened or
mangled name. pef pairs every photo and video with its sidecar, copies it into a new folder and
writes that information into the copy. Your Takeout is never changed.</p>
<p><b>Unmatched</b> files had no sidecar pef could be sure of; they are copied as they are.
<b>Orphan</b> sidecars are sidecars no file uses. In <b>Review</b> you can give a photo one of
those sidecars, the date its name carries, or a date you type; pef then writes it like any other.</p>
<p><b>Edited copies</b> (<code>IMG_1-edited.jpg</code>) share their original's sidecar. Live and
motion photos' videos share their still's.</p>
<p><b>Stopping is safe.</b> Pause, Stop, closing the window, even a crash or a power cut: the next
start offers to resume, and nothing is done twice or lost.</p>
"""


@dataclass
class Actions:
    choose: QAction
    open_output: QAction
    open_report: QAction
    open_log: QAction
    export: QAction
    preview: QAction
    start: QAction
    pause: QAction
    stop: QAction
    retry: QAction
    options: QAction
    appearance: QActionGroup


def _action(menu: QMenu, text: str, slot: Callable[[], object], keys: str | QKeySequence.StandardKey = "") -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    if keys:
        action.setShortcut(QKeySequence(keys))
    return action


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About pef",
        f"<h3>pef {escape(__version__)}</h3>"
        "<p>Google Photos Takeout to a clean photo library: every photo and video with its date, "
        "place and words written into the file, losslessly.</p>"
        "<p>Free software under the MIT licence.</p>"
        '<p>Get your Takeout: <a href="https://takeout.google.com">takeout.google.com</a> · '
        '<a href="https://support.google.com/accounts/answer/3024190">How to download your Google data</a></p>',
    )


def show_help(parent: QWidget) -> None:
    QMessageBox.information(parent, "How pef works", HOW_IT_WORKS)


def show_reasons(parent: QWidget) -> None:
    rows = "".join(
        f"<tr><td><b>{escape(reason_words(reason))}</b></td><td>{escape(text)}</td></tr>"
        for reason, text in EXPLANATIONS.items()
        if reason is not Reason.ALBUM_METADATA
    )
    QMessageBox.information(parent, "What the reasons mean", f"<table cellspacing=6>{rows}</table>")


def build_menus(
    window: QMainWindow, slots: dict[str, Callable[[], object]], recent: QMenu, appearance: Callable[[str], None]
) -> Actions:
    bar = window.menuBar()
    file = bar.addMenu("&File")
    choose = _action(file, "&Choose Takeout folder…", slots["choose"], QKeySequence.StandardKey.Open)
    recent.setTitle("&Recent Takeouts")
    file.addMenu(recent)
    file.addSeparator()
    open_output = _action(file, "&Open output folder", slots["open_output"], "Ctrl+Shift+O")
    open_report = _action(file, "Open the &report (pef-report.csv)", slots["open_report"])
    open_log = _action(file, "Open the &log (pef.log)", slots["open_log"])
    export = _action(file, "&Export Review rows as CSV…", slots["export"])
    file.addSeparator()
    _action(file, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    run = bar.addMenu("&Run")
    preview = _action(run, "Pre&view", slots["preview"], "Ctrl+Shift+P")
    start = _action(run, "&Start", slots["start"], "Ctrl+Return")
    pause = _action(run, "&Pause or resume", slots["pause"], "Ctrl+P")
    stop = _action(run, "S&top", slots["stop"], "Ctrl+.")
    retry = _action(run, "&Retry failed files", slots["retry"])
    view = bar.addMenu("&View")
    options = _action(view, "&Options", slots["options"], "Ctrl+1")
    _action(view, "S&ummary", slots["summary"], "Ctrl+2")
    _action(view, "&Review", slots["review"], "Ctrl+3")
    looks = view.addMenu("&Appearance")
    group = QActionGroup(window)
    for name in APPEARANCES:
        action = looks.addAction(name.capitalize())
        action.setCheckable(True)
        action.setData(name)
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, n=name: appearance(n))
    help_ = bar.addMenu("&Help")
    _action(help_, "&How pef works", lambda: show_help(window), QKeySequence.StandardKey.HelpContents)
    _action(help_, "What the &reasons mean", lambda: show_reasons(window))
    _action(help_, "&About pef", lambda: show_about(window))
    return Actions(
        choose, open_output, open_report, open_log, export, preview, start, pause, stop, retry, options, group
    )
