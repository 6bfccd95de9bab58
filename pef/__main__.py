"""`pef` opens the window; `pef --path SRC …` runs on the command line; `pef progress OUTPUT` reports."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from pef.gui.app import run_app

        return run_app()
    from pef import cli

    if args[0] == "progress":
        return cli.progress(args[1:])
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
