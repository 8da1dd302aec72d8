"""`planx serve`: commands handed to a warm server behave as in a fresh process (the same
files, output, messages and exit codes); a server of other code is never used; the server
ends when idle or told to, removing its socket. Every server here lives in a temporary
PLANX_SERVE_DIR and is stopped by its fixture."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from planx.pipeline import serve_client
from planx.pipeline.fingerprint import code_fingerprint

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "plans" / "pendlemere_2019-20_improvement_plan_2019-09.txt"
READY_WAIT_S = 180  # a server's warm-up on a busy machine; not a timing assertion


@dataclass
class RunningServer:
    proc: subprocess.Popen[bytes]
    directory: Path
    log: Path

    def log_lines(self, word: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if word in line]

    def sockets(self) -> list[Path]:
        return sorted(self.directory.glob("*.sock"))


def _start_server(tmp: Path, command: list[str]) -> RunningServer:
    directory, log = tmp / "sockets", tmp / "serve.log"
    env = {**os.environ, serve_client.SERVE_DIR_ENV: str(directory)}
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(command, env=env, stdout=log_file, stderr=log_file, cwd=tmp)
    server = RunningServer(proc, directory, log)
    deadline = time.monotonic() + READY_WAIT_S
    while not server.log_lines("ready on") and proc.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return server


def _stop(server: RunningServer) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


def _serve_command(idle_timeout_s: float) -> list[str]:
    return [sys.executable, "-m", "planx", "serve", "--idle-timeout", str(idle_timeout_s)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = _start_server(tmp_path_factory.mktemp("serve"), _serve_command(600))
    try:
        assert running.log_lines("ready on"), running.log.read_text()
        yield running
    finally:
        _stop(running)


def _planx(args: list[str], cwd: Path, directory: Path, **env: str):
    environ = {**os.environ, serve_client.SERVE_DIR_ENV: str(directory), **env}
    return subprocess.run(
        [sys.executable, "-m", "planx", *args], cwd=cwd, env=environ, capture_output=True
    )


def _tables(out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".csv", ".parquet")
    }


def _workbook_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _database_rows(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [row[0] for row in con.execute("SHOW TABLES").fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}


def test_a_served_extract_is_what_a_fresh_process_does(server: RunningServer, tmp_path: Path):
    served_dir, fresh_dir = tmp_path / "served", tmp_path / "fresh"
    served_dir.mkdir(), fresh_dir.mkdir()
    args = ["extract", str(SAMPLE), "-o", "out", "--no-cache"]
    before = len(server.log_lines("command ended"))
    served = _planx(args, served_dir, server.directory)
    fresh = _planx(args, fresh_dir, server.directory, PLANX_NO_SERVE="1")
    assert len(server.log_lines("command ended")) == before + 1
    assert (served.returncode, served.stdout, served.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )
    assert served.returncode == 0 and b"17 actions" in served.stdout
    served_out, fresh_out = served_dir / "out", fresh_dir / "out"
    assert _tables(served_out) == _tables(fresh_out)
    assert len(_tables(served_out)) == 26
    # the workbook and the database carry a time of writing: their contents are compared
    assert _workbook_values(served_out / "plans.xlsx") == _workbook_values(fresh_out / "plans.xlsx")
    served_rows = _database_rows(served_out / "plans.duckdb")
    assert served_rows == _database_rows(fresh_out / "plans.duckdb")
    assert len(served_rows["actions"]) == 17


def test_a_usage_error_comes_back_with_its_exit_code(server: RunningServer, tmp_path: Path):
    args = ["extract", "no_such_plan.pdf", "-o", "out"]
    before = len(server.log_lines("exit code 2"))
    served = _planx(args, tmp_path, server.directory)
    fresh = _planx(args, tmp_path, server.directory, PLANX_NO_SERVE="1")
    assert served.returncode == fresh.returncode == 2
    assert served.stderr == fresh.stderr and b"no_such_plan.pdf" in served.stderr
    assert len(server.log_lines("exit code 2")) == before + 1


def test_two_commands_at_once_are_both_served(server: RunningServer, tmp_path: Path):
    before = len(server.log_lines("exit code 0"))
    environ = {**os.environ, serve_client.SERVE_DIR_ENV: str(server.directory)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "planx", "extract", str(SAMPLE), "-o", f"out{i}", "-q"],
            cwd=tmp_path,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert all(b"17 actions" in stdout for stdout, _ in outputs)
    assert _tables(tmp_path / "out0") == _tables(tmp_path / "out1")
    assert len(server.log_lines("exit code 0")) == before + 2


def test_planx_no_serve_runs_in_process(server: RunningServer, tmp_path: Path):
    before = len(server.log.read_text().splitlines())
    done = _planx(["schema", "--table", "kpi"], tmp_path, server.directory, PLANX_NO_SERVE="1")
    assert done.returncode == 0 and b'"title"' in done.stdout
    assert len(server.log.read_text().splitlines()) == before


def test_planx_no_serve_does_not_open_a_socket(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    directory = tmp_path / "sockets"
    directory.mkdir(mode=0o700)
    serve_client.socket_path(code_fingerprint(), directory).touch()
    monkeypatch.setenv(serve_client.SERVE_DIR_ENV, str(directory))
    monkeypatch.setenv(serve_client.NO_SERVE_ENV, "1")

    def no_socket(*args, **kwargs):
        raise AssertionError("PLANX_NO_SERVE=1 opened a socket")

    monkeypatch.setattr(socket, "socket", no_socket)
    assert serve_client.hand_over(["extract", "plan.pdf", "-o", "out"]) is None
    monkeypatch.delenv(serve_client.NO_SERVE_ENV)
    with pytest.raises(AssertionError, match="opened a socket"):
        serve_client.hand_over(["extract", "plan.pdf", "-o", "out"])


def test_a_server_of_other_code_is_not_used_and_ends(tmp_path: Path):
    directory = tmp_path / "sockets"
    path = serve_client.socket_path(code_fingerprint(), directory)
    older = (
        "from pathlib import Path\n"
        "from planx.pipeline.cli import cli\n"
        "from planx.pipeline.serve import run_server\n"
        f"run_server(cli, 600, path=Path({str(path)!r}), fingerprint='0' * 64)\n"
    )
    server = _start_server(tmp_path, [sys.executable, "-c", older])
    try:
        assert server.sockets() == [path]
        done = _planx(["extract", str(SAMPLE), "-o", "out", "-q"], tmp_path, directory)
        assert done.returncode == 0 and b"17 actions" in done.stdout
        assert server.proc.wait(timeout=60) == 0
    finally:
        _stop(server)
    assert len(server.log_lines("refused a client of other code")) == 1
    assert server.log_lines("code has changed") and not server.log_lines("command ended")
    assert server.sockets() == []


def test_the_server_ends_when_idle_and_removes_its_socket(tmp_path: Path):
    server = _start_server(tmp_path, _serve_command(1))
    try:
        assert server.proc.wait(timeout=120) == 0
    finally:
        _stop(server)
    assert server.log_lines("ready on") and server.log_lines("idle for 1 s")
    assert server.sockets() == []


def test_the_server_ends_on_sigterm_and_a_second_one_is_refused_meanwhile(tmp_path: Path):
    server = _start_server(tmp_path, _serve_command(600))
    try:
        assert len(server.sockets()) == 1
        second = _planx(["serve"], tmp_path, server.directory)
        assert second.returncode == 1 and b"already running" in second.stderr
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=60) == 0
    finally:
        _stop(server)
    assert server.log_lines("stopping (SIGTERM)")
    assert server.sockets() == []


def _fresh_python(code: str) -> str:
    """What `code` prints in a fresh interpreter (the test process may run threads of others)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_progress_bar_starts_no_thread(tmp_path: Path):
    # a served command forks its sink process only while it runs no other thread
    code = (
        "import threading\n"
        "from planx.pipeline.progress import BarProgress\n"
        f"with open({str(tmp_path / 'bar.txt')!r}, 'w') as stream:\n"
        "    bar = BarProgress(stream)\n"
        "    bar.start(3)\n"
        "    print(threading.active_count())\n"
        "    bar.close()\n"
    )
    assert _fresh_python(code) == "1\n"
    assert "0/3" in (tmp_path / "bar.txt").read_text()


