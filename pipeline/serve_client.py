"""The command line's side of `planx serve`: hand a command to a warm server if one runs for
this very code, else say so (None) and let the command run in this process.

Light on purpose (standard library only, no planx stage): every `planx` command passes here
first. The server is found by its socket, named after `code_fingerprint()`, in the socket
directory (PLANX_SERVE_DIR, else $XDG_RUNTIME_DIR/planx, else a 0700 folder of this user's
under the system's temporary folder). The request carries the arguments, the working
directory, the environment and this process's stdin/stdout/stderr themselves
(SCM_RIGHTS), so the server's forked child reads and writes exactly where this process
would. PLANX_NO_SERVE=1: never use a server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from planx.pipeline.fingerprint import code_fingerprint

SERVE_DIR_ENV = "PLANX_SERVE_DIR"
NO_SERVE_ENV = "PLANX_NO_SERVE"
# Commands run in this process whatever runs: `serve` itself, and asking for help or the
# version (already fast; `planx --help` must work with a broken server too).
LOCAL_ONLY = frozenset({"serve", "--help", "-h", "--version"})
# A server that does not accept within this long is treated as absent.
CONNECT_TIMEOUT_S = 2.0
# Signals the client passes on to the command's process (Ctrl-C to its process group, as a
# terminal sends it to a fresh process and the workers it started).
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
LENGTH_BYTES = 4


def serve_dir() -> Path:
    """Where the sockets of this user's servers are."""
    if os.environ.get(SERVE_DIR_ENV):
        return Path(os.environ[SERVE_DIR_ENV])
    if os.environ.get("XDG_RUNTIME_DIR"):
        return Path(os.environ["XDG_RUNTIME_DIR"]) / "planx"
    return Path(tempfile.gettempdir()) / f"planx-{os.getuid()}"


def socket_path(fingerprint: str, directory: Path | None = None) -> Path:
    """The socket of the server for the code with this fingerprint."""
    return (directory or serve_dir()) / f"planx-{fingerprint[:16]}.sock"


def is_private_dir(directory: Path) -> bool:
    """The folder is this user's and no one else's (no other user could plant a socket)."""
    try:
        info = directory.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def serving_wanted(args: list[str]) -> bool:
    """Whether this command may go to a server at all."""
    if os.environ.get(NO_SERVE_ENV, "") not in ("", "0"):
        return False
    return not args or args[0] not in LOCAL_ONLY


def hand_over(args: list[str]) -> int | None:
    """Run `planx ARGS` in a warm server: its exit code; None where no server for this code
    answers (or it refused), so the command runs here."""
    if not serving_wanted(args):
        return None
    fingerprint = code_fingerprint()
    path = socket_path(fingerprint)
    if not path.exists() or not is_private_dir(path.parent):
        return None
    try:
        conn = _connect(path)
    except OSError:
        return None
    with conn, conn.makefile("rb") as replies:
        try:
            child = _start(conn, replies, args, fingerprint)
        except (OSError, ValueError):
            return None
        if child is None:
            return None
        return _wait_for_exit(replies, child)


def _connect(path: Path) -> socket.socket:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(CONNECT_TIMEOUT_S)
        conn.connect(str(path))
    except OSError:
        conn.close()
        raise
    return conn


def _start(conn: socket.socket, replies: Any, args: list[str], fingerprint: str) -> int | None:
    """Send the request; the pid of the process running it, or None if refused."""
    request = {
        "fingerprint": fingerprint,
        "args": args,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "stdio": [_stream_settings(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
    }
    body = json.dumps(request).encode()
    socket.send_fds(conn, [len(body).to_bytes(LENGTH_BYTES, "big")], [0, 1, 2])
    conn.sendall(body)
    conn.settimeout(None)  # the command may take as long as it takes
    return read_message(replies).get("pid")


def _stream_settings(stream: Any) -> list[str] | None:
    """The encoding and error handler of one of this process's streams, for the server's
    child to write as this process would (None: the stream is closed)."""
    if stream is None:
        return None
    return [getattr(stream, "encoding", "utf-8"), getattr(stream, "errors", "strict")]


def read_message(reader: Any) -> dict[str, Any]:
    """One JSON line (ValueError at the end of the stream)."""
    line = reader.readline()
    if not line:
        raise ValueError("the server closed the connection")
    return json.loads(line)


def _wait_for_exit(replies: Any, child: int) -> int:
    """The command's exit code, passing this process's signals on to it meanwhile."""
    previous = {number: signal.getsignal(number) for number in FORWARDED_SIGNALS}

    def forward(number: int, _frame: object) -> None:
        try:
            if number == signal.SIGINT:
                os.killpg(child, number)
            else:
                os.kill(child, number)
        except ProcessLookupError:
            pass  # it has just ended

    for number in FORWARDED_SIGNALS:
        signal.signal(number, forward)
    try:
        reply = read_message(replies)
    except (OSError, ValueError):
        print("planx: the server ended before the command did", file=sys.stderr)
        return 1
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return _exit_status(int(reply["exit"]))


def _exit_status(code: int) -> int:
    """The child's exit code; a child killed by a signal kills this process by it too (so the
    shell sees what it would have seen), else 128 + its number."""
    if code >= 0:
        return code
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
    return 128 - code
