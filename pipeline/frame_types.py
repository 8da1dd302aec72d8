"""One typing of a table's columns, whatever the table came from: rows flattened from records
(the run's writers, which type plain values, without pandas), a table read back from Parquet
or CSV (compare), or a SQL view's result.

Dates are `datetime.date` (missing: NaT in a frame, None in a row), counts nullable integers,
measures nullable floats, flags nullable booleans, and everything else text with "" for
missing. pandas is imported only by the frame functions: a run writes its tables from rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from planx.schemas.table_columns import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    TEXT_COUNT_LIKE_COLUMNS,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ColumnKind", "column_kind", "typed_frame", "value_typer"]

ColumnKind = Literal["date", "int", "float", "bool", "number", "text"]


def column_kind(column: str) -> ColumnKind:
    """The type a column's name says its values have."""
    if column in DATE_COLUMNS:
        return "date"
    if column in INT_COLUMNS:
        return "int"
    if column in FLOAT_COLUMNS:
        return "float"
    if column in BOOL_COLUMNS:
        return "bool"
    if column.startswith(("reported_", "n_")) and column not in TEXT_COUNT_LIKE_COLUMNS:
        # A count this planx does not know (a newer run's): a number all the same.
        return "number"
    return "text"


# ---------------------------------------------------------------- plain values (rows)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _as_text(value: object) -> str:
    if type(value) is str:  # nearly every value: no further test
        return value
    return "" if _is_missing(value) else str(value)


def _as_date(value: object) -> dt.date | None:
    """A date; a datetime's day; ISO text read; anything else missing."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def _as_float(value: object) -> float | None:
    if _is_missing(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _as_int(value: object) -> int | None:
    if isinstance(value, int):  # bools too, as 0 and 1
        return int(value)
    number = _as_float(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")  # as pandas refuses it
    return int(number)


def _as_bool(value: object) -> bool | None:
    """True/False from a bool or its text ("true", "False"); anything else is missing."""
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    if _is_missing(value):
        return None
    return bool(value)


def _as_number(value: object) -> int | float | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else _as_float(value)


_VALUE_TYPERS: dict[ColumnKind, Callable[[object], object]] = {
    "date": _as_date,
    "int": _as_int,
    "float": _as_float,
    "bool": _as_bool,
    "number": _as_number,
    "text": _as_text,
}


def value_typer(column: str) -> Callable[[object], object]:
    """The function that gives one plain value of `column` its type (as typed_frame does a
    column: dates as dates, counts as ints, text with "" for missing; missing values None)."""
    return _VALUE_TYPERS[column_kind(column)]


# ---------------------------------------------------------------- frames


def _to_bool(value: object) -> object:
    import pandas as pd

    typed = None if value is pd.NA else _as_bool(value)
    return pd.NA if typed is None else typed


def _typed_column(column: str, values: pd.Series) -> pd.Series:
    """One column in the type its name says."""
    import pandas as pd

    kind = column_kind(column)
    if kind == "date":
        return pd.to_datetime(values, errors="coerce").dt.date
    if kind == "int":
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind == "float":
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    if kind == "bool":
        return values.map(_to_bool).astype("boolean")
    if kind == "number":
        return pd.to_numeric(values, errors="coerce")
    return values.astype(object).where(values.notna(), "").astype(str)


def typed_frame(frame: pd.DataFrame, columns: Sequence[str] = ()) -> pd.DataFrame:
    """`frame` with `columns` first (added empty where missing), then any others, each typed."""
    import pandas as pd

    order = list(dict.fromkeys([*columns, *frame.columns]))
    frame = frame.reindex(columns=order)
    return pd.DataFrame(
        {col: _typed_column(col, frame[col]) for col in order}, index=frame.index, columns=order
    )
