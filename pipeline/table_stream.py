"""Tables written as rows arrive, so a batch never holds a whole table, nor every plan.

Rows are gathered per table up to `chunk_rows`, then typed as one frame and appended to
that table's CSV and Parquet files and to its sheet of the workbook (openpyxl's write-only
mode keeps each sheet in a temporary file). The DuckDB database is loaded from the finished
Parquet files, inside DuckDB. The bytes of each CSV are the same as writing the whole table
at once (sinks.write_csv); the Parquet files hold the same values and types in row groups.

Only the formats asked for are written, and a format's library is imported only then.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd

from planx.pipeline.flatten import rows_to_frame
from planx.pipeline.outputs import CSV_ORDER, OUTPUT_FORMATS, atomic_path, check_formats
from planx.pipeline.sinks import (
    DB_NAME,
    XLSX_NAME,
    XLSX_SKIP,
    append_xlsx_rows,
    set_xlsx_filter,
    spreadsheet_safe,
    start_sheet,
)
from planx.schemas.table_columns import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    TABLE_COLUMNS,
)

CHUNK_ROWS = 2000  # rows per table held before they are written (a few MB at most)
XLSX_HEAD_ROWS = 200  # rows a sheet's column widths are measured on (as sinks.write_xlsx)
# DuckDB's memory while it loads the tables (see _load_duckdb). 16 MB failed to commit the
# tables of 500 plans; past this bound the load is done again with DuckDB's own limit.
DUCKDB_MEMORY_MB = 128
SPILL_DIRNAME = ".parquet-for-duckdb"  # Parquet written only to load the database from


def arrow_schema(name: str) -> Any:
    """Table `name`'s Parquet schema, the same for every chunk whatever values it holds: that
    of a typed frame of one row with a value of each column's type."""
    import pyarrow as pa

    sample: dict[str, object] = {}
    for column in TABLE_COLUMNS[name]:
        if column in DATE_COLUMNS:
            sample[column] = dt.date(2000, 1, 1)
        elif column in BOOL_COLUMNS:
            sample[column] = True
        elif column in INT_COLUMNS or column in FLOAT_COLUMNS:
            sample[column] = 0
        else:
            sample[column] = "text"
    return pa.Schema.from_pandas(rows_to_frame(name, [sample]), preserve_index=False)


def _dates_as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as dates or None: a column with no date at all comes out of the typing
    as a timestamp column of NaT, which Parquet's date type does not take."""
    for column in frame.columns:
        if column in DATE_COLUMNS and frame[column].dtype != object:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


class _XlsxStream:
    """The workbook, a sheet per table; a sheet starts once its first rows are known."""

    def __init__(self, names: Iterable[str]):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheets = {name: self.workbook.create_sheet(title=name[:31]) for name in names}
        self.head: dict[str, list[pd.DataFrame]] = {name: [] for name in self.sheets}
        self.started: set[str] = set()
        self.rows = dict.fromkeys(self.sheets, 0)
        self.columns = dict.fromkeys(self.sheets, 0)

    def append(self, name: str, frame: pd.DataFrame) -> None:
        self.rows[name] += len(frame)
        self.columns[name] = frame.shape[1]
        if name in self.started:
            append_xlsx_rows(self.sheets[name], frame)
            return
        self.head[name].append(frame)
        if sum(len(f) for f in self.head[name]) >= XLSX_HEAD_ROWS:
            self._start(name)

    def _start(self, name: str) -> None:
        """Widths from the first rows (as a whole-table write measures them), then those rows."""
        head = pd.concat(self.head.pop(name), ignore_index=True)
        start_sheet(self.sheets[name], head)
        append_xlsx_rows(self.sheets[name], head)
        self.started.add(name)

    def save(self, path: Path) -> None:
        for name in list(self.head):
            self._start(name)
        for name, ws in self.sheets.items():
            set_xlsx_filter(ws, self.columns[name], self.rows[name])
        with atomic_path(path) as tmp:
            self.workbook.save(tmp)


