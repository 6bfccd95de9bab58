"""What the bench scripts share: Takeouts of real files, and timing a command with its peak memory."""

from __future__ import annotations

import argparse
import compileall
import contextlib
import functools
import importlib.util
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

BASE_INSTANT = 1_561_975_200
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def python_for(repo: Path | None = None) -> list[str]:
    """A Python that imports pef as installed, or from the checkout at `repo`, with its bytecode compiled.

    Compiled first and allowed to be read, as after `pip install`: with PYTHONDONTWRITEBYTECODE set (some
    shells set it) every pef process, worker processes too, would compile pef's source at each start,
    about 0.15 s each here, which no installed pef does. `-P`: the working folder (or a script's) is not
    put first on the path, where, from a checkout's root, it would stand in for `repo`.
    """
    package = repo.resolve() / "pef" if repo else Path(importlib.util.find_spec("pef").origin).parent
    compileall.compile_dir(package, quiet=1)
    path = [f"PYTHONPATH={repo.resolve()}"] if repo else []
    return ["env", "-u", "PYTHONDONTWRITEBYTECODE", *path, sys.executable, "-P"]


def pef_command(repo: Path | None = None) -> list[str]:
    """pef as installed, or the checkout at `repo` (to compare two versions on the same data)."""
    return [*python_for(repo), "-m", "pef"]


