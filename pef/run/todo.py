"""The files a run does: rows of the survey's tasks, each FileTask made as it is handed out (not a million at once)."""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat

from pef.model.records import FileRecord, FileTask
from pef.model.task_table import TaskTable
from pef.run.job import Job
from pef.run.resume import copy_needs_work, needs_work
from pef.takeout.survey import Survey


class Todo(Sequence[FileTask]):
    """Rows of a survey's tasks, in the order a run does them."""

    def __init__(self, tasks: TaskTable, rows: Iterable[int]) -> None:
        self._tasks = tasks
        self._rows = array("q", rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[FileTask]:
        return map(self._tasks.__getitem__, self._rows)

    def __getitem__(self, index: int) -> FileTask:
        return self._tasks[self._rows[index]]


def files_to_do(job: Job, survey: Survey, files: Mapping[str, FileRecord]) -> Todo:
    """The files to do, in the order their parts hold them (a .tgz is read once, front to back); parts are told.

    Copies that stand in for their originals come last: each waits for its original's record. A byte a
    task says which are done again (not a set of a million keys).
    """
    tasks, source = survey.tasks, survey.source
    record_of = files.get if files else _no_record
    redone = bytearray(map(needs_work, repeat(job, len(tasks)), tasks, map(record_of, tasks.key_rows.keys)))
    row_of = tasks.key_rows.row_of
    for row in tasks.standing_in_rows():
        task = tasks[row]
        original = row_of(task.copy_of)
        if not redone[row] and (
            (original is not None and redone[original] == 1)  # a kept duplicate stands alone
            or copy_needs_work(job.output, task, record_of(task.key), record_of(task.copy_of))
        ):
            redone[row] = 2
    writes, standing = (
        array("q", (row for row in rows if redone[row])) for rows in (tasks.writing_rows(), tasks.standing_in_rows())
    )
    if not source.lone_folder:  # a folder is read in any order, and its files are in key order already
        position, keys = source.position, tasks.key_rows.keys
        writes, standing = (sorted(rows, key=lambda row: position(keys[row])) for rows in (writes, standing))
    todo = Todo(tasks, chain(writes, standing))
    source.expect(task.key for task in todo)
    return todo


def _no_record(_key: str) -> None:
    return None


class TaskQueue:
    """The files still to hand out: those given back first, then the rest of the to-do, then the copies let go."""

    def __init__(self, todo: Todo) -> None:
        self._front: deque[FileTask] = deque()
        self._todo, self._next = todo, 0
        self._back: deque[FileTask] = deque()

    def popleft(self) -> FileTask:
        if self._front:
            return self._front.popleft()
        if self._next < len(self._todo):
            self._next += 1
            return self._todo[self._next - 1]
        return self._back.popleft()

    def appendleft(self, task: FileTask) -> None:
        self._front.appendleft(task)

    def extendleft(self, tasks: Iterable[FileTask]) -> None:
        self._front.extendleft(tasks)

    def extend(self, tasks: Iterable[FileTask]) -> None:
        self._back.extend(tasks)

    def __bool__(self) -> bool:
        return bool(self._front) or self._next < len(self._todo) or bool(self._back)

    def __iter__(self) -> Iterator[FileTask]:
        yield from self._front
        yield from (self._todo[index] for index in range(self._next, len(self._todo)))
        yield from self._back
