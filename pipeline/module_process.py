"""A child process that runs one of planx's modules (`python -m planx.pipeline.X`), started
the usual way, or forked where this process already holds everything the child imports.

A run started by `planx serve` (a fork of a warm server: see serve.py) has pyarrow and duckdb
imported already; a fresh `python -m ...` child would import them again
(~0.5 s) while a one-file run waits for it. There the child is a fork of the run, calling
the module's `main()` with the pipes as its stdin/stdout/stderr: the same code, the same
protocol, started in a millisecond. Elsewhere (a plain `planx` process) it is a Popen.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import threading
import traceback
from typing import IO, Any

# Set by the warm server (serve.py) before it forks a command: children may be forked.
fork_children = False
# Objects (sockets) a forked child closes first: the run's connection to its client.
close_in_children: list[Any] = []


class ForkedModule:
    """The parent's side of a forked module child: the part of `subprocess.Popen` the sink
    processes use (stdin, stdout, stderr, poll, wait, kill, returncode)."""

    def __init__(self, module: str, stdin: Any, stdout: Any, stderr: Any, text: bool) -> None:
        specs = ((stdin, "r"), (stdout, "w"), (stderr, "w"))
        ends = [_child_end(spec, mode) for spec, mode in specs]
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child never returns from here
            _run_module_child(module, ends)
        for child, _ in ends:
            if child is not None:
                os.close(child)
        self.stdin, self.stdout, self.stderr = (
            None if parent is None else _wrap(parent, mode, text)
            for (_, parent), mode in zip(ends, ("w", "r", "r"), strict=True)
        )

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


def start_module(
    module: str, *, stdin: Any = None, stdout: Any = None, stderr: Any = None, text: bool = False
) -> subprocess.Popen[Any] | ForkedModule:
    """`python -m module` as a child with these streams (subprocess.PIPE, DEVNULL, a file or
    None as for Popen): forked in a warm server's command while it runs no other thread
    (forking a process with threads is unsafe), else a fresh interpreter."""
    if fork_children and threading.active_count() == 1:
        return ForkedModule(module, stdin, stdout, stderr, text)
    return subprocess.Popen(
        [sys.executable, "-m", module], stdin=stdin, stdout=stdout, stderr=stderr, text=text
    )


def _child_end(spec: Any, mode: str) -> tuple[int | None, int | None]:
    """(the child's descriptor, the parent's end of a pipe or None) for one stream."""
    if spec is None:
        return None, None
    if spec == subprocess.PIPE:
        read, write = os.pipe()
        return (read, write) if mode == "r" else (write, read)
    if spec == subprocess.DEVNULL:
        return os.open(os.devnull, os.O_RDWR), None
    return os.dup(spec.fileno()), None


def _wrap(fd: int, mode: str, text: bool) -> IO[Any]:
    return open(fd, mode, encoding="utf-8") if text else open(fd, mode + "b")


def _run_module_child(module: str, ends: list[tuple[int | None, int | None]]) -> None:
    """In the forked child: the streams on 0/1/2, the module's main(), then exit with its code
    (as `python -m module` would; nothing of the parent's clean-up runs here)."""
    code = 1
    try:
        for target, (fd, parent) in enumerate(ends):
            if parent is not None:  # else a pipe's reader would never see its end
                os.close(parent)
            if fd is not None:
                os.dup2(fd, target)
                os.close(fd)
        for conn in close_in_children:
            conn.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
        code = exit_code_of(importlib.import_module(module).main)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def exit_code_of(main: Any) -> int:
    """What the process would exit with after `main()` (SystemExit's code, 1 on an error)."""
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0
