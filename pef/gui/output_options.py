"""Where a run writes: a new folder, the latest unfinished run, or a folder of the person's choice.

The choice is resolved by the same rules as the command line's (`choose_output`), so the window can
never write where the command line would refuse to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from pef.run.preview import find_unfinished
from pef.state.outputs import OutputChoiceError, choose_output
from pef.takeout.parts import TakeoutParts

NEW, RESUME, CHOOSE = 0, 1, 2


class OutputOptions(QGroupBox):
    shown = Signal(str)  # the line saying where a run would write

    def __init__(self, source: Callable[[], TakeoutParts | None]) -> None:
        super().__init__("Where to write")
        self._source = source
        self.mode_new = QRadioButton("&New folder beside the Takeout")
        self.mode_new.setToolTip("A new folder named after the Takeout, e.g. Takeout_pefProcessed")
        self.mode_resume = QRadioButton("Resume the unfinished run")
        self.mode_resume.setVisible(False)  # offered when there is an unfinished run
        self.mode_resume.setToolTip("Go on with the run that was stopped or interrupted; nothing is done twice")
        self.mode_choose = QRadioButton("Into this folder:")
        self.mode_choose.setToolTip("An empty folder, or one pef wrote before (then its run is continued)")
        self.modes = QButtonGroup(self)
        for mode, button in ((NEW, self.mode_new), (RESUME, self.mode_resume), (CHOOSE, self.mode_choose)):
            self.modes.addButton(button, mode)
        self.mode_new.setChecked(True)
        self.modes.idToggled.connect(lambda *_: self.refresh())
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName("Output folder")
        self.output_edit.textEdited.connect(lambda _: self.mode_choose.setChecked(True))
        self.output_edit.textEdited.connect(lambda _: self.refresh())
        self.output_edit.setMaximumWidth(560)
        self.output_button = QPushButton("Choose…")
        self.output_button.setAccessibleName("Choose the output folder")
        self.output_button.clicked.connect(self.choose_folder)
        self.force_box = QCheckBox("Re&do every file there")
        self.force_box.setToolTip("Ignore the progress saved in that folder and write every file again")
        self.output_label = QLabel()
        self.output_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.mode_choose)
        row.addWidget(self.output_edit, 1)
        row.addWidget(self.output_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.mode_new)
        layout.addWidget(self.mode_resume)
        layout.addLayout(row)
        layout.addWidget(self.force_box)
        layout.addWidget(self.output_label)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the output folder", self.output_edit.text())
        if folder:
            self.output_edit.setText(folder)
            self.mode_choose.setChecked(True)
            self.refresh()

    def target(self) -> tuple[Path | None, bool]:
        """What the person chose: a folder (None: a new one) and whether to redo every file there."""
        source, mode, typed = self._source(), self.modes.checkedId(), self.output_edit.text().strip()
        if mode == RESUME and source is not None and (unfinished := find_unfinished(source.home)):
            return unfinished.folder, self.force_box.isChecked()
        if mode == CHOOSE and typed:
            return Path(typed), self.force_box.isChecked()
        return None, False

    def choice(self) -> tuple[Path, bool] | None:
        """The folder a run would write to and whether to redo every file there; OutputChoiceError if refused."""
        source = self._source()
        if source is None:
            return None
        folder, force = self.target()
        choice = choose_output(source.home, folder, resume=False, force=force, parts=source.paths)
        return choice.folder, choice.redo_all

    def refresh(self) -> None:
        try:
            choice = self.choice()
        except OutputChoiceError as error:
            self.show_text(f"Cannot use that output folder: {error}.")
            return
        if choice is None:
            self.show_text("")
            return
        folder, redo = choice
        self.show_text(f"Output: {folder}" + (" — every file will be redone" if redo else ""))

    def show_text(self, text: str) -> None:
        self.output_label.setText(text)
        self.shown.emit(text)
        # a wrapped label's new height is not asked for by the layout on its own: a long refusal was cut off
        self.output_label.setMinimumHeight(
            max(0, self.output_label.heightForWidth(max(self.output_label.width(), 200)))
        )
