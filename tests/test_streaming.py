"""Tables written as results arrive: rows in one order whatever order files finish in,
chunked writes the same as whole-table writes, only the formats asked for, one file
in this process."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planx.pipeline import batch as batch_mod
from planx.pipeline import cache as cache_mod
from planx.pipeline import sink_process
from planx.pipeline.batch import BatchSettings, output_order, results_in_order, run_extract
from planx.pipeline.executors import RunStats, Task, run_guarded
from planx.pipeline.flatten import records_to_frames, records_to_rows, rows_to_frame
from planx.pipeline.frame_types import column_kind, typed_frame
from planx.pipeline.outputs import CSV_ORDER, check_formats
from planx.pipeline.process import FileResult, process_file
from planx.pipeline.sinks import write_tables
from planx.pipeline.table_stream import SPILL_DIRNAME, TableWriter, arrow_schema
from planx.schemas.table_columns import TABLE_COLUMNS
from tests.test_batch import write_plans


@pytest.fixture(autouse=True)
def fixed_code_fingerprint(monkeypatch):
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "tests")


def _result(index: int) -> FileResult:
    return FileResult(path=f"f{index}.txt", source=f"f{index}.txt", sha256=f"{index:064x}")


def test_results_come_in_order_whatever_order_they_finish_in():
    order = [Task(index=i, path=f"f{i}.txt") for i in range(5)]
    finished = iter([(order[i], _result(i)) for i in (3, 0, 4, 2)])  # 1 is cached
    loaded, arrived = [], []

    def load_cached(task):
        loaded.append(task.index)
        return _result(task.index)

    got = results_in_order(order, {1}, finished, load_cached, lambda t, r: arrived.append(t.index))
    assert [task.index for task, _ in got] == [0, 1, 2, 3, 4]
    assert [r for r in arrived] == [3, 0, 4, 2]  # each heard of as it finished
    assert loaded == [1]


def test_a_cached_result_is_read_only_when_its_turn_comes():
    order = [Task(index=i, path=f"f{i}.txt") for i in range(3)]
    events = []

    def finished():
        for i in (0, 2):
            events.append(f"finished {i}")
            yield order[i], _result(i)

    def load_cached(task):
        events.append(f"cache {task.index}")
        return _result(task.index)

    for task, _ in results_in_order(order, {1}, finished(), load_cached, lambda t, r: None):
        events.append(f"wrote {task.index}")
    assert events == [
        "finished 0",
        "wrote 0",
        "cache 1",
        "wrote 1",
        "finished 2",
        "wrote 2",
    ]


def test_tasks_are_ordered_as_the_rows_of_the_tables():
    tasks = [
        Task(index=0, path="b/plan.txt", sha256="f" * 64),
        Task(index=1, path="a/plan.txt", sha256="0" * 64),
        Task(index=2, path="a/alpha.txt", sha256="9" * 64),
    ]
    assert [t.index for t in output_order(tasks)] == [2, 1, 0]


class _BackwardsRunner:
    """Runs every file in this process and hands the results back last first."""

    def __init__(self):
        self.stats = RunStats()

    def run(self, fn, settings, tasks):
        done = [(task, run_guarded(fn, task, settings, None)) for task in tasks]
        yield from reversed(done)


def _table_bytes(out):
    return {name: (out / f"{name}.csv").read_bytes() for name in CSV_ORDER}


def test_rows_are_in_the_same_order_when_files_finish_out_of_order(tmp_path, monkeypatch):
    write_plans(tmp_path / "in", 6)
    run_extract([tmp_path / "in"], tmp_path / "inline", batch={"workers": 1, "cache": False})
    monkeypatch.setattr(batch_mod, "_runner", lambda batch, n_files: _BackwardsRunner())
    run_extract([tmp_path / "in"], tmp_path / "backwards", batch={"workers": 2, "cache": False})
    assert _table_bytes(tmp_path / "backwards") == _table_bytes(tmp_path / "inline")
    actions = pd.read_csv(tmp_path / "backwards" / "actions.csv")
    assert list(dict.fromkeys(actions["source"])) == [f"plan_{i:02d}.txt" for i in range(6)]


def test_chunked_tables_are_the_same_as_whole_tables(tmp_path):
    paths = write_plans(tmp_path / "in", 4)
    plans = [process_file(p).plan for p in paths]
    write_tables(records_to_frames(plans, []), tmp_path / "whole")  # pandas, whole tables
    writer = TableWriter(tmp_path / "chunked", chunk_rows=1)  # a write per row
    for name, rows in records_to_rows(plans, []).items():
        for row in rows:
            writer.add_rows(name, [row])
    writer.close()
    for name in CSV_ORDER:
        whole, chunked = tmp_path / "whole", tmp_path / "chunked"
        assert (chunked / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes()
        # Read back as compare reads them: a whole-table write stores a date column with no
        # date at all as timestamps, a chunked write always as dates.
        pd.testing.assert_frame_equal(
            typed_frame(pd.read_parquet(chunked / f"{name}.parquet"), TABLE_COLUMNS[name]),
            typed_frame(pd.read_parquet(whole / f"{name}.parquet"), TABLE_COLUMNS[name]),
        )
    assert len(pd.read_parquet(tmp_path / "chunked" / "actions.parquet")) == 2 + 3 + 4 + 2
    whole_xlsx = zipfile.ZipFile(tmp_path / "whole" / "plans.xlsx")
    chunked_xlsx = zipfile.ZipFile(tmp_path / "chunked" / "plans.xlsx")
    sheets = [n for n in whole_xlsx.namelist() if n.startswith("xl/worksheets/")]
    assert len(sheets) == len(CSV_ORDER) - 1  # every table but the tags
    for sheet in sheets:
        assert chunked_xlsx.read(sheet) == whole_xlsx.read(sheet), sheet


def test_the_parquet_schemas_are_those_pandas_gave_the_typed_frames():
    """Written without pandas, the Parquet files still carry pandas' description of their
    columns, so pandas reads them back in their types (Int64, boolean, dates)."""
    import pyarrow as pa

    for name in CSV_ORDER:
        row: dict[str, object] = {}
        for column in TABLE_COLUMNS[name]:
            kind = column_kind(column)
            row[column] = {"date": dt.date(2000, 1, 1), "bool": True}.get(kind, "text")
            if kind in ("int", "float"):
                row[column] = 1
        from_pandas = pa.Schema.from_pandas(rows_to_frame(name, [row]), preserve_index=False)
        assert arrow_schema(name).equals(from_pandas, check_metadata=True), name
        assert arrow_schema(name).metadata == from_pandas.metadata


def test_no_file_is_written_for_a_format_not_asked_for(tmp_path):
    write_plans(tmp_path / "in", 2)
    out = tmp_path / "out"
    summary = run_extract([tmp_path / "in"], out, batch={"workers": 1, "formats": ("csv",)})
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert names == {f"{name}.csv" for name in CSV_ORDER}
    assert {p.name for p in summary.written} == names
    assert not (out / SPILL_DIRNAME).exists()


def test_the_database_alone_leaves_no_parquet_behind(tmp_path):
    write_plans(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_extract([tmp_path / "in"], out, batch={"workers": 1, "formats": "csv,duckdb"})
    assert (out / "plans.duckdb").exists()
    assert not list(out.rglob("*.parquet")) and not (out / "plans.xlsx").exists()
    import duckdb

    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM actions").fetchone() == (2 + 3,)
    finally:
        con.close()


def test_the_database_is_loaded_when_the_memory_bound_is_too_small(tmp_path):
    """A bound DuckDB cannot load the tables within (a big batch) costs memory, not the run."""
    import duckdb

    plans = [process_file(p).plan for p in write_plans(tmp_path / "in", 3)]
    rows = records_to_rows(plans, [])
    writer = TableWriter(tmp_path / "tables", formats=("parquet",))
    for name in CSV_ORDER:
        writer.add_rows(name, rows[name])
    writer.close()
    sources = {name: tmp_path / "tables" / f"{name}.parquet" for name in CSV_ORDER}
    db = tmp_path / "plans.duckdb"
    with pytest.raises(duckdb.Error, match="(?i)memory"):
        sink_process._load_within(db, sources, 1)  # 1 MB: too little for these tables
    sink_process.load_database(db, sources, 1)  # ... so loaded again with DuckDB's own limit
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM actions").fetchone() == (len(rows["actions"]),)
        assert con.execute("SELECT count(*) FROM tags").fetchone() == (len(rows["tags"]),)
    finally:
        con.close()


def test_a_sink_process_that_fails_fails_the_write_with_the_reason(tmp_path):
    rows = records_to_rows([process_file(p).plan for p in write_plans(tmp_path / "in", 1)], [])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / SPILL_DIRNAME).write_text("a file where the Parquet folder goes")
    writer = TableWriter(tmp_path / "out", formats=("csv", "duckdb"))
    for name in CSV_ORDER:
        writer.add_rows(name, rows[name])
    with pytest.raises(RuntimeError, match="could not write the tables: FileExistsError"):
        writer.close()
    assert not writer.sink_running()


def test_the_sink_process_ends_when_the_write_is_abandoned(tmp_path):
    writer = TableWriter(tmp_path / "out", formats=("csv", "duckdb"))
    assert writer.sink_running()
    writer.abort()
    assert not writer.sink_running()


def test_a_format_dropped_on_a_rerun_is_removed(tmp_path):
    write_plans(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_extract([tmp_path / "in"], out, batch={"workers": 1})
    assert (out / "plans.xlsx").exists() and (out / "plans.duckdb").exists()
    summary = run_extract([tmp_path / "in"], out, batch={"workers": 1, "formats": "parquet"})
    assert not summary.outputs_unchanged  # other formats: written again
    assert not (out / "plans.xlsx").exists() and not (out / "plans.duckdb").exists()
    assert not (out / "actions.csv").exists() and (out / "actions.parquet").exists()


def test_formats_are_checked():
    assert check_formats("xlsx, CSV") == ("csv", "xlsx")
    with pytest.raises(ValueError, match="unknown output format"):
        BatchSettings(formats=("csv", "pdf"))
    with pytest.raises(ValueError, match="csv or parquet"):
        BatchSettings(formats=("duckdb", "xlsx"))


def test_one_file_runs_in_this_process(tmp_path):
    (path,) = write_plans(tmp_path / "in", 1)
    summary = run_extract([path], tmp_path / "out", batch={"workers": 2, "cache": False})
    assert summary.stats.workers_started == 0
    assert summary.n_plans == 1 and summary.n_actions == 2


def test_plan_rows_count_the_warnings_of_every_file_of_their_name(tmp_path, samples_dir):
    """The plans table is written a file name at a time: each row counts the warnings of all
    files of its name (a PDF named .docx warns) and names its plan's identical copies."""
    import shutil

    wrong = samples_dir / "bad" / "wrong_extension.docx"  # a PDF named .docx: one warning
    folder = tmp_path / "in"
    for sub, source in (
        ("a", wrong),
        ("b", samples_dir / "plans" / "eastmarsh_2018-19_rag_summary.pdf"),
    ):
        (folder / sub).mkdir(parents=True)
        shutil.copy(source, folder / sub / "x.docx")
    (folder / "c").mkdir()
    shutil.copy(wrong, folder / "c" / "copy.docx")  # the same bytes as a/x.docx
    shutil.copy(samples_dir / "plans" / "eastmarsh_2018-19_rag_summary.txt", folder / "c" / "z.txt")
    run_extract([folder], tmp_path / "out", batch={"workers": 1, "cache": False})
    plans = pd.read_csv(tmp_path / "out" / "plans.csv", dtype=str, keep_default_na=False)
    rows = list(zip(plans["source"], plans["n_warnings"], plans["identical_copies"], strict=True))
    a_id = process_file(folder / "a" / "x.docx").plan.plan_id
    b_id = process_file(folder / "b" / "x.docx").plan.plan_id
    first, second = ("", "copy.docx") if b_id < a_id else ("copy.docx", "")
    assert rows == [("x.docx", "2", first), ("x.docx", "2", second), ("z.txt", "0", "")]
    assert list(plans["plan_id"]) == [*sorted([a_id, b_id]), plans["plan_id"].iloc[2]]


