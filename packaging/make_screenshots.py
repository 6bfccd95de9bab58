"""Screenshots of the real window at 1280×720, one per state: `xvfb-run -a python packaging/make_screenshots.py`.

The window is driven as a person would drive it (clicks, the real dialogs); the full disk of the
auto-pause is the one thing made up: the output drive refuses files for a while.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pef.run.engine as engine_module  # noqa: E402
from pef.gui.appearance import apply_appearance  # noqa: E402
from pef.gui.window import MainWindow  # noqa: E402
from pef.run.output_files import OutputFiles  # noqa: E402
from tests.archives import zip_parts  # noqa: E402
from tests.builders import TakeoutTree, jpeg_bytes, mp4_bytes, png_bytes, sidecar  # noqa: E402
from tests.promises import unique_jpeg  # noqa: E402

OUT = ROOT / "resources" / "screenshots"
DRIVE = {"created": 0, "full_from": 700, "full_until": 10**9}


class SometimesFull(OutputFiles):
    """The output drive fills up after 700 files, until the script frees it."""

    def create(self, path: Path) -> int:
        DRIVE["created"] += 1
        if DRIVE["full_from"] <= DRIVE["created"] < DRIVE["full_until"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return super().create(path)


def use_the_sometimes_full_drive() -> None:
    """Every run writes to SometimesFull, handed to the engine: the run then stays in this process, where it is."""
    engine = engine_module.Engine.__init__

    def on_the_sometimes_full_drive(self, *args, files=None, **kwargs) -> None:
        engine(self, *args, files=files or SometimesFull(), **kwargs)

    engine_module.Engine.__init__ = on_the_sometimes_full_drive


def takeout(root: Path) -> Path:
    tree = TakeoutTree(root / "Takeout")
    for index in range(3000):
        name = f"IMG_{index:05d}.jpg"
        data = unique_jpeg(index, (48, 36))
        meta = sidecar(name, 1_450_000_000 + index * 3600)
        tree.media(f"Photos from {2015 + index % 6}/{name}", data, f"{name}.supplemental-metadata.json", meta)
        if index % 75 == 0:  # in an album too, as Google's download has it: the same bytes again
            tree.media(f"Holiday/{name}", data, f"{name}.supplemental-metadata.json", meta)
        if index % 1000 == 1:
            tree.media(f"Bin/{name}", jpeg_bytes((160, 120), (10, 10, 40)), f"{name}.supplemental-metadata.json", meta)
    tree.write_json("Holiday/metadata.json", {"title": "Holiday"})
    trip = "Photos from 2019"
    tree.media(f"{trip}/beach photo.jpg", jpeg_bytes((320, 240), (30, 140, 210)), None)
    tree.write_json(f"{trip}/beach.jpg.json", sidecar("beach.jpg", 1_557_600_000, geo=(43.2965, 5.3698, 0.0)))
    tree.media(f"{trip}/IMG_20190512_123456.jpg", jpeg_bytes((320, 240), (230, 190, 40)), None)
    tree.media(f"{trip}/Screenshot_2019-05-12-12-34-56.png", png_bytes((240, 320)), None)
    tree.media(f"{trip}/WhatsApp Image 2023-12-25 at 14.30.45.jpeg", jpeg_bytes((240, 320), (200, 40, 60)), None)
    tree.media(f"{trip}/scan.jpg", jpeg_bytes((320, 240), (120, 120, 120)), None)
    tree.media(f"{trip}/clip.mp4", mp4_bytes(), None)
    tree.media(f"{trip}/broken.jpg", b"\xff\xd8\xff\xe0\x00", "broken.jpg.json", sidecar("broken.jpg"))
    return tree.root


def pause(milliseconds: int) -> None:
    """Let the window's event loop run a while. QTest.qWait would keep the GIL all along: a run on threads
    (the made-up drive keeps the run in this process) would crawl at a few files a second."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(done)
        pause(20)


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    pause(50)


def choose(window: MainWindow, source: Path) -> None:
    """Type a Takeout (a folder, or a folder of parts), wait until it is looked through, and preview it."""
    window.source_edit.clear()
    QTest.keyClicks(window.source_edit, str(source))
    QTest.keyClick(window.source_edit, Qt.Key.Key_Return)
    wait_until(lambda: window.preview is not None and window.preview.source.chosen == (source.resolve(),))
    click(window.preview_button)


def library_preview(window: MainWindow) -> None:
    """The options open, folders by month and albums as links, and what Preview says they would make."""
    click(window.options.toggle)
    window.library.layout_box.setCurrentIndex(window.library.layout_box.findData("year/month"))
    window.library.albums_box.setCurrentIndex(window.library.albums_box.findData("link"))
    click(window.preview_button)
    wait_until(lambda: "Folders:" in window.summary_view.toPlainText())


def main() -> int:
    app = QApplication(sys.argv)  # noqa: F841 (kept alive until the end)
    work = Path(tempfile.mkdtemp(prefix="pef-shots-"))
    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 720)
    window.show()
    use_the_sometimes_full_drive()

    def shot(name: str) -> None:
        pause(300)
        window.grab().save(str(OUT / f"{name}.png"))

    shot("start")
    source = takeout(work)
    choose(window, source)
    shot("chosen")
    click(window.start_button)
    wait_until(lambda: window.run_view.progress.value() > 150)
    shot("running")
    click(window.pause_button)
    wait_until(lambda: window.job.control.paused and window.run_view.status_label.text().startswith("Paused"))
    shot("paused")
    click(window.pause_button)
    wait_until(window.run_view.pause_banner.isVisible)
    shot("auto-pause")
    DRIVE["full_until"] = 0  # space freed
    click(window.run_view.pause_resume_button)
    wait_until(lambda: window.summary is not None)
    shot("finished")
    bar = window.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    table = window.review.unmatched
    wait_until(lambda: table.proxy.rowCount() > 0)
    table.view.selectRow(0)
    wait_until(lambda: not window.review.resolve.candidates_label.text().startswith("Looking"))
    pause(1000)  # the thumbnails
    shot("review")
    for row in range(table.proxy.rowCount()):
        if table.proxy.index(row, 0).data() == "beach photo.jpg":
            table.view.selectRow(row)
    wait_until(lambda: window.review.resolve.candidates.count() > 0)
    shot("resolve")
    apply_appearance("dark")
    shot("dark")
    apply_appearance("system")
    zip_parts(source, work / "Downloads", count=3)
    choose(window, work / "Downloads")
    shot("parts")
    choose(window, source)
    library_preview(window)
    shot("library")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
