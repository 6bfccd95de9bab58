"""The bundled app's entry point: the same `main` as the `pef` command."""

import sys

from pef.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
