"""Tables written as rows arrive, so a batch never holds a whole table, nor every plan.

Each plan's rows are typed column by column as they come (frame_types.value_typer: the
typing compare gives the tables it reads back) and written to the CSV files at once. The
other formats are written by the sink process (sink_process.py, running BinaryTables): it
writes each table's rows to its sheet of the workbook as they come (workbook.py keeps each
sheet in a temporary file) and gathers them into chunks of `chunk_rows`, each a Parquet row
group; at the end it loads the DuckDB database from the finished Parquet files while it
zips the workbook. No pandas: the values go straight from the rows into the csv module,
Arrow arrays and the workbook, and the files are the ones pandas wrote from typed frames
(tests/test_streaming.py holds the two side by side).

Only the formats asked for are written, and a format's library is imported only then, in
the sink process.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from planx.pipeline.frame_types import ColumnKind, column_kind, value_typer
from planx.pipeline.outputs import (
    CSV_ORDER,
    OUTPUT_FORMATS,
    atomic_path,
    check_formats,
    copy_range,
)
from planx.pipeline.sink_process import DUCKDB_MEMORY_MB, SinkProcess
from planx.pipeline.sinks import (
    DB_NAME,
    FORMULA_TRIGGERS,
    XLSX_HEAD_ROWS,
    XLSX_NAME,
    XLSX_SKIP,
    sheet_widths,
)
from planx.schemas.table_columns import TABLE_COLUMNS

if TYPE_CHECKING:
    from concurrent.futures import Future

    from planx.pipeline.workbook import CellKind, Sheet

CHUNK_ROWS = 2000  # rows per table held (by the sink process) before they are written
SPILL_DIRNAME = ".parquet-for-duckdb"  # Parquet written only to load the database from

# How pandas described each kind of column in the Parquet files' metadata (pandas_type,
# numpy_type), which pandas reads them back by: kept, so the files stay as they were.
_PANDAS_TYPES: dict[ColumnKind, tuple[str, str]] = {
    "text": ("object", "str"),
    "int": ("int64", "Int64"),
    "float": ("float64", "Float64"),
    "bool": ("bool", "boolean"),
    "date": ("date", "object"),
}
# A missing value as the frames printed it, which the workbook's column widths count.
_MISSING_SHOWN: dict[ColumnKind, str] = {"date": "NaT", "int": "<NA>", "float": "<NA>"}
_MISSING_SHOWN["bool"] = "<NA>"


@dataclass(frozen=True)
class TableShape:
    """One table's columns, each with its kind and the function that types its values."""

    name: str
    columns: tuple[str, ...]
    kinds: tuple[ColumnKind, ...]
    typers: tuple[Callable[[object], object], ...]

    @classmethod
    def of(cls, name: str) -> TableShape:
        columns = tuple(TABLE_COLUMNS[name])
        kinds = tuple(column_kind(c) for c in columns)
        if "number" in kinds:  # a column planx does not know: TABLE_COLUMNS names them all
            raise ValueError(f"{name}: columns of unknown type {columns[kinds.index('number')]}")
        return cls(name, columns, kinds, tuple(value_typer(c) for c in columns))

    def typed_columns(self, rows: Sequence[dict]) -> list[list[Any]]:
        """The rows' values column by column, each typed (missing: None; text: "")."""
        out = []
        for column, kind, typer in zip(self.columns, self.kinds, self.typers, strict=True):
            values = [row.get(column) for row in rows]
            if kind == "text":  # nearly every value is text already: skip the call
                out.append([v if type(v) is str else typer(v) for v in values])
            else:
                out.append([typer(v) for v in values])
        return out


@cache
def table_shape(name: str) -> TableShape:
    """Table `name`'s shape, made once per process."""
    return TableShape.of(name)


@cache
def arrow_schema(name: str) -> Any:
    """Table `name`'s Parquet schema, the same for every chunk whatever values it holds, with
    the metadata pandas gave it (so pandas reads the columns back in their types)."""
    import pyarrow as pa

    shape = TableShape.of(name)
    types = {
        "text": pa.large_string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }
    fields = [pa.field(c, types[k]) for c, k in zip(shape.columns, shape.kinds, strict=True)]
    return pa.schema(fields, metadata={b"pandas": _pandas_metadata(shape, pa.__version__)})


