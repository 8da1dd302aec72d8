"""A plan made into what the run writes of it, where it was read.

A worker that has read a file turns its plan into what the tables take: each table's rows
as CSV text and as the sink process's messages (typed columns, pickled), the plans table's
row, and, for the cache, the result's entry. It sends that back instead of the plan, so the
run's process only writes bytes as they come and never rebuilds a plan's objects:
unpickling and flattening the plans was most of that process's work, which on two cores
took time from the workers, and each large plan left its heap more scattered (its memory
crept up with the number of files). A batch in one process does the same, in itself.

A worker of the run's own pool writes those bytes into a file of the run's spool folder
and sends only where they are (SpooledRows): the run copies them from there into the
tables and the cache by the kernel, so its memory does not grow with the size of a plan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planx.pipeline.cache import ResultCache, entry_key, is_cacheable, result_to_json
from planx.pipeline.flatten import plan_tables, plan_to_plan_row
from planx.pipeline.outputs import check_formats
from planx.pipeline.process import FileResult, PlanSize, PreparedPlan, RunSettings, SpooledRows
from planx.pipeline.sink_process import rows_message
from planx.pipeline.table_stream import TableWriter, csv_text, table_shape
from planx.schemas.records import Plan


@dataclass(frozen=True)
class Preparation:
    """What a run needs made of each plan (given to its workers with the unit of work)."""

    csv: bool = True  # each table's rows as CSV text
    sink: bool = True  # the sink process's messages (Parquet, workbook, database)
    cache_fingerprint: str | None = None  # the cache's run fingerprint; None: no entry
    keep_plan: bool = False  # the plan stays in the result as well (for run_extract's on_result)
    spool_dir: str | None = None  # where the bytes go (SpooledRows); None: in the result

    @classmethod
    def for_formats(
        cls, formats: Sequence[str], cache_fingerprint: str | None = None, keep_plan: bool = False
    ) -> Preparation:
        formats = check_formats(formats)
        sink = any(f != "csv" for f in formats)
        return cls("csv" in formats, sink, cache_fingerprint, keep_plan)


def prepare_plan(plan: Plan, preparation: Preparation) -> PreparedPlan:
    """The plan's rows for every table, as CSV text and as the sink's messages."""
    texts: list[tuple[str, str]] = []
    messages = io.BytesIO()
    for name, rows in plan_tables(plan):  # a table's rows at a time
        shape = table_shape(name)
        columns = shape.typed_columns(rows)
        if preparation.csv:
            texts.append((name, csv_text(shape, columns)))
        if preparation.sink:
            messages.write(rows_message(name, columns))
        del rows, columns
    return PreparedPlan(
        PlanSize.of(plan), plan_to_plan_row(plan), tuple(texts), messages.getvalue()
    )


def prepare_result(result: FileResult, preparation: Preparation) -> FileResult:
    """The result with its plan made into rows (and, unless kept, the plan dropped)."""
    if result.plan is None:
        return result
    prepared = prepare_plan(result.plan, preparation)
    if preparation.cache_fingerprint is not None and is_cacheable(result):
        # The key the run files it under: the run caches a result only when the bytes
        # read are the bytes it hashed (the same sha256), so the keys agree.
        name = os.path.basename(result.path)  # as Task.name
        key = entry_key(preparation.cache_fingerprint, result.sha256, name)
        prepared = dataclasses.replace(prepared, cache_entry=result_to_json(result, key))
    if preparation.spool_dir is not None:
        prepared = spool(prepared, preparation.spool_dir)
    plan = result.plan if preparation.keep_plan else None
    return dataclasses.replace(result, plan=plan, prepared=prepared)


def spool(prepared: PreparedPlan, folder: str) -> PreparedPlan:
    """The prepared plan with its bytes in a new file in `folder` (SpooledRows)."""
    fd, path = tempfile.mkstemp(dir=folder, suffix=".rows")
    with open(fd, "wb") as fh:

        def put(data: bytes) -> tuple[int, int]:
            offset = fh.tell()
            fh.write(data)
            return offset, len(data)

        csv = tuple((name, *put(text.encode("utf-8"))) for name, text in prepared.csv_texts)
        sink = put(prepared.sink_messages)
        entry = prepared.cache_entry
        cache_entry = put(entry.encode("utf-8")) if entry is not None else None
    spooled = SpooledRows(path, csv, sink, cache_entry)
    return dataclasses.replace(
        prepared, csv_texts=(), sink_messages=b"", cache_entry=None, spooled=spooled
    )


def write_rows(prepared: PreparedPlan, writer: TableWriter) -> None:
    """The plan's rows onto the end of the tables, from the result or its spool file."""
    spooled = prepared.spooled
    if spooled is None:
        writer.add_encoded(prepared.csv_texts, prepared.sink_messages)
        return
    with open(spooled.path, "rb") as fh:
        writer.add_copied(fh.fileno(), spooled.csv, spooled.sink)


def put_cache_entry(prepared: PreparedPlan, cache: ResultCache, key: str) -> bool:
    """The cache entry the worker made, filed under `key`; False if it made none."""
    spooled = prepared.spooled
    if spooled is not None and spooled.cache_entry is not None:
        with open(spooled.path, "rb") as fh:
            cache.put_entry_copied(key, fh.fileno(), *spooled.cache_entry)
        return True
    if prepared.cache_entry is not None:
        cache.put_entry(key, prepared.cache_entry)
        return True
    return False


def drop_spooled(prepared: PreparedPlan) -> None:
    """Its spool file deleted (its rows are in the tables)."""
    if prepared.spooled is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(prepared.spooled.path)


def process_prepared(
    path: str | Path,
    settings: RunSettings,
    *,
    process: Callable[[str | Path, RunSettings], FileResult],
    preparation: Preparation,
) -> FileResult:
    """`process` (the run's unit of work), then its plan prepared: what a batch's workers run
    (a module-level function with its arguments bound, so it pickles)."""
    return prepare_result(process(path, settings), preparation)
