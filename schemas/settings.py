"""One way to resolve settings: every settings dataclass in planx (extract, run, batch, NLP,
KPI matching, recommendation links, compare) is built from None, a mapping or an instance
by `resolve_settings`.

A mapping's names are checked (an unknown one is an error naming it); a field whose type is
itself a settings dataclass is resolved the same way, starting from the field's default (so
`{"kpi": {"min_score": 90}}` changes one value of the default KPI settings); a date given as
ISO text ("2019-03-31") and a path given as text are read as such. Each dataclass checks its
own values in `__post_init__`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["resolve_settings"]

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The dataclass's field types, resolved from their annotations."""
    return typing.get_type_hints(cls)


def _types_of(hint: Any) -> tuple[Any, ...]:
    """The types a hint allows (`int | None` -> (int, NoneType))."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _default(field: dataclasses.Field) -> Any:
    """A field's default value (its factory's, where it has one)."""
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def _field_value(cls: type, field: dataclasses.Field, value: Any, what: str) -> Any:
    """A mapping's value for one field, in the field's type where it can be read as one."""
    allowed = _types_of(_hints(cls)[field.name])
    nested = [t for t in allowed if dataclasses.is_dataclass(t) and isinstance(t, type)]
    if nested and isinstance(value, Mapping):
        base = _default(field)
        start = base if isinstance(base, nested[0]) else None
        return resolve_settings(nested[0], value, f"{what}.{field.name}", start=start)
    if nested and value is None and field.default is dataclasses.MISSING:
        return _default(field)  # None for a nested setting: its default
    if isinstance(value, str) and dt.date in allowed:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{what} setting '{field.name}' must be a date (YYYY-MM-DD), not {value!r}"
            ) from None
    if isinstance(value, dt.datetime) and dt.date in allowed:
        return value.date()
    if isinstance(value, str) and Path in allowed:
        return Path(value)
    return value


def resolve_settings(
    cls: type[T], settings: T | Mapping[str, Any] | None, what: str, start: T | None = None
) -> T:
    """A settings dataclass from None (its defaults, or `start`), a mapping (names checked;
    unnamed values from `start`, else the defaults) or an instance."""
    if settings is None:
        return start if start is not None else cls()
    if isinstance(settings, cls):
        return settings
    if not isinstance(settings, Mapping):
        raise TypeError(
            f"{what} settings must be None, a mapping or {cls.__name__}, "
            f"not {type(settings).__name__}"
        )
    by_name = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(settings) - set(by_name)
    if unknown:
        raise ValueError(f"Unknown {what} setting(s): {', '.join(sorted(unknown))}")
    values = {n: _field_value(cls, by_name[n], v, what) for n, v in settings.items()}
    if start is not None:
        return dataclasses.replace(start, **values)  # type: ignore[type-var]
    return cls(**values)
