"""The parts a Takeout was read from, and what each held: the dry run, the preview and the run's start."""

from __future__ import annotations

from pef.model.events import Level, Message
from pef.present.words import human_bytes
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import Survey


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def parts_lines(survey: Survey) -> list[str]:
    """One line per part (nothing for a single Takeout folder read whole)."""
    source: PartsSource = survey.source
    missing = source.parts.missing()
    if source.parts.is_folder and not missing:
        return []
    media, sidecars = survey.found_in.media, survey.found_in.sidecars
    lines = [f"Read from {_plural(len(source.held), 'part')}" + (f", {len(missing)} missing:" if missing else ":")]
    for held in source.held:
        kind = held.part.kind.value
        what = (
            f"{_plural(media[held.part], 'media file')}, {_plural(sidecars[held.part], 'sidecar')}, "
            f"{human_bytes(held.size)}"
        )
        problem = f" — damaged: {held.problem}" if held.problem else ""
        lines.append(f"  {held.part.name} ({kind}): {what}{problem}")
    lines += [f"  {name}: missing (not beside the other parts)" for name in missing]
    return lines


def part_warnings(source: PartsSource) -> list[str]:
    """A sentence for each part that is damaged or missing: the rest is read all the same."""
    warnings = [
        f"{held.part.name} is damaged: {held.problem}. The other parts are read; download it again and resume."
        for held in source.held
        if held.problem
    ]
    warnings += [
        f"{name} is missing: the parts beside it go up to a later number. Download it, put it with them and resume."
        for name in source.parts.missing()
    ]
    return warnings


def part_messages(survey: Survey) -> list[Message]:
    """What both faces say about the parts before a run (or a dry run): each part, then what is wrong."""
    lines = [Message(Level.INFO, line) for line in parts_lines(survey)]
    return lines + [Message(Level.WARNING, warning) for warning in part_warnings(survey.source)]