def test_a_module_child_forked_from_a_warm_process_does_its_job(tmp_path: Path):
    # The sink process of a served command is a fork of it: it writes the tables it is
    # sent, and a failure comes back as its one-line reason, as from a fresh interpreter.
    code = (
        "from pathlib import Path\n"
        "from planx.pipeline import module_process\n"
        "from planx.pipeline.sink_process import SinkProcess\n"
        "module_process.fork_children = True\n"
        f"tmp = Path({str(tmp_path)!r})\n"
        "sink = SinkProcess(tmp / 'out', ['duckdb'], 2000)\n"
        "print(type(sink._proc).__name__)\n"
        "print(sorted(p.name for p in sink.close()))\n"
        "(tmp / 'bad').mkdir()\n"
        "(tmp / 'bad' / '.parquet-for-duckdb').write_text('a file where a folder goes')\n"
        "failing = SinkProcess(tmp / 'bad', ['duckdb'], 2000)\n"
        "try:\n"
        "    failing.close()\n"
        "except RuntimeError as exc:\n"
        "    print(str(exc).split(':')[:2])\n"
    )
    (tmp_path / "out").mkdir()
    lines = _fresh_python(code).splitlines()
    assert lines == [
        "ForkedModule",
        "['plans.duckdb']",
        "['could not write the tables', ' FileExistsError']",
    ]
    tables = _database_rows(tmp_path / "out" / "plans.duckdb")
    assert tables["actions"] == [] and "kpis" in tables  # every table, with no rows
