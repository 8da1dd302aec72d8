"""Where `process_file` runs: in this process, in a pool of worker processes, or on a
Dask cluster. Every runner takes the same tasks, starts them in the order given (but for
the last stretch's large files, see `start_order`), and yields `(task, FileResult)` as
files finish, in whatever order they finish; the batch puts them back in order as it
writes them.

One bad file never stops a batch: a file that runs past the time limit, runs out
of memory or crashes its worker gets a `FileResult` carrying an ErrorRecord
(stage "batch", kind "timeout", "too_large" or "crash") and the rest go on.

- `run_inline`: this process, one file at a time (`--workers 1`, for debugging).
  The time limit interrupts Python code; there is no memory limit.
- `ProcessPool`: worker processes of our own (spawned, not forked), one file
  each at a time, so a worker past its time limit can be killed alone and
  replaced. Each worker caps its address space (RLIMIT_AS) and is replaced
  after `tasks_per_worker` files, so memory stays flat over long runs.
- `DaskRunner`: the same calls on an existing Dask distributed cluster; file
  bytes are sent with each task, so workers need no shared file system.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import signal
import struct
import tempfile
import threading
import time
import uuid
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import connection as mp_connection
from multiprocessing import forkserver, get_context
from multiprocessing.process import BaseProcess
from pathlib import Path

from planx.extractors import READERS, SUFFIX_FORMATS
from planx.pipeline.process import FileResult, RunSettings
from planx.pipeline.process_memory import peak_rss_kb
from planx.schemas.records import ErrorRecord

ProcessFn = Callable[[str | Path, RunSettings], FileResult]

DEFAULT_TASKS_PER_WORKER = 100


def _reader_module(fmt: str) -> str:
    return READERS[fmt].partition(":")[0]


# Modules the fork server imports once, so each worker inherits them instead of importing.
# The readers and the NLP stage are named: their packages import them only on first use.
# A batch's fork server imports the readers of the formats its files' names say (a PDF-only
# batch does not wait for openpyxl or python-docx); a file whose bytes say otherwise still
# gets its reader, imported by the worker that meets it. Last, WORKER_WARM builds the NLP
# pipeline of the default settings, so workers are forked with it built.
WORKER_CORE = [
    "planx.pipeline.process",
    "planx.pipeline.interpret",
    "planx.pipeline.nlp.stage",
    "planx.pipeline.prepared",
    "planx.extractors",
]
WORKER_WARM = "planx.pipeline.worker_warm"
WORKER_PRELOAD = [*WORKER_CORE, *(_reader_module(fmt) for fmt in READERS), WORKER_WARM]


def worker_preload(paths: Iterable[str | Path]) -> list[str]:
    """What a batch's fork server imports: the core, and the readers the names call for
    (every reader where a name has a suffix planx does not know)."""
    formats = {SUFFIX_FORMATS.get(os.path.splitext(p)[1].lower()) for p in paths}
    if None in formats:
        return WORKER_PRELOAD
    readers = [_reader_module(fmt) for fmt in READERS if fmt in formats]
    return [*WORKER_CORE, *readers, WORKER_WARM]


def start_worker_server(paths: Iterable[str | Path]) -> None:
    """Start the fork server that a ProcessPool forks its workers from, importing what
    `paths` call for (worker_preload), now rather than when the first worker starts: the
    caller goes on while it imports. A pool uses a running server as it is."""
    context = get_context("forkserver")
    context.set_forkserver_preload(worker_preload(paths))
    forkserver.ensure_running()


# Worker processes that die before taking any file, in a row, before the batch gives up.
MAX_STARTUP_FAILURES = 3
# How often the pool wakes to check time limits when nothing else happens (seconds).
POLL_S = 0.5
# Files a worker holds at once: the one it reads and the next (see _Worker.queued)...
FILES_QUEUED_PER_WORKER = 2
# ...until this many files per worker are left to start: then one at a time, each to the
# first worker free, so no file waits behind a long one while another worker has nothing.
LAST_ONE_AT_A_TIME_PER_WORKER = 3


@dataclass(frozen=True, slots=True)  # slots: a batch keeps one per file to its end
class Task:
    index: int  # position in the batch's sorted file list
    path: str
    sha256: str = ""
    size: int = 0

    @property
    def name(self) -> str:
        """The file's name. A batch's own process names its files through os.path, not
        pathlib: pathlib interns every part of a path, and a batch of hundreds of names
        grew the interpreter's table of interned strings by a megabyte."""
        return os.path.basename(self.path)


