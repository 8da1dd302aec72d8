"""A batch run: discover files, process each (reusing cached results), gather the
records, write the tables.

Files run in a pool of worker processes, in this process (one worker) or on a
Dask cluster (see executors.py); results are put back in path order, so the
outputs are byte-identical whatever the worker count or executor. Each result
is cached as soon as it arrives, so a run that is stopped loses only the files
in flight, and a re-run redoes only new or changed files.

The tables are written as one set: first into OUTDIR/.planx-staging, then a
commit note is written and the files are renamed into place. A run killed
before the note leaves the previous outputs untouched; one killed while
renaming is finished by the next run, before it does anything else. The set
includes OUTDIR/.planx-outputs.json (what it was made from, each file's
sha256), so a re-run in which nothing changed leaves the outputs as they are
instead of writing them again. OUTDIR/.planx-lock keeps two runs from writing
to one folder at once.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from planx.pipeline.cache import CACHE_DIRNAME, ResultCache, entry_key, run_fingerprint
from planx.pipeline.discover import discover
from planx.pipeline.executors import (
    DEFAULT_TASKS_PER_WORKER,
    DaskRunner,
    ProcessFn,
    ProcessPool,
    RunStats,
    Task,
    peak_rss_kb,
    run_inline,
)
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.inputs import copy_result, identical_copies, tasks_to_files
from planx.pipeline.process import FileResult, RunSettings, file_sha256, process_file
from planx.pipeline.progress import NullProgress, Progress
from planx.pipeline.sinks import CSV_ORDER, atomic_path, write_tables
from planx.schemas.records import ErrorRecord, InputFile, Plan
from planx.schemas.settings import resolve_settings

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
STAGING_DIRNAME = ".planx-staging"
COMMIT_NAME = ".planx-commit.json"
OUTPUTS_NOTE = ".planx-outputs.json"  # what the current outputs were made from
LOCK_NAME = ".planx-lock"
Executor = Literal["local", "dask"]


def available_cores() -> int:
    """Cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OutputBusyError(RuntimeError):
    """Another run is writing to the same output folder."""


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs (not what it finds: that is RunSettings, which the cache keys on)."""

    workers: int | None = None  # None: one per core; 1: in this process
    executor: Executor = "local"
    scheduler: str | None = None  # the Dask scheduler's address, for executor="dask"
    timeout_s: float | None = DEFAULT_TIMEOUT_S  # per file; None or 0: no limit
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB  # per worker process; None or 0: no limit
    tasks_per_worker: int = DEFAULT_TASKS_PER_WORKER  # files before a worker is replaced
    cache: bool = True
    cache_dir: Path | None = None  # None: OUTDIR/.planx-cache
    force: bool = False  # recompute every file (and refresh its cache entry)

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.executor not in ("local", "dask"):
            raise ValueError(f"executor must be 'local' or 'dask', got {self.executor!r}")
        if self.executor == "dask" and not self.scheduler:
            raise ValueError("the dask executor needs a scheduler address (tcp://host:port)")
        if self.timeout_s is not None and self.timeout_s < 0:
            raise ValueError(f"timeout must not be negative, got {self.timeout_s}")
        if self.max_memory_mb is not None and self.max_memory_mb < 0:
            raise ValueError(f"max_memory_mb must not be negative, got {self.max_memory_mb}")
        if self.tasks_per_worker < 1:
            raise ValueError(f"tasks_per_worker must be at least 1, got {self.tasks_per_worker}")

    @property
    def n_workers(self) -> int:
        return self.workers or available_cores()

    @classmethod
    def resolve(cls, settings: BatchSettings | dict[str, Any] | None) -> BatchSettings:
        """Settings from None, a dict or an instance (schemas.settings.resolve_settings)."""
        return resolve_settings(cls, settings, "batch")


@dataclass
class RunSummary:
    outdir: Path
    n_files: int = 0
    n_plans: int = 0  # plans read (identical files count once)
    n_read: int = 0  # files that gave a plan, identical copies included
    n_identical: int = 0  # files whose bytes repeat another input's: read once
    n_failed: int = 0  # files that gave no plan
    n_actions: int = 0
    n_kpis: int = 0
    n_pages: int = 0
    n_cached: int = 0  # files whose result came from the cache
    n_processed: int = 0  # files processed this run
    skipped: list[str] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    outputs_unchanged: bool = False  # nothing changed: the previous outputs were kept as they are
    cache_failed: bool = False  # the cache could not be written (the run went on without it)
    stats: RunStats = field(default_factory=RunStats)


def gather(results: Iterable[FileResult]) -> tuple[list[Plan], list[ErrorRecord]]:
    plans: list[Plan] = []
    errors: list[ErrorRecord] = []
    for result in results:
        if result.plan is not None:
            plans.append(result.plan)
        errors.extend(result.errors)
    return plans, errors


# ---------------------------------------------------------------- the output set


@contextlib.contextmanager
def outdir_lock(outdir: Path) -> Iterator[None]:
    """Only one run writes to a folder at a time (where the OS has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(outdir / LOCK_NAME, "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputBusyError(f"another planx run is writing to {outdir}") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _apply_commit(outdir: Path) -> None:
    note = outdir / COMMIT_NAME
    staging = outdir / STAGING_DIRNAME
    names = json.loads(note.read_text(encoding="utf-8"))["files"]
    for name in names:
        src = staging / name
        if src.exists():  # absent: moved before an interruption
            os.replace(src, outdir / name)
    note.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def recover_outputs(outdir: Path) -> None:
    """Finish a set of outputs a killed run had committed; drop one it had not."""
    if (outdir / COMMIT_NAME).exists():
        try:
            _apply_commit(outdir)
            return
        except (ValueError, KeyError, TypeError):
            (outdir / COMMIT_NAME).unlink()  # a note we cannot read commits nothing
    shutil.rmtree(outdir / STAGING_DIRNAME, ignore_errors=True)


def commit_outputs(frames, outdir: Path, digest: str | None = None) -> list[Path]:
    """Write every table into staging, then swap the whole set into `outdir`.
    The set carries a note of what it was made from (`digest`) and of its files."""
    staging = outdir / STAGING_DIRNAME
    shutil.rmtree(staging, ignore_errors=True)
    written = write_tables(frames, staging)
    names = [p.relative_to(staging).as_posix() for p in written]
    note = {"inputs": digest, "files": {name: file_sha256(staging / name) for name in names}}
    (staging / OUTPUTS_NOTE).write_text(json.dumps(note, indent=1), encoding="utf-8")
    with atomic_path(outdir / COMMIT_NAME) as tmp:
        tmp.write_text(json.dumps({"files": [*names, OUTPUTS_NOTE]}), encoding="utf-8")
    _apply_commit(outdir)
    return [outdir / name for name in names]


# ---------------------------------------------------------------- the run


def _task(index: int, path: Path) -> Task:
    try:
        return Task(index=index, path=str(path), sha256=file_sha256(path), size=path.stat().st_size)
    except OSError:
        return Task(index=index, path=str(path))  # process_file reports why it cannot be read


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _runner(batch: BatchSettings):
    if batch.executor == "dask":
        return DaskRunner(batch.scheduler, timeout_s=batch.timeout_s)
    if batch.n_workers == 1:
        return None
    return ProcessPool(
        batch.n_workers,
        timeout_s=batch.timeout_s,
        max_memory_mb=batch.max_memory_mb,
        tasks_per_worker=batch.tasks_per_worker,
    )


def inputs_digest(tasks: Sequence[Task], keys: dict[int, str]) -> str | None:
    """What the tables are made from, as one hash (None if some file could not be hashed)."""
    if any(t.index not in keys for t in tasks):
        return None
    text = "\n".join(keys[t.index] for t in sorted(tasks, key=lambda t: t.index))
    return hashlib.sha256(f"{len(tasks)}\n{text}".encode()).hexdigest()


def outputs_current(outdir: Path, digest: str | None) -> list[Path] | None:
    """The outputs in `outdir` when they were made from exactly these inputs and no
    file of the set has been changed or removed since; else None."""
    if digest is None:
        return None
    try:
        note = json.loads((outdir / OUTPUTS_NOTE).read_text(encoding="utf-8"))
        if note.get("inputs") != digest:
            return None
        files = note["files"]
        if any(f"{table}.parquet" not in files for table in CSV_ORDER):
            return None  # written by an older planx, without a table this one writes
        for name, sha in files.items():
            if file_sha256(outdir / name) != sha:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return [outdir / name for name in files]


@contextlib.contextmanager
def results_out_of_gc() -> Iterator[Callable[[], None]]:
    """Keep the growing heap of finished results out of the cyclic garbage collector.

    Results have no reference cycles, yet every full collection walks them all,
    which made a long in-process batch ~15% slower. After each file, `settle()`
    collects what that file left behind and freezes the rest; the end of the
    run unfreezes everything."""

    def settle() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield settle
    finally:
        gc.unfreeze()


def _process_all(
    tasks: list[Task],
    keys: dict[int, str],
    cache: ResultCache | None,
    settings: RunSettings,
    batch: BatchSettings,
    process: ProcessFn,
    summary: RunSummary,
    report: Callable[[FileResult, bool], None],
    note: Callable[[str], None],
    settle: Callable[[], None],
) -> dict[int, FileResult]:
    """Every task's result by task index: from the cache, else processed (and cached)."""
    results: dict[int, FileResult] = {}
    todo: list[Task] = []
    for task in tasks:
        hit = None
        if cache is not None and task.index in keys and not batch.force:
            hit = cache.get(keys[task.index], task.path)
        if hit is not None:
            results[task.index] = hit
            summary.n_cached += 1
            report(hit, True)
            settle()
        else:
            todo.append(task)
    runner = _runner(batch) if todo else None
    finished = (
        runner.run(process, settings, todo)
        if runner is not None
        else run_inline(process, settings, todo, timeout_s=batch.timeout_s)
    )
    for task, result in finished:
        results[task.index] = result
        summary.n_processed += 1
        if cache is not None and task.index in keys and result.sha256 == task.sha256:
            try:
                cache.put(keys[task.index], result)
            except OSError as exc:
                if not summary.cache_failed:
                    note(f"warning: cannot write the cache ({exc}); going on without it")
                summary.cache_failed = True
        report(result, False)
        settle()
    if runner is not None:
        summary.stats = runner.stats
    elif todo:
        summary.stats.saw_rss_kb(peak_rss_kb())
    return results


def run_extract(
    paths: Sequence[str | Path],
    outdir: str | Path,
    settings: RunSettings | dict[str, Any] | None = None,
    *,
    on_result: Callable[[FileResult], None] | None = None,
    batch: BatchSettings | dict[str, Any] | None = None,
    progress: Progress | None = None,
    process: ProcessFn = process_file,
) -> RunSummary:
    """Extract every file under `paths` and write the tables into `outdir`.

    `process` is the unit of work (a module-level function, so workers can
    import it); `on_result` and `progress` hear about each file as it finishes,
    cached ones included. When every result comes from the cache and the
    outputs in `outdir` were made from exactly these results, they are left
    as they are (`summary.outputs_unchanged`)."""
    settings = RunSettings.resolve(settings)
    batch = BatchSettings.resolve(batch)
    progress = progress or NullProgress()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with outdir_lock(outdir), results_out_of_gc() as settle:
        recover_outputs(outdir)
        files, skipped = _input_files(paths, outdir)
        summary = RunSummary(outdir=outdir, n_files=len(files), skipped=skipped)
        fingerprint = run_fingerprint(settings)
        tasks = [_task(index, path) for index, path in enumerate(files)]
        keys = {
            t.index: entry_key(fingerprint, t.sha256, Path(t.path).name) for t in tasks if t.sha256
        }
        cache_root = batch.cache_dir or outdir / CACHE_DIRNAME
        cache = ResultCache(cache_root, fingerprint) if batch.cache else None
        # Byte-identical files are one document: read once (see pipeline/inputs.py).
        copy_of = identical_copies(tasks)

        def report(result: FileResult, cached: bool) -> None:
            progress.advance(result, cached=cached)
            if on_result is not None:
                on_result(result)

        progress.start(len(tasks))
        try:
            unique = [t for t in tasks if t.index not in copy_of]
            by_index = _process_all(
                unique,
                keys,
                cache,
                settings,
                batch,
                process,
                summary,
                report,
                progress.note,
                settle,
            )
            for index, original in sorted(copy_of.items()):
                if original in by_index:
                    by_index[index] = copy_result(tasks[index], by_index[original])
                    report(by_index[index], False)
        finally:
            progress.close()
        plans, errors, inputs = _tally(summary, tasks, by_index, copy_of)
        digest = inputs_digest(tasks, keys)
        current = outputs_current(outdir, digest) if summary.n_processed == 0 else None
        if current is not None:
            summary.written, summary.outputs_unchanged = current, True
        else:
            warnings = Counter(e.source for e in errors if e.severity == "warning")
            frames = records_to_frames(plans, errors, dict(warnings), inputs)
            # The records are in the tables now: free them before the sinks need memory.
            del by_index, plans
            summary.written = commit_outputs(frames, outdir, digest)
        if cache is not None and batch.cache_dir is None and not summary.cache_failed:
            # The default cache serves this folder's outputs only: drop entries they no longer use.
            cache.prune(set(keys.values()))
    return summary


def _input_files(paths: Sequence[str | Path], outdir: Path) -> tuple[list[Path], list[str]]:
    """The files to read under `paths`, and those skipped (our own outputs among them, even
    when OUTDIR is under PATHS)."""
    found = discover(paths)
    out_resolved = outdir.resolve()
    files = [p for p in found.files if not _is_within(p, out_resolved)]
    skipped = [str(p) for p in found.skipped]
    skipped += [str(p) for p in found.files if _is_within(p, out_resolved)]
    return files, skipped


def _tally(
    summary: RunSummary,
    tasks: list[Task],
    by_index: dict[int, FileResult],
    copy_of: dict[int, int],
) -> tuple[list[Plan], list[ErrorRecord], list[InputFile]]:
    """The plans, errors and input files of the run, with their counts in `summary`."""
    done = [by_index[t.index] for t in tasks if t.index in by_index]
    plans, errors = gather(done)
    inputs = tasks_to_files(tasks, by_index, copy_of)
    summary.n_plans = len(plans)
    summary.n_identical = len(copy_of)
    summary.n_read = sum(1 for f in inputs if f.plan_id)
    summary.n_failed = sum(1 for f in inputs if not f.plan_id)
    summary.n_actions = sum(len(p.actions) for p in plans)
    summary.n_kpis = sum(len(p.kpis) for p in plans)
    summary.n_pages = sum(r.pages or 0 for r in done)
    summary.errors = errors
    return plans, errors, inputs
