"""The to-do is handed out in order, each task made as it goes; files given back go first, copies let go last."""

from __future__ import annotations

from pef.model.records import FileTask
from pef.model.task_table import TaskTable
from pef.run.todo import TaskQueue, Todo

TASKS = TaskTable(FileTask(f"a/{index}.jpg", index, f"a/{index}.jpg", None, None, None) for index in range(6))


def test_a_todo_is_its_rows_of_the_survey_in_its_order() -> None:
    todo = Todo(TASKS, [4, 0, 2])
    assert len(todo) == 3
    assert [task.key for task in todo] == ["a/4.jpg", "a/0.jpg", "a/2.jpg"]
    assert todo[1] == TASKS[0]


def test_the_queue_hands_out_what_was_given_back_then_the_todo_then_the_copies_let_go() -> None:
    queue = TaskQueue(Todo(TASKS, [0, 1, 2, 3]))
    first = queue.popleft()
    queue.extend([TASKS[5]])  # a copy whose original was recorded: after everything
    queue.appendleft(first)  # refused before a resume: first again
    assert [task.key for task in queue] == ["a/0.jpg", "a/1.jpg", "a/2.jpg", "a/3.jpg", "a/5.jpg"]
    assert queue.popleft() == first and queue.popleft() == TASKS[1]
    queue.extendleft(reversed([TASKS[4], TASKS[1]]))  # what the drives refused, retried first in order
    handed = []
    while queue:
        handed.append(queue.popleft().key)
    assert handed == ["a/4.jpg", "a/1.jpg", "a/2.jpg", "a/3.jpg", "a/5.jpg"]
