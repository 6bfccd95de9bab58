"""A million records hold no copies of the survey's names: a record back from a worker process, or read from
the state file, holds its task's key, sidecar and output strings themselves."""

from __future__ import annotations

import pickle
from pathlib import Path

from pef.metadata.timezone import resolve_zone
from pef.model.events import FileFinished
from pef.model.outcomes import FileStatus
from pef.model.records import FileRecord, FileTask, RunSettings
from pef.run.copy_file import FileCopier
from pef.run.engine import Engine
from pef.run.job import Job
from pef.run.resume import open_state
from pef.state.store import StateStore
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import Survey, survey_takeout
from tests.builders import TakeoutTree

FILES = 240  # worker processes from 200 files on
SETTINGS = RunSettings(timezone="UTC")


class WatchedEngine(Engine):
    """An engine whose survey the test can see."""

    seen: Survey

    def survey(self) -> Survey:
        self.seen = super().survey()
        return self.seen


def assert_shares(record: FileRecord, task: FileTask) -> None:
    assert record.key is task.key and record.sidecar is task.sidecar and record.output is task.output


def test_records_from_worker_processes_and_from_the_state_file_hold_the_tasks_strings(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", FILES, 1_561_975_200)
    output = tmp_path / "out"
    job = Job(find_parts([tree.root]), output, SETTINGS, workers=2)
    finished: list[FileRecord] = []
    engine = WatchedEngine(
        job, lambda event: finished.append(event.record) if isinstance(event, FileFinished) else None
    )
    assert engine.run().status == "completed"
    tasks = {task.key: task for task in engine.seen.tasks}
    assert len(finished) == FILES
    for record in finished:
        assert_shares(record, tasks[record.key])
        assert record.output is record.key  # in a Takeout's own layout the output is the key: one string for both

    source = PartsSource(find_parts([tree.root]))
    survey = survey_takeout(source, SETTINGS)
    copier = FileCopier(source, output, SETTINGS, resolve_zone("UTC"))
    state, _ = open_state(job, StateStore(output), survey, copier, lambda _event: None)
    assert len(state.files) == FILES
    for task in survey.tasks:
        assert_shares(state.files[task.key], task)
        assert next(key for key in state.files if key == task.key) is task.key  # the state's own key too


def test_a_record_through_a_pipe_keeps_what_differs_from_its_task() -> None:
    task = FileTask("A/b.jpg", 10, "A/b.jpg", "A/b.jpg.json", None, None, copy_of="A/a.jpg")
    made = FileRecord("A/b.jpg", FileStatus.DONE, "2019/07/b.jpg", "A/b.jpg.json", at="2026-11-24T01:00:00+00:00")
    shared = pickle.loads(pickle.dumps(made)).shared_with(task)
    assert shared.key is task.key and shared.sidecar is task.sidecar
    assert shared.output == "2019/07/b.jpg" and shared.copy_of == "" and shared == made  # a date folder: its own
