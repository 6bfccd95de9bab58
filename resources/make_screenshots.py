"""Screenshots of the real window for the README: `xvfb-run -a python resources/make_screenshots.py`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pef.gui.window import MainWindow  # noqa: E402
from tests.builders import TakeoutTree, jpeg_bytes, sidecar  # noqa: E402

OUT = ROOT / "resources" / "screenshots"


def takeout(root: Path) -> Path:
    tree = TakeoutTree(root / "Takeout")
    for index in range(2500):
        name = f"IMG_{index:05d}.jpg"
        tree.media(
            f"Photos from {2015 + index % 6}/{name}",
            jpeg_bytes((320, 240), (index % 255, 80, 120)),
            f"{name}.supplemental-metadata.json",
            sidecar(name, 1_450_000_000 + index * 3600),
        )
    for name in ("Screenshot_2019-05-12.png", "IMG_20190512_123456.jpg", "WhatsApp Image 2023-12-25.jpeg"):
        tree.media(f"Photos from 2019/{name}", jpeg_bytes(), None)
    tree.write_json("Photos from 2019/IMG_9999.jpg.json", sidecar("IMG_9999.jpg"))
    tree.media("Photos from 2019/broken.jpg", b"\xff\xd8\xff\xe0\x00", "broken.jpg.json", sidecar("broken.jpg"))
    return tree.root


def leave_unfinished(source: Path) -> None:
    """A run that stopped after 900 files, so the window offers to resume it."""
    from pef.model.events import FileFinished
    from pef.model.records import RunSettings
    from pef.run.control import RunControl
    from pef.run.engine import Engine
    from pef.run.job import Job
    from pef.state.outputs import default_output

    control = RunControl()

    def sink(event) -> None:
        if isinstance(event, FileFinished) and event.finished == 900:
            control.stop()

    Engine(Job(source, default_output(source), RunSettings()), sink, control).run()


def main() -> int:
    app = QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="pef-shots-"))
    window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(900, 760)
    window.show()
    source = takeout(work)
    leave_unfinished(source)

    def shot(name: str) -> None:
        window.grab().save(str(OUT / f"{name}.png"))

    def on_preview(_preview) -> None:
        window.preview_ready.disconnect(on_preview)
        window.show_preview()
        QTimer.singleShot(300, lambda: (shot("idle"), window.resume_unfinished(), QTimer.singleShot(500, running)))

    def running() -> None:
        shot("running")
        window.toggle_pause()
        QTimer.singleShot(1200, paused)

    def paused() -> None:
        shot("paused")
        window.toggle_pause()

    def finished(_summary) -> None:
        window.tabs.setCurrentWidget(window.review)
        QTimer.singleShot(300, lambda: (shot("review"), app.quit()))

    window.preview_ready.connect(on_preview)
    window.run_finished.connect(finished)
    window.set_source(source)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
