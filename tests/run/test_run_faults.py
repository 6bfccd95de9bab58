"""Every error class and control path, through a fault-injecting output layer and an injected clock."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest

from pef.model.events import ControlChanged, FileFinished, FileRetrying, Level, Message, SpaceShortage
from pef.model.records import RunSettings
from pef.run.control import ControlState, RunControl
from pef.run.engine import Engine
from pef.run.job import Job, RunDeclined
from pef.run.output_files import OutputFiles
from pef.state.outputs import OutputChoiceError
from pef.state.store import StateStore
from pef.takeout.parts import find_parts
from tests.builders import TakeoutTree, jpeg_bytes, sidecar


class FaultyOutputFiles(OutputFiles):
    """Real output operations, except those a rule says fail (with an errno, a given number of times)."""

    def __init__(self) -> None:
        self.rules: list[dict] = []
        self.free = 10**12
        self.lock = threading.Lock()

    def fail(self, operation: str, name: str = "", code: int = errno.EIO, times: int = 10**9) -> dict:
        rule = {"operation": operation, "name": name, "errno": code, "times": times}
        self.rules.append(rule)
        return rule

    def _check(self, operation: str, path: Path | int) -> None:
        with self.lock:
            for rule in self.rules:
                if rule["operation"] == operation and rule["name"] in str(path) and rule["times"] > 0:
                    rule["times"] -= 1
                    raise OSError(rule["errno"], os.strerror(rule["errno"]), str(path))

    def create(self, path: Path) -> int:
        self._check("create", path)
        return super().create(path)

    def rename(self, source: Path, target: Path) -> None:
        self._check("rename", target)
        super().rename(source, target)

    def free_space(self, folder: Path) -> int:
        return self.free


class Clock:
    """Records each backoff instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return True


@pytest.fixture
def tree(tmp_path: Path) -> TakeoutTree:
    tree = TakeoutTree(tmp_path / "Takeout")
    for index in range(12):
        name = f"IMG_{index:02d}.jpg"
        tree.media(name, jpeg_bytes(color=(index * 9, 0, 0)), f"{name}.json", sidecar(name, 1_600_000_000 + index))
    tree.media("broken.jpg", b"\xff\xd8\xff\xe0\x00", "broken.jpg.json", sidecar("broken.jpg"))
    return tree


def run(tree: TakeoutTree, files: FaultyOutputFiles, control: RunControl | None = None, sink=None, **kwargs):
    events: list = []
    clock = Clock()

    def record(event) -> None:
        events.append(event)
        if sink:
            sink(event)

    engine = Engine(
        Job(find_parts([tree.root]), tree.root.parent / "out", RunSettings(timezone="UTC"), workers=1),
        record,
        control,
        files=files,
        sleep=clock,
        **kwargs,
    )
    return engine.run(), events, clock


def records(tree: TakeoutTree) -> dict:
    return json.loads((tree.root.parent / "out" / "processing_state.json").read_text())["files"]


def test_transient_error_is_retried_with_backoff_then_succeeds(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    files.fail("create", "IMG_03", errno.EIO, times=2)
    summary, events, clock = run(tree, files)
    assert clock.waits == [1.0, 2.0]
    retries = [e for e in events if isinstance(e, FileRetrying)]
    assert [(e.key, e.retry, e.delay) for e in retries] == [
        ("Google Photos/IMG_03.jpg", 1, 1.0),
        ("Google Photos/IMG_03.jpg", 2, 2.0),
    ]
    entry = records(tree)["Google Photos/IMG_03.jpg"]
    assert (entry["status"], entry["attempts"]) == ("done", 3)
    assert summary.status == "completed"


@pytest.mark.parametrize("code", [errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE, errno.ETXTBSY])
def test_transient_errors_give_up_after_three_retries(tree: TakeoutTree, code: int) -> None:
    files = FaultyOutputFiles()
    files.fail("rename", "IMG_05", code)
    summary, _, clock = run(tree, files)
    assert clock.waits == [1.0, 2.0, 4.0]
    entry = records(tree)["Google Photos/IMG_05.jpg"]
    assert (entry["status"], entry["reason"], entry["attempts"]) == ("failed", "write_error", 4)
    assert os.strerror(code) in entry["error"] and "IMG_05.jpg" in entry["error"]
    assert not list((tree.root.parent / "out").rglob("*.pef-partial")), "no half-written file is left"
    assert summary.status == "completed" and summary.failed == {"write_error": 1, "corrupt_media": 1}


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "disk_full"),
        (errno.EACCES, "permission_denied"),
        (errno.EROFS, "permission_denied"),
        (errno.ENAMETOOLONG, "write_error"),
    ],
)
def test_permanent_errors_are_recorded_at_once(tree: TakeoutTree, code: int, reason: str) -> None:
    files = FaultyOutputFiles()
    files.fail("create", "IMG_07", code)
    _, events, clock = run(tree, files)
    assert clock.waits == [] and not any(isinstance(e, FileRetrying) for e in events)
    entry = records(tree)["Google Photos/IMG_07.jpg"]
    assert (entry["status"], entry["reason"], entry["attempts"]) == ("failed", reason, 1)


