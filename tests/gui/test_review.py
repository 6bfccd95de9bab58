"""Review, used as a person would: see each file with its thumbnail, and resolve it; read back with exiftool."""

from __future__ import annotations

import csv
import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QDateTimeEdit, QDialogButtonBox, QWidget

from pef.gui.review_table import ReviewRow, ReviewTable
from pef.gui.window import MainWindow
from tests.builders import TakeoutTree, jpeg_bytes, mp4_bytes, png_bytes, sidecar
from tests.conftest import exiftool_json
from tests.gui.user import LEFT, answering, click, pick_path, run_with, state_of, type_takeout

PARIS_NOON = 1_262_347_200  # 2010-01-01 12:00 UTC: 13:00 in Paris
TRIP = "Google Photos/Trip"


def review_takeout(root: Path) -> TakeoutTree:
    tree = TakeoutTree(root / "Takeout")
    for index in range(5):
        name = f"IMG_{index}.jpg"
        tree.media(f"Trip/{name}", jpeg_bytes(color=(index, 1, 1)), f"{name}.json", sidecar(name))
    tree.media("Trip/beach photo.jpg", jpeg_bytes((320, 240), (20, 120, 200)), None)
    tree.write_json("Trip/beach.jpg.json", sidecar("beach.jpg", PARIS_NOON, geo=(48.8584, 2.2945, 35.0)))
    tree.media("Trip/IMG_20190512_123456.jpg", jpeg_bytes(color=(200, 200, 20)), None)
    tree.media("Trip/Screenshot_2019-05-13-08-09-10.png", png_bytes(), None)
    tree.media("Trip/scan.jpg", jpeg_bytes(color=(90, 90, 90)), None)
    tree.media("Trip/clip.mp4", mp4_bytes(), None)
    tree.media("Trip/cut.jpg", b"\xff\xd8\xff\xe0", "cut.jpg.json", sidecar("cut.jpg"))
    return tree


def open_review(qtbot, window: MainWindow) -> None:
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    assert window.tabs.currentWidget() is window.review


def open_tab(qtbot, window: MainWindow, index: int) -> ReviewTable:
    bar = window.review.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    return window.review.current()


def select(qtbot, table: ReviewTable, source: str) -> None:
    for row in range(table.proxy.rowCount()):
        index = table.proxy.index(row, 0)
        if table.model.row_at(table.proxy.mapToSource(index).row()).source == source:
            table.view.scrollTo(index)
            qtbot.mouseClick(table.view.viewport(), LEFT, pos=table.view.visualRect(index).center())
            assert table.selected().source == source
            return
    raise AssertionError(f"{source} is not listed")


def report(output: Path) -> dict[str, dict]:
    with open(output / "pef-report.csv", encoding="utf-8-sig", newline="") as handle:
        return {row["source"]: row for row in csv.DictReader(handle)}


