"""A framed line that stands out by its frame and words, not by colour alone."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


def banner(text_label: QLabel, button: QPushButton) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAutoFillBackground(True)
    frame.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    layout = QHBoxLayout(frame)
    text_label.setWordWrap(True)
    layout.addWidget(text_label, 1)
    layout.addWidget(button)
    return frame
