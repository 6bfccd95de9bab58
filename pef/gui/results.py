"""The last step: the run's summary, and Review of what it could not do fully."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget

from pef.gui.review import ReviewPanel
from pef.takeout.parts import TakeoutParts

WELCOME = """How to start:

1. Ask Google for your photos at takeout.google.com (choose Google Photos) and download the parts
   (takeout-…-001.zip, -002.zip …).
2. Pick those parts above, or drop them on this window: there is no need to extract them. A Takeout
   folder you extracted works too. pef looks through it and says what it found.
3. Click Start. Your Takeout is never changed; pef writes into a new folder beside it.

You can pause, stop or close pef at any time: the next start offers to resume where it stopped."""


class Results(QTabWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary_view = QPlainTextEdit()
        self.summary_view.setReadOnly(True)
        self.summary_view.setAccessibleName("Summary")
        self.summary_view.setFont(QFont("monospace"))
        self.review = ReviewPanel()
        self.addTab(self.summary_view, "Summary")
        self.addTab(self.review, "Review")
        self.setTabToolTip(1, "The files pef could not match or copy, and what you can do about each")

    def clear(self, welcome: bool) -> None:
        """Nothing run yet for the Takeout shown (`welcome`: nor any Takeout chosen)."""
        self.summary_view.setPlainText(WELCOME if welcome else "")
        self.review.load(None, None)
        self.setTabText(1, "Review")

    def review_run(self, source: TakeoutParts | None, output: Path | None, zone: tzinfo | None, zone_name: str) -> None:
        self.review.load(source, output, zone, zone_name)
        rows = self.review.rows
        to_review = len(rows.unmatched) + len(rows.orphans) + len(rows.failed)
        self.setTabText(1, f"Review ({to_review:,})" if to_review else "Review")
