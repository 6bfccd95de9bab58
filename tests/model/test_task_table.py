"""A survey's tasks as columns: every field comes back as it went in, in order, whatever its value."""

from __future__ import annotations

from array import array

import pytest

from pef.model.library import CopyAction, CopyKind, FolderKind
from pef.model.outcomes import DecisionKind, MatchKind, Reason
from pef.model.records import Decision, FileTask
from pef.model.task_table import TaskTable

TASKS = [
    FileTask("a/1.jpg", 10, "a/1.jpg", "a/1.jpg.json", MatchKind.OWN, None, ("Trip",)),
    FileTask("a/2.jpg", 0, "a/2 (2).jpg", None, None, Reason.AMBIGUOUS, renamed=True),
    FileTask(
        "b/1.jpg", 2**40, "Albums/1.jpg", "a/1.jpg.json", MatchKind.ALBUM_COPY, None, ("Trip", "Zoo"),
        Decision(DecisionKind.MANUAL, taken=1_561_975_200), FolderKind.ALBUM, "a/1.jpg", CopyKind.ALBUM_COPY,
        CopyAction.OMIT, dated=True,
    ),
    FileTask(
        "c/9.mp4", 5, "Trash/9.mp4", "c/x.json", MatchKind.CHOSEN, None,
        decision=Decision(DecisionKind.SIDECAR, sidecar="c/x.json"), folder=FolderKind.TRASH,
        copy_of="a/2.jpg", copy_kind=CopyKind.DUPLICATE, action=CopyAction.LINK, dated=True, renamed=True,
    ),
]  # fmt: skip


def test_every_task_comes_back_as_it_was_added() -> None:
    table = TaskTable(TASKS)
    assert len(table) == 4
    assert list(table) == TASKS
    assert [table[row] for row in range(4)] == TASKS
    assert table[-1] == TASKS[-1] and table[1:3] == TASKS[1:3]
    with pytest.raises(IndexError):
        table[4]
    assert table.total_bytes == 15 + 2**40
    assert (table.copies(CopyKind.ALBUM_COPY), table.copies(CopyKind.DUPLICATE)) == (1, 1)


def test_the_writes_come_first_then_the_copies_standing_in_each_in_order() -> None:
    table = TaskTable(TASKS)
    assert list(table.writing()) == TASKS[:2]
    assert list(table.standing_in()) == TASKS[2:]


def test_tasks_out_of_key_order_are_given_in_key_order() -> None:
    assert list(TaskTable(reversed(TASKS)).in_key_order()) == TASKS
    ordered = TaskTable(TASKS)
    assert ordered.in_key_order() is ordered


def test_a_plans_files_are_held_as_given_and_each_task_must_be_of_the_next() -> None:
    keys, sizes = [task.key for task in TASKS], array("q", (task.size for task in TASKS))
    table = TaskTable(files=(keys, sizes))
    table.append(TASKS[0])
    with pytest.raises(ValueError, match=r"a/2\.jpg"):
        table.append(TASKS[2])
    for task in TASKS[1:]:
        table.append(task)
    assert list(table) == TASKS
