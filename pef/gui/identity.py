"""How pef presents itself to the desktop: its name, version, icon and launcher entry."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pef import __version__
from pef.resources import APP_ID, ICON_SIZES, icon_png


@cache
def app_icon() -> QIcon:
    """pef's icon at every size it ships, so each place (title bar, task bar, About) gets a sharp one."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    return icon


def present(app: QApplication) -> None:
    app.setApplicationName("pef")
    app.setOrganizationName("pef")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # how Wayland and the task bar tie the window to its launcher entry
    app.setWindowIcon(app_icon())
