"""The files a run does: rows of the survey's tasks, each FileTask made as it is handed out (not a million at once)."""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pef.model.library import CopyAction
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

    Copies that stand in for their originals come last: each waits for its original's record.
    """
    tasks = survey.tasks
    rows = [row for row, task in enumerate(tasks) if needs_work(job, task, files.get(task.key))]
    redone = {tasks[row].key for row in rows}
    rows += [
        row
        for row, task in enumerate(tasks)
        if task.key not in redone
        and (
            (task.action is not CopyAction.WRITE and task.copy_of in redone)  # a kept duplicate stands alone
            or copy_needs_work(job.output, task, files.get(task.key), files.get(task.copy_of))
        )
    ]
    del redone
    position = survey.source.position
    rows.sort(key=lambda row: (tasks[row].action is not CopyAction.WRITE, position(tasks[row].key)))
    todo = Todo(tasks, rows)
    survey.source.expect([task.key for task in todo])
    return todo


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
