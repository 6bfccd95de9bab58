"""The one resolver both faces hand a run request to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pef.run.request import RequestRefused, RunRequest, resolve_run
from pef.state.outputs import OutputLock
from tests.builders import TakeoutTree, jpeg_bytes, sidecar
from tests.conftest import run_pef


@pytest.fixture
def tree(tmp_path: Path) -> TakeoutTree:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.media("a.jpg", jpeg_bytes(), "a.jpg.json", sidecar("a.jpg"))
    return tree


def test_a_new_folder_beside_the_takeout_with_auto_zones(tree: TakeoutTree) -> None:
    resolved = resolve_run(RunRequest(tree.root))
    assert resolved.job.output == tree.root.parent / "Takeout_pefProcessed"
    assert resolved.job.settings.timezone == "auto" and not resolved.job.redo_all
    assert resolved.free_bytes is not None and resolved.free_bytes > 0  # measured on the parent: not made yet


@pytest.mark.parametrize(
    ("output", "words"),
    [
        (lambda tree: tree.root / "out", "must not contain each other"),
        (lambda tree: tree.root.parent, "must not contain each other"),
        (lambda tree: tree.root / "Google Photos" / "a.jpg", "must not contain each other"),
    ],
)
def test_refusals_use_the_same_words_as_the_command_line(tree: TakeoutTree, output, words: str) -> None:
    with pytest.raises(RequestRefused, match=words):
        resolve_run(RunRequest(tree.root, output(tree)))
    assert words in run_pef("--path", tree.root, "--output", output(tree), check_code=2).stderr


def test_a_continued_run_keeps_its_zone_and_refuses_other_settings(tree: TakeoutTree) -> None:
    output = tree.root.parent / "out"
    run_pef("--path", tree.root, "--output", output, "--timezone", "Asia/Tokyo")
    assert resolve_run(RunRequest(tree.root, output)).job.settings.timezone == "Asia/Tokyo"
    with pytest.raises(RequestRefused, match="other settings"):
        resolve_run(RunRequest(tree.root, output, timezone="UTC"))
    assert resolve_run(RunRequest(tree.root, output, force=True, timezone="UTC")).job.redo_all
    with pytest.raises(RequestRefused, match="another source"):
        resolve_run(RunRequest(tree.photos, output))


def test_a_folder_another_run_holds_is_refused_before_anything(tree: TakeoutTree) -> None:
    output = tree.root.parent / "out"
    run_pef("--path", tree.root, "--output", output)
    with OutputLock(output), pytest.raises(RequestRefused, match=f"in use by another pef run \\(pid {os.getpid()}\\)"):
        resolve_run(RunRequest(tree.root, output))
    assert resolve_run(RunRequest(tree.root, output)).job.output == output  # released: fine again


def test_unknown_zone_and_missing_source(tree: TakeoutTree) -> None:
    with pytest.raises(RequestRefused, match="Mars/Olympus"):
        resolve_run(RunRequest(tree.root, timezone="Mars/Olympus"))
    with pytest.raises(RequestRefused, match="There is no folder or file at"):
        resolve_run(RunRequest(tree.root / "nope"))
    with pytest.raises(RequestRefused, match="is a file, not a folder"):
        resolve_run(RunRequest(tree.photos / "a.jpg"))
    (tree.root.parent / "takeout-001.zip").write_bytes(b"PK")  # a part is read as it is: a damaged one is named then
    resolved = resolve_run(RunRequest(tree.root.parent / "takeout-001.zip"))
    assert resolved.job.source.paths == ((tree.root.parent / "takeout-001.zip").resolve(),)
    assert resolved.job.output.name == "takeout_pefProcessed"


def test_workers_default_to_one_per_core_and_two_on_a_spinning_disk(tree: TakeoutTree, monkeypatch) -> None:
    from pef.run import workers

    resolved = resolve_run(RunRequest(tree.root))
    cores = max(2, min(8, os.cpu_count() or 2))
    assert resolved.job.workers == (2 if workers.spinning(resolved.job.output) else cores)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(workers, "spinning", lambda _path: True)
    assert resolve_run(RunRequest(tree.root)).job.workers == 2
    monkeypatch.setattr(workers, "spinning", lambda _path: False)
    assert resolve_run(RunRequest(tree.root)).job.workers == 8
    assert resolve_run(RunRequest(tree.root, workers=3)).job.workers == 3
    assert isinstance(workers.spinning(resolved.job.output / "not" / "made" / "yet"), bool)