def _pandas_metadata(shape: TableShape, pyarrow_version: str) -> bytes:
    """The JSON pyarrow writes for a frame of typed columns (pyarrow.pandas_compat), built
    without pandas; tests/test_streaming.py compares it with pyarrow's own."""
    from importlib.metadata import version

    columns = [
        {
            "name": c,
            "field_name": c,
            "pandas_type": _PANDAS_TYPES[k][0],
            "numpy_type": _PANDAS_TYPES[k][1],
            "metadata": None,
        }
        for c, k in zip(shape.columns, shape.kinds, strict=True)
    ]
    meta = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "attributes": {},
        "creator": {"library": "pyarrow", "version": pyarrow_version},
        "pandas_version": version("pandas"),
    }
    return json.dumps(meta).encode("utf8")


def arrow_array(kind: ColumnKind, arrow_type: Any, values: list[Any]) -> Any:
    """A typed column as an Arrow array, built from its buffers (Array.from_buffers).

    Not pa.array(values): converting Python objects, pyarrow first imports pandas to ask
    whether they are pandas objects (~0.5 s and ~50 MB for a run that never uses it)."""
    import pyarrow as pa

    if kind == "text":  # text is never missing: "" stands for no value
        joined = "".join(values)
        if joined.isascii():  # a character is a byte: the offsets are the texts' lengths
            lengths: Iterable[int] = map(len, values)
        else:
            lengths = (len(v.encode("utf-8")) for v in values)
        offsets = array("q", [0])
        offsets.extend(accumulate(lengths))
        buffers = [None, pa.py_buffer(offsets), pa.py_buffer(joined.encode("utf-8"))]
        return pa.Array.from_buffers(arrow_type, len(values), buffers, null_count=0)
    present = [v is not None for v in values]
    if kind == "bool":
        data: Any = _bitmap([v is True for v in values])
    elif kind == "date":
        data = array("i", [v.toordinal() - _EPOCH_DAY if v is not None else 0 for v in values])
    elif kind == "int":
        data = array("q", [v if v is not None else 0 for v in values])
    else:  # float
        data = array("d", [v if v is not None else 0.0 for v in values])
    null_count = present.count(False)
    validity = pa.py_buffer(_bitmap(present)) if null_count else None
    buffers = [validity, pa.py_buffer(data)]
    return pa.Array.from_buffers(arrow_type, len(values), buffers, null_count=null_count)


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()  # Arrow's dates count days from 1970-01-01