def test_arrow_arrays_built_from_buffers_equal_pyarrows_own():
    """The Parquet columns are built from their buffers (pa.array would import pandas):
    the same arrays as pa.array makes, missing values and all."""
    import pyarrow as pa

    from planx.pipeline.table_stream import arrow_array

    columns = {
        "text": (pa.large_string(), ["", "a", "é€𝄞", "x" * 300, "'=1"]),
        "int": (pa.int64(), [0, None, -5, 2**40, None]),
        "float": (pa.float64(), [0.1, None, 1e300, -0.0, 80.0]),
        "bool": (pa.bool_(), [True, False, None, True, False, True, False, True, True]),
        "date": (pa.date32(), [dt.date(2018, 1, 31), None, dt.date(1900, 1, 1)]),
    }
    for kind, (arrow_type, values) in columns.items():
        built = arrow_array(kind, arrow_type, values)
        built.validate(full=True)
        assert built.equals(pa.array(values, type=arrow_type)), kind
        assert built.null_count == values.count(None)
        assert arrow_array(kind, arrow_type, []).equals(pa.array([], type=arrow_type))
    plain = ["", "Review the thresholds", " padded ", "x" * 300]  # ASCII only: offsets from lengths
    built = arrow_array("text", pa.large_string(), plain)
    built.validate(full=True)
    assert built.equals(pa.array(plain, type=pa.large_string()))


