"""Thumbnails for Review, decoded at thumbnail size on the thread pool, kept for the rows seen."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from pef.gui.background import Background
from pef.takeout.naming import VIDEO_EXTENSIONS

KEPT = 2000  # thumbnails held in memory (the newest asked for)


def read_thumbnail(path: Path, size: int) -> QImage | None:
    """The image at `path` decoded straight to about `size` pixels (None: Qt cannot read it). Any thread."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # the camera's orientation
    full = reader.size()
    if not full.isValid():
        return None
    reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def placeholder(path: Path, size: int) -> QPixmap:
    """What stands for a file Qt cannot show: a film for videos, a page for the rest."""
    video = path.suffix.lower() in VIDEO_EXTENSIONS
    icon = QApplication.style().standardIcon(
        QStyle.StandardPixmap.SP_MediaPlay if video else QStyle.StandardPixmap.SP_FileIcon
    )
    return icon.pixmap(QSize(size, size))


class Thumbnails(QObject):
    """`get` answers at once (None while decoding); `ready(path)` says when a thumbnail has arrived."""

    ready = Signal(str)

    def __init__(self, size: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self._kept: OrderedDict[str, QPixmap] = OrderedDict()
        self._asked: set[str] = set()
        self.background = Background(self)
        self.background.done.connect(self._arrived)

    def get(self, path: Path) -> QPixmap | None:
        key = str(path)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        if key not in self._asked:
            self._asked.add(key)
            if path.suffix.lower() in VIDEO_EXTENSIONS:  # no video decoder in pef's Qt: the film icon
                self._arrived(key, None)
                return self._kept[key]
            pixels = round(self.size * self._ratio())  # sharp on a HiDPI screen
            self.background.run(key, lambda: read_thumbnail(path, pixels))
        return None

    def _arrived(self, key: str, image: object) -> None:
        self._asked.discard(key)
        if isinstance(image, QImage):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self._ratio())
        else:
            pixmap = placeholder(Path(key), self.size)
        self._kept[key] = pixmap
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        self.ready.emit(key)

    @staticmethod
    def _ratio() -> float:
        return QApplication.instance().devicePixelRatio()

    def icon(self, path: Path) -> QIcon | None:
        pixmap = self.get(path)
        return QIcon(pixmap) if pixmap is not None else None

    def wait(self) -> None:
        self.background.wait()
