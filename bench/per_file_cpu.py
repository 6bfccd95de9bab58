"""Per-file CPU: what each step of pef's work on one small photo costs, in microseconds of processor time.

    python bench/per_file_cpu.py [--files 2000] [--rounds 5] [--repo CHECKOUT] [--instructions]

The steps of the hot path, each timed alone in a fresh process, round after round (the best round
of each, so the machine's noise adds as little as it can): the sidecar parsed, the JPEG header built
(EXIF and XMP), the output read back and checked, and a whole file processed (opened, written under a
work name, checked, timed and renamed, on a tmpfs where there is one, so the disk adds nothing). With
`--repo`, the same steps of another checkout, taking turns with this one. Processor time, not the
clock: a shared machine's disk and neighbours change the clock from minute to minute far more.

Even processor time swings by a third on a shared virtual machine. `--instructions` also counts the
instructions a whole file costs (valgrind's callgrind, `apt-get install valgrind`; a count does not
depend on the machine's other work): a run over 100 files and one over 600, the difference divided by
500, so that starting Python and surveying the Takeout cancel out. Only pef's own instructions are
counted, not the kernel's work in its system calls.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPEATS = 3  # in each process, after a first call that warms it up
STEPS = ("sidecar parsed", "JPEG header built", "read back and checked", "whole file processed")
FEW, MANY = 100, 500  # files of the two counted runs: FEW, and FEW + MANY


def _setup(takeout: Path, files: int) -> tuple:
    """The tasks of the Takeout's first `files` photos, and a copier writing into a scratch folder on tmpfs."""
    from pef.metadata.timezone import resolve_zone
    from pef.model.records import RunSettings
    from pef.run.copy_file import FileCopier
    from pef.state.layout import WORK_DIR
    from pef.takeout.parts import find_parts
    from pef.takeout.parts_source import PartsSource
    from pef.takeout.survey import survey_takeout

    settings, zones = RunSettings(timezone="UTC"), resolve_zone("UTC")
    source = PartsSource(find_parts([takeout]))
    tasks = survey_takeout(source, settings).tasks[:files]
    scratch = Path(tempfile.mkdtemp(prefix="pef-cpu-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))

    def copier() -> FileCopier:
        output = scratch / "out"
        shutil.rmtree(output, ignore_errors=True)
        (output / WORK_DIR).mkdir(parents=True)
        return FileCopier(source, output, settings, zones)

    return settings, zones, tasks, scratch, copier


def measure(takeout: Path, files: int, rounds: int) -> dict[str, float]:
    """In this process (pef imported from PYTHONPATH): µs of CPU a call of each step, the best of `rounds`."""
    import time

    from pef.metadata.formats import MediaFormat
    from pef.metadata.jpeg import jpeg_pieces
    from pef.metadata.plan import MetadataPlan
    from pef.metadata.registry import check_output
    from pef.metadata.splice import write_pieces
    from pef.takeout.sidecar import parse_sidecar

    _settings, zones, tasks, scratch, copier = _setup(takeout, files)
    photo = takeout / tasks[0].key
    sidecar = (takeout / tasks[0].sidecar).read_bytes()
    plan = MetadataPlan.of(parse_sidecar(sidecar), zones, ("An album",))
    fd = os.open(photo, os.O_RDONLY)
    size = os.fstat(fd).st_size
    written = scratch / "written.jpg"
    result = jpeg_pieces(fd, size, plan)
    out = os.open(written, os.O_WRONLY | os.O_CREAT, 0o644)
    write_pieces(fd, out, result.pieces)
    os.close(out)

    def best(step, calls: int) -> float:
        step()  # the first call pays for imports and caches
        times = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(calls):
                step()
            times.append((time.process_time() - started) / calls)
        return 1e6 * min(times)

    def whole() -> None:
        working = copier()
        for task in tasks:
            working.process(task)

    found = {
        STEPS[0]: best(lambda: parse_sidecar(sidecar), 2000),
        STEPS[1]: best(lambda: jpeg_pieces(fd, size, plan), 1000),
        STEPS[2]: best(lambda: check_output(MediaFormat.JPEG, written, plan, result, None), 1000),
        STEPS[3]: best(whole, 1) / len(tasks),
    }
    os.close(fd)
    shutil.rmtree(scratch, ignore_errors=True)
    return found


def process_files(takeout: Path, files: int) -> None:
    """Each of the first `files` photos processed once, after one that warms the caches (counted by `count`)."""
    _settings, _zones, tasks, scratch, copier = _setup(takeout, files + 1)
    working = copier()
    for task in tasks:
        working.process(task)
    shutil.rmtree(scratch, ignore_errors=True)


def count(repo: Path | None, takeout: Path, files: int) -> int:
    """The instructions a run of `process_files` executes (callgrind), hash seed fixed: the same count each time."""
    from takeouts import python_for

    command = [*python_for(repo), str(HERE / "per_file_cpu.py"), "--process", str(takeout), str(files)]
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    # `env` comes first in the command: valgrind goes after its settings, before Python
    env_end = next(index for index, part in enumerate(command) if part == sys.executable)
    counted = [*command[:env_end], "PYTHONHASHSEED=0", *valgrind, *command[env_end:]]
    report = subprocess.run(counted, check=True, capture_output=True, text=True).stderr
    return int(next(line for line in report.splitlines() if "Collected :" in line).split()[-1])


def in_process(repo: Path | None, takeout: Path, files: int, rounds: int) -> dict[str, float]:
    """The steps measured by a fresh Python importing pef from `repo` (None: the installed pef)."""
    from takeouts import python_for

    command = [*python_for(repo), str(HERE / "per_file_cpu.py"), "--measure", str(takeout), str(files), str(rounds)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
        return 0
    if sys.argv[1:2] == ["--process"]:
        process_files(Path(sys.argv[2]), int(sys.argv[3]))
        return 0
    from takeouts import machine, make_takeout, tiny_jpeg  # here: the measuring Python runs with -P, without bench/

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repo", type=Path, help="also measure this checkout of pef, in turns with this one")
    parser.add_argument("--instructions", action="store_true", help="also count a whole file's instructions")
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        parser.error("--instructions needs valgrind (apt-get install valgrind)")
    print(machine())
    work = Path(tempfile.mkdtemp(prefix="pef-cpu-"))
    try:
        make_takeout(work, max(args.files, FEW + MANY + 1 if args.instructions else 0), [tiny_jpeg()])
        takeout = work / "Takeout"
        labels = {"pef": None, **({"pef at --repo": args.repo} if args.repo else {})}
        rounds: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
        for _ in range(args.rounds):  # in turns: a slow minute of the machine falls on both
            for label, repo in labels.items():
                rounds[label].append(in_process(repo, takeout, args.files, REPEATS))
        results = {label: {step: min(found[step] for found in rounds[label]) for step in STEPS} for label in labels}
        counts = {
            label: (count(repo, takeout, FEW + MANY) - count(repo, takeout, FEW)) / MANY
            for label, repo in (labels.items() if args.instructions else ())
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nµs of processor time a file ({args.files:,} tiny JPEGs with sidecars; best of {args.rounds} rounds)")
    print(f"  {'step':<24}" + "".join(f"{label:>16}" for label in results))
    for step in STEPS:
        print(f"  {step:<24}" + "".join(f"{found[step]:16.0f}" for found in results.values()))
    if counts:
        print(f"  {'instructions, whole file':<24}" + "".join(f"{found:16,.0f}" for found in counts.values()))
    if args.repo:
        ratio = results["pef"][STEPS[3]] / results["pef at --repo"][STEPS[3]]
        print(f"  a whole file now costs {ratio:.2f} × what it cost at --repo")
        if counts:
            print(f"  and {counts['pef'] / counts['pef at --repo']:.3f} × its instructions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
