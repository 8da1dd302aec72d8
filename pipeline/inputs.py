"""A batch's input files: which are byte-identical copies, and what became of each.

Byte-identical files are one document: one of them is read (the first in path
order, unless another's name says what its bytes are and this one's does not),
the others are listed as its copies (in `files`, in the plan's
`identical_copies` and in `compare_plans`), so every id stays unique and every
file stays visible.
"""

from __future__ import annotations

import dataclasses
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from planx.extractors import SUFFIX_FORMATS, SUPPORTED_SUFFIXES, sniff_format
from planx.pipeline.executors import Task
from planx.pipeline.process import PLAN_ID_CHARS, FileResult
from planx.schemas.records import ErrorRecord, InputFile


def _name_fits(path: str) -> int:
    """0 when the file's suffix names what its bytes are, 1 when it is a suffix planx reads
    (the content says otherwise or nothing), 2 when planx does not read that suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return 2
    try:
        return 0 if sniff_format(Path(path)) == SUFFIX_FORMATS[suffix] else 1
    except OSError:
        return 1


def identical_copies(tasks: Sequence[Task]) -> dict[int, int]:
    """Index of each task whose bytes repeat another's -> the index of the one to read."""
    groups: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=lambda t: t.index):
        if task.sha256:  # unhashed files are unreadable: process_file reports each
            groups.setdefault(task.sha256, []).append(task)
    copy_of: dict[int, int] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        # A .rtf and a .txt of the same bytes: read the one whose name planx can read.
        original = min(group, key=lambda t: (_name_fits(t.path), t.index))
        copy_of.update({t.index: original.index for t in group if t is not original})
    return copy_of


def copy_result(task: Task, original: FileResult) -> FileResult:
    """What an identical copy gives: no plan of its own (its original's counts once) and,
    when the original failed, the original's failures under the copy's own name."""
    name = task.name
    errors = [
        e.model_copy(
            update={
                "source": name,
                "error": f"same bytes as {original.source}, which failed: {e.error}",
            }
        )
        for e in original.errors
        if e.severity == "failed"
    ]
    return FileResult(
        path=task.path, source=name, sha256=task.sha256, errors=errors, same_as=original.path
    )


class LightResults:
    """Each file's result without its plan, kept by a batch till its end (for the files and
    errors tables, and the identical copies' results), by task index.

    An ordinary result (no error, its file's own hash, name and plan id) is kept as two
    numbers in arrays made at the start: its pages and whether it gave a plan. Only the
    others are kept whole. An object kept from every file, made among the many short-lived
    ones of that file, would hold their memory pages: the run's memory would creep up with
    the number of files."""

    _UNSEEN, _NO_PLAN, _PLAN = 0, 1, 2

    def __init__(self, tasks: Sequence[Task]):
        size = max((t.index for t in tasks), default=-1) + 1
        self._tasks: list[Task | None] = [None] * size  # by index: no dict entry per file
        for t in tasks:
            self._tasks[t.index] = t
        self._pages = array("q", [-1]) * size  # -1: no page count
        self._state = bytearray(size)
        self._whole: dict[int, tuple[FileResult, str]] = {}  # the others, with their plan id

    def keep(self, index: int, result: FileResult, plan_id: str = "") -> None:
        """The result of task `index` (`plan_id`: its plan's, if it gave one)."""
        task = self._tasks[index]
        assert task is not None, index
        ordinary = (
            not result.errors
            and not result.same_as
            and result.path == task.path
            and result.sha256 == task.sha256
            and result.source == task.name
            and plan_id in ("", task.sha256[:PLAN_ID_CHARS])
        )
        self._state[index] = self._PLAN if plan_id else self._NO_PLAN
        if ordinary:
            self._pages[index] = -1 if result.pages is None else result.pages
        else:
            self._whole[index] = (dataclasses.replace(result, plan=None, prepared=None), plan_id)

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and 0 <= index < len(self._state) and bool(self._state[index])

    def __getitem__(self, index: int) -> FileResult:
        if index not in self:
            raise KeyError(index)
        if index in self._whole:
            return self._whole[index][0]
        task, pages = self._tasks[index], self._pages[index]
        assert task is not None
        return FileResult(
            path=task.path,
            source=task.name,
            sha256=task.sha256,
            pages=None if pages < 0 else pages,
        )

    def get(self, index: int) -> FileResult | None:
        return self[index] if index in self else None

    def plan_id(self, index: int) -> str:
        """The plan id of task `index`'s plan ("" when it gave none or is not kept)."""
        if index in self._whole:
            return self._whole[index][1]
        task = self._tasks[index] if index in self else None
        if task is not None and self._state[index] == self._PLAN:
            return task.sha256[:PLAN_ID_CHARS]
        return ""

    def plan_ids(self) -> dict[int, str]:
        """Task index -> the plan id of each file that gave a plan."""
        ids = {i: self.plan_id(i) for i in range(len(self._state))}
        return {i: plan_id for i, plan_id in ids.items() if plan_id}

    def errors(self) -> Iterator[ErrorRecord]:
        """Every kept result's errors and warnings, in task order (ordinary results have none)."""
        for index in sorted(self._whole):
            yield from self._whole[index][0].errors