# The last stretch of a batch holds at least this many of its largest file per worker;
# of its other files, this many per worker, the very last, start largest first.
TAIL_FILES_PER_WORKER = 3
LAST_FILES_PER_WORKER = 2


def start_order(tasks: Iterable[Task], workers: int) -> list[Task]:
    """The order `workers` parallel workers start files in: the order given (the batch gives
    its output order, so results come back nearly in it and are written as they come),
    except in the last stretch, whose large files (at least half its largest) go first, so
    the batch does not end with one worker reading a long file while the others wait. The
    stretch is the shortest tail holding at least TAIL_FILES_PER_WORKER times its largest
    file's bytes per worker (the whole batch when one file outweighs the rest); its other
    files keep their order, so their results are written as they come, not all at the end,
    but for the very last few, which start largest first. Bytes stand in for the reading
    time a runner cannot know beforehand."""
    tasks = list(tasks)
    if workers <= 1:
        return tasks
    start, total, largest = len(tasks), 0, 0
    while start > 0:
        start -= 1
        total += tasks[start].size
        largest = max(largest, tasks[start].size)
        if total >= TAIL_FILES_PER_WORKER * workers * largest:
            break
    stretch = tasks[start:]
    large = [t for t in stretch if 2 * t.size >= largest]
    rest = [t for t in stretch if 2 * t.size < largest]
    # The very last files, smallest last: the workers then finish nearly together.
    last = max(0, len(rest) - LAST_FILES_PER_WORKER * workers)
    return tasks[:start] + large + rest[:last] + sorted(rest[last:], key=lambda t: -t.size)


@dataclass
class RunStats:
    """What the runner saw, for the summary and the benchmarks."""

    workers_started: int = 0
    workers_replaced: int = 0  # after a timeout, crash or memory failure
    peak_rss_mb: float = 0.0  # the largest worker's peak resident memory
    # each finished file's worker peak, in order: flat when memory does not grow with the batch
    # (an array of numbers, not a list of objects, as the batch keeps it to the end)
    rss_samples_mb: array[float] = field(default_factory=lambda: array("d"))

    def saw_rss_kb(self, kb: int) -> None:
        self.peak_rss_mb = max(self.peak_rss_mb, kb / 1024)
        self.rss_samples_mb.append(round(kb / 1024, 1))


# ---------------------------------------------------------------- failure records


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


def batch_failure(task: Task, kind: str, message: str) -> FileResult:
    name = task.name
    error = ErrorRecord(source=name, stage="batch", error=message, kind=kind)
    return FileResult(path=task.path, source=name, sha256=task.sha256, errors=[error])


def timeout_result(task: Task, timeout_s: float) -> FileResult:
    return batch_failure(
        task, "timeout", f"took longer than {timeout_s:g} s and was stopped (see --timeout)"
    )


def memory_result(task: Task, max_memory_mb: int | None) -> FileResult:
    limit = f"the {max_memory_mb:,} MB memory limit" if max_memory_mb else "the memory available"
    return batch_failure(
        task, "too_large", f"needed more than {limit} and was stopped (see --max-memory-mb)"
    )


def crash_result(task: Task, how: str) -> FileResult:
    return batch_failure(task, "crash", _one_line(f"processing crashed: {how}"))


def ran_out_of_memory(result: FileResult) -> bool:
    """A unit of work that turned a MemoryError into an error record (process_file re-raises
    it, but a swapped-in unit may not): the batch's memory limit, not the file, is to blame."""
    return any(e.severity != "warning" and "MemoryError" in e.error for e in result.errors)


def describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "the worker process stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (killed: out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"the worker process died with {name}{hint}"
    return f"the worker process exited with code {exitcode}"


