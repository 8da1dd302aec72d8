"""`planx serve`: a warm process that runs planx commands for the command line, each in a
fork of itself (the fork-server pattern of gradle's daemon, dmypy, eslint_d and
multiprocessing's forkserver).

A fresh `planx extract` spends most of a one-file run importing spaCy, building the NLP
pipeline and importing the output libraries. The server does that once, freezes what it
built out of the garbage collector, then listens on a Unix socket (serve_client.py finds
it). Each request is served by a forked child that takes the client's stdin/stdout/stderr
(passed over the socket), working directory, environment and arguments, runs the click
command as a fresh process would and exits with its code; the server sends that code to the
client when it reaps the child (a child killed by a signal is reported too). Nothing is
shared between requests: each child is a copy of the warm server and ends with its command.

The server ends after `idle_timeout_s` without a command, on SIGTERM/SIGINT, or when planx's
code changes under it (its socket names the old code, which no client asks for any more);
it removes its socket and waits for the commands still running.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import io
import json
import os
import selectors
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from planx.pipeline import module_process
from planx.pipeline.executors import WORKER_PRELOAD
from planx.pipeline.fingerprint import code_fingerprint
from planx.pipeline.serve_client import LENGTH_BYTES, is_private_dir, socket_path

DEFAULT_IDLE_TIMEOUT_S = 900.0
# How often an idle server checks that planx's code is still the code it runs (seconds).
CODE_CHECK_S = 10.0
# What a command may import on its way (the readers, the NLP stage, the output side),
# imported once by the server; the NLP pipeline is built as well (process.warm_up).
WARM_MODULES = (
    *WORKER_PRELOAD,  # the readers and the NLP stage, as a batch's workers have them
    "planx.pipeline.batch",
    "planx.pipeline.cache",
    "planx.pipeline.check",
    "planx.pipeline.progress",
    "planx.pipeline.table_stream",
    "planx.pipeline.sinks",
    "planx.pipeline.sink_process",
    "planx.pipeline.sink_child",
    "pyarrow.parquet",
    "planx.pipeline.workbook",
    "openpyxl",  # the XLSX reader's
    "duckdb",
    "tqdm",
)
# A made-up plan (no real council's words) for the warm-up run: an action table and a KPI table.
WARM_UP_PLAN = """Children's Services Improvement Plan 2019-20

Improvement actions

Ref\tTheme\tAction\tLead officer\tDue date\tStatus\tProgress update
1.1\tFront door\tReview the referral thresholds with police and health partners.\tHead of Safeguarding\tSeptember 2019\tComplete\tNew thresholds signed off.
1.2\t\tHold every strategy discussion within one working day.\tService Manager\tJuly 2019\tOn track\t95% within one day.

Performance measures

Measure\tTarget\tActual\tRAG
Re-referrals within 12 months\t20%\t23%\tAmber
"""
# How a request's child says it refused the request (planx's exit codes are 0-3 and 130).
REFUSED_EXIT = 254
# A client that connects but sends no request within this long is dropped.
REQUEST_TIMEOUT_S = 10.0

Log = Callable[[str], None]


class ServeError(RuntimeError):
    """The server cannot start (another runs for this code, the folder is not private)."""


def log_to_stderr(message: str) -> None:
    print(f"planx serve: {message}", file=sys.stderr, flush=True)


def run_server(
    command: Any,
    idle_timeout_s: float | None = DEFAULT_IDLE_TIMEOUT_S,
    *,
    path: Path | None = None,
    fingerprint: str | None = None,
    log: Log = log_to_stderr,
) -> None:
    """Serve `command` (the click group) until idle, stopped or out of date. `path` and
    `fingerprint` default to this code's (tests give them to play an older server)."""
    fingerprint = fingerprint or code_fingerprint()
    path = path or socket_path(fingerprint)
    _claim_socket_path(path)
    log("warming up (imports, the NLP pipeline)")
    warm_up(command)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
    except OSError as exc:
        listener.close()
        raise ServeError(f"cannot listen on {path}: {exc}") from exc
    os.chmod(path, 0o600)
    listener.listen(64)
    limit = f"after {idle_timeout_s:g} s without a command" if idle_timeout_s else "when stopped"
    log(f"ready on {path} (pid {os.getpid()}); exits {limit}")
    Server(command, listener, path, fingerprint, idle_timeout_s, log).run()