def shared_folder(paths: Iterable[str]) -> str | None:
    """The deepest folder holding every path (None for no paths); one path at a time, so a
    batch's paths are not gathered into a list for it."""
    shared: str | None = None
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        shared = folder if shared is None else os.path.commonpath([shared, folder])
    return shared


def _relative(path: str, root: str | None) -> str:
    """`path` from `root`, with "/" between its parts (its name without a root). Strings,
    not pathlib, as Task.name says why."""
    absolute = os.path.abspath(path)
    if root is None:
        return os.path.basename(absolute)
    return os.path.relpath(absolute, root).replace(os.sep, "/")


def _task_at(tasks: Sequence[Task], index: int) -> Task:
    """The task of `index` (in a batch, the task at that position)."""
    if 0 <= index < len(tasks) and tasks[index].index == index:
        return tasks[index]
    return next(t for t in tasks if t.index == index)


def _input_file(
    task: Task,
    tasks: Sequence[Task],
    root: str | None,
    results: Mapping[int, FileResult] | LightResults,
    copy_of: Mapping[int, int],
    plan_id_of: Callable[[int], str],
) -> InputFile:
    original = copy_of.get(task.index, task.index)
    plan_id = plan_id_of(original)
    own = results.get(task.index)
    is_copy = original != task.index
    return InputFile(
        source=task.name,
        path=_relative(task.path, root),
        sha256=task.sha256 or (own.sha256 if own is not None else ""),
        plan_id=plan_id,
        outcome="identical_copy" if is_copy else "read" if plan_id else "failed",
        same_as=_relative(_task_at(tasks, original).path, root) if is_copy else "",
    )


def _plan_id_from_result(results: Mapping[int, FileResult]) -> Callable[[int], str]:
    def plan_id_of(index: int) -> str:
        read = results.get(index)
        size = read.plan_size() if read is not None else None
        return size.plan_id if size is not None else ""

    return plan_id_of


def tasks_to_files(
    tasks: Sequence[Task],
    results: Mapping[int, FileResult] | LightResults,
    copy_of: Mapping[int, int],
) -> list[InputFile]:
    """Every input file with what became of it: read (its plan), an identical copy of a file
    read in its place (that file's plan), or failed (its reasons are in errors)."""
    root = shared_folder(t.path for t in tasks)
    plan_id_of = (
        results.plan_id if isinstance(results, LightResults) else _plan_id_from_result(results)
    )
    return [
        _input_file(task, tasks, root, results, copy_of, plan_id_of)
        for task in sorted(tasks, key=lambda t: t.index)
    ]


def files_in_table_order(
    tasks: Sequence[Task], results: LightResults, copy_of: Mapping[int, int], at_once: int
) -> Iterator[list[InputFile]]:
    """tasks_to_files's files in the files table's order (by path, then name), `at_once` at a
    time: a batch's end holds a slice of its files, not all of them. `tasks` are a batch's
    (each at the position of its index)."""
    root = shared_folder(t.path for t in tasks)

    def table_key(task: Task) -> tuple[str, str]:
        return _relative(task.path, root), task.name

    in_order: Iterable[Task] = tasks
    previous: tuple[str, str] | None = None
    for task in tasks:  # the path order is nearly always the table's: then no list is made
        key = table_key(task)
        if previous is not None and key < previous:
            in_order = sorted(tasks, key=table_key)
            break
        previous = key
    chunk: list[InputFile] = []
    for task in in_order:
        chunk.append(_input_file(task, tasks, root, results, copy_of, results.plan_id))
        if len(chunk) >= at_once:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