# ---------------------------------------------------------------- time limit in a thread


class FileTimeout(BaseException):
    """Raised inside a call past its deadline. A BaseException, so the stages'
    `except Exception` handlers do not turn it into an ordinary error."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


def call_with_deadline(
    fn: ProcessFn, path: str, settings: RunSettings, timeout_s: float | None
) -> FileResult | None:
    """fn(path, settings), or None when it ran past `timeout_s`.

    The deadline raises FileTimeout in this thread at its next Python
    instruction, which stops the (pure Python) PDF parsing; a long call inside
    C code is stopped when it returns. Used where a process cannot be killed
    alone: in this process and in Dask worker threads."""
    if not timeout_s:
        return fn(path, settings)
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(thread_id, FileTimeout)

    timer = threading.Timer(timeout_s, fire)
    timer.daemon = True
    result = None
    try:
        try:
            timer.start()
            result = fn(path, settings)
        finally:
            with lock:
                state["done"] = True
                if state["fired"]:
                    _set_async_exc(thread_id, None)  # not raised yet: drop it
            timer.cancel()
    except FileTimeout:
        pass
    return None if state["fired"] else result


def run_guarded(
    fn: ProcessFn,
    task: Task,
    settings: RunSettings,
    timeout_s: float | None,
    max_memory_mb: int | None = None,
) -> FileResult:
    """One file in this thread, with every failure turned into a FileResult."""
    try:
        result = call_with_deadline(fn, task.path, settings, timeout_s)
    except MemoryError:
        return memory_result(task, max_memory_mb)
    except Exception as exc:  # the unit of work should not raise; if it does, report it
        return crash_result(task, f"{type(exc).__name__}: {exc}")
    if result is None:
        return timeout_result(task, timeout_s or 0)
    if ran_out_of_memory(result):
        return memory_result(task, max_memory_mb)
    return result


def warm_up(settings: RunSettings) -> None:
    """Build the per-process NLP pipeline before the first file, so loading the
    model does not count against that file's time limit."""
    try:
        from planx.pipeline.process import warm_up as build_pipelines

        build_pipelines(settings)
    except Exception:
        pass  # the file's own call reports the failure


# Reading a page makes hundreds of thousands of short-lived tuples; at Python's default
# (a young-generation pass every 700 allocations) the collector took ~4% of a batch.
# Files are processed with passes this much rarer (a worker for good, in-process for the
# run); what a file leaves behind is still collected (see batch.results_out_of_gc).
GC_YOUNG_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Young-generation passes every GC_YOUNG_THRESHOLD allocations, then as before."""
    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_inline(
    fn: ProcessFn, settings: RunSettings, tasks: Iterable[Task], *, timeout_s: float | None
) -> Iterator[tuple[Task, FileResult]]:
    warmed = False
    with fewer_collections():
        for task in tasks:
            if not warmed:
                warm_up(settings)
                warmed = True
            yield task, run_guarded(fn, task, settings, timeout_s)


# ---------------------------------------------------------------- a pool of worker processes


class MessageReader:
    """Messages from the workers read into one buffer, reused for every message and grown to
    the largest. Connection.recv reads a message in pipe-sized pieces, each into a fresh bytes
    object the size of what remains, then joins them: for a large plan's pickle, dozens of
    megabyte allocations per file, which left the C heap more fragmented the more files came.
    The framing is multiprocessing's (Connection.send_bytes): a 4-byte size, or -1 and an
    8-byte size."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def recv(self, conn: mp_connection.Connection) -> object:
        """The next object `conn` was sent (EOFError when the other end has gone)."""
        fd = conn.fileno()
        (size,) = struct.unpack("!i", self._read(fd, 4, first=True))
        if size == -1:
            (size,) = struct.unpack("!Q", self._read(fd, 8))
        return pickle.loads(self._read(fd, size))

    def release(self) -> None:
        """Let the buffer go (the pool has finished)."""
        self._buffer = bytearray()

    def _read(self, fd: int, size: int, first: bool = False) -> memoryview:
        if len(self._buffer) < size:
            self._buffer = bytearray()  # the old one freed before the new one is made
            self._buffer = bytearray(size)
        view = memoryview(self._buffer)[:size]
        got = 0
        while got < size:
            n = os.readv(fd, [view[got:]])
            if n == 0:
                if first and got == 0:
                    raise EOFError
                raise OSError("got end of file during message")
            got += n
        return view


