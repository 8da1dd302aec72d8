"""The DuckDB database (plans.duckdb), loaded from the run's Parquet files by a process of its
own: DuckDB's memory (pages it holds while a table is built and committed, which grows with
the tables) is that process's, and goes when it ends, so the run's own peak memory does not
grow with the number of plans. The process is started early, and imports duckdb while the
run reads its files; the load itself overlaps the writing of the workbook.

    python -m planx.pipeline.database    (reads one job as JSON on stdin; see DatabaseLoad)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from planx.pipeline.module_process import start_module
from planx.pipeline.outputs import atomic_path

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


class DatabaseLoad:
    """One database load in a child process: started at once (it imports duckdb, then waits),
    given its job by `start`, its outcome by `wait`."""

    def __init__(self) -> None:
        self._db_path: Path | None = None
        self._proc = start_module(
            "planx.pipeline.database",
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self, db_path: Path, sources: Mapping[str, Path]) -> None:
        """Load `sources` (table name -> Parquet file) into `db_path`, in the child."""
        self._db_path = db_path
        job = {
            "db": str(db_path),
            "sources": {name: str(path) for name, path in sources.items()},
            "memory_mb": DUCKDB_MEMORY_MB,
        }
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(job))
        self._proc.stdin.close()

    def wait(self) -> Path:
        """The database's path, once loaded; a RuntimeError saying why if it could not be."""
        err = self._finish()
        if self._proc.returncode != 0 or self._db_path is None:
            lines = [line.strip() for line in (err or "").splitlines() if line.strip()]
            why = lines[-1] if lines else f"exit code {self._proc.returncode}"
            raise RuntimeError(f"could not write the DuckDB database: {why}")
        return self._db_path

    def running(self) -> bool:
        return self._proc.poll() is None

    def stop(self) -> None:
        """End the child without a load (the run failed or was stopped)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._finish()

    def _finish(self) -> str:
        """What the child said on stderr, once it has ended (its stdin closed first: no job
        left to give)."""
        assert self._proc.stdin is not None and self._proc.stderr is not None
        if not self._proc.stdin.closed:
            self._proc.stdin.close()
        err = self._proc.stderr.read()
        self._proc.stderr.close()
        self._proc.wait()
        return err


def main() -> None:
    """Read one job from stdin and do it; no job (the run ended without one): nothing."""
    import duckdb  # noqa: F401 - imported before the job comes, while the run still reads

    text = sys.stdin.read()
    if not text.strip():
        return
    job = json.loads(text)
    sources = {name: Path(path) for name, path in job["sources"].items()}
    try:
        load_database(Path(job["db"]), sources, job["memory_mb"])
    except Exception as exc:  # noqa: BLE001 - told to the run as one line, not a traceback
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        print(f"{type(exc).__name__}: {lines[0] if lines else ''}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
