"""What `pef progress` prints about a saved run."""

from __future__ import annotations

from pef.state.saved_run import SavedRun


def _share(count: int, total: int) -> str:
    return f"{count:>9,}  {100 * count / total:5.1f}%" if total else f"{count:>9,}"


def status_words(status: str, holder: str | None) -> str:
    """The saved status as it is now: a run no live process holds is not "running", whatever the file says."""
    if holder is not None:
        return (
            f"{status} (pef process {holder} is working on it)"
            if status != "paused"
            else (f"paused (in pef process {holder}; resume it there)")
        )
    if status == "completed":
        return "completed"
    if status == "running":
        return "interrupted (no pef process is running it now; run pef again to continue it)"
    return f"{status} (no pef process is running it now; run pef again to continue it)"


def describe_progress(state: SavedRun, holder: str | None = None) -> list[str]:
    """`holder`: the pid of the live process holding the folder's lock, or None."""
    counts = state.counts
    total = counts["total"]
    finished = total - counts["pending"]
    lines = [
        f"Source:       {state.source_path}",
        *(f"  part        {part}" for part in state.parts if len(state.parts) > 1 or part != state.source_path),
        f"Status:       {status_words(state.status, holder)}",
        f"Library:      albums {state.settings.albums}, folders {state.settings.layout}, "
        f"Trash {'left out' if state.settings.skip_trash else 'kept'}, duplicates {state.settings.duplicates}",
        f"Started:      {state.started}",
        f"Last update:  {state.last_updated}",
        f"Media files:  {total:>9,}",
        f"  done        {_share(counts['done'], total)}",
        f"  unmatched   {_share(counts['unmatched'], total)}",
        f"  failed      {_share(counts['failed'], total)}",
        f"  pending     {_share(counts['pending'], total)}",
    ]
    if finished:
        succeeded = counts["done"] + counts["unmatched"]
        lines.append(
            f"Success rate: {100 * succeeded / finished:.1f}% of the {finished:,} files finished "
            "(unmatched files count as copied)"
        )
    links = state.links
    if links:
        words = {"hard": "hard links", "symbolic": "symbolic links", "none": "no file (albums in the photo's)"}
        counted = ", ".join(f"{count:,} {words[kind]}" for kind, count in sorted(links.items()))
        lines.append(f"Album copies and duplicates: {counted}")
    if state.failed:
        lines.append("Failed files:")
        lines += [f"  {key}: {text}" for key, text in state.failed]
    return lines
