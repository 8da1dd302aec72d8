"""The sink process: a run's Parquet files, workbook and DuckDB database, written by a process
of its own while the run's process reads the files and writes the CSV files.

Why a process: the libraries of those formats (pyarrow, duckdb: ~0.5 s to import)
load there while the run starts (a one-file run waits for none of them), and what writing
them holds (rows gathered into 2000-row chunks, the Parquet footers, DuckDB's pages) is that
process's memory, not the run's, which then holds only a light record per file.

The run sends typed rows (a list per column) as pickles on the process's stdin; the process
(sink_child.py) answers, once told to close, with the files it wrote (JSON on stdout), or a
one-line reason on stderr and a non-zero exit code.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from planx.pipeline.module_process import start_module
from planx.pipeline.outputs import atomic_path, copy_range

# DuckDB's memory while it loads the tables. 16 MB failed to commit the tables of 500 plans;
# past this bound the load is done again with DuckDB's own limit (most of the RAM).
DUCKDB_MEMORY_MB = 128


def load_database(db_path: Path, sources: Mapping[str, Path], memory_mb: int | None) -> None:
    """`db_path` with a table per source, each read from its Parquet file by DuckDB itself,
    within `memory_mb` (None: DuckDB's own limit), or again with DuckDB's own limit if the
    tables need more."""
    import duckdb

    try:
        _load_within(db_path, sources, memory_mb)
    except duckdb.Error as exc:
        # A batch whose tables need more than the bound to commit: load again with
        # DuckDB's own limit rather than fail the run.
        if memory_mb is None or "memory" not in str(exc).lower():
            raise
        _load_within(db_path, sources, None)


def _load_within(db_path: Path, sources: Mapping[str, Path], memory_mb: int | None) -> None:
    import duckdb

    with atomic_path(db_path) as tmp:
        tmp.unlink()  # duckdb wants to create the file itself
        con = duckdb.connect(str(tmp))
        try:
            # DuckDB holds a table's pages in memory until the end unless told not to:
            # a bound makes it write them to the file as it goes.
            if memory_mb is not None:
                con.execute(f"SET memory_limit = '{memory_mb}MB'")
            con.execute("SET threads = 1")
            for name, path in sources.items():
                source = str(path).replace("'", "''")
                con.execute(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{source}')")
        finally:
            con.close()


def rows_message(name: str, columns: list[list[Any]]) -> bytes:
    """The message that gives the sink process typed rows for the end of table `name`
    (made where the rows are, which may be a worker: see pipeline/prepared.py)."""
    return pickle.dumps(("rows", name, columns), protocol=pickle.HIGHEST_PROTOCOL)


class SinkProcess:
    """The run's side of the sink process: started at once (it imports its libraries, then
    waits for rows), given rows by `add`, finished by `close`."""

    def __init__(self, outdir: Path, formats: Sequence[str], chunk_rows: int):
        self.peak_rss_mb = 0.0  # the process's, once closed
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # never fills up
        self._proc = start_module(
            "planx.pipeline.sink_child",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._send(("open", str(outdir), list(formats), chunk_rows))

    def _send(self, message: tuple[Any, ...]) -> None:
        self.send_encoded(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def send_encoded(self, messages: bytes) -> None:
        """Messages already pickled (rows_message), back to back."""
        with self._input() as stdin:
            stdin.write(messages)

    def send_copied(self, src_fd: int, offset: int, length: int) -> None:
        """Messages already pickled, back to back, copied from an open file by the kernel."""
        with self._input() as stdin:
            stdin.flush()
            copy_range(src_fd, offset, length, stdin.fileno())

    @contextlib.contextmanager
    def _input(self) -> Iterator[IO[bytes]]:
        """The process's input, to write to; a failed write says why the process ended."""
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            yield stdin
        except (BrokenPipeError, OSError) as exc:  # the process has ended: say why
            raise self._failure() from exc

    def add(self, name: str, columns: list[list[Any]]) -> None:
        """Typed rows for the end of table `name`."""
        self.send_encoded(rows_message(name, columns))

    def close(self) -> list[Path]:
        """Every file finished; the files written."""
        self._send(("close",))
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.close()
        except (BrokenPipeError, OSError) as exc:
            raise self._failure() from exc
        answer = stdout.read()
        stdout.close()
        if self._proc.wait() != 0:
            raise self._failure()
        self._stderr.close()
        reply = json.loads(answer)
        self.peak_rss_mb = reply["peak_rss_kb"] / 1024
        return [Path(p) for p in reply["written"]]

    def _failure(self) -> RuntimeError:
        """Why the process failed: the last line it wrote on stderr."""
        self._proc.wait()
        self._stderr.seek(0)
        lines = [line.strip() for line in self._stderr.read().splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit code {self._proc.returncode}"
        return RuntimeError(f"could not write the tables: {why}")

    def running(self) -> bool:
        return self._proc.poll() is None

    def stop(self) -> None:
        """End the process without finishing (the run failed or was stopped)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout, self._stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass  # a pipe to a killed process: nothing left to flush
