"""pef's icon, desktop entry and AppStream metainfo, installed with pef as the package `pef.resources`."""

from pathlib import Path

APP_ID = "io.github.pef.Pef"  # the launcher entry's and the AppStream file's name, reverse-DNS
HERE = Path(__file__).resolve().parent
SVG = HERE / "pef.svg"
DESKTOP_ENTRY = HERE / f"{APP_ID}.desktop"
METAINFO = HERE / f"{APP_ID}.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_png(size: int) -> Path:
    """The icon drawn at `size` pixels square (one of ICON_SIZES)."""
    return HERE / "icons" / f"pef-{size}.png"