def test_light_results_give_back_each_result_without_its_plan(tmp_path):
    from planx.pipeline.inputs import LightResults
    from planx.schemas.records import ErrorRecord

    sha = "ab" * 32
    tasks = [Task(index=i, path=str(tmp_path / f"f{i}.txt"), sha256=sha) for i in range(4)]
    light = LightResults(tasks)
    plain = FileResult(path=tasks[0].path, source="f0.txt", sha256=sha, pages=3)
    warned = FileResult(
        path=tasks[1].path,
        source="f1.txt",
        sha256=sha,
        errors=[ErrorRecord(source="f1.txt", stage="extract", error="w", severity="warning")],
    )
    light.keep(0, plain, plan_id=sha[:16])
    light.keep(1, warned, plan_id="other-id")
    light.keep(2, FileResult(path=tasks[2].path, source="f2.txt", sha256=sha))
    assert light[0] == plain and light[1] == warned and light[2].pages is None
    assert 3 not in light and light.get(3) is None and 0 in light
    assert light.plan_ids() == {0: sha[:16], 1: "other-id"}


def test_a_plan_prepared_where_it_was_read_writes_the_tables_its_rows_would(tmp_path):
    """Workers send back each plan as its rows' CSV text and the sink's messages
    (pipeline/prepared.py): the tables are the ones its rows give, in every format."""
    from planx.pipeline.flatten import plan_tables
    from planx.pipeline.prepared import Preparation, drop_spooled, prepare_plan, spool, write_rows

    plans = [process_file(p).plan for p in write_plans(tmp_path / "in", 3)]
    by_rows, prepared = TableWriter(tmp_path / "rows"), TableWriter(tmp_path / "prepared")
    spooled = TableWriter(tmp_path / "spooled")  # the bytes left in a file, as pool workers do
    (tmp_path / "spool").mkdir()
    for plan in plans:
        for name, rows in plan_tables(plan):
            by_rows.add_rows(name, rows)
        ready = prepare_plan(plan, Preparation())
        prepared.add_encoded(ready.csv_texts, ready.sink_messages)
        in_file = spool(ready, str(tmp_path / "spool"))
        assert in_file.csv_texts == () and in_file.sink_messages == b""
        write_rows(in_file, spooled)
        drop_spooled(in_file)
    by_rows.close(), prepared.close(), spooled.close()
    assert list((tmp_path / "spool").iterdir()) == []
    a = tmp_path / "rows"
    for b in (tmp_path / "prepared", tmp_path / "spooled"):
        for name in CSV_ORDER:
            assert (b / f"{name}.csv").read_bytes() == (a / f"{name}.csv").read_bytes(), name
            pd.testing.assert_frame_equal(
                pd.read_parquet(b / f"{name}.parquet"), pd.read_parquet(a / f"{name}.parquet")
            )
    actions = pd.read_csv(tmp_path / "prepared" / "actions.csv")
    assert len(actions) == 2 + 3 + 4 and set(actions["source"]) == {p.source for p in plans}