class TableWriter:
    """Every table of a run into `outdir`, chunk by chunk, in the formats asked for."""

    def __init__(
        self,
        outdir: Path,
        formats: Iterable[str] = OUTPUT_FORMATS,
        chunk_rows: int | None = None,  # None: CHUNK_ROWS
    ):
        self.outdir = outdir
        self.formats = check_formats(formats)
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self._rows: dict[str, list[dict]] = {name: [] for name in CSV_ORDER}
        self._csv: dict[str, IO[str]] = {}
        self._parquet: dict[str, Any] = {}  # name -> pyarrow.parquet.ParquetWriter
        self._xlsx: _XlsxStream | None = None
        outdir.mkdir(parents=True, exist_ok=True)

    def add_rows(self, name: str, rows: list[dict]) -> None:
        """Rows for the end of table `name`, written once enough have gathered."""
        held = self._rows[name]
        held += rows
        if len(held) >= self.chunk_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        frame = rows_to_frame(name, self._rows[name])
        self._rows[name] = []
        self._write(name, frame)

    def _write(self, name: str, frame: pd.DataFrame) -> None:
        if "csv" in self.formats:
            self._write_csv(name, frame)
        if "parquet" in self.formats or "duckdb" in self.formats:
            self._write_parquet(name, frame)
        if "xlsx" in self.formats and name not in XLSX_SKIP:
            if self._xlsx is None:
                self._xlsx = _XlsxStream(n for n in CSV_ORDER if n not in XLSX_SKIP)
            self._xlsx.append(name, frame)

    def _write_csv(self, name: str, frame: pd.DataFrame) -> None:
        first = name not in self._csv
        if first:
            self._csv[name] = open(self._part(f"{name}.csv"), "w", encoding="utf-8", newline="")
        spreadsheet_safe(frame).to_csv(
            self._csv[name], index=False, header=first, lineterminator="\n"
        )

    def _parquet_path(self, name: str) -> Path:
        if "parquet" in self.formats:
            return self.outdir / f"{name}.parquet"
        return self.outdir / SPILL_DIRNAME / f"{name}.parquet"

    def _write_parquet(self, name: str, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = self._parquet.get(name)
        if writer is None:
            path = self._parquet_path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(self._part(path.name, path.parent), arrow_schema(name))
            self._parquet[name] = writer
        table = pa.Table.from_pandas(
            _dates_as_dates(frame.copy()), schema=writer.schema, preserve_index=False
        )
        writer.write_table(table)

    def _part(self, name: str, folder: Path | None = None) -> Path:
        """Where a file is written until it is whole (renamed into place by close())."""
        return (folder or self.outdir) / f".{name}.part"

    def close(self) -> list[Path]:
        """Write what is held, finish every file; the files written, in the usual order."""
        for name in CSV_ORDER:
            if self._rows[name] or not self._started(name):
                self._flush(name)  # an empty table still gets its header and columns
        written: list[Path] = []
        for name in CSV_ORDER:
            if "csv" in self.formats:
                self._csv.pop(name).close()
                written.append(self._finish(self.outdir / f"{name}.csv"))
            if name in self._parquet:
                self._parquet.pop(name).close()
                path = self._finish(self._parquet_path(name))
                if "parquet" in self.formats:
                    written.append(path)
        if "duckdb" in self.formats:
            written.append(self._load_duckdb())
        if self._xlsx is not None:
            self._xlsx.save(self.outdir / XLSX_NAME)
            written.append(self.outdir / XLSX_NAME)
        return written

    def _started(self, name: str) -> bool:
        return name in self._csv or name in self._parquet

    def _finish(self, path: Path) -> Path:
        self._part(path.name, path.parent).replace(path)
        return path

    def _load_duckdb(self) -> Path:
        """The database, each table read from its Parquet file by DuckDB itself."""
        import duckdb

        try:
            path = self._load_duckdb_within(DUCKDB_MEMORY_MB)
        except duckdb.Error as exc:
            # A batch whose tables need more than the bound to commit: load again with
            # DuckDB's own limit (most of the RAM) rather than fail the run.
            if "memory" not in str(exc).lower():
                raise
            path = self._load_duckdb_within(None)
        shutil.rmtree(self.outdir / SPILL_DIRNAME, ignore_errors=True)
        return path

    def _load_duckdb_within(self, memory_mb: int | None) -> Path:
        """The database loaded with DuckDB's memory bounded to `memory_mb` (None: its own)."""
        import duckdb

        path = self.outdir / DB_NAME
        with atomic_path(path) as tmp:
            tmp.unlink()  # duckdb wants to create the file itself
            con = duckdb.connect(str(tmp))
            try:
                # DuckDB holds a table's pages in memory until the end unless told not to:
                # a bound makes it write them to the file as it goes, so loading 500
                # files' tables takes little more memory than loading 50 files'.
                if memory_mb is not None:
                    con.execute(f"SET memory_limit = '{memory_mb}MB'")
                con.execute("SET threads = 1")
                for name in CSV_ORDER:
                    source = str(self._parquet_path(name)).replace("'", "''")
                    con.execute(
                        f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{source}')"
                    )
            finally:
                con.close()
        return path

    def abort(self) -> None:
        """Close what is open after a failure (the staging folder is thrown away)."""
        for fh in self._csv.values():
            fh.close()
        for writer in self._parquet.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - a half-written file is being dropped anyway
                pass
