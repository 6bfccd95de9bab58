"""Build pef as a one-folder app: `python packaging/build.py` (needs `pip install -e '.[bundle]'`).

Writes dist/pef/ (run dist/pef/pef), on macOS dist/pef.app too, and on Linux an AppDir
(dist/pef.AppDir: the folder, its launcher entry, icons and metainfo where the desktop looks for
them). Given `--appimage-runtime FILE` (the AppImage type 2 runtime) and mksquashfs, it also packs
the AppDir into dist/pef-VERSION-ARCH.AppImage. Prints the size of what it built.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from pef import __version__
from pef.resources import APP_ID, DESKTOP_ENTRY, ICON_SIZES, METAINFO, SVG, icon_png

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pef.spec"
APP_RUN = """#!/bin/sh
# The AppImage's entry point: run the bundled pef with whatever the launcher or the user passed.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/pef/pef" "$@"
"""


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under `folder`, links not followed."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the one-folder app is dist/pef."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    subprocess.run([*command, "--distpath", str(dist), "--workpath", str(work), str(SPEC)], check=True)
    return dist / "pef"


def make_appdir(bundle: Path, appdir: Path) -> Path:
    """Lay the bundle out as an AppDir: what an AppImage holds, and runnable as it is (AppRun)."""
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(bundle, appdir / "usr" / "lib" / "pef", symlinks=True)
    (appdir / "usr" / "bin").mkdir(parents=True)
    os.symlink("../lib/pef/pef", appdir / "usr" / "bin" / "pef")
    app_run = appdir / "AppRun"
    app_run.write_text(APP_RUN)
    app_run.chmod(0o755)
    for folder, source in (("applications", DESKTOP_ENTRY), ("metainfo", METAINFO)):
        (appdir / "usr" / "share" / folder).mkdir(parents=True)
        shutil.copy2(source, appdir / "usr" / "share" / folder / source.name)
    shutil.copy2(DESKTOP_ENTRY, appdir / DESKTOP_ENTRY.name)
    icons = appdir / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        (icons / f"{size}x{size}" / "apps").mkdir(parents=True)
        shutil.copy2(icon_png(size), icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(SVG, icons / "scalable" / "apps" / f"{APP_ID}.svg")
    shutil.copy2(icon_png(256), appdir / f"{APP_ID}.png")
    os.symlink(f"{APP_ID}.png", appdir / ".DirIcon")
    return appdir


def pack_appdir(appdir: Path, image: Path) -> Path:
    """The AppDir as one squashfs image (zstd), as an AppImage carries it behind its runtime."""
    if shutil.which("mksquashfs") is None:
        raise SystemExit("mksquashfs is missing: apt-get install squashfs-tools")
    image.unlink(missing_ok=True)
    squash = ["mksquashfs", str(appdir), str(image), "-root-owned", "-noappend", "-comp", "zstd", "-quiet"]
    subprocess.run(squash, check=True, stdout=subprocess.DEVNULL)
    return image


def is_appimage_runtime(runtime: Path) -> bool:
    """An AppImage type 2 runtime is an ELF file marked "AI", 2 at byte 8 (the AppImage specification)."""
    with runtime.open("rb") as head:
        start = head.read(11)
    return start[:4] == b"\x7fELF" and start[8:11] == b"AI\x02"


def make_appimage(appdir: Path, runtime: Path, dist: Path) -> Path:
    """The AppImage: the runtime, then the AppDir as a squashfs image, one executable file."""
    if not is_appimage_runtime(runtime):
        raise SystemExit(f"{runtime}: not an AppImage type 2 runtime (no ELF file marked AI 2 at byte 8)")
    image = pack_appdir(appdir, dist / "pef.squashfs")
    appimage = dist / f"pef-{__version__}-{platform.machine()}.AppImage"
    with appimage.open("wb") as out:
        for part in (runtime, image):
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)
    appimage.chmod(0o755)
    image.unlink()
    return appimage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's scratch folder")
    parser.add_argument("--appimage-runtime", type=Path, help="the AppImage type 2 runtime, to make an AppImage")
    args = parser.parse_args()
    if args.appimage_runtime and not is_appimage_runtime(args.appimage_runtime):  # said before a minute of building
        parser.error(f"{args.appimage_runtime}: not an AppImage type 2 runtime (no ELF file marked AI 2 at byte 8)")
    bundle = build_bundle(args.dist.resolve(), args.work.resolve())
    size, files = folder_size(bundle)
    print(f"{bundle}: {size / 1e6:.1f} MB in {files} files")
    if sys.platform.startswith("linux"):
        appdir = make_appdir(bundle, args.dist.resolve() / "pef.AppDir")
        print(f"{appdir}: run {appdir / 'AppRun'}")
        if args.appimage_runtime:
            appimage = make_appimage(appdir, args.appimage_runtime, args.dist.resolve())
            print(f"{appimage}: {appimage.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