def jpeg_of_size(seed: int, width: int, height: int, quality: int = 92) -> bytes:
    """A JPEG with camera EXIF whose noise compresses like a real photo's detail."""
    rng = random.Random(seed)
    noise = Image.frombytes("RGB", (width // 4, height // 4), rng.randbytes(width * height * 3 // 16))
    image = noise.resize((width, height), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Google", "Pixel 7"
    exif.get_ifd(0x8769)[0x9003] = "2019:07:01 12:00:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def phone_jpeg(seed: int) -> bytes:
    """About 3 MB, 12 megapixels' worth of detail."""
    return jpeg_of_size(seed, 2800, 2100)


def small_jpeg(seed: int) -> bytes:
    """About 30 KB: a thumbnail-sized photo, where per-file cost is all there is."""
    return jpeg_of_size(seed, 320, 240, quality=80)


def tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def unique(jpeg: bytes, index: int) -> bytes:
    """The JPEG with a comment naming its index: every photo its own bytes, none a duplicate of another."""
    comment = f"photo {index:09d}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def sidecar(name: str, index: int) -> str:
    return json.dumps(
        {
            "title": name,
            "description": f"photo {index}" if index % 3 == 0 else "",
            "photoTakenTime": {"timestamp": str(BASE_INSTANT + index * 60), "formatted": ""},
            "creationTime": {"timestamp": "1700000000", "formatted": ""},
            "geoData": {"latitude": 48.85 + index / 1e5, "longitude": 2.35, "altitude": 35.0},
        }
    )


def make_takeout(root: Path, files: int, bodies: list[bytes], per_folder: int = 2000) -> int:
    """`files` photos (cycling through `bodies`) with their sidecars in year folders; returns the bytes of media."""
    total = 0
    for index in range(files):
        folder = root / "Takeout" / "Google Photos" / f"Photos from {2000 + index // per_folder}"
        if index % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        name = f"IMG_{index:07d}.jpg"
        data = unique(bodies[index % len(bodies)], index)
        (folder / name).write_bytes(data)
        total += len(data)
        (folder / f"{name}.supplemental-metadata.json").write_text(sidecar(name, index))
    return total


def drop_caches() -> bool:
    """Empty the page cache (root only): both programs then read from disk alike."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


FRESH_FS_HELP = (
    "write each timed output into a new ext4 file system (root, mkfs.ext4 and a loop device; its image in the "
    "work folder, on the same disk): an ext4 without a journal that has just had many files deleted "
    "creates new ones several times slower for minutes, whichever program comes next"
)


@contextlib.contextmanager
def fresh_filesystem(mount: Path, data_bytes: int, files: int) -> Iterator[Path]:
    """A new ext4 mounted at `mount` for one timing, room for `files` files of `data_bytes` in all, twice over.

    ext4 without a journal, as this machine's disk is, does not hand out an inode freed in the last minute
    (it reads each candidate's inode table to know): after `rm -rf` of many files, making a file took
    160–670 µs here against 8 µs on tmpfs, so every timing that followed another's removal measured the
    removal as much as the program. The new file system has a journal, as a desktop's ext4 has.
    """
    image = mount.with_name(f"{mount.name}.img")
    mount.mkdir()
    with image.open("wb") as sparse:
        sparse.truncate(max(1 << 30, 4 * data_bytes + 16 * 1024 * files))
    inodes = 2 * files + 10_000  # a sidecar and a folder or two to each photo, at most
    subprocess.run(["mkfs.ext4", "-q", "-F", "-N", str(inodes), str(image)], check=True)
    subprocess.run(["mount", "-o", "loop", str(image), str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)
        image.unlink()
        mount.rmdir()


Fresh = Callable[[], contextlib.AbstractContextManager[Path]]  # a new file system for one timing


def with_fresh_fs(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The parser's arguments, with `--fresh-fs` among them (refused where no file system can be made)."""
    parser.add_argument("--fresh-fs", action="store_true", help=FRESH_FS_HELP)
    args = parser.parse_args()
    if args.fresh_fs and not (os.geteuid() == 0 and shutil.which("mkfs.ext4")):
        parser.error("--fresh-fs needs root and mkfs.ext4")
    return args


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mb: float  # the command's peak resident memory


def timed(command: list[str], *, cold: bool = False, sync: bool = True) -> Timing:
    """Run a command to its end; `sync`: the clock stops only when its bytes are on disk.

    Every timing starts with nothing waiting to be written (an earlier run's dirty pages would slow this one).
    The peak memory is GNU time's (`apt-get install time`): a child forked from this script would count
    the script's own pages as its peak.
    """
    os.sync()
    if cold:
        drop_caches()
    with tempfile.NamedTemporaryFile("r") as report:
        measured = [GNU_TIME, "-f", "%M", "-o", report.name, *command] if GNU_TIME else command
        started = time.perf_counter()
        process = subprocess.Popen(measured, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
        if sync:
            os.sync()
        seconds = time.perf_counter() - started
        peak_kb = int(report.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return Timing(seconds, peak_kb / 1024)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def median_of(timings: list[Timing]) -> Timing:
    ordered = sorted(timings, key=lambda timing: timing.seconds)
    return Timing(ordered[len(ordered) // 2].seconds, max(timing.peak_mb for timing in timings))


def compare(
    labels_commands: dict[str, list[str]],
    rounds: int,
    after: dict[str, Callable[[], None]],
    fresh: Fresh | None = None,
    **timing,
) -> dict[str, Timing]:
    """Each command once per round, interleaved (a shared machine's noise falls on all alike); medians.

    `fresh`: each timing inside a new file system, where the commands write (see `side_by_side`).
    """
    found: dict[str, list[Timing]] = {label: [] for label in labels_commands}
    for _ in range(rounds):
        for label, command in labels_commands.items():
            with fresh() if fresh else contextlib.nullcontext():
                found[label].append(timed(command, **timing))
            if label in after:
                after[label]()
    return {label: median_of(values) for label, values in found.items()}


def side_by_side(
    work: Path, workers: int | None, repo: Path | None, outputs: Path | None = None
) -> dict[str, list[str]]:
    """`cp -r` and pef (and pef at `repo`) on `work`/Takeout, each writing into a folder of its own in `outputs`
    (`work` unless given)."""
    source, outputs = str(work / "Takeout"), outputs or work
    options = ["--path", source, "--quiet", "--yes", "--timezone", "UTC"]
    options += ["--workers", str(workers)] if workers else []
    commands = {
        "cp -r": ["cp", "-r", source, str(outputs / "copy")],
        "pef": [*pef_command(), *options, "--output", str(outputs / "pef")],
    }
    if repo:
        commands["pef at --repo"] = [*pef_command(repo), *options, "--output", str(outputs / "other")]
    return commands


def comparison(
    work: Path, args: argparse.Namespace, data_bytes: int
) -> tuple[dict[str, list[str]], dict[str, Callable[[], None]], Fresh | None]:
    """The commands of `side_by_side`, what follows each timing, and the fresh file system of each (or None)."""
    if not args.fresh_fs:
        commands = side_by_side(work, args.workers, args.repo)
        return commands, removers(commands), None
    mount = work / "fresh-fs"
    commands = side_by_side(work, args.workers, args.repo, outputs=mount)
    return commands, {}, functools.partial(fresh_filesystem, mount, data_bytes, 2 * args.files)


def removers(commands: dict[str, list[str]]) -> dict[str, Callable[[], None]]:
    """Each command's output folder (its last argument) removed after its timing."""
    return {label: functools.partial(shutil.rmtree, command[-1]) for label, command in commands.items()}


def print_ratios(results: dict[str, Timing], rate: Callable[[Timing], str], indent: str = "") -> None:
    floor = results["cp -r"].seconds
    for label, timing in results.items():
        print(
            f"{indent}{label:<14} {timing.seconds:7.2f} s  {rate(timing)}  "
            f"peak {timing.peak_mb:6.0f} MB   ratio to cp -r {timing.seconds / floor:5.2f}"
        )


def comparison_arguments(doc: str, files: int) -> argparse.Namespace:
    """The options of a script that times pef against `cp -r` (and another checkout of pef)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--files", type=int, default=files)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, help="pef's --workers (default: pef's own choice)")
    parser.add_argument("--repo", type=Path, help="another checkout of pef to time on the same data")
    return with_fresh_fs(parser)


Commands = dict[str, list[str]]


def time_small_photos(doc: str, extra: Callable[[Path, argparse.Namespace, Commands], Commands] | None = None) -> int:
    """`cp -r` and pef (and `extra`'s commands, given the work folder, the options and those two) on many small
    photos with their sidecars, in the same run: the main of `small_files.py` and `python_floor.py`."""
    args = comparison_arguments(doc, files=20_000)
    work = Path(tempfile.mkdtemp(prefix="pef-small-"))
    try:
        size = make_takeout(work, args.files, [small_jpeg(seed) for seed in range(16)])
        print(machine())
        print(f"{args.files:,} photos of ~{size / args.files / 1000:.0f} KB with sidecars ({size / 1e6:,.0f} MB); warm")
        commands, after, fresh = comparison(work, args, size)
        if extra is not None:
            added = extra(work, args, commands)
            commands = {"cp -r": commands["cp -r"], **added, **commands}
            if not fresh:  # each removed after its timing, as the others are (its output is its last argument)
                after |= removers(added)
        results = compare(commands, args.rounds, after, fresh)
        print_ratios(results, lambda timing: f"{args.files / timing.seconds:8,.0f} files/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
