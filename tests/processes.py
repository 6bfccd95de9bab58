"""Other processes, seen through /proc as a person's `ps` would see them."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

Children = set[multiprocessing.process.BaseProcess]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def command_line(pid: int) -> bytes:
    """A process's arguments, NUL-separated; b"" once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def new_children(before: Children, seconds: float = 30) -> Children:
    """This process's children that are not in `before`, once there are any (within `seconds`)."""
    deadline = time.monotonic() + seconds
    while not (found := set(multiprocessing.active_children()) - before) and time.monotonic() < deadline:
        time.sleep(0.005)
    return found


def still_alive(processes: Children, seconds: float = 30) -> int:
    """How many of these processes have not ended within `seconds` (a pool let go of ends them on its own).

    Polled, not joined: the pool's own thread joins them too, and a join that loses that race returns at once.
    """
    deadline = time.monotonic() + seconds
    while any(process.is_alive() for process in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    return sum(process.is_alive() for process in processes)
