"""The terminal's view of a run: a progress bar with rate and ETA, messages, the closing summary."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from pef.model.events import (
    ControlChanged,
    Event,
    FileFinished,
    FileRetrying,
    Level,
    Message,
    RunFinished,
    RunStarted,
    RunSummary,
    ScanFinished,
)
from pef.present.meter import RateMeter
from pef.present.words import human_bytes, summary_lines, terminal_safe

TTY_REFRESH_SECONDS = 0.1
LOG_REFRESH_SECONDS = 10.0


class ConsoleProgress:
    """An event sink that draws on a terminal (or prints a line now and then into a log)."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, out: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr  # progress and messages
        self.out = out or sys.stdout  # the summary: the command's result
        self.tty = self.stream.isatty()
        self.meter = RateMeter()
        self._last_draw = 0.0
        self._bar_shown = False

    def _print(self, text: str, force: bool = False) -> None:
        if self.quiet and not force:
            return
        self._clear_bar()
        print(terminal_safe(text), file=self.stream, flush=True)

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.stream.write("\r\x1b[2K")
            self._bar_shown = False

    def __call__(self, event: Event) -> None:
        match event:
            case Message(level=Level.INFO, text=text):
                self._print(text)
            case Message(level=level, text=text):
                self._print(f"{level.value}: {text}", force=True)
            case ScanFinished(media=media, sidecars=sidecars, media_bytes=size):
                self._print(f"Found {media:,} media files ({human_bytes(size)}) and {sidecars:,} sidecars.")
            case RunStarted(output=output, total=total, already_done=done, done_bytes=done_bytes):
                self.meter.start(done, done_bytes)
                self._print(f"Output: {output}")
                if done:
                    self._print(f"Resuming: {done:,} of {total:,} already done.")
            case FileFinished():
                self._progress(event)
            case FileRetrying(retry=retry, delay=delay, error=error):
                self._print(f"warning: {error} — retry {retry} of 3 in {delay:.0f} s", force=True)
            case ControlChanged(state="paused", reason=reason) if reason:
                self.meter.pause()
                self._print(f"warning: paused: {reason}", force=True)
            case ControlChanged(state=state) if state in ("paused", "running"):
                if state == "paused":
                    self.meter.pause()
                else:
                    self.meter.resume()
                self._print("Paused." if state == "paused" else "Resumed.")
            case RunFinished(summary=summary):
                self.show_summary(summary)

    def show_summary(self, summary: RunSummary) -> None:
        self._clear_bar()
        self.stream.flush()
        print("\n".join(map(terminal_safe, summary_lines(summary))), file=self.out, flush=True)

    def _progress(self, event: FileFinished) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        interval = TTY_REFRESH_SECONDS if self.tty else LOG_REFRESH_SECONDS
        if now - self._last_draw < interval and event.finished < event.total:
            return
        self._last_draw = now
        reading = self.meter.read(event.finished, event.total, event.bytes_done)
        percent = 100 * event.finished / event.total if event.total else 100
        text = (
            f"{event.finished:,}/{event.total:,} {percent:5.1f}% | {reading.files_per_second:,.1f} files/s "
            f"{human_bytes(reading.bytes_per_second)}/s | ETA {reading.left}"
        )
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns
            bar_width = max(10, min(30, width - len(text) - 4))
            filled = int(bar_width * percent / 100)
            line = f"[{'#' * filled}{'.' * (bar_width - filled)}] {text}"
            self.stream.write("\r\x1b[2K" + line[: width - 1])
            self.stream.flush()
            self._bar_shown = True
        else:
            print(text, file=self.stream, flush=True)