def test_a_prepared_plan_carries_its_size_its_row_and_its_cache_entry(tmp_path):
    from planx.pipeline.prepared import Preparation, prepare_result, put_cache_entry

    (path,) = write_plans(tmp_path / "in", 1, start=2)
    result = process_file(path)
    plan = result.plan
    light = prepare_result(result, Preparation.for_formats(["csv"], cache_fingerprint="fp"))
    assert light.plan is None and light.prepared is not None
    assert light.plan_size() == result.plan_size()
    assert (light.plan_size().n_actions, light.plan_size().n_kpis) == (4, len(plan.kpis))
    assert light.prepared.sink_messages == b""  # no format for the sink asked for
    assert light.prepared.plan_row["plan_id"] == plan.plan_id
    assert [name for name, _ in light.prepared.csv_texts][:2] == ["actions", "kpis"]
    key = cache_mod.entry_key("fp", result.sha256, path.name)
    entry = cache_mod.json_to_result(light.prepared.cache_entry, key, str(path))
    assert entry.plan == plan
    kept = prepare_result(result, Preparation(keep_plan=True))
    assert kept.plan is plan and kept.prepared.cache_entry is None  # no cache: no entry
    # Left in a spool file: the same entry, copied into the cache from there.
    (tmp_path / "spool").mkdir()
    in_file = prepare_result(
        result, Preparation(cache_fingerprint="fp", spool_dir=str(tmp_path / "spool"))
    )
    assert in_file.prepared.cache_entry is None and in_file.prepared.spooled is not None
    cache = cache_mod.ResultCache(tmp_path / "cache", "fp")
    assert put_cache_entry(in_file.prepared, cache, key)
    assert cache.get(key, str(path)).plan == plan
    assert not put_cache_entry(kept.prepared, cache, key)  # it made no entry


