"""One typing of a table's columns, whatever the frame came from: rows flattened from records
(the writers), a table read back from Parquet or CSV (compare), or a SQL view's result.

Dates are `datetime.date` (missing: NaT), counts nullable integers, measures nullable floats,
flags nullable booleans, and everything else text with "" for missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planx.schemas.table_columns import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    TEXT_COUNT_LIKE_COLUMNS,
)

__all__ = ["typed_frame"]


def _to_bool(value: object) -> object:
    """True/False from a bool or its text ("true", "False"); anything else is missing."""
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower(), pd.NA)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return pd.NA
    return bool(value)


def _typed_column(column: str, values: pd.Series) -> pd.Series:
    """One column in the type its name says."""
    if column in DATE_COLUMNS:
        return pd.to_datetime(values, errors="coerce").dt.date
    if column in INT_COLUMNS:
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if column in FLOAT_COLUMNS:
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    if column in BOOL_COLUMNS:
        return values.map(_to_bool).astype("boolean")
    if column.startswith(("reported_", "n_")) and column not in TEXT_COUNT_LIKE_COLUMNS:
        # A count this planx does not know (a newer run's): a number all the same.
        return pd.to_numeric(values, errors="coerce")
    return values.astype(object).where(values.notna(), "").astype(str)


def typed_frame(frame: pd.DataFrame, columns: Sequence[str] = ()) -> pd.DataFrame:
    """`frame` with `columns` first (added empty where missing), then any others, each typed."""
    order = list(dict.fromkeys([*columns, *frame.columns]))
    frame = frame.reindex(columns=order)
    return pd.DataFrame(
        {col: _typed_column(col, frame[col]) for col in order}, index=frame.index, columns=order
    )
