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
import ctypes
import dataclasses
import functools
import gc
import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from planx.pipeline.cache import CACHE_DIRNAME, ResultCache, entry_key, run_fingerprint
from planx.pipeline.discover import discover
from planx.pipeline.executors import (
    DEFAULT_TASKS_PER_WORKER,
    DaskRunner,
    ProcessFn,
    ProcessPool,
    RunStats,
    Task,
    run_guarded,
    run_inline,
    start_worker_server,
)
from planx.pipeline.inputs import (
    LightResults,
    copy_result,
    files_in_table_order,
    identical_copies,
)
from planx.pipeline.outputs import CSV_ORDER, OUTPUT_FORMATS, atomic_path, check_formats
from planx.pipeline.process import (
    PLAN_ID_CHARS,
    FileResult,
    RunSettings,
    file_sha256,
    process_file,
)
from planx.pipeline.process_memory import peak_rss_kb
from planx.pipeline.progress import NullProgress, Progress
from planx.schemas.records import ErrorRecord
from planx.schemas.settings import resolve_settings

if TYPE_CHECKING:
    from planx.pipeline.prepared import Preparation
    from planx.pipeline.table_stream import TableWriter

# The writers (pipeline.prepared, .flatten, .table_stream) are imported where plans are read
# or tables written, so a run with nothing new to write never loads them.

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
STAGING_DIRNAME = ".planx-staging"
COMMIT_NAME = ".planx-commit.json"
OUTPUTS_NOTE = ".planx-outputs.json"  # what the current outputs were made from
LOCK_NAME = ".planx-lock"
SPOOL_PREFIX = ".rows-"  # a folder in staging where workers leave plans' bytes
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
    formats: tuple[str, ...] = OUTPUT_FORMATS  # which files the tables are written as

    def __post_init__(self) -> None:
        object.__setattr__(self, "formats", check_formats(self.formats))
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
    sink_rss_mb: float = 0.0  # peak memory of the process that wrote Parquet, XLSX, DuckDB


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


def commit_outputs(
    outdir: Path, digest: str | None, write: Callable[[Path], list[Path]]
) -> list[Path]:
    """`write` the tables into staging, then swap the whole set into `outdir`.
    The set carries a note of what it was made from (`digest`) and of its files."""
    staging = outdir / STAGING_DIRNAME
    shutil.rmtree(staging, ignore_errors=True)
    written = write(staging)
    names = [p.relative_to(staging).as_posix() for p in written]
    note = {"inputs": digest, "files": {name: file_sha256(staging / name) for name in names}}
    (staging / OUTPUTS_NOTE).write_text(json.dumps(note, indent=1), encoding="utf-8")
    stale = set(_noted_files(outdir)) - set(names)
    with atomic_path(outdir / COMMIT_NAME) as tmp:
        tmp.write_text(json.dumps({"files": [*names, OUTPUTS_NOTE]}), encoding="utf-8")
    _apply_commit(outdir)
    for name in stale:  # a format written last time and not this time: not left out of date
        (outdir / name).unlink(missing_ok=True)
    return [outdir / name for name in names]


