"""Light, dark or the system's look: palettes only, so every widget stays readable in each."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

APPEARANCES = ("system", "light", "dark")
_SYSTEM: dict[str, object] = {}  # the style and palette the app started with


def dark_palette() -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#353535",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#9a9a9a",
        role.Text: "#e6e6e6",
        role.Button: "#353535",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Link: "#6cb4ff",
        role.Highlight: "#3d7bd9",
        role.HighlightedText: "#ffffff",
    }
    for name, colour in colours.items():
        palette.setColor(name, QColor(colour))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, name, QColor("#7a7a7a"))
    return palette


def apply_appearance(name: str) -> None:
    app = QApplication.instance()
    if not _SYSTEM:
        _SYSTEM.update(style=app.style().name(), palette=QPalette(app.palette()))
    if name == "system":
        app.setStyle(QStyleFactory.create(_SYSTEM["style"]))
        app.setPalette(_SYSTEM["palette"])
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette() if name == "dark" else app.style().standardPalette())