def test_review_resolves_each_kind_of_file(qtbot, sized_window: MainWindow, tmp_path: Path) -> None:
    window, output = sized_window, tmp_path / "Takeout_pefProcessed"
    tree = review_takeout(tmp_path)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.options.toggle)
    click(qtbot, window.metadata.name_dates_box)  # off: Review dates them from their names instead
    run_with(qtbot, window, window.start_button)
    open_review(qtbot, window)
    review, resolve = window.review, window.review.resolve
    # two photos there share their bytes: one is named a duplicate
    texts = [review.tabs.tabText(i) for i in range(4)]
    assert texts == ["Un&matched (5)", "Orphan s&idecars (1)", "Fai&led (1)", "Duplicates (1)"]
    table = open_tab(qtbot, window, 0)
    rows = table.view.viewport().height() // table.view.verticalHeader().defaultSectionSize()
    assert rows >= 3, f"only {rows} rows fit"
    qtbot.waitUntil(lambda: all(isinstance(table.proxy.index(r, 0).data(Qt.ItemDataRole.DecorationRole), QIcon)
                                for r in range(min(rows, 5))), timeout=20_000)  # fmt: skip
    assert table.proxy.index(0, 1).data() == "no sidecar"  # words, never no_sidecar

    select(qtbot, table, f"{TRIP}/beach photo.jpg")
    qtbot.waitUntil(lambda: resolve.candidates.count() > 0, timeout=20_000)
    assert resolve.picture.pixmap() is not None and not resolve.picture.pixmap().isNull(), "its thumbnail"
    first = resolve.candidates.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == f"{TRIP}/beach.jpg.json" and "orphan" in first.text()
    run_with(qtbot, window, resolve.use_button)
    beach = exiftool_json(output / TRIP / "beach photo.jpg")
    assert beach["ExifIFD:DateTimeOriginal"] == "2010:01:01 13:00:00" and round(beach["GPS:GPSLatitude"], 4) == 48.8584
    assert report(output)[f"{TRIP}/beach photo.jpg"]["date_source"] == "manual_sidecar"
    assert [review.tabs.tabText(i) for i in range(2)] == ["Un&matched (4)", "Orphan s&idecars (0)"]

    table = open_tab(qtbot, window, 0)
    select(qtbot, table, f"{TRIP}/IMG_20190512_123456.jpg")
    assert "12 May 2019 12:34:56" in resolve.name_date_label.text()
    run_with(qtbot, window, resolve.name_date_button)
    assert exiftool_json(output / TRIP / "IMG_20190512_123456.jpg")["ExifIFD:DateTimeOriginal"] == "2019:05:12 12:34:56"

    select(qtbot, window.review.current(), f"{TRIP}/scan.jpg")
    typed = datetime(2001, 2, 3, 4, 5, 6)

    def set_date(dialog: QWidget) -> None:
        dialog.findChild(QDateTimeEdit).setDateTime(QDateTime(typed))
        buttons = dialog.findChild(QDialogButtonBox)
        setter = next(b for b in buttons.buttons() if b.text() == "Set this date")
        qtbot.mouseClick(setter, LEFT)

    with answering(qtbot, set_date), qtbot.waitSignal(window.run_finished, timeout=120_000):
        click(qtbot, resolve.date_button)
    assert exiftool_json(output / TRIP / "scan.jpg")["ExifIFD:DateTimeOriginal"] == "2001:02:03 04:05:06"

    assert review.all_dates_button.text() == "Dates from names for &all (1)"  # the screenshot is left
    run_with(qtbot, window, review.all_dates_button)
    shot = exiftool_json(output / TRIP / "Screenshot_2019-05-13-08-09-10.png")
    assert "2019:05:13 08:09:10" in {str(v) for k, v in shot.items() if k.endswith("DateTimeOriginal")}
    rows = report(output)
    assert [rows[f"{TRIP}/{n}"]["date_source"] for n in ("IMG_20190512_123456.jpg", "scan.jpg")] == [
        "filename",
        "manual",
    ]
    assert review.tabs.tabText(0) == "Un&matched (1)"  # the video alone is left
    assert set(state_of(output)["decisions"]) == {
        f"{TRIP}/{n}"
        for n in ("beach photo.jpg", "IMG_20190512_123456.jpg", "scan.jpg", "Screenshot_2019-05-13-08-09-10.png")
    }