def _limit_memory(max_memory_mb: int | None) -> None:
    if not max_memory_mb:
        return
    try:
        import resource

        limit = max_memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError, AttributeError):
        pass  # no RLIMIT_AS here (e.g. macOS ignores it): the time limit still applies


def _worker_main(conn, fn: ProcessFn, settings: RunSettings, max_memory_mb: int | None) -> None:
    """A worker's life: say ready, then process one file per message until told to stop."""
    # Ctrl-C reaches the whole process group; the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory_mb)
    warm_up(settings)
    # The pipeline built, frozen out of every collection; then rarer passes (see above).
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if message is None:
            return
        index, path = message
        result = None
        try:
            result = fn(path, settings)
            status = "memory" if ran_out_of_memory(result) else "ok"
        except MemoryError:
            result, status = None, "memory"
        except Exception as exc:
            result, status = None, f"{type(exc).__name__}: {exc}"
        try:
            conn.send((index, status, result, peak_rss_kb()))
        except (EOFError, OSError):
            return
        except Exception as exc:  # e.g. a result that cannot be pickled
            result, status = None, f"cannot send the result back: {type(exc).__name__}: {exc}"
            conn.send((index, status, None, peak_rss_kb()))
        if status == "memory":
            return  # start again with a fresh heap


@dataclass(eq=False)  # identity: each worker is itself
class _Worker:
    process: BaseProcess  # from the forkserver context
    conn: mp_connection.Connection
    ready: bool = False
    # Files sent and not yet answered, the first the one being read: the next waits in the
    # pipe, so the worker goes on to it while this process writes the last one's rows.
    queued: deque[Task] = field(default_factory=deque)
    started: float = 0.0  # when the first queued file was started
    done: int = 0

    @property
    def task(self) -> Task | None:
        return self.queued[0] if self.queued else None

    def can_take(self, tasks_per_worker: int, held: int = FILES_QUEUED_PER_WORKER) -> bool:
        return (
            self.ready
            and len(self.queued) < held
            and self.done + len(self.queued) < tasks_per_worker
        )