def _claim_socket_path(path: Path) -> None:
    """The socket's folder made (0700) and checked; a leftover socket removed; a server that
    still answers there is an error."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not is_private_dir(path.parent):
        raise ServeError(f"{path.parent} must be yours alone (chmod 700 {path.parent})")
    if not path.exists():
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink(missing_ok=True)  # left by a server that was killed
            return
    raise ServeError(f"a server for this code is already running on {path}")


def warm_up(command: Any) -> None:
    """Import what commands use, build the NLP pipeline, and run `planx extract` once on a
    small made-up plan (what is loaded or compiled on first use: word lists, patterns, the
    writers' styles); then freeze it all out of the garbage collector (a command's
    collections walk only its own objects). Checks that nothing left a thread running: the
    server forks, and a fork copies only one thread."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    from planx.pipeline.process import warm_up as build_pipelines

    build_pipelines()
    module_process.fork_children = True  # a command's sink child: a fork of it (warm too)
    with tempfile.TemporaryDirectory(prefix="planx-serve-") as tmp:
        plan = Path(tmp) / "warm_up_plan.txt"
        plan.write_text(WARM_UP_PLAN, encoding="utf-8")
        args = ["extract", str(plan), "-o", str(Path(tmp) / "out"), "--no-cache", "-q"]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            command.main(args, prog_name="planx", standalone_mode=False)
    gc.collect()
    gc.freeze()
    if threading.active_count() != 1:
        names = ", ".join(t.name for t in threading.enumerate())
        raise ServeError(f"the warm-up left threads running ({names}); cannot fork safely")


