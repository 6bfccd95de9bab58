"""The command line: `pef --path SRC …` and `pef progress OUTPUT`."""

from pef.cli.main import progress, run

__all__ = ["progress", "run"]