class ProcessPool:
    """`workers` processes of our own, each given one file at a time."""

    def __init__(
        self,
        workers: int,
        *,
        timeout_s: float | None,
        max_memory_mb: int | None,
        tasks_per_worker: int = DEFAULT_TASKS_PER_WORKER,
    ):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.timeout_s = timeout_s or None
        self.max_memory_mb = max_memory_mb or None
        self.tasks_per_worker = tasks_per_worker
        self.stats = RunStats()
        # forkserver: each worker is a fresh fork of a server process that has already
        # imported planx (so a worker starts in milliseconds, not seconds), and that server
        # never runs threads, unlike this process (forking a process with threads is unsafe).
        self._ctx = get_context("forkserver")
        self._reader = MessageReader()

    def _spawn(self, fn: ProcessFn, settings: RunSettings) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, fn, settings, self.max_memory_mb),
            name="planx-worker",
            daemon=True,
        )
        process.start()
        child_conn.close()
        self.stats.workers_started += 1
        return _Worker(process=process, conn=parent_conn)

    def run(
        self, fn: ProcessFn, settings: RunSettings, tasks: Iterable[Task]
    ) -> Iterator[tuple[Task, FileResult]]:
        # In the order given, but for the last stretch (see start_order).
        pending = deque(start_order(tasks, self.workers))
        if not pending:
            return
        spawned: list[_Worker] = []  # every worker this run started, for the clean-up

        def spawn() -> _Worker:
            spawned.append(self._spawn(fn, settings))
            return spawned[-1]

        self._ctx.set_forkserver_preload(worker_preload(t.path for t in pending))
        workers = [spawn() for _ in range(min(self.workers, len(pending)))]
        startup_failures = 0
        try:
            while pending or any(w.task is not None for w in workers):
                for w in workers:
                    self._feed(w, pending)
                mp_connection.wait(
                    [w.conn for w in workers] + [w.process.sentinel for w in workers],
                    timeout=self._wait_s(workers),
                )
                now = time.monotonic()
                keep: list[_Worker] = []
                finished: deque[tuple[Task, FileResult]] = deque()
                for w in workers:
                    stays = self._check(w, now, finished)
                    if not stays:  # files it was sent and had not started go to another
                        pending.extendleft(reversed(w.queued))
                        w.queued.clear()
                    else:  # its next file before this process writes the last one's rows
                        self._feed(w, pending)
                    while finished:
                        # Handed over, not kept here: while the batch writes it and then
                        # collects and trims, nothing here holds the plan.
                        yield finished.popleft()
                    if stays:
                        keep.append(w)
                    elif not w.ready and w.process.exitcode is not None:
                        startup_failures += 1
                        if startup_failures >= MAX_STARTUP_FAILURES:
                            raise RuntimeError(
                                "planx worker processes fail to start "
                                f"({describe_exit(w.process.exitcode)}); try --workers 1"
                            )
                    elif w.ready:
                        startup_failures = 0
                # Replace workers that left only while files wait for them.
                idle = sum(1 for w in keep if w.task is None)
                while len(keep) < self.workers and len(pending) > idle:
                    keep.append(spawn())
                    idle += 1
                workers = keep
                spawned = [w for w in spawned if w in workers or not _reaped(w)]
        finally:
            self._reader.release()
            for w in spawned:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            for w in spawned:
                w.process.join(timeout=2)
                if w.process.is_alive():
                    w.process.kill()
                    w.process.join(timeout=2)
                with contextlib.suppress(OSError):
                    w.conn.close()

    def _feed(self, w: _Worker, pending: deque[Task]) -> None:
        """Send `w` files from `pending` while it can take them."""
        held = FILES_QUEUED_PER_WORKER
        if len(pending) <= LAST_ONE_AT_A_TIME_PER_WORKER * self.workers:
            held = 1
        while pending and w.can_take(self.tasks_per_worker, held):
            task = pending.popleft()
            w.conn.send((task.index, task.path))
            if not w.queued:
                w.started = time.monotonic()
            w.queued.append(task)

    def _wait_s(self, workers: list[_Worker]) -> float:
        if not self.timeout_s:
            return POLL_S * 4
        deadlines = [w.started + self.timeout_s for w in workers if w.task is not None]
        if not deadlines:
            return POLL_S
        return max(0.0, min(POLL_S, min(deadlines) - time.monotonic()))

    def _check(self, w: _Worker, now: float, finished: deque[tuple[Task, FileResult]]) -> bool:
        """What the worker has to say (a finished file is put in `finished`): whether it stays
        in the pool."""
        outcome, stays = self._answer(w, now)
        if outcome is not None:
            finished.append(outcome)
        return stays

    def _answer(self, w: _Worker, now: float) -> tuple[tuple[Task, FileResult] | None, bool]:
        """(A finished file or None, whether the worker stays in the pool)."""
        try:
            has_message = w.conn.poll()
        except (EOFError, OSError):
            has_message = False
        if has_message:
            try:
                message = self._reader.recv(w.conn)
            except (EOFError, OSError):
                return self._died(w), False
            assert isinstance(message, tuple)
            if message[0] == "ready":
                w.ready = True
                return None, True
            index, status, result, rss_kb = message
            del message
            self.stats.saw_rss_kb(rss_kb)
            task = w.queued.popleft() if w.queued else None
            w.started = now  # the next queued file starts now
            w.done += 1
            if task is None or task.index != index:  # cannot happen: one file at a time
                raise RuntimeError("planx worker answered for a file it was not given")
            if status == "ok":
                outcome = result
            elif status == "memory":
                outcome = memory_result(task, self.max_memory_mb)
            else:
                outcome = crash_result(task, status)
            stays = status != "memory" and w.done < self.tasks_per_worker
            if status == "memory":
                self.stats.workers_replaced += 1
            if not stays:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            return (task, outcome), stays
        if not w.process.is_alive():
            return self._died(w), False
        if w.task is not None and self.timeout_s and now - w.started > self.timeout_s:
            task = w.queued.popleft()
            w.process.kill()
            w.process.join(timeout=5)
            self.stats.workers_replaced += 1
            return (task, timeout_result(task, self.timeout_s)), False
        return None, True

    def _died(self, w: _Worker) -> tuple[Task, FileResult] | None:
        w.process.join(timeout=5)
        if not w.queued:
            return None
        task = w.queued.popleft()
        self.stats.workers_replaced += 1
        code = w.process.exitcode
        if code == 1 and self.max_memory_mb:
            # A MemoryError outside the guarded call ends the worker with exit code 1.
            return task, memory_result(task, self.max_memory_mb)
        return task, crash_result(task, describe_exit(code))