class Server:
    """The accept loop: a forked child per connection, reaped as it ends."""

    def __init__(
        self,
        command: Any,
        listener: socket.socket,
        path: Path,
        fingerprint: str,
        idle_timeout_s: float | None,
        log: Log,
    ) -> None:
        self.command, self.listener, self.path = command, listener, path
        self.fingerprint, self.idle_timeout_s, self.log = fingerprint, idle_timeout_s, log
        self.children: dict[int, socket.socket] = {}  # pid -> its client's connection
        self.stop_reason = ""
        self.last_active = self.last_code_check = time.monotonic()
        self.wake_read, self.wake_write = socket.socketpair()

    def run(self) -> None:
        """Serve until a stop reason; then the socket removed, the running commands waited
        for."""
        previous = self._install_signals()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self.listener, selectors.EVENT_READ)
                selector.register(self.wake_read, selectors.EVENT_READ)
                while not self.stop_reason:
                    events = selector.select(self._select_timeout())
                    self._drain_wakeups()
                    self._reap(os.WNOHANG)
                    if any(key.fileobj is self.listener for key, _ in events):
                        self._accept()
                    self._check_still_wanted()
        finally:
            self.listener.close()
            self.path.unlink(missing_ok=True)
            self.log(f"stopping ({self.stop_reason or 'error'}); socket removed")
            self._reap(0)
            self._restore_signals(previous)

    def _install_signals(self) -> dict[int, Any]:
        def stop(number: int, _frame: object) -> None:
            self.stop_reason = signal.Signals(number).name

        numbers = (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD)
        previous: dict[int, Any] = {number: signal.getsignal(number) for number in numbers}
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the loop (the wakeup fd)
        self.wake_write.setblocking(False)
        previous[-1] = signal.set_wakeup_fd(self.wake_write.fileno(), warn_on_full_buffer=False)
        return previous

    def _restore_signals(self, previous: dict[int, Any]) -> None:
        signal.set_wakeup_fd(previous.pop(-1))
        for number, handler in previous.items():
            signal.signal(number, handler)
        self.wake_read.close()
        self.wake_write.close()

    def _select_timeout(self) -> float | None:
        waits = [CODE_CHECK_S]
        if self.idle_timeout_s and not self.children:
            waits.append(self.last_active + self.idle_timeout_s - time.monotonic())
        return max(0.0, min(waits))

    def _drain_wakeups(self) -> None:
        self.wake_read.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while self.wake_read.recv(4096):
                pass

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except BlockingIOError:
            return
        self.last_active = time.monotonic()
        pid = os.fork()
        if pid == 0:
            others = [self.listener, self.wake_read, self.wake_write, *self.children.values()]
            serve_request(conn, self.command, self.fingerprint, others)
        self.children[pid] = conn
        self._check_code()  # while the child works: a client with newer code was refused

    def _reap(self, options: int) -> None:
        """Send each ended child's exit code to its client (options 0: wait for all)."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, options)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is None:
                continue
            self.last_active = time.monotonic()
            code = os.waitstatus_to_exitcode(status)
            with conn, contextlib.suppress(OSError):
                if code == REFUSED_EXIT:  # the client runs the command itself
                    self.log(f"refused a client of other code (pid {pid})")
                    continue
                conn.sendall(_message({"exit": code}))
                self.log(f"command ended (pid {pid}, exit code {code})")

    def _check_still_wanted(self) -> None:
        now = time.monotonic()
        idle_for = now - self.last_active
        if self.idle_timeout_s and not self.children and idle_for >= self.idle_timeout_s:
            self.stop_reason = f"idle for {self.idle_timeout_s:g} s"
        elif now - self.last_code_check >= CODE_CHECK_S:
            self._check_code()

    def _check_code(self) -> None:
        self.last_code_check = time.monotonic()
        if code_fingerprint() != self.fingerprint:
            self.stop_reason = "planx's code has changed"


def _message(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode() + b"\n"


def serve_request(
    conn: socket.socket, command: Any, fingerprint: str, others: list[socket.socket]
) -> NoReturn:
    """In the forked child: read the request, run it as a fresh process would, exit with its
    code (never returns; the server's own clean-up must not run here)."""
    code = 1
    try:
        os.setpgid(0, 0)  # the client's Ctrl-C goes to this command and what it starts
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for number in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        for sock in others:
            sock.close()
        module_process.close_in_children.append(conn)
        request, fds = _receive_request(conn)
        if request["fingerprint"] != fingerprint:
            conn.sendall(_message({"refused": "the server runs other code"}))
            os._exit(REFUSED_EXIT)
        conn.sendall(_message({"pid": os.getpid()}))
        code = run_request(command, request, fds)
        atexit._run_exitfuncs()  # as at the end of a fresh process
    except BaseException:
        traceback.print_exc()
    finally:
        _flush_stdio()
        os._exit(code)


def _receive_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request's JSON and the client's three descriptors."""
    conn.settimeout(REQUEST_TIMEOUT_S)
    head, fds, _, _ = socket.recv_fds(conn, LENGTH_BYTES, 3)
    while len(head) < LENGTH_BYTES:
        more = conn.recv(LENGTH_BYTES - len(head))
        if not more:
            raise ConnectionError("the client went away")
        head += more
    size = int.from_bytes(head, "big")
    body = bytearray()
    while len(body) < size:
        chunk = conn.recv(min(1 << 16, size - len(body)))
        if not chunk:
            raise ConnectionError("the client went away")
        body += chunk
    if len(fds) != 3:
        raise ConnectionError(f"expected 3 descriptors, got {len(fds)}")
    return json.loads(body), fds


def run_request(command: Any, request: dict[str, Any], fds: list[int]) -> int:
    """The command run in this process as if it had been started the client's way: its
    streams, directory, environment and arguments."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # the client's TZ
    sys.stdin, sys.stdout, sys.stderr = (
        _std_stream(fd, settings) for fd, settings in enumerate(request["stdio"])
    )
    args = list(request["args"])
    sys.argv = ["planx", *args]
    return module_process.exit_code_of(
        lambda: command.main(args, prog_name="planx", standalone_mode=True)
    )


def _std_stream(fd: int, settings: list[str] | None) -> Any:
    """A standard stream as Python makes it at start-up: stdout line-buffered on a terminal,
    stderr always; the client's encoding and error handler."""
    if settings is None:
        return None
    encoding, errors = settings
    if fd == 0:
        return open(0, encoding=encoding, errors=errors, closefd=False)
    buffering = 1 if fd == 2 else -1
    return open(fd, "w", buffering, encoding, errors, closefd=False)


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
