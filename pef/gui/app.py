"""Start the window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from pef import __version__
from pef.gui.window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("pef")
    app.setOrganizationName("pef")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    return app.exec()