def _reaped(w: _Worker) -> bool:
    """Join and close a worker that has left; False while it is still running."""
    if w.process.is_alive():
        return False
    w.process.join(timeout=0)
    with contextlib.suppress(OSError):
        w.conn.close()
    return True


# ---------------------------------------------------------------- Dask distributed


def remote_process(
    fn: ProcessFn, settings: RunSettings, name: str, data: bytes, timeout_s: float | None
) -> FileResult:
    """Runs on a Dask worker: the file's bytes under its own name in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="planx-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return run_guarded(fn, Task(index=-1, path=str(path)), settings, timeout_s)


class DaskRunner:
    """The same calls on a Dask cluster (`scheduler` is an address or a Client)."""

    def __init__(self, scheduler, *, timeout_s: float | None, connect_timeout_s: float = 10):
        self.scheduler = scheduler
        self.timeout_s = timeout_s or None
        self.connect_timeout_s = connect_timeout_s
        self.stats = RunStats()

    def run(
        self, fn: ProcessFn, settings: RunSettings, tasks: Iterable[Task]
    ) -> Iterator[tuple[Task, FileResult]]:
        from distributed import Client, as_completed

        pending = deque(tasks)
        if not pending:
            return
        own_client = isinstance(self.scheduler, str)
        if own_client:
            try:
                client = Client(
                    self.scheduler, timeout=self.connect_timeout_s, set_as_default=False
                )
            except OSError as exc:
                raise OSError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from exc
        else:
            client = self.scheduler
        futures: dict = {}
        try:
            threads = sum(client.nthreads().values()) or 1
            self.stats.workers_started = len(client.nthreads())
            pending = deque(start_order(pending, threads))  # see ProcessPool.run
            window = 2 * threads + 2  # enough queued to keep every thread busy, no more in memory
            completed = as_completed(loop=client.loop)

            def submit() -> Task | None:
                """Queue files up to the window; a file that cannot be read here is
                returned instead, to get process_file's own error for it."""
                while pending and len(futures) < window:
                    task = pending.popleft()
                    try:
                        data = Path(task.path).read_bytes()
                    except OSError:
                        return task
                    future = client.submit(
                        remote_process,
                        fn,
                        settings,
                        task.name,
                        data,
                        self.timeout_s,
                        key=f"planx-file-{task.sha256[:12] or task.index}-{uuid.uuid4().hex[:8]}",
                        pure=False,
                    )
                    futures[future] = task
                    completed.add(future)
                return None

            while pending or futures:
                unreadable = submit()
                if unreadable is not None:
                    yield unreadable, fn(unreadable.path, settings)
                    continue
                if not futures:
                    continue
                future = next(completed)
                task = futures.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # KilledWorker, a lost worker, ...
                    result = crash_result(
                        task, f"the Dask task failed: {type(exc).__name__}: {exc}"
                    )
                else:
                    result.path = task.path  # it ran under a temporary path
                future.release()
                yield task, result
        finally:
            for future in futures:
                with contextlib.suppress(Exception):
                    future.cancel()
            if own_client:
                client.close()