def test_corrupt_media_is_never_retried(tree: TakeoutTree) -> None:
    _, _, clock = run(tree, FaultyOutputFiles())
    entry = records(tree)["Google Photos/broken.jpg"]
    assert (entry["status"], entry["reason"], entry["attempts"]) == ("failed", "corrupt_media", 1)
    assert clock.waits == []


def test_five_failures_in_a_row_pause_the_run_and_resume_retries_them(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    rule = files.fail("create", "IMG_", errno.ENOSPC)
    files.free = 1000
    control = RunControl()
    paused = threading.Event()

    def sink(event) -> None:
        if isinstance(event, ControlChanged) and event.state == "paused":
            paused.set()

    saved_as_paused = []

    def fix_and_resume() -> None:
        paused.wait(30)
        state_file = tree.root.parent / "out" / "processing_state.json"
        for _ in range(400):  # the state is saved once the files in hand are finished
            if json.loads(state_file.read_text())["status"] == "paused":
                saved_as_paused.append(True)
                break
            threading.Event().wait(0.025)
        rule["times"] = 0  # space was freed
        control.resume()  # always: a failed check must not leave the run waiting forever

    helper = threading.Thread(target=fix_and_resume)
    helper.start()
    summary, events, _ = run(tree, files, control, sink, confirm=lambda _q: True)
    helper.join()
    assert saved_as_paused, "the state is saved as paused while the run waits"
    pauses = [e for e in events if isinstance(e, ControlChanged) and e.state == "paused"]
    assert len(pauses) == 1
    assert pauses[0].reason.startswith("The output disk is full (needs about") and "Free some space" in pauses[0].reason
    # FileFinished events come from the engine's thread, in order (ControlChanged from whoever resumed)
    finished = [e.record for e in events if isinstance(e, FileFinished)]
    streak = next(i for i, r in enumerate(finished) if r.status.value != "failed")
    failed_before = [r.key for r in finished[:streak]]
    after = [r.key for r in finished[streak:]]
    assert len(failed_before) >= 5
    assert after[: len(failed_before)] == failed_before, f"retried first: {failed_before} then {after}"
    assert summary.status == "completed" and summary.done == 12 and not summary.failed.get("disk_full")
    assert control.state is ControlState.COMPLETED


def test_a_success_resets_the_count(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    for index in (0, 1, 2, 3, 5, 6, 7, 8):
        files.fail("create", f"IMG_{index:02d}", errno.ENOSPC)
    summary, events, _ = run(tree, files)
    assert not any(isinstance(e, ControlChanged) and e.state == "paused" for e in events)
    assert summary.status == "completed" and summary.failed == {"disk_full": 8, "corrupt_media": 1}


def test_cli_mode_saves_and_ends_on_an_auto_pause(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    files.fail("create", "IMG_", errno.EACCES)
    summary, _, _ = run(tree, files, stop_on_auto_pause=True)
    assert summary.status == "paused" and "permission denied" in summary.reason
    assert json.loads((tree.root.parent / "out" / "processing_state.json").read_text())["status"] == "paused"


def test_vanished_output_folder_is_named_as_such(tree: TakeoutTree) -> None:
    import shutil

    out = tree.root.parent / "out"

    class Vanishing(FaultyOutputFiles):
        def create(self, path: Path) -> int:
            shutil.rmtree(out, ignore_errors=True)  # the drive was pulled out
            raise OSError(errno.ENOENT, "No such file or directory", str(path))

    summary, events, _ = run(tree, Vanishing(), stop_on_auto_pause=True)
    assert summary.status == "paused"
    assert summary.reason == (
        "The output folder is no longer reachable (was the drive disconnected?). Reconnect it, then resume."
    )
    errors = [e.text for e in events if isinstance(e, Message) and e.level is Level.ERROR]
    assert any(
        "journal beside it holds the progress" in text or "Progress cannot be saved" in text for text in errors
    ), errors


def test_progress_the_drive_cannot_take_is_said_once_and_the_run_stops(
    tree: TakeoutTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = StateStore.snapshot

    def journal_refused(_store: StateStore) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def snapshot(store: StateStore, status: str, room: Path | None = None) -> None:
        if status == "running" and store.snapshots:  # the run's first save went through; the rest find no room
            raise OSError(errno.ENOSPC, "No space left on device")
        saved(store, status, room)

    monkeypatch.setattr(StateStore, "write_held", journal_refused)
    monkeypatch.setattr(StateStore, "snapshot", snapshot)
    summary, events, _ = run(tree, FaultyOutputFiles())
    said = [e.text for e in events if isinstance(e, Message) and "cannot be saved" in e.text]
    assert said == ["Progress cannot be saved as files finish (No space left on device); stopping."], said
    finished = [e for e in events if isinstance(e, FileFinished)]
    assert summary.status == "stopped" and 0 < len(finished) < 13  # the files in hand finished, no others begun


def test_user_pause_saves_state_and_resume_continues(tree: TakeoutTree) -> None:
    control = RunControl()
    saw_paused_state = threading.Event()

    def sink(event) -> None:
        if isinstance(event, FileFinished) and event.finished == 3:
            control.pause()

    def resume_later() -> None:
        state_file = tree.root.parent / "out" / "processing_state.json"
        for _ in range(300):
            if control.paused and json.loads(state_file.read_text())["status"] == "paused":
                saw_paused_state.set()
                break
            threading.Event().wait(0.05)
        control.resume()

    helper = threading.Thread(target=resume_later)
    helper.start()
    summary, events, _ = run(tree, FaultyOutputFiles(), control, sink)
    helper.join()
    assert saw_paused_state.is_set()
    states = [e.state for e in events if isinstance(e, ControlChanged)]
    assert states == ["paused", "running", "completed"]
    assert summary.status == "completed"


def test_stop_while_paused(tree: TakeoutTree) -> None:
    control = RunControl()

    def sink(event) -> None:
        if isinstance(event, FileFinished) and event.finished == 2:
            control.pause()
            threading.Timer(0.3, control.stop).start()

    summary, events, _ = run(tree, FaultyOutputFiles(), control, sink)
    assert summary.status == "stopped" and control.state is ControlState.STOPPED
    assert [e.state for e in events if isinstance(e, ControlChanged)] == ["paused", "stopping", "stopped"]


def test_space_shortage_asks_and_a_no_writes_nothing(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    files.free = 100
    asked = []
    with pytest.raises(RunDeclined, match="100 B free"):
        run(tree, files, confirm=lambda question: asked.append(question) and False)
    assert "Start anyway?" in asked[0]
    assert not (tree.root.parent / "out").exists()


def test_space_shortage_event_then_a_yes_runs(tree: TakeoutTree) -> None:
    files = FaultyOutputFiles()
    files.free = 100
    summary, events, _ = run(tree, files, confirm=lambda _q: True)
    shortage = next(e for e in events if isinstance(e, SpaceShortage))
    assert shortage.free == 100 and shortage.needed > 100
    assert summary.status == "completed"


def test_a_vanished_output_folder_is_never_recreated(tree: TakeoutTree) -> None:
    import shutil

    out = tree.root.parent / "out"

    class PullsTheDrive(FaultyOutputFiles):
        def rename(self, source: Path, target: Path) -> None:
            super().rename(source, target)
            if "IMG_02" in str(target):
                shutil.rmtree(out)

    summary, _, _ = run(tree, PullsTheDrive(), stop_on_auto_pause=True)
    assert summary.status == "paused" and "no longer reachable" in summary.reason
    assert not out.exists(), "pef must not write a new output folder where the drive used to be"


def test_an_output_folder_is_made_once_and_again_only_when_it_was_removed(tree: TakeoutTree) -> None:
    import shutil

    folder = tree.root.parent / "out" / "Google Photos"

    class RemovesTheFolder(FaultyOutputFiles):
        def __init__(self) -> None:
            super().__init__()
            self.made: list[Path] = []

        def make_folder(self, path: Path) -> None:
            self.made.append(path)
            super().make_folder(path)

        def rename(self, source: Path, target: Path) -> None:
            super().rename(source, target)
            if target.name == "IMG_05.jpg":  # the person moved the photos done so far elsewhere
                shutil.rmtree(target.parent)

    files = RemovesTheFolder()
    summary, _, _ = run(tree, files)
    assert summary.status == "completed"
    assert {f"IMG_{index:02d}.jpg" for index in range(6, 12)} <= {item.name for item in folder.iterdir()}
    assert files.made.count(folder) == 2, files.made  # not once a photo


def test_an_unexpected_error_ends_the_run_in_the_failed_state(tree: TakeoutTree) -> None:
    class Broken(FaultyOutputFiles):
        def free_space(self, folder: Path) -> int:
            raise RuntimeError("a bug outside any one file")

    control = RunControl()
    heard = []
    control.subscribe(lambda state, reason: heard.append((state, reason)))
    with pytest.raises(RuntimeError):
        Engine(
            Job(find_parts([tree.root]), tree.root.parent / "out", RunSettings()),
            lambda _event: None,
            control,
            files=Broken(),
        ).run()
    assert control.state is ControlState.FAILED
    assert heard[0][0] is ControlState.FAILED and "RuntimeError" in heard[0][1]


def test_a_file_where_the_output_folder_must_go_is_refused_before_anything_begins(tree: TakeoutTree) -> None:
    blocker = tree.root.parent / "out"
    blocker.write_text("a file where the output folder must go")
    control = RunControl()
    with pytest.raises(OutputChoiceError, match="is not a folder"):
        Engine(Job(find_parts([tree.root]), blocker, RunSettings()), lambda _event: None, control).run()
    assert control.state is ControlState.RUNNING, "the run never began, so it did not fail"
    assert blocker.read_text() == "a file where the output folder must go"


def test_files_the_drive_refused_before_a_quick_resume_do_not_pause_the_run_again(tmp_path: Path) -> None:
    """Resume clicked at once: the files in hand that failed before it are tried again, not a new streak."""
    tree = TakeoutTree(tmp_path / "Takeout")
    for index in range(40):
        name = f"IMG_{index:02d}.jpg"
        tree.media(name, jpeg_bytes(), f"{name}.json", sidecar(name, 1_600_000_000 + index))
    files = FaultyOutputFiles()
    rule = files.fail("create", "IMG_", errno.ENOSPC, times=16)
    control = RunControl()
    pauses = []

    def sink(event) -> None:
        if isinstance(event, ControlChanged) and event.state == "paused":
            pauses.append(event)
            rule["times"] = 0  # space was freed
            control.resume()  # at once, while the files in hand are still coming back

    job = Job(find_parts([tree.root]), tmp_path / "out", RunSettings(timezone="UTC"), workers=8)
    summary = Engine(job, sink, control, files=files, sleep=Clock(), confirm=lambda _q: True).run()
    assert len(pauses) == 1, [p.reason for p in pauses]
    assert summary.status == "completed" and summary.done == 40 and not summary.failed