def _noted_files(outdir: Path) -> list[str]:
    """The files of the set now in `outdir`, by its note (none if it has no readable note)."""
    try:
        files = json.loads((outdir / OUTPUTS_NOTE).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [name for name in files if isinstance(name, str) and "/" not in name]


# ---------------------------------------------------------------- the run


def _task(index: int, path: str) -> Task:
    try:
        return Task(index=index, path=path, sha256=file_sha256(path), size=os.stat(path).st_size)
    except OSError:
        return Task(index=index, path=path)  # process_file reports why it cannot be read


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _uses_pool(batch: BatchSettings, n_files: int) -> bool:
    """Whether `n_files` files run in worker processes of our own (not for one worker, or
    one file: starting a worker process would cost more than the file)."""
    return batch.executor != "dask" and batch.n_workers > 1 and n_files > 1


def _runner(batch: BatchSettings, n_files: int):
    """Where the files run: None for this process."""
    if batch.executor == "dask":
        return DaskRunner(batch.scheduler, timeout_s=batch.timeout_s)
    if not _uses_pool(batch, n_files):
        return None
    return ProcessPool(
        batch.n_workers,
        timeout_s=batch.timeout_s,
        max_memory_mb=batch.max_memory_mb,
        tasks_per_worker=batch.tasks_per_worker,
    )


def task_key(fingerprint: str, task: Task) -> str:
    """The cache key of a task's result (for a hashed file): made when needed, not kept."""
    return entry_key(fingerprint, task.sha256, task.name)


def inputs_digest(
    tasks: Sequence[Task], key_of: Callable[[Task], str], formats: Sequence[str] = OUTPUT_FORMATS
) -> str | None:
    """What the tables are made from, and in which formats, as one hash (None if some file
    could not be hashed): the formats, the number of files, then each file's key in task
    order, a line each, hashed as they come."""
    digest = hashlib.sha256(f"{','.join(formats)}\n{len(tasks)}\n".encode())
    for n, task in enumerate(sorted(tasks, key=lambda t: t.index)):
        if not task.sha256:
            return None
        digest.update(f"{chr(10) if n else ''}{key_of(task)}".encode())
    return digest.hexdigest()


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
        if any(
            f"{table}.parquet" not in files and f"{table}.csv" not in files for table in CSV_ORDER
        ):
            return None  # written by an older planx, without a table this one writes
        for name, sha in files.items():
            if file_sha256(outdir / name) != sha:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return [outdir / name for name in files]


@contextlib.contextmanager
def results_out_of_gc() -> Iterator[Callable[[], None]]:
    """Keep what the run holds for good out of the cyclic garbage collector.

    Results have no reference cycles, yet every full collection walks what is live (in a
    one-worker batch, the NLP pipeline too), which made a long in-process batch ~15% slower.
    After each file, `settle()` collects what that file left behind, freezes the rest and
    gives the C heap's free pages back; the end of the run unfreezes everything."""

    def settle() -> None:
        gc.collect()
        gc.freeze()
        _return_free_memory()

    try:
        yield settle
    finally:
        gc.unfreeze()


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim, libc.mallopt  # noqa: B018 - glibc has both
    except (OSError, AttributeError):
        return None  # not glibc: nothing to call
    return libc


def _malloc_trim() -> Callable[[int], int] | None:
    libc = _glibc()
    return None if libc is None else libc.malloc_trim


# glibc's M_MMAP_THRESHOLD, and the value a pooled batch fixes it at (glibc's starting value).
_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES = -3, 128 * 1024


def _fix_mmap_threshold() -> None:
    """Every block of 128 KiB or more in a mapping of its own, for the rest of the process.

    For a batch whose files are read by worker processes: this process then only passes on
    bytes, the large ones a result's message, its CSV text, its sink messages. By default
    glibc raises the threshold to the size of each large block freed, after which blocks of
    that size come from the heap, between small objects that outlive them, where freeing
    them cannot give their pages back: the run's peak memory rose with every large result
    (~0.5 MB more over 500 files than over 50). Setting the threshold turns that off."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)


def _return_free_memory() -> None:
    """glibc keeps the pages a large file's plan was freed from, so without this the run's
    resident memory climbs, over the first hundred files or so, to what its largest moments
    left scattered in the heap: the more files, the higher it gets."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def output_order(tasks: Iterable[Task]) -> list[Task]:
    """Tasks in the order their rows go in the tables (flatten.plan_sort_key: the file's name,
    then its plan id, which is the start of its sha256). Files are given to workers in this
    order, so they finish nearly in it and few results wait to be written."""
    return sorted(tasks, key=lambda t: (t.name, t.sha256[:PLAN_ID_CHARS], t.index))


def results_in_order(
    order: Sequence[Task],
    cached: Container[int],
    finished: Iterator[tuple[Task, FileResult]],
    load_cached: Callable[[Task], FileResult],
    on_arrival: Callable[[Task, FileResult], None],
) -> Iterator[tuple[Task, FileResult]]:
    """Each task's result in `order`, whatever order `finished` gives them in: a result that
    arrives before its turn waits for the ones before it in a temporary file (while one long
    file runs, the other workers may finish many, each with its plan's rows: the run's
    memory does not depend on how many wait). Cached results (`cached` task
    indexes) are loaded only when their turn comes, so they do not wait at all."""
    early: dict[int, IO[bytes]] = {}
    try:
        for task in order:
            if task.index in cached:
                yield task, load_cached(task)
                continue
            # Its result, handed over with no reference kept here: once the caller has
            # written it, it is gone before the caller collects and trims the heap.
            turn: list[FileResult] = []
            while task.index not in early and not turn:
                done, result = next(finished)
                on_arrival(done, result)
                if done.index == task.index:  # its turn: it need not wait
                    turn.append(result)
                else:
                    early[done.index] = _spooled(result)
                del result
            if not turn:
                with early.pop(task.index) as spool:
                    spool.seek(0)
                    turn.append(pickle.load(spool))
            yield task, turn.pop()
    finally:
        for spool in early.values():
            spool.close()


def _spooled(result: FileResult) -> IO[bytes]:
    """The result pickled into a temporary file (deleted when closed)."""
    spool = tempfile.TemporaryFile()
    pickle.dump(result, spool, protocol=pickle.HIGHEST_PROTOCOL)
    return spool


class _BatchRun:
    """One run's files through the cache or a runner, into the tables, counted in `summary`.

    Each file's plan comes made into its rows (pipeline/prepared.py: by the worker that read
    it, or here with one worker or from the cache); they go into the tables as its turn
    comes and are dropped. Only a light copy of each result (its errors and counts) stays."""

    def __init__(
        self,
        tasks: Sequence[Task],
        key_of: Callable[[Task], str],
        cache: ResultCache | None,
        settings: RunSettings,
        batch: BatchSettings,
        process: ProcessFn,
        summary: RunSummary,
        report: Callable[[FileResult, bool], None],
        note: Callable[[str], None],
        keep_plans: bool = False,
    ):
        self.key_of, self.cache, self.settings, self.batch = key_of, cache, settings, batch
        self.process, self.summary, self.report, self.note = process, summary, report, note
        self.keep_plans = keep_plans
        self.light = LightResults(tasks)  # task index -> its result without the plan
        self.cached: set[int] = set()

    @functools.cached_property
    def preparation(self) -> Preparation:
        """What is made of each plan where it is read (a worker, or here with one worker)."""
        from planx.pipeline.prepared import Preparation

        fingerprint = self.cache.fingerprint if self.cache is not None else None
        return Preparation.for_formats(self.batch.formats, fingerprint, self.keep_plans)

    def work(self, spool_dir: str | None = None) -> ProcessFn:
        """The unit of work, then its plan prepared: what the runner runs for each file
        (`spool_dir`: where the plans' bytes are left, for workers of the run's own pool)."""
        from planx.pipeline.prepared import process_prepared

        preparation = dataclasses.replace(self.preparation, spool_dir=spool_dir)
        return functools.partial(process_prepared, process=self.process, preparation=preparation)

    def look_up_cache(self, tasks: Iterable[Task], settle: Callable[[], None]) -> None:
        """Note which files the cache answers for (each entry read and checked once here)."""
        if self.cache is None or self.batch.force:
            return
        for task in tasks:
            hit = self.cache.get(self.key_of(task), task.path) if task.sha256 else None
            if hit is not None:
                self.cached.add(task.index)
                self.summary.n_cached += 1
                self._keep(task, hit)
                self.report(hit, True)
                settle()

    def _keep(self, task: Task, result: FileResult) -> None:
        """The result's light copy and counts."""
        size = result.plan_size()
        self.light.keep(task.index, result, size.plan_id if size is not None else "")
        self.summary.n_pages += result.pages or 0
        if size is not None:
            self.summary.n_plans += 1
            self.summary.n_actions += size.n_actions
            self.summary.n_kpis += size.n_kpis

    def _arrived(self, task: Task, result: FileResult) -> None:
        """A processed file: cached at once (a stopped run loses only the files in flight)."""
        self.summary.n_processed += 1
        if self.cache is not None and task.sha256 and result.sha256 == task.sha256:
            from planx.pipeline.prepared import put_cache_entry

            try:
                prepared, key = result.prepared, self.key_of(task)
                if prepared is None or not put_cache_entry(prepared, self.cache, key):
                    self.cache.put(key, result)
            except OSError as exc:
                if not self.summary.cache_failed:
                    self.note(f"warning: cannot write the cache ({exc}); going on without it")
                self.summary.cache_failed = True
        self._keep(task, result)
        self.report(result, False)

    def _load_cached(self, task: Task) -> FileResult:
        """A cached result again, for its plan's rows (processed here if the entry has gone)."""
        assert self.cache is not None  # only cached tasks come here
        hit = self.cache.get(self.key_of(task), task.path)
        if hit is not None:
            return hit
        # Counted already, when the entry was first read.
        return run_guarded(self.work(), task, self.settings, self.batch.timeout_s)

    def results(
        self, order: Sequence[Task], spool_dir: str | None = None
    ) -> Iterator[tuple[Task, FileResult]]:
        """Every task's result, in `order` (`spool_dir`: a folder the run's own worker
        processes may leave the plans' bytes in, pipeline/prepared.py)."""
        todo = [t for t in order if t.index not in self.cached]
        runner = _runner(self.batch, len(todo))
        if runner is None:
            finished = run_inline(self.work(), self.settings, todo, timeout_s=self.batch.timeout_s)
        else:  # Dask's workers may be on other machines: their results bring their bytes
            spool_dir = spool_dir if isinstance(runner, ProcessPool) else None
            finished = runner.run(self.work(spool_dir), self.settings, todo)
        try:
            yield from results_in_order(
                order, self.cached, iter(finished), self._load_cached, self._arrived
            )
        finally:
            stop = getattr(finished, "close", None)  # a generator: stops the workers,
            if stop is not None:  # also when the run is interrupted
                stop()
            if runner is not None:
                self.summary.stats = runner.stats
            elif todo:
                self.summary.stats.saw_rss_kb(peak_rss_kb())

    def write_plans(
        self,
        order: Sequence[Task],
        writer: TableWriter | None,
        settle: Callable[[], None],
        copy_names: Mapping[int, Sequence[str]],
        spool_dir: str | None = None,
    ) -> None:
        """Each plan's rows into the tables as its turn comes (`writer` None: only counted),
        the plans table's among them (`copy_names`: task index -> its identical copies' names;
        `spool_dir`: as for `results`)."""
        from planx.pipeline.prepared import drop_spooled, prepare_plan, write_rows

        plans = _PlansTable(writer)
        for task, result in self.results(order, spool_dir):
            plans.add(task.name, result)
            prepared = result.prepared
            if prepared is None and result.plan is not None:  # from the cache: made here
                prepared = prepare_plan(result.plan, self.preparation)
            if prepared is not None:
                if writer is not None:
                    write_rows(prepared, writer)
                    plans.add_plan(prepared.plan_row, copy_names.get(task.index, ()))
                drop_spooled(prepared)
            del result, prepared  # the plan is in the tables: let it go before the next one
            settle()
        plans.flush()


class _PlansTable:
    """The plans table's rows, written a file name at a time. A row counts the warnings of
    every file with its plan's file name (they are next to each other in the run's order), so
    the rows of one name wait until the files of the next name come."""

    def __init__(self, writer: TableWriter | None):
        self.writer = writer
        self.name: str | None = None
        self.rows: list[dict] = []
        self.warnings: Counter[str] = Counter()

    def add(self, name: str, result: FileResult) -> None:
        """A file's result, in the run's order: its warnings counted under its name."""
        if name != self.name:
            self.flush()
            self.name = name
        self.warnings.update(e.source for e in result.errors if e.severity == "warning")

    def add_plan(self, row: dict, copies: Sequence[str]) -> None:
        """A plan's row (PreparedPlan.plan_row), with the names of its identical copies."""
        self.rows.append({**row, "identical_copies": "; ".join(copies)})

    def flush(self) -> None:
        if self.writer is not None and self.rows:
            for row in self.rows:
                row["n_warnings"] = self.warnings.get(row["source"], 0)
            self.rows.sort(key=lambda row: (row["source"], row["plan_id"]))
            self.writer.add_rows("plans", self.rows)
        self.rows, self.warnings = [], Counter()


def _copy_names(tasks: Sequence[Task], copy_of: Mapping[int, int]) -> dict[int, list[str]]:
    """Task index of each file read -> the names of its identical copies, in input order."""
    names: dict[int, list[str]] = {}
    for index, original in sorted(copy_of.items()):
        names.setdefault(original, []).append(tasks[index].name)
    return names


def _write_tables(
    run: _BatchRun,
    order: Sequence[Task],
    tasks: list[Task],
    copy_of: dict[int, int],
    settle: Callable[[], None],
) -> Callable[[Path], list[Path]]:
    """The writing of the whole set into a staging folder (for commit_outputs)."""

    def write(staging: Path) -> list[Path]:
        from planx.pipeline.table_stream import TableWriter

        writer = TableWriter(staging, run.batch.formats)
        # Where workers leave the plans' bytes till their turn (pipeline/prepared.py).
        spool_dir = tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=staging)
        try:
            run.write_plans(order, writer, settle, _copy_names(tasks, copy_of), spool_dir)
            _tally(run, tasks, copy_of, writer)
            written = writer.close()
            run.summary.sink_rss_mb = writer.sink_peak_rss_mb
            return written
        except BaseException:
            writer.abort()
            raise
        finally:
            shutil.rmtree(spool_dir, ignore_errors=True)

    return write


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
    cached ones included. Each plan's rows are written as its turn comes, so the
    run holds few plans at once. When every result comes from the cache and the
    outputs in `outdir` were made from exactly these results, they are left
    as they are (`summary.outputs_unchanged`)."""
    settings = RunSettings.resolve(settings)
    batch = BatchSettings.resolve(batch)
    progress = progress or NullProgress()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with outdir_lock(outdir), results_out_of_gc() as settle:
        recover_outputs(outdir)
        files, skipped = _start(paths, outdir, batch, settle)
        summary = RunSummary(outdir=outdir, n_files=len(files), skipped=skipped)
        tasks = [_task(index, path) for index, path in enumerate(files)]
        del files  # the tasks have the paths: nothing kept per file twice
        fingerprint = run_fingerprint(settings)
        key_of = functools.partial(task_key, fingerprint)
        cache_root = batch.cache_dir or outdir / CACHE_DIRNAME
        cache = ResultCache(cache_root, fingerprint) if batch.cache else None
        # Byte-identical files are one document: read once (see pipeline/inputs.py).
        copy_of = identical_copies(tasks)

        def report(result: FileResult, cached: bool) -> None:
            progress.advance(result, cached=cached)
            if on_result is not None:
                on_result(result)

        run = _BatchRun(
            tasks,
            key_of,
            cache,
            settings,
            batch,
            process,
            summary,
            report,
            progress.note,
            keep_plans=on_result is not None,
        )
        order = output_order(t for t in tasks if t.index not in copy_of)
        progress.start(len(tasks))
        try:
            run.look_up_cache(order, settle)
            digest = inputs_digest(tasks, key_of, batch.formats)
            everything_cached = len(run.cached) == len(order)
            current = outputs_current(outdir, digest) if everything_cached else None
            if current is not None:
                summary.written, summary.outputs_unchanged = current, True
                _tally(run, tasks, copy_of)
            else:
                write = _write_tables(run, order, tasks, copy_of, settle)
                summary.written = commit_outputs(outdir, digest, write)
        finally:
            progress.close()
        if cache is not None and batch.cache_dir is None and not summary.cache_failed:
            # The default cache serves this folder's outputs only: drop entries they no longer use.
            cache.prune({key_of(t) for t in tasks if t.sha256})
    return summary


def _start(
    paths: Sequence[str | Path], outdir: Path, batch: BatchSettings, settle: Callable[[], None]
) -> tuple[list[str], list[str]]:
    """The run's files to read and those skipped (_input_files), and a pooled run's fork
    server started.

    What writing takes is imported first, then the heap pages the imports' passing work freed
    go back to the system (glibc keeps ~1 MB of them resident): the file list and the
    results' light copies take pages under the peak the imports set, not on top of it, so the
    run's peak does not grow with its number of files."""
    _import_writing()
    settle()
    files, skipped = _input_files(paths, outdir)
    if _uses_pool(batch, len(files)):
        _fix_mmap_threshold()  # before any large block freed moves it
        # Its imports (~1 s) run while the files are hashed and looked up in the cache
        # (for nothing if the cache answers for all but one).
        start_worker_server(files)
    return files, skipped


