"""The window, opened as a person would open it, at a laptop's size (or a small screen's)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from pef.gui.window import MainWindow
from tests.builders import TakeoutTree, jpeg_bytes, sidecar

SIZES = {"1280x720": (1280, 720), "800x600": (800, 600)}


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, settings: QSettings, size: tuple[int, int] = (1280, 720)) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window, before_close_func=stop_quietly)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def stop_quietly(window: MainWindow) -> None:
    """A test that failed mid-run leaves its run going: stop it, so closing asks nothing (no one would answer)."""
    if window.job is not None and window.job.running:
        window.job.stop()
        window.job.wait()


@pytest.fixture
def window(qtbot, settings: QSettings) -> MainWindow:
    return open_window(qtbot, settings)


@pytest.fixture(params=sorted(SIZES))
def sized_window(request, qtbot, settings: QSettings) -> MainWindow:
    """The same flow at 1280×720 and at 800×600."""
    return open_window(qtbot, settings, SIZES[request.param])


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


@contextlib.contextmanager
def tmpfs_drive(folder: Path, options: str) -> Iterator[Path]:
    """A small drive of its own at `folder` (tmpfs with `options`, e.g. "ro,size=1m"); skips where none can be made."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
