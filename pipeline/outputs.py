"""What a run writes, and how a file is written safely: the tables in reading order, the
formats they can be written as, and a path renamed over its target only when complete.

Kept apart from the writers (sinks.py, table_stream.py) so that deciding what to write
does not import pandas: a run with nothing new to write never loads it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)

# Tables every run writes, in the order a person reads them.
CSV_ORDER = (
    "plans",
    "actions",
    "kpis",
    "errors",
    "files",
    "leads",
    "milestones",
    "themes",
    "glossary",
    "legends",
    "inspections",
    "recommendations",
    "tags",
)
OUTPUT_FORMATS = ("csv", "parquet", "duckdb", "xlsx")


def check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """The formats asked for ("csv,parquet" or a list), in the usual order; CSV or Parquet
    must be one of them (the check after a run, and `planx compare`, read them back)."""
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen = {f.strip().lower() for f in formats if f.strip()}
    unknown = chosen - set(OUTPUT_FORMATS)
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(OUTPUT_FORMATS)}"
        )
    if not chosen & {"csv", "parquet"}:
        raise ValueError("the outputs must include csv or parquet")
    return tuple(f for f in OUTPUT_FORMATS if f in chosen)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are for sharing
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
