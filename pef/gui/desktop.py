"""What the desktop offers around a long run: a notification when it ends, and no sleep while it goes."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

LONG_RUN_SECONDS = 60.0  # a shorter run is watched to its end: no notification


def notify(window: QWidget, title: str, text: str) -> str:
    """Tell the person a run ended, the way the platform offers; returns how ("" when it could not)."""
    QApplication.alert(window)  # the taskbar entry asks for attention everywhere
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = QSystemTrayIcon(window.windowIcon() if not window.windowIcon().isNull() else QIcon(), window)
        tray.show()
        tray.showMessage(title, text)
        return "tray"
    sender = shutil.which("notify-send") if sys.platform.startswith("linux") else None
    if sender:
        with contextlib.suppress(OSError):
            subprocess.Popen([sender, "--app-name=pef", title, text], stdin=subprocess.DEVNULL)
            return "notify-send"
    if sys.platform == "darwin" and (script := shutil.which("osascript")):
        quoted = text.replace('"', "'")
        with contextlib.suppress(OSError):
            subprocess.Popen([script, "-e", f'display notification "{quoted}" with title "{title}"'])
            return "osascript"
    return ""


class KeepAwake:
    """Keeps the computer from sleeping while held (systemd-inhibit, caffeinate, or Windows' own call)."""

    _WINDOWS_AWAKE = 0x80000000 | 0x00000001  # ES_CONTINUOUS | ES_SYSTEM_REQUIRED

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self.held_by = ""  # what holds it now ("" when released or not offered here)

    def hold(self, why: str) -> None:
        if self.held_by:
            return
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.kernel32.SetThreadExecutionState(self._WINDOWS_AWAKE)
            self.held_by = "SetThreadExecutionState"
            return
        command = None
        if sys.platform == "darwin" and shutil.which("caffeinate"):
            command = ["caffeinate", "-i"]
        elif inhibit := shutil.which("systemd-inhibit"):
            command = [inhibit, "--what=sleep:idle", "--who=pef", f"--why={why}", "--mode=block", "sleep", "infinity"]
        if command is None:
            return
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            self.held_by = command[0]

    def release(self) -> None:
        if sys.platform == "win32" and self.held_by:
            import ctypes

            ctypes.windll.kernel32.SetThreadExecutionState(0x80000000)
        if self._process is not None:
            self._process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            self._process = None
        self.held_by = ""
