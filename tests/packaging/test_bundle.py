"""The one-folder app that packaging/build.py makes: it starts, runs a Takeout headless and opens its window.

Built once for the module from this checkout with PyInstaller, as CI and a release build it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import piexif
import pytest

from pef import __version__
from pef.resources import APP_ID, ICON_SIZES
from tests.builders import TakeoutTree, sidecar, tree_digest
from tests.conftest import REPO, require_tool, run_pef
from tests.processes import children_of, command_line
from tests.promises import unique_jpeg
from tests.window_process import open_and_close

PHOTOS = 400  # past PROCESS_MIN_FILES: the bundle must start its worker processes through its own executable


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    command = [sys.executable, str(REPO / "packaging" / "build.py"), "--dist", str(folder / "dist")]
    built = subprocess.run([*command, "--work", str(folder / "work")], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "MB in" in built.stdout  # the build says how big the app is
    return folder / "dist"


@pytest.fixture(scope="module")
def takeout(tmp_path_factory: pytest.TempPathFactory) -> TakeoutTree:
    tree = TakeoutTree(tmp_path_factory.mktemp("takeout") / "Takeout")
    for index in range(PHOTOS):
        name = f"IMG_{index:04d}.jpg"
        tree.media(
            f"Photos from 2021/{name}",
            unique_jpeg(index),
            f"{name}.supplemental-metadata.json",
            sidecar(name, 1_610_000_000 + 3600 * index),
        )
    return tree


def bundled(dist: Path) -> Path:
    return dist / "pef" / "pef"


def test_the_app_says_its_version(dist: Path) -> None:
    result = subprocess.run([bundled(dist), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"pef {__version__}"


def test_the_app_runs_a_takeout_headless_on_worker_processes_like_pef_itself(
    dist: Path, takeout: TakeoutTree, tmp_path: Path
) -> None:
    output = tmp_path / "bundled"
    process = subprocess.Popen(
        [bundled(dist), "--path", takeout.root, "--output", output, "--yes"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    while process.poll() is None:
        # a frozen app starts its worker processes as itself, marked so
        workers |= {pid for pid in children_of(process.pid) if b"multiprocessing-fork" in command_line(pid)}
        time.sleep(0.005)
    out, err = process.communicate()
    assert process.returncode == 0, out + err
    assert workers, "the bundled app ran its files in worker processes"
    assert "worker process stopped" not in err
    reference = tmp_path / "reference"
    run_pef("--path", takeout.root, "--output", reference, "--yes")
    photos = {name: value for name, value in tree_digest(output).items() if name.endswith(".jpg")}
    assert len(photos) == PHOTOS
    assert photos == {name: value for name, value in tree_digest(reference).items() if name.endswith(".jpg")}
    for name in list(photos)[:: PHOTOS // 8]:
        exif = piexif.load(str(output / name))["Exif"]  # an independent reader of what the bundle wrote
        assert exif[piexif.ExifIFD.DateTimeOriginal].startswith(b"2021:")


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_apps_window_opens_and_closes(dist: Path, tmp_path: Path, number: int) -> None:
    closed = open_and_close([str(bundled(dist))], tmp_path, number)
    assert closed.returncode == 0, closed.stderr
    assert "geometry=" in closed.settings and "Traceback" not in closed.stderr


def test_the_appdir_holds_the_app_its_launcher_entry_icons_and_metainfo(dist: Path) -> None:
    appdir = dist / "pef.AppDir"
    result = subprocess.run([appdir / "AppRun", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"pef {__version__}"
    share = appdir / "usr" / "share"
    assert (appdir / f"{APP_ID}.desktop").read_bytes() == (share / "applications" / f"{APP_ID}.desktop").read_bytes()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (appdir / ".DirIcon").resolve() == (appdir / f"{APP_ID}.png").resolve()
    assert (appdir / "usr" / "bin" / "pef").resolve() == bundled(
        dist
    ).parent.parent / "pef.AppDir" / "usr" / "lib" / "pef" / "pef"


def test_the_appdir_packs_into_the_image_an_appimage_carries(dist: Path, tmp_path: Path) -> None:
    require_tool("mksquashfs", "squashfs-tools")
    sys.path.insert(0, str(REPO / "packaging"))
    from build import pack_appdir

    image = pack_appdir(dist / "pef.AppDir", tmp_path / "pef.squashfs")
    unpacked = tmp_path / "unpacked"
    subprocess.run([require_tool("unsquashfs", "squashfs-tools"), "-q", "-d", unpacked, image], check=True)

    def listing(root: Path) -> set[str]:
        return {str(path.relative_to(root)) for path in root.rglob("*")}

    assert listing(unpacked) == listing(dist / "pef.AppDir")
    result = subprocess.run([unpacked / "AppRun", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"pef {__version__}"


def test_an_appimage_is_made_only_with_an_appimage_runtime(tmp_path: Path) -> None:
    """Anything else given as the runtime is refused at once, before a minute of building."""
    command = [sys.executable, REPO / "packaging" / "build.py", "--dist", tmp_path / "dist", "--work", tmp_path / "w"]
    refused = subprocess.run([*command, "--appimage-runtime", "/bin/true"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert "/bin/true: not an AppImage type 2 runtime" in refused.stderr
    assert not (tmp_path / "dist").exists()


def test_the_app_leaves_out_what_pef_never_loads(dist: Path) -> None:
    inside = {path.name for path in (dist / "pef").rglob("*")}
    for absent in ("libQt6Network.so.6", "libQt6Svg.so.6", "libqgtk3.so", "libssl.so.3", "tkinter", "pytest", "piexif"):
        assert absent not in inside, absent
    assert "libqxcb.so" in inside and "libqwayland.so" in inside and "libqjpeg.so" in inside
    resources = dist / "pef" / "_internal" / "pef" / "resources"  # where the window's icon is read from
    assert {path.name for path in (resources / "icons").iterdir()} == {f"pef-{size}.png" for size in ICON_SIZES}
    assert (resources / f"{APP_ID}.desktop").is_file() and (resources / "__init__.py").is_file()
