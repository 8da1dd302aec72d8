"""Write the tables: CSV and Parquet per table, one DuckDB database, one XLSX workbook.

Every file is written to a temporary name beside its target and renamed into
place, so a run killed halfway leaves the previous outputs whole. Text that a
spreadsheet would run as a formula (starting = + - @) is defused in CSV and
XLSX only; Parquet and DuckDB keep values exactly as read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planx.pipeline.outputs import CSV_ORDER, atomic_path
from planx.schemas.table_columns import DATE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

# pandas and duckdb are imported in the functions that need them: the run's own
# writer (table_stream.py) shares the workbook helpers here without loading pandas.

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DB_NAME = "plans.duckdb"
XLSX_NAME = "plans.xlsx"
# Left out of the workbook: one row per tagged span is for reviewers and dashboards (CSV,
# Parquet, DuckDB), and it is most of the rows, so most of the time spent writing XLSX.
XLSX_SKIP = frozenset({"tags"})
XLSX_HEAD_ROWS = 200  # rows a sheet's column widths are measured on


def defuse(value: object) -> object:
    """Make text safe to open in a spreadsheet: a leading ' stops it running as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(defuse)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        spreadsheet_safe(frame).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow")


def write_duckdb(
    frames: dict[str, pd.DataFrame], path: Path, views: dict[str, str] | None = None
) -> None:
    """One table per frame, plus the given views (name -> SELECT)."""
    import duckdb

    with atomic_path(path) as tmp:
        tmp.unlink()  # duckdb wants to create the file itself
        con = duckdb.connect(str(tmp))
        try:
            for name, frame in frames.items():
                con.register("_frame", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                con.unregister("_frame")
            for name, sql in (views or {}).items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
        finally:
            con.close()


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """A sheet per table: typed dates and numbers, frozen header row, filters on."""
    from planx.pipeline.workbook import Workbook

    book = Workbook()
    for name, frame in frames.items():
        columns = [str(col) for col in frame.columns]
        shown = [[str(v) for v in frame[col].head(XLSX_HEAD_ROWS)] for col in frame.columns]
        sheet = book.add_sheet(name, columns, sheet_widths(columns, shown))
        dates = [col in DATE_COLUMNS for col in frame.columns]
        rows = frame.itertuples(index=False, name=None)
        sheet.write_values(dates, [[_xlsx_value(v) for v in row] for row in rows])
    with atomic_path(path) as tmp:
        book.save(tmp)


def sheet_widths(columns: Iterable[str], shown: Iterable[Sequence[str]]) -> list[int]:
    """Each column's width: its longest value as text among the table's first rows (`shown`,
    a list per column), or its name if longer; at most 60."""
    return [
        min(60, max([len(str(col))] + [len(text) for text in texts[:XLSX_HEAD_ROWS]]) + 2)
        for col, texts in zip(columns, shown, strict=True)
    ]


def _xlsx_value(value: object) -> object:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        # a spreadsheet runs text starting with '=' as a formula; defuse all triggers.
        return defuse(value)
    return value


def write_tables(
    frames: dict[str, pd.DataFrame], outdir: Path, views: dict[str, str] | None = None
) -> list[Path]:
    """All sinks for one run; returns the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CSV_ORDER:
        frame = frames[name]
        write_csv(frame, outdir / f"{name}.csv")
        write_parquet(frame, outdir / f"{name}.parquet")
        written += [outdir / f"{name}.csv", outdir / f"{name}.parquet"]
    write_duckdb({n: frames[n] for n in CSV_ORDER}, outdir / DB_NAME, views)
    write_xlsx({n: frames[n] for n in CSV_ORDER if n not in XLSX_SKIP}, outdir / XLSX_NAME)
    return [*written, outdir / DB_NAME, outdir / XLSX_NAME]
