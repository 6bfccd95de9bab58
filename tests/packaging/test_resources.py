"""The icon, launcher entry and AppStream metainfo in resources/: valid by their own standards, in step with pef."""

from __future__ import annotations

import configparser
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from PIL import Image

from pef import __version__
from pef.resources import APP_ID, DESKTOP_ENTRY, ICON_SIZES, METAINFO, SVG, icon_png
from tests.conftest import REPO, require_tool

sys.path.insert(0, str(REPO / "packaging"))
from icons import platform_icons


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [require_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP_ENTRY)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    command = [require_tool("appstreamcli", "appstream"), "validate", "--no-net", "--explain", str(METAINFO)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith(("E:", "W:"))], result.stdout


def test_the_launcher_entry_metainfo_and_icon_name_one_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP_ENTRY, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert DESKTOP_ENTRY.name == f"{APP_ID}.desktop" and desktop["Icon"] == APP_ID
    assert desktop["Exec"] == "pef" and desktop["Terminal"] == "false"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP_ENTRY.name
    assert component.findtext("provides/binary") == "pef"
    newest = component.find("releases/release")
    assert newest is not None and newest.get("version") == __version__


def test_the_changelog_starts_with_this_version() -> None:
    heads = [line for line in (REPO / "CHANGELOG.md").read_text().splitlines() if line.startswith("## ")]
    assert heads and heads[0].startswith(f"## {__version__} ")


def test_every_icon_size_is_there_square_with_a_transparent_ground() -> None:
    assert ET.parse(SVG).getroot().get("viewBox") == "0 0 256 256"
    for size in ICON_SIZES:
        with Image.open(icon_png(size)) as image:
            assert image.format == "PNG" and image.size == (size, size), size
            rgba = image.convert("RGBA")
            assert rgba.getpixel((0, 0))[3] == 0, f"{size}: the corner is see-through"
            assert rgba.getpixel((size // 2, size // 2))[3] == 255, f"{size}: the middle is solid"


def test_the_windows_and_macos_icons_hold_every_size(tmp_path: Path) -> None:
    ico, icns = platform_icons(tmp_path)
    with Image.open(ico) as image:
        assert image.format == "ICO" and {(16, 16), (32, 32), (48, 48), (256, 256)} <= image.info["sizes"]
    with Image.open(icns) as image:
        assert image.format == "ICNS" and {(16, 16, 2), (128, 128, 1), (512, 512, 2)} <= set(image.info["sizes"])
    assert ico.read_bytes()[:4] == b"\0\0\1\0" and icns.read_bytes()[:4] == b"icns"


def test_the_package_ships_the_icon_entry_and_metainfo_and_no_screenshots(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("pef-*.whl")
    assert wheel.name.startswith(f"pef-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("pef.svg", DESKTOP_ENTRY.name, METAINFO.name, *(f"icons/pef-{size}.png" for size in ICON_SIZES)):
        assert f"pef/resources/{shipped}" in names, shipped
    assert "pef/gui/identity.py" in names and "pef/resources/__init__.py" in names
    assert not [name for name in names if "screenshots" in name or name.startswith(("tests/", "bench/"))]
