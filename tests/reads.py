"""Which files this process reads: the source a module makes, swapped for one that notes each head it reads."""

from __future__ import annotations

from types import ModuleType

import pytest

from pef.takeout.parts_source import PartsSource


def photos_read_by(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the media files (not the sidecars) read through `module`'s `PartsSource` from now on."""
    read: list[str] = []

    class Watched(PartsSource):
        def read_head(self, key: str, size: int) -> bytes:
            if not key.endswith(".json"):
                read.append(key)
            return super().read_head(key, size)

    monkeypatch.setattr(module, "PartsSource", Watched)
    return read
