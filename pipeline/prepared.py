"""A plan made into what the run writes of it, where it was read.

A worker that has read a file turns its plan into what the tables take: each table's rows
as CSV text and as the sink process's messages (typed columns, pickled), the plans table's
row, and, for the cache, the result's entry. It sends that back instead of the plan, so the
run's process only writes bytes as they come and never rebuilds a plan's objects:
unpickling and flattening the plans was most of that process's work, which on two cores
took time from the workers, and each large plan left its heap more scattered (its memory
crept up with the number of files). A batch in one process does the same, in itself.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planx.pipeline.cache import entry_key, is_cacheable, result_to_json
from planx.pipeline.flatten import plan_tables, plan_to_plan_row
from planx.pipeline.outputs import check_formats
from planx.pipeline.process import FileResult, PlanSize, PreparedPlan, RunSettings
from planx.pipeline.sink_process import rows_message
from planx.pipeline.table_stream import csv_text, table_shape
from planx.schemas.records import Plan


@dataclass(frozen=True)
class Preparation:
    """What a run needs made of each plan (given to its workers with the unit of work)."""

    csv: bool = True  # each table's rows as CSV text
    sink: bool = True  # the sink process's messages (Parquet, workbook, database)
    cache_fingerprint: str | None = None  # the cache's run fingerprint; None: no entry
    keep_plan: bool = False  # the plan stays in the result as well (for run_extract's on_result)

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
    plan = result.plan if preparation.keep_plan else None
    return dataclasses.replace(result, plan=plan, prepared=prepared)


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
