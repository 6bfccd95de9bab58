"""Command line: `pef --path SRC …` runs headless; `pef progress OUTPUT` reports on a run."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from pef import __version__
from pef.cli.console import ConsoleProgress
from pef.model.events import Level, Message, RunSummary
from pef.model.library import AlbumMode, DuplicateMode, Layout
from pef.model.records import RunSettings
from pef.present.parts import part_messages
from pef.present.words import human_bytes, terminal_safe
from pef.run.control import RunControl
from pef.run.engine import Engine
from pef.run.job import RunDeclined, RunRefused
from pef.run.preview import look_through
from pef.run.request import RequestRefused, RunRequest, resolve_run
from pef.state.outputs import OutputChoiceError, OutputLocked, lock_holder, unfinished_run
from pef.state.saved_run import SavedRun, read_saved_run
from pef.state.store import RunStatus, StateError, StateStore
from pef.takeout.parts import TakeoutParts, find_parts

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_INCOMPLETE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pef",
        usage="pef --path SRC [options]\n       pef progress OUTPUT [--clear]\n       pef   (no arguments: the window)",
        description="Copy a Google Photos Takeout into a clean library, with each sidecar's date, place and "
        "words written into its file. Run with no arguments to open the window.",
        epilog="Other commands:\n  pef progress OUTPUT   how far the run in OUTPUT got, what failed and why; "
        "--clear forgets it\n\nA plain re-run beside an unfinished run offers to continue it "
        "(--yes: continue; --force: a new folder).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--path",
        required=True,
        type=Path,
        nargs="+",
        action="extend",
        metavar="SRC",
        help="the Takeout folder (or its Google Photos folder), the downloaded .zip/.tgz parts, or a folder "
        "holding them; several may be given",
    )
    parser.add_argument("--output", type=Path, help="output folder (continued if it holds a run of the same source)")
    parser.add_argument("--resume", action="store_true", help="continue the latest SRC_pefProcessed* run")
    parser.add_argument(
        "--force",
        action="store_true",
        help="new folder ignoring any state; with --resume or --output: redo every file in that folder",
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
    parser.add_argument("--no-exif", action="store_true", help="only copy and set file times")
    parser.add_argument(
        "--no-name-dates",
        action="store_true",
        help="do not date files without a sidecar from their names (IMG_20190512_123456.jpg)",
    )
    parser.add_argument(
        "--xmp-files",
        action="store_true",
        help="also put an .xmp file beside every output (for asset managers that read them)",
    )
    library = parser.add_argument_group("your library (a continued run keeps its own unless one is given)")
    library.add_argument(
        "--albums",
        type=AlbumMode,
        choices=list(AlbumMode),
        help="album folders: keywords (default: one file per photo, albums in its metadata and albums.csv), "
        "link (album folders of links to it) or copy (full copies in every album folder)",
    )
    library.add_argument(
        "--layout",
        type=Layout,
        choices=list(Layout),
        help="folders: takeout (default: the Takeout's own), or by the date written: year, year/month, "
        "year/month/day (undated files in Undated)",
    )
    library.add_argument(
        "--trash",
        choices=("keep", "skip"),
        help="what you deleted in Google Photos: keep (default, in its own Trash folder) or skip",
    )
    library.add_argument(
        "--duplicates",
        type=DuplicateMode,
        choices=list(DuplicateMode),
        help="a photo uploaded twice (the same bytes): keep (default) both files, or link the second to the first",
    )
    parser.add_argument(
        "--suffix",
        action="append",
        default=[],
        metavar="S",
        help="another suffix of edited copies (e.g. -retouche); may be repeated",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="files processed at once (default: one per core, two on a spinning disk)",
    )
    parser.add_argument(
        "--timezone",
        default=None,  # auto, or the zone of the run being continued (see _zone_setting)
        metavar="ZONE",
        help="wall-clock zone for dates: auto (default: the zone at the photo's GPS place, else this "
        "computer's), local, UTC or Area/City",
    )
    parser.add_argument("--quiet", action="store_true", help="print only warnings, errors and the summary")
    parser.add_argument("--yes", action="store_true", help="answer yes to every question")
    parser.add_argument("--version", action="version", version=f"pef {__version__}")
    return parser


def _usage_error(message: str) -> int:
    print(terminal_safe(f"pef: error: {message}"), file=sys.stderr)
    return EXIT_USAGE


def _install_signal_handlers(control: RunControl) -> dict:
    """First Ctrl+C or SIGTERM: stop after the files in hand and save. Second Ctrl+C: quit at once."""
    interrupted = {"count": 0}

    def handler(signum: int, _frame: object) -> None:
        interrupted["count"] += 1
        if interrupted["count"] > 1 and signum == signal.SIGINT:
            os._exit(EXIT_INTERRUPTED)  # the journal already holds every finished file
        # a handler runs between two bytecodes of the main thread, perhaps inside a write to the same
        # stream or log: it does no buffered I/O and lets a thread tell the engine and its listeners
        os.write(2, "\nStopping after the files in hand… (Ctrl+C again to quit at once)\n".encode())
        threading.Thread(target=control.stop, name="pef-stop").start()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return interrupted


def _resume_command(source: Sequence[Path], output: Path | None = None) -> str:
    """A command a person can paste into a shell, whatever the folders are called."""
    paths = " ".join(shlex.quote(str(path)) for path in source)
    if output is None:
        return f"pef --path {paths} --resume"
    return f"pef --path {paths} --output {shlex.quote(str(output))}"


def _attach_suffix_values(argv: Sequence[str]) -> list[str]:
    """`--suffix -retouche` → `--suffix=-retouche`: every edit suffix starts with a dash."""
    joined, items = [], iter(argv)
    for item in items:
        value = next(items, None) if item == "--suffix" else None
        joined.append(f"--suffix={value}" if value is not None else item)
    return joined


def _continue_unfinished(args: argparse.Namespace) -> bool | None:
    """A plain re-run beside an unfinished run: continue it? True, False, or None when no one can say."""
    if args.resume or args.output is not None or args.force or args.dry_run:
        return False
    unfinished = unfinished_run(find_parts(args.path).home)
    if unfinished is None:
        return False
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return None
    answer = input(terminal_safe(f"An unfinished run of this Takeout is in {unfinished}. Continue it? [Y/n] "))
    return answer.strip().lower() not in ("n", "no")


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(_attach_suffix_values(argv))
    resume = _continue_unfinished(args)
    if resume is None:
        return _usage_error(
            f"an unfinished run of this Takeout is in {unfinished_run(find_parts(args.path).home)}. "
            f"Continue it with: {_resume_command(args.path)} — or start a new folder beside it with --force"
        )
    request = RunRequest(
        tuple(args.path),
        args.output,
        args.resume or resume,
        args.force,
        args.timezone,
        not args.no_exif,
        tuple(args.suffix),
        args.workers,
        name_dates=not args.no_name_dates,
        xmp_files=args.xmp_files,
        albums=args.albums,
        layout=args.layout,
        skip_trash=None if args.trash is None else args.trash == "skip",
        duplicates=args.duplicates,
    )
    try:
        resolved = resolve_run(request)
    except RequestRefused as error:
        return _usage_error(str(error))
    job, source = resolved.job, resolved.job.source
    console = ConsoleProgress(quiet=args.quiet)
    if args.dry_run:
        return _dry_run(source, job.output, job.settings, console)
    if resolved.note:
        console(Message(Level.INFO, resolved.note))
    control = RunControl()
    interrupted = _install_signal_handlers(control)
    engine = Engine(job, console, control, confirm=_confirmer(args.yes, console), stop_on_auto_pause=True)
    try:
        summary = engine.run()
    except (RunRefused, RunDeclined, OutputChoiceError) as error:
        return _usage_error(str(error))
    except OutputLocked as error:
        return _usage_error(str(error))
    except OSError as error:
        return _usage_error(f"cannot use the output folder {job.output}: {error.strerror or error}")
    finally:
        # everything is saved: a late Ctrl+C must not kill the process while it prints and exits
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return _exit_code(summary, source, interrupted["count"] > 0, console)


def _confirmer(yes: bool, console: ConsoleProgress):
    """Ask on a terminal; with --yes, or with no one to ask, never wait for an answer."""

    def confirm(question: str) -> bool:
        if yes:
            console(Message(Level.WARNING, question.replace(" Start anyway?", "") + " Starting anyway (--yes)."))
            return True
        if not sys.stdin.isatty():
            console(
                Message(Level.ERROR, question.split(" Start anyway?", maxsplit=1)[0] + " Add --yes to start anyway.")
            )
            return False
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")

    return confirm


def _exit_code(summary: RunSummary, source: TakeoutParts, interrupted: bool, console: ConsoleProgress) -> int:
    if summary.status == RunStatus.PAUSED and summary.reason:
        console(Message(Level.ERROR, f"pef paused by itself: {summary.reason}"))
    elif summary.reason:
        console(Message(Level.WARNING, summary.reason))
    if summary.status != RunStatus.COMPLETED:
        console(
            Message(
                Level.WARNING,
                f"Progress saved. Resume with: {_resume_command(source.chosen)}"
                if summary.output and summary.output.name.startswith(source.home.name)
                else f"Progress saved. Resume with: {_resume_command(source.chosen, summary.output)}",
            )
        )
        return EXIT_INTERRUPTED if interrupted else EXIT_INCOMPLETE
    return EXIT_FAILED_FILES if summary.failed else EXIT_OK


def _dry_run(parts: TakeoutParts, output: Path, settings: RunSettings, console: ConsoleProgress) -> int:
    survey, summary = look_through(parts, settings, output)
    for message in part_messages(survey):
        console(message)
    summary = RunSummary(**{**summary.__dict__, "dry_run": True, "report": None})
    console(Message(Level.INFO, f"Would copy {human_bytes(survey.total_bytes - summary.saved_bytes)}."))
    console.show_summary(summary)
    return EXIT_OK


def progress(argv: Sequence[str]) -> int:
    from pef.present.progress import describe_progress
    from pef.state.progress import clear_progress

    parser = argparse.ArgumentParser(prog="pef progress", description="Progress of a pef output folder.")
    parser.add_argument("output", type=Path)
    parser.add_argument("--clear", action="store_true", help="remove the saved progress of this folder")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)
    folder = args.output.expanduser().resolve()
    try:
        state = _saved_run(folder)
    except FileNotFoundError:
        return _usage_error(f"{folder} holds no pef progress")
    if not args.clear:
        print("\n".join(map(terminal_safe, describe_progress(state, lock_holder(folder)))))
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            return _usage_error("--clear needs --yes when no one can answer the question")
        answer = input(f"Remove the saved progress of {folder}? The copied files stay. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed.")
            return EXIT_OK
    try:
        clear_progress(folder)
    except OutputLocked as error:
        return _usage_error(str(error))
    print(f"Progress of {folder} removed; the next run there starts from the beginning.")
    return EXIT_OK


def _saved_run(folder: Path) -> SavedRun:
    if not StateStore(folder).exists():
        raise FileNotFoundError(folder)
    try:
        return read_saved_run(folder)
    except StateError as error:
        raise FileNotFoundError(folder) from error
