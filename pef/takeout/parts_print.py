"""A Takeout's print: its parts' listings as a run would read them, with the settings and pef's version."""

from __future__ import annotations

import hashlib
import json
import os

from pef import __version__
from pef.model.records import RunSettings
from pef.state.tree_print import tree_print
from pef.takeout.parts import PartKind, TakeoutParts


def listing_print(parts: TakeoutParts, settings: RunSettings) -> str | None:
    """A folder part counts by its tree, an archive by its size and time; None when a part cannot be looked at."""
    digest = hashlib.blake2b(json.dumps([__version__, settings.as_json(), parts.missing()]).encode(), digest_size=20)
    for part in parts.parts:
        if part.kind is PartKind.FOLDER:
            inner = tree_print(part.path)
        else:
            try:
                found = os.stat(part.path)
            except OSError:
                return None
            inner = f"{found.st_size}:{found.st_mtime_ns}:{found.st_ino}"
        if inner is None:
            return None
        digest.update(os.fsencode(part.path) + f"\0{part.kind.value}\0{inner}\0".encode())
    return digest.hexdigest()