def _import_writing() -> None:
    """Import what writing the tables and starting workers take (~20 ms; a no-change
    re-run, which writes nothing, pays it too)."""
    import multiprocessing.popen_forkserver  # noqa: F401 - imported by a pool's first worker

    import planx.pipeline.prepared  # noqa: F401 - and with it the table writers and flatten


def _input_files(paths: Sequence[str | Path], outdir: Path) -> tuple[list[str], list[str]]:
    """The files to read under `paths`, and those skipped (our own outputs among them, even
    when OUTDIR is under PATHS)."""
    found = discover(paths)
    out_resolved = os.path.realpath(outdir)
    files = [p for p in found.files if not _is_within(p, out_resolved)]
    skipped = list(found.skipped)
    skipped += [p for p in found.files if _is_within(p, out_resolved)]
    return files, skipped


# Files table rows made and written at a time at the end of a run.
FILE_ROWS_AT_ONCE = 32


def _tally(
    run: _BatchRun, tasks: list[Task], copy_of: dict[int, int], writer: TableWriter | None = None
) -> None:
    """The run's errors and input files counted in the summary (identical copies reported
    here) and, with `writer`, written as the errors and files tables: the files a slice at a
    time, so the end of a run holds no object per file."""
    if writer is not None:  # flatten imports pandas: a run that writes nothing does not load it
        from planx.pipeline.flatten import error_rows, file_rows

    summary = run.summary
    for index, original in sorted(copy_of.items()):
        if original in run.light:
            run.light.keep(index, copy_result(tasks[index], run.light[original]))
            run.report(run.light[index], False)
    summary.errors = list(run.light.errors())
    if writer is not None:
        writer.add_rows("errors", error_rows(summary.errors))
    summary.n_identical = len(copy_of)
    summary.n_read = summary.n_failed = 0
    for files in files_in_table_order(tasks, run.light, copy_of, FILE_ROWS_AT_ONCE):
        read = sum(1 for f in files if f.plan_id)
        summary.n_read += read
        summary.n_failed += len(files) - read
        if writer is not None:
            writer.add_rows("files", file_rows(files))