def test_an_orphan_sidecar_is_given_to_its_photo(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("Trip/holiday photo.jpg", jpeg_bytes(), None)
    tree.media("Trip/other.jpg", jpeg_bytes(), None)
    tree.write_json("Trip/holiday.jpg.json", sidecar("holiday.jpg", PARIS_NOON, description="At the sea"))
    type_takeout(qtbot, window, tree.root)
    run_with(qtbot, window, window.start_button)
    open_review(qtbot, window)
    table = open_tab(qtbot, window, 1)
    select(qtbot, table, f"{TRIP}/holiday.jpg.json")
    resolve = window.review.resolve
    qtbot.waitUntil(lambda: resolve.candidates.count() > 0, timeout=20_000)
    assert "“holiday.jpg”" in resolve.candidates_label.text()
    assert resolve.candidates.currentItem().text() == f"{TRIP}/holiday photo.jpg"
    assert resolve.use_button.text() == "&Use it for this photo"
    run_with(qtbot, window, resolve.use_button)
    seen = exiftool_json(tmp_path / "Takeout_pefProcessed" / TRIP / "holiday photo.jpg")
    assert seen["ExifIFD:DateTimeOriginal"] == "2010:01:01 12:00:00" or seen["IFD0:ImageDescription"] == "At the sea"


def test_failed_retry_export_open_and_show(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tree = review_takeout(tmp_path)
    type_takeout(qtbot, window, tree.root)
    run_with(qtbot, window, window.start_button)
    open_review(qtbot, window)
    table = open_tab(qtbot, window, 2)
    select(qtbot, table, f"{TRIP}/cut.jpg")
    row = table.selected()
    assert (row.why, row.details.startswith(TRIP)) == ("damaged", False), "the path is not repeated"
    assert "damaged" in window.review.resolve.why_label.text()
    target = tmp_path / "exported.csv"
    with answering(qtbot, pick_path(target)):
        click(qtbot, window.review.export_button)
    with open(target, encoding="utf-8-sig") as handle:
        exported = list(csv.reader(handle))
    assert exported[0] == ["file", "reason", "why", "details"] and exported[1][:2] == [
        f"{TRIP}/cut.jpg",
        "corrupt_media",
    ]
    table = open_tab(qtbot, window, 0)
    select(qtbot, table, f"{TRIP}/scan.jpg")
    index = table.view.currentIndex()
    qtbot.mouseDClick(table.view.viewport(), LEFT, pos=table.view.visualRect(index).center())
    click(qtbot, window.review.show_button)
    expected = tmp_path / "Takeout_pefProcessed" / TRIP / "scan.jpg"
    assert opened[-2:] == [str(expected), str(expected.parent)]
    summary = run_with(qtbot, window, window.review.retry_button)
    entry = state_of(tmp_path / "Takeout_pefProcessed")["files"][f"{TRIP}/cut.jpg"]
    assert entry["status"] == "failed" and entry["attempts"] == 1 and summary.status == "completed"
    assert not (tmp_path / "Takeout_pefProcessed(1)").exists(), "retrying uses the same folder"


def test_odd_names_are_reviewed_and_dated_like_any_other(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("Trip/IMG_0.jpg", jpeg_bytes(), "IMG_0.jpg.json", sidecar("IMG_0.jpg"))
    trip = tree.photos / "Trip"
    (trip / "Cafe\u0301_20190512_123456.jpg").write_bytes(jpeg_bytes(color=(9, 99, 9)))  # NFD on disk
    fd = os.open(bytes(trip) + b"/Photo \xff_20200101_101010.jpg", os.O_WRONLY | os.O_CREAT, 0o644)  # not UTF-8
    os.write(fd, jpeg_bytes(color=(99, 9, 9)))
    os.close(fd)
    type_takeout(qtbot, window, tree.root)
    click(qtbot, window.options.toggle)
    click(qtbot, window.metadata.name_dates_box)  # off: Review dates them from their names instead
    run_with(qtbot, window, window.start_button)
    open_review(qtbot, window)
    table = open_tab(qtbot, window, 0)
    names = {table.proxy.index(r, 0).data() for r in range(table.proxy.rowCount())}
    assert names == {"Caf\u00e9_20190512_123456.jpg", "Photo %FF_20200101_101010.jpg"}
    qtbot.waitUntil(lambda: all(isinstance(table.proxy.index(r, 0).data(Qt.ItemDataRole.DecorationRole), QIcon)
                                for r in range(2)), timeout=20_000)  # fmt: skip
    run_with(qtbot, window, window.review.all_dates_button)
    output = tmp_path / "Takeout_pefProcessed"
    rows = report(output)
    dated = {key: row for key, row in rows.items() if row["date_source"] == "filename"}
    assert len(dated) == 2 and window.review.tabs.tabText(0) == "Un&matched (0)"
    seen = sorted(exiftool_json(output / row["output"])["ExifIFD:DateTimeOriginal"] for row in dated.values())
    assert seen == ["2019:05:12 12:34:56", "2020:01:01 10:10:10"]


def test_review_model_sorts_and_filters_100k_rows(qtbot) -> None:
    table = ReviewTable("unmatched")
    qtbot.addWidget(table)
    rows = tuple(
        ReviewRow(f"Photos/IMG_{i:06d}.jpg", "no_sidecar" if i % 2 else "ambiguous", "", "") for i in range(100_000)
    )
    table.set_rows(rows)
    table.show()
    assert table.proxy.index(0, 0).data() == "IMG_000000.jpg", "shown in the order the arrow says"
    header = table.view.horizontalHeader()
    for _ in range(2):  # the person clicks File until its arrow says newest-name first
        if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder and header.sortIndicatorSection() == 0:
            break
        qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(header.sectionViewportPosition(0) + 20, 10))
    assert table.proxy.index(0, 0).data() == "IMG_099999.jpg"
    qtbot.keyClicks(table.filter, "TWO OWNERS")
    assert table.proxy.rowCount() == 50_000
    qtbot.keyClick(table.filter, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(table.filter, "img_09999")  # typed over the selected text
    assert sorted(r.source for r in table.visible_rows()) == [f"Photos/IMG_09999{d}.jpg" for d in range(10)]


def test_review_names_a_photo_uploaded_twice(qtbot, sized_window: MainWindow, tmp_path: Path) -> None:
    window, tree = sized_window, TakeoutTree(tmp_path / "Takeout")
    twice = jpeg_bytes(color=(12, 34, 56))
    for folder in ("Photos from 2019", "Photos from 2020"):
        tree.media(f"{folder}/IMG_9.jpg", twice, "IMG_9.jpg.json", sidecar("IMG_9.jpg"))
    tree.media("Photos from 2020/IMG_10.jpg", jpeg_bytes(), "IMG_10.jpg.json", sidecar("IMG_10.jpg"))
    type_takeout(qtbot, window, tree.root)
    run_with(qtbot, window, window.start_button)
    assert "1 identical duplicate" in window.summary_view.toPlainText()
    open_review(qtbot, window)
    assert window.review.tabs.tabText(3) == "Duplicates (1)"
    table = open_tab(qtbot, window, 3)
    select(qtbot, table, "Google Photos/Photos from 2020/IMG_9.jpg")
    words = window.review.resolve.why_label.text()
    assert "the same bytes as Google Photos/Photos from 2019/IMG_9.jpg" in words and "uploaded twice" in words
    assert table.selected().why == "duplicate"