def _bitmap(bits: list[bool]) -> bytes:
    """Arrow's bitmap: bit i (least significant first) of the bytes is bits[i]."""
    text = "".join("1" if bit else "0" for bit in reversed(bits)) or "0"
    return int(text, 2).to_bytes((len(bits) + 7) // 8, "little")


# ---------------------------------------------------------------- values as each format shows them


def _defused(texts: list[str]) -> list[str]:
    """Text that a spreadsheet would take for a formula, behind a quote (as pandas' writer did)."""
    return ["'" + v if v.startswith(FORMULA_TRIGGERS) else v for v in texts]


def _csv_column(kind: ColumnKind, values: list[Any]) -> list[str]:
    """A typed column as pandas wrote it to CSV: text defused, missing values blank."""
    if kind == "text":
        return _defused(values)
    if kind == "date":
        return ["" if v is None else v.isoformat() for v in values]
    return ["" if v is None else str(v) for v in values]  # ints, floats (repr), True/False


def csv_text(shape: TableShape, columns: list[list[Any]]) -> str:
    """Typed rows as pandas' to_csv wrote them (the csv module's minimal quoting, "\n")."""
    out = io.StringIO()
    texts = [_csv_column(k, v) for k, v in zip(shape.kinds, columns, strict=True)]
    csv.writer(out, lineterminator="\n").writerows(zip(*texts, strict=True))
    return out.getvalue()


def _csv_line(values: Iterable[str]) -> str:
    """One line of CSV (a table's header), written as csv_text writes rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def _shown_column(kind: ColumnKind, values: list[Any]) -> list[str]:
    """A typed column's values as text, as the widths of the workbook's columns count them."""
    if kind == "text":
        return values
    missing = _MISSING_SHOWN[kind]
    return [missing if v is None else str(v) for v in values]


def _cell_kind(kind: ColumnKind) -> CellKind:
    """How a typed column is written to the workbook: flags as 0/1 numbers (as numpy's
    booleans were written), every other non-text, non-date kind as numbers."""
    return kind if kind in ("text", "date") else "number"


class _XlsxStream:
    """The workbook, a sheet per table; a sheet starts once its first rows are known (its
    column widths are measured on them)."""

    def __init__(self, names: Iterable[str]):
        from planx.pipeline.workbook import Workbook

        self.workbook = Workbook()
        self.names = list(names)
        self.sheets: dict[str, Sheet] = {}
        self.head: dict[str, list[list[Any]]] = {}  # a sheet not started: its first columns

    def append(self, shape: TableShape, columns: list[list[Any]]) -> None:
        if shape.name in self.sheets:
            self._write(shape, columns)
            return
        head = self.head.setdefault(shape.name, [[] for _ in shape.columns])
        for held, more in zip(head, columns, strict=True):
            held += more
        if len(head[0]) >= XLSX_HEAD_ROWS:
            self._start(shape)

    def _start(self, shape: TableShape) -> None:
        """Widths from the first rows (as a whole-table write measures them), then those rows."""
        head = self.head.pop(shape.name, None) or [[] for _ in shape.columns]
        shown = [_shown_column(k, v) for k, v in zip(shape.kinds, head, strict=True)]
        widths = sheet_widths(shape.columns, shown)
        self.sheets[shape.name] = self.workbook.add_sheet(shape.name, shape.columns, widths)
        self._write(shape, head)

    def _write(self, shape: TableShape, columns: list[list[Any]]) -> None:
        kinds = [_cell_kind(k) for k in shape.kinds]
        texts = [
            _defused(values) if kind == "text" else values
            for kind, values in zip(shape.kinds, columns, strict=True)
        ]
        self.sheets[shape.name].write_columns(kinds, texts)

    def save(self, path: Path) -> None:
        # Sheets in the tables' order, those that never had a row with their header only.
        for name in self.names:
            if name not in self.sheets:
                self._start(TableShape.of(name))
        self.workbook.sheets.sort(key=lambda sheet: self.names.index(sheet.name))
        with atomic_path(path) as tmp:
            self.workbook.save(tmp)


class BinaryTables:
    """The tables' Parquet files, workbook and database, chunk by chunk (in the sink
    process: see sink_process.py). Rows come typed, a list per column."""

    def __init__(self, outdir: Path, formats: Iterable[str], chunk_rows: int):
        self.outdir = outdir
        self.formats = tuple(f for f in OUTPUT_FORMATS if f in set(formats))  # no "csv"
        self.chunk_rows = chunk_rows
        self._shapes = {name: table_shape(name) for name in CSV_ORDER}
        self._held: dict[str, list[list[Any]]] = {}  # table -> typed columns not written yet
        self._parquet: dict[str, Any] = {}  # name -> pyarrow.parquet.ParquetWriter
        self._xlsx: _XlsxStream | None = None

    def add(self, name: str, columns: list[list[Any]]) -> None:
        """Rows for the end of table `name`: into its sheet at once, into its Parquet file
        `chunk_rows` or more at a time (a row group). The sheet is not held back with them:
        what is held is written when the run's last file has come, while nothing else runs."""
        self._to_sheet(name, columns)
        if not self._writes_parquet:
            return
        held = self._held.setdefault(name, [[] for _ in columns])
        for column, more in zip(held, columns, strict=True):
            column += more
        if len(held[0]) >= self.chunk_rows:
            self._to_parquet(name, self._take_held(name))

    def _take_held(self, name: str) -> list[list[Any]]:
        return self._held.pop(name, None) or [[] for _ in self._shapes[name].columns]

    @property
    def _writes_parquet(self) -> bool:
        """Parquet files are written for themselves or to load the database from."""
        return "parquet" in self.formats or "duckdb" in self.formats

    def _to_parquet(self, name: str, columns: list[list[Any]]) -> None:
        if self._writes_parquet:
            self._write_parquet(self._shapes[name], columns)

    def _to_sheet(self, name: str, columns: list[list[Any]]) -> None:
        if "xlsx" in self.formats and name not in XLSX_SKIP:
            if self._xlsx is None:
                self._xlsx = _XlsxStream(n for n in CSV_ORDER if n not in XLSX_SKIP)
            self._xlsx.append(self._shapes[name], columns)

    def parquet_path(self, name: str) -> Path:
        if "parquet" in self.formats:
            return self.outdir / f"{name}.parquet"
        return self.outdir / SPILL_DIRNAME / f"{name}.parquet"

    def _write_parquet(self, shape: TableShape, columns: list[list[Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(shape.name)
        writer = self._parquet.get(shape.name)
        if writer is None:
            path = self.parquet_path(shape.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(part_path(path), schema)
            self._parquet[shape.name] = writer
        arrays = [
            arrow_array(kind, field.type, values)
            for kind, field, values in zip(shape.kinds, schema, columns, strict=True)
        ]
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))

    def close(self) -> list[Path]:
        """Write what is held, finish every file: the Parquet files (if asked for), the
        database (loaded while the workbook is written), the workbook."""
        # The rows still held go to Parquet (an empty table still gets its columns), then
        # the database loads while the workbook is zipped.
        for name in CSV_ORDER:
            if (self._held.get(name) and self._held[name][0]) or name not in self._parquet:
                self._to_parquet(name, self._take_held(name))
        written: list[Path] = []
        for name in CSV_ORDER:
            if name in self._parquet:
                self._parquet.pop(name).close()
                path = finish_part(self.parquet_path(name))
                if "parquet" in self.formats:
                    written.append(path)
        database = self._start_database() if "duckdb" in self.formats else None
        if self._xlsx is not None:
            self._xlsx.save(self.outdir / XLSX_NAME)
        if database is not None:
            written.append(database.result())
            shutil.rmtree(self.outdir / SPILL_DIRNAME, ignore_errors=True)
        if self._xlsx is not None:
            written.append(self.outdir / XLSX_NAME)
        return written

    def _start_database(self) -> Future[Path]:
        """The database loaded from the Parquet files on a thread of its own (DuckDB lets go
        of the GIL while it works), while this one writes the workbook."""
        from concurrent.futures import Future

        from planx.pipeline.sink_process import load_database

        sources = {name: self.parquet_path(name) for name in CSV_ORDER}
        path = self.outdir / DB_NAME
        future: Future[Path] = Future()

        def load() -> None:
            try:
                load_database(path, sources, DUCKDB_MEMORY_MB)
                future.set_result(path)
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
                future.set_exception(exc)

        threading.Thread(target=load, name="planx-duckdb", daemon=True).start()
        return future

    def abort(self) -> None:
        """Close what is open after a failure (the staging folder is thrown away)."""
        for writer in self._parquet.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - a half-written file is being dropped anyway
                pass


def part_path(path: Path) -> Path:
    """Where a file is written until it is whole (renamed into place by finish_part)."""
    return path.parent / f".{path.name}.part"


def finish_part(path: Path) -> Path:
    part_path(path).replace(path)
    return path


class TableWriter:
    """Every table of a run into `outdir`, in the formats asked for: CSV here, as rows come;
    Parquet, the workbook and the database by the sink process (sink_process.py), which
    imports their libraries while this process reads the files, and whose memory (chunks,
    Parquet footers, DuckDB) is not this process's."""

    def __init__(
        self,
        outdir: Path,
        formats: Iterable[str] = OUTPUT_FORMATS,
        chunk_rows: int | None = None,  # None: CHUNK_ROWS
    ):
        self.outdir = outdir
        self.formats = check_formats(formats)
        self._shapes = {name: table_shape(name) for name in CSV_ORDER}
        self._csv: dict[str, IO[bytes]] = {}  # name -> its file (UTF-8)
        outdir.mkdir(parents=True, exist_ok=True)
        binary = [f for f in self.formats if f != "csv"]
        self._sink = SinkProcess(outdir, binary, chunk_rows or CHUNK_ROWS) if binary else None
        self.sink_peak_rss_mb = 0.0  # the sink process's peak memory, once closed

    def add_rows(self, name: str, rows: list[dict]) -> None:
        """Rows for the end of table `name`: typed, written to CSV and sent to the sink."""
        shape = self._shapes[name]
        columns = shape.typed_columns(rows)
        if "csv" in self.formats:
            self._write_csv(shape, columns)
        if self._sink is not None:
            self._sink.add(name, columns)

    def add_encoded(self, csv_texts: Iterable[tuple[str, str]], sink_messages: bytes) -> None:
        """Rows made ready elsewhere (e.g. by the worker that read the plan: see
        pipeline/prepared.py): (table, CSV text) pairs and the sink's messages."""
        if "csv" in self.formats:
            for name, text in csv_texts:
                self._csv_file(name).write(text.encode("utf-8"))
        if self._sink is not None:
            self._sink.send_encoded(sink_messages)

    def add_copied(
        self, src_fd: int, csv_ranges: Iterable[tuple[str, int, int]], sink_range: tuple[int, int]
    ) -> None:
        """Rows made ready elsewhere and left in an open file (pipeline/prepared.py's
        SpooledRows): (table, offset, length) of each table's CSV text, and (offset, length)
        of the sink's messages, copied by the kernel."""
        if "csv" in self.formats:
            for name, offset, length in csv_ranges:
                fh = self._csv_file(name)
                fh.flush()
                copy_range(src_fd, offset, length, fh.fileno())
        if self._sink is not None:
            self._sink.send_copied(src_fd, *sink_range)

    def _csv_file(self, name: str) -> IO[bytes]:
        if name not in self._csv:
            path = part_path(self.outdir / f"{name}.csv")
            self._csv[name] = fh = open(path, "wb")
            fh.write(_csv_line(self._shapes[name].columns).encode("utf-8"))
        return self._csv[name]

    def _write_csv(self, shape: TableShape, columns: list[list[Any]]) -> None:
        self._csv_file(shape.name).write(csv_text(shape, columns).encode("utf-8"))

    def close(self) -> list[Path]:
        """Finish every file; the files written, in the usual order."""
        binary: list[Path] = []
        if self._sink is not None:
            binary = self._sink.close()
            self.sink_peak_rss_mb = self._sink.peak_rss_mb
        self._sink = None
        csv_files: list[Path] = []
        if "csv" in self.formats:
            for name in CSV_ORDER:
                if name not in self._csv:  # an empty table still gets its header
                    self._write_csv(self._shapes[name], [[] for _ in self._shapes[name].columns])
                self._csv.pop(name).close()
                csv_files.append(self._finish(self.outdir / f"{name}.csv"))
        return _in_usual_order([*csv_files, *binary])

    def _finish(self, path: Path) -> Path:
        return finish_part(path)

    def sink_running(self) -> bool:
        """Whether the sink process is still there (until close or abort)."""
        return self._sink is not None and self._sink.running()

    def abort(self) -> None:
        """Close what is open after a failure (the staging folder is thrown away)."""
        for fh in self._csv.values():
            fh.close()
        if self._sink is not None:
            self._sink.stop()
            self._sink = None


def _in_usual_order(paths: list[Path]) -> list[Path]:
    """Each table's CSV then Parquet file in CSV_ORDER, then the database, then the workbook."""
    rank = {
        f"{name}.{ext}": 2 * i + j
        for i, name in enumerate(CSV_ORDER)
        for j, ext in enumerate(("csv", "parquet"))
    }
    rank |= {DB_NAME: len(rank), XLSX_NAME: len(rank) + 1}
    return sorted(paths, key=lambda p: rank[p.name])
