"""The sink process's own side (see sink_process.py): reads the run's messages on stdin,
open, rows..., close, and writes the tables with table_stream.BinaryTables.

    python -m planx.pipeline.sink_child
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from planx.pipeline.process_memory import peak_rss_kb
from planx.pipeline.table_stream import BinaryTables


def _serve(stdin: IO[bytes]) -> list[str]:
    """The process's work: open, rows..., close; the files written."""
    kind, outdir, formats, chunk_rows = pickle.load(stdin)
    assert kind == "open"
    tables = BinaryTables(Path(outdir), formats, chunk_rows)
    _import_libraries(tables.formats)  # while the run reads its first files
    try:
        while True:
            message = pickle.load(stdin)
            if message[0] == "close":
                return [str(p) for p in tables.close()]
            tables.add(message[1], message[2])
    except BaseException:
        tables.abort()
        raise


def _import_libraries(formats: Sequence[str]) -> None:
    if {"parquet", "duckdb"} & set(formats):
        import pyarrow.parquet  # noqa: F401
    if "duckdb" in formats:
        import duckdb  # noqa: F401
    if "xlsx" in formats:
        import planx.pipeline.workbook  # noqa: F401


def main() -> None:
    """Serve one run; a run that ends without closing (stopped, failed) leaves no answer."""
    answer, sys.stdout = sys.stdout, sys.stderr  # stdout carries the answer alone
    try:
        written = _serve(sys.stdin.buffer)
    except EOFError:  # the run went away without closing: nothing to finish
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - told to the run as one line, not a traceback
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        print(f"{type(exc).__name__}: {lines[0] if lines else ''}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"written": written, "peak_rss_kb": peak_rss_kb()}), file=answer)


if __name__ == "__main__":
    main()
