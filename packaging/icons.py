"""pef's icon in every form from one SVG: `python packaging/icons.py` renders resources/icons/pef-N.png.

The PNGs are committed (they are the hicolor theme's files and the window's icon); the build script
calls `platform_icons` to make the Windows .ico and the macOS .icns from them with Pillow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pef.resources import ICON_SIZES, SVG, icon_png

ROOT = Path(__file__).resolve().parents[1]

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows uses; .ico holds no size above 256
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # Pillow's ICNS writer packs these


def render(size: int, path: Path) -> Path:
    """Draw the SVG `size` pixels square with Qt's SVG renderer, antialiased, on a transparent ground."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing into an image needs no screen
    _app = QGuiApplication.instance() or QGuiApplication(["icons"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: Qt cannot read this SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise SystemExit(f"{path}: could not write it")
    return path


def render_pngs() -> list[Path]:
    return [render(size, icon_png(size)) for size in ICON_SIZES]


def platform_icons(folder: Path) -> tuple[Path, Path]:
    """Write pef.ico (Windows) and pef.icns (macOS) into `folder` from the committed PNGs (and a 1024 px one)."""
    from PIL import Image

    retina = Image.open(render(1024, folder / "pef-1024.png"))  # macOS's 512 px at twice the density
    ico, icns = folder / "pef.ico", folder / "pef.icns"
    smaller = [Image.open(icon_png(size)) for size in ICO_SIZES[:-1]]  # each drawn at its size, not shrunk
    Image.open(icon_png(256)).save(ico, format="ICO", sizes=[(size, size) for size in ICO_SIZES], append_images=smaller)
    retina.save(icns, format="ICNS", append_images=[Image.open(icon_png(size)) for size in ICNS_SIZES])
    return ico, icns


if __name__ == "__main__":
    for path in render_pngs():
        print(path.relative_to(ROOT))
    sys.exit(0)
