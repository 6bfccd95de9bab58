"""A million records hold no strings of their own: a record a run keeps, or reads from the state file, takes
its task's row (its key) and keeps an output and a sidecar made from that key as a byte."""

from __future__ import annotations

from pathlib import Path

from pef.metadata.timezone import resolve_zone
from pef.model.key_names import KeyNames
from pef.model.record_table import RecordTable
from pef.model.records import RunSettings
from pef.run.copy_file import FileCopier
from pef.run.engine import Engine
from pef.run.job import Job
from pef.run.resume import open_state
from pef.state.store import StateStore
from pef.takeout.parts import find_parts
from pef.takeout.parts_source import PartsSource
from pef.takeout.survey import survey_takeout
from tests.builders import TakeoutTree

FILES = 240  # worker processes from 200 files on
SETTINGS = RunSettings(timezone="UTC")


def strings_held(table: RecordTable) -> int:
    """The strings the table keeps beside its rows' keys: whole names, errors, notes, decisions, originals."""
    names = sum(len(column._others) for column in vars(table).values() if isinstance(column, KeyNames))
    return names + len(table._other_keys) + len(table._errors) + len(table._notes) + len(table._copy_of)


def test_the_records_a_run_keeps_and_reads_back_hold_no_string_a_file(tmp_path: Path) -> None:
    tree = TakeoutTree(tmp_path / "Takeout")
    tree.dated_photos("Photos from 2019", FILES, 1_561_975_200)
    output = tmp_path / "out"
    job = Job(find_parts([tree.root]), output, SETTINGS, workers=2)  # records back from worker processes
    assert Engine(job, lambda _event: None).run().status == "completed"

    source = PartsSource(find_parts([tree.root]))
    survey = survey_takeout(source, SETTINGS)
    copier = FileCopier(source, output, SETTINGS, resolve_zone("UTC"))
    state, _ = open_state(job, StateStore(output), survey, copier, lambda _event: None)
    assert len(state.files) == FILES and state.files.key_rows is survey.tasks.key_rows
    assert strings_held(state.files) == 0
    for task in survey.tasks:
        record = state.files[task.key]
        assert record.key is task.key and record.output is task.key  # the output is its key in a Takeout's layout
        assert record.sidecar == task.sidecar and task.sidecar.startswith(f"{task.key}.")
        assert next(key for key in state.files if key == task.key) is task.key  # the state's own key too
