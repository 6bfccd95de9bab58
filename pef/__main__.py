"""`pef` opens the window; `pef --path SRC …` runs on the command line; `pef progress OUTPUT` reports."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence

NO_DISPLAY = "pef: no display found, so the window cannot open. Use the command line: pef --path TAKEOUT (pef --help)"


def display_missing() -> bool:
    """On Linux and the BSDs a window needs X11 or Wayland; without either, Qt would abort the process."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a bundled pef starts its worker processes through its own executable
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        if display_missing():
            print(NO_DISPLAY, file=sys.stderr)
            return 2
        from pef.gui.app import run_app

        return run_app()
    from pef import cli

    try:
        if args[0] == "progress":
            return cli.progress(args[1:])
        return cli.run(args)
    except BrokenPipeError:  # `pef … | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