def test_workers_send_back_rows_not_plans_unless_a_caller_asks_for_plans(tmp_path, monkeypatch):
    write_plans(tmp_path / "in", 3)
    arrived = []
    original = batch_mod._BatchRun._arrived

    def arrival(self, task, result):
        arrived.append(result)
        original(self, task, result)

    monkeypatch.setattr(batch_mod._BatchRun, "_arrived", arrival)
    summary = run_extract([tmp_path / "in"], tmp_path / "out", batch={"workers": 2})
    assert summary.stats.workers_started == 2 and summary.n_actions == 2 + 3 + 4
    assert [r.plan for r in arrived] == [None] * 3
    # Their bytes came in spool files, which are gone with the run.
    assert all(r.prepared.spooled is not None and r.prepared.csv_texts == () for r in arrived)
    assert not any(Path(r.prepared.spooled.path).exists() for r in arrived)
    assert not (tmp_path / "out" / batch_mod.STAGING_DIRNAME).exists()
    assert sorted(r.plan_size().n_actions for r in arrived) == [2, 3, 4]
    # The entries the workers made are the cache's: a re-run reads every file from it.
    again = run_extract([tmp_path / "in"], tmp_path / "out", batch={"workers": 2})
    assert again.n_cached == 3 and again.outputs_unchanged
    heard = []
    run_extract([tmp_path / "in"], tmp_path / "out2", on_result=heard.append, batch={"workers": 2})
    assert sorted(len(r.plan.actions) for r in heard) == [2, 3, 4]
