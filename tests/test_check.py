"""Nothing lost, nothing doubled: byte-identical inputs are one document, every id is unique,
and `planx check` proves it (and reports each way hand-broken outputs are wrong)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from planx.pipeline import check as check_mod
from planx.pipeline.batch import OUTPUTS_NOTE, run_extract
from planx.pipeline.check import (
    Problem,
    check_outdir,
    check_tables,
    count_mismatches,
    dangling_keys,
    duplicate_ids,
    hidden_originals,
    missing_authorities,
    unaccounted_files,
)
from planx.pipeline.cli import EXIT_CHECK_FAILED, cli
from planx.pipeline.copies import plans_to_copies
from planx.pipeline.executors import Task
from planx.pipeline.inputs import identical_copies, tasks_to_files
from planx.pipeline.process import FileResult
from planx.pipeline.sinks import write_csv, write_parquet
from planx.schemas.records import Plan

PLANS = Path(__file__).resolve().parents[1] / "samples" / "plans"
TEXT_PLAN = "northam_vale_2017-18_improvement_plan.txt"
TWO_FORMATS = (
    "wexcombe_2019-20_improvement_tracker.docx",
    "wexcombe_2019-20_improvement_tracker.pdf",
)
ORDINARY = (
    "harrowden_2018-19_family_support_plan.html",
    "saltmere_2019-20_q2_performance_report.docx",
)


def invoke(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


# --------------------------------------------------------------------------- a mixed batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Byte-identical copies (a plan twice, an empty file twice), one plan in two formats and
    ordinary plans, extracted and compared through the command line."""
    root = tmp_path_factory.mktemp("check")
    inputs = root / "in"
    (inputs / "downloads").mkdir(parents=True)
    shutil.copy(PLANS / TEXT_PLAN, inputs / "plan.txt")
    shutil.copy(PLANS / TEXT_PLAN, inputs / "plan (1).txt")
    shutil.copy(PLANS / TEXT_PLAN, inputs / "downloads" / "plan.txt")
    for name in (*TWO_FORMATS, *ORDINARY):
        shutil.copy(PLANS / name, inputs / name)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "empty (1).txt").write_bytes(b"")
    out = root / "out"
    extract = invoke("extract", inputs, "-o", out, "--workers", "1", "-q")
    assert extract.exit_code == 0, extract.output
    assert "7 of 9 files read (3 identical to another file, read once)" in extract.output
    compare = invoke("compare", out)
    assert compare.exit_code == 0, compare.output
    return out


def _csv(outdir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(outdir / f"{name}.csv", dtype=str, keep_default_na=False)


def test_mixed_batch_passes_planx_check(batch: Path):
    result = invoke("check", batch)
    assert result.exit_code == 0, result.output
    assert "all checks passed" in result.output


def test_every_file_is_listed_with_what_became_of_it(batch: Path):
    files = _csv(batch, "files").set_index("path")
    assert len(files) == 9
    assert files.loc["plan (1).txt", "outcome"] == "identical_copy"
    assert files.loc["plan (1).txt", "same_as"] == "downloads/plan.txt"  # first in path order
    assert files.loc["plan.txt", "same_as"] == "downloads/plan.txt"
    assert files.loc["downloads/plan.txt", "outcome"] == "read"
    assert files.loc["plan (1).txt", "plan_id"] == files.loc["downloads/plan.txt", "plan_id"]
    # sorted paths: "empty (1).txt" comes before "empty.txt"
    assert files.loc["empty (1).txt", "outcome"] == "failed"
    assert files.loc["empty.txt", "outcome"] == "identical_copy"
    assert set(files.loc[files["outcome"] == "read"].index) == {
        "downloads/plan.txt",
        *TWO_FORMATS,
        *ORDINARY,
    }
    # the copy of a file that failed is in errors under its own name
    errors = _csv(batch, "errors")
    failed = errors[errors.severity == "failed"].set_index("source")
    assert failed.loc["empty (1).txt", "error"] == "empty file (0 bytes)"
    assert failed.loc["empty.txt", "error"] == (
        "same bytes as empty (1).txt, which failed: empty file (0 bytes)"
    )
    plans = _csv(batch, "plans").set_index("source")
    assert len(plans) == 5
    assert set(plans.loc["plan.txt", "identical_copies"].split("; ")) == {
        "plan (1).txt",
        "plan.txt",
    }


def test_ids_are_unique_in_every_table(batch: Path):
    for table, column in check_mod.ID_COLUMNS:
        ids = _csv(batch, table)[column]
        assert ids.is_unique and (ids != "").all(), (table, column)


def test_each_council_once_in_every_comparison_with_one_copys_counts(batch: Path):
    plans = _csv(batch, "plans")
    actions, leads = _csv(batch, "actions"), _csv(batch, "leads")
    compared = _csv(batch, "compare_plans")
    kept = compared.loc[compared["excluded_reason"] == ""]
    # one representative per document: Northam Vale once (three files), Wexcombe once (two formats)
    assert sorted(kept["authority"]) == ["Harrowden", "Northam Vale", "Saltmere", "Wexcombe"]
    assert len(compared) == 7  # every file read, identical copies included
    copies = compared.loc[compared["excluded_reason"] == "copy"].set_index("source")
    assert set(copies.index) == {"plan.txt", "plan (1).txt", TWO_FORMATS[1]}
    assert copies.loc["plan (1).txt", "copy_basis"] == "identical bytes to downloads/plan.txt"
    assert copies.loc[TWO_FORMATS[1], "copy_basis"].endswith("of records shared")

    one_copy = {a: int(n) for a, n in zip(kept["authority"], kept["n_actions"], strict=True)}
    assert one_copy["Northam Vale"] == int(plans.set_index("source").loc["plan.txt", "n_actions"])
    summary = _csv(batch, "compare_authority_summary").set_index("authority")
    assert summary.index.is_unique
    assert {a: int(n) for a, n in summary["n_actions"].items()} == one_copy
    assert summary.loc["Northam Vale", "n_copies_skipped"] == "2"
    for name in ("theme_counts", "status_mix", "due_quarters"):
        frame = _csv(batch, f"compare_{name}")
        if name == "status_mix":
            frame = frame.loc[frame["source"] == "extracted"]
        totals = frame.groupby("authority")["n_actions"].apply(lambda s: s.astype(int).sum())
        assert totals.to_dict() == {a: n for a, n in one_copy.items() if n}, name
    kept_ids = set(kept["plan_id"])
    roles = _csv(batch, "compare_lead_roles").groupby("authority")["n_leads"]
    for authority, n in roles.apply(lambda s: s.astype(int).sum()).items():
        plan_ids = set(kept.loc[kept["authority"] == authority, "plan_id"]) & kept_ids
        own = leads[leads["plan_id"].isin(plan_ids) & (leads["action_id"] != "")]
        assert n == len(own), authority
    assert actions["action_id"].is_unique


def test_outputs_of_an_older_planx_are_written_again_with_every_table(tmp_path: Path):
    """A set written before the files table existed is not "unchanged", even from the cache."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(PLANS / TEXT_PLAN, inputs / "plan.txt")
    out = tmp_path / "out"
    run_extract([inputs], out, batch={"workers": 1})
    note = json.loads((out / OUTPUTS_NOTE).read_text(encoding="utf-8"))
    for name in ("files.csv", "files.parquet"):
        del note["files"][name]
        (out / name).unlink()
    (out / OUTPUTS_NOTE).write_text(json.dumps(note), encoding="utf-8")
    again = run_extract([inputs], out, batch={"workers": 1})
    assert again.n_cached == 1 and not again.outputs_unchanged
    assert (out / "files.csv").exists() and check_outdir(out) == []


# --------------------------------------------------------------------------- hand-broken outputs


def _broken(batch: Path, tmp_path: Path, table: str, change) -> Path:
    """A copy of the batch's outputs with one table changed (CSV and Parquet alike)."""
    out = tmp_path / "out"
    shutil.copytree(batch, out)
    frame = pd.read_parquet(out / f"{table}.parquet")
    frame = change(frame).reset_index(drop=True)
    write_csv(frame, out / f"{table}.csv")
    write_parquet(frame, out / f"{table}.parquet")
    return out


def _check_errors(out: Path) -> str:
    result = CliRunner().invoke(cli, ["check", str(out)])
    assert result.exit_code == EXIT_CHECK_FAILED, result.output
    assert "all checks passed" not in result.output
    lines = [line for line in result.stderr.splitlines() if line]
    assert lines and all(line.startswith("error: check failed: ") for line in lines)
    return result.stderr


def test_check_reports_a_duplicated_id(batch: Path, tmp_path: Path):
    out = _broken(batch, tmp_path, "actions", lambda f: pd.concat([f, f.iloc[[3]]]))
    errors = _check_errors(out)
    assert "actions.action_id: 1 ids appear more than once" in errors
    assert "plans.n_actions differs from the rows in actions for 1 plans" in errors


def test_check_reports_a_missing_plan_row(batch: Path, tmp_path: Path):
    gone = _csv(batch, "plans").set_index("source").loc["plan.txt", "plan_id"]
    out = _broken(batch, tmp_path, "plans", lambda f: f[f["plan_id"] != gone])
    errors = _check_errors(out)
    assert "3 input files are in neither plans nor errors" in errors
    assert f"actions.plan_id: 40 rows refer to no plans.plan_id, e.g. '{gone}'" in errors
    assert "compare_plans does not list" not in errors  # compare_plans lists more, not less


def test_check_reports_a_dangling_foreign_key(batch: Path, tmp_path: Path):
    def dangle(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        first = frame.index[frame["action_id"] != ""][0]
        frame.loc[first, "action_id"] = "no-such-action"
        return frame

    errors = _check_errors(_broken(batch, tmp_path, "leads", dangle))
    assert "leads.action_id: 1 rows refer to no actions.action_id, e.g. 'no-such-action'" in errors


def test_check_reports_copies_that_hide_their_original(batch: Path, tmp_path: Path):
    # what an older planx wrote for two identical files: each a copy of the other
    def mutual(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        northam = frame["authority"] == "Northam Vale"
        frame.loc[northam, "copy_of"] = frame.loc[northam, "plan_id"]
        frame.loc[northam, "excluded_reason"] = "copy"
        return frame

    errors = _check_errors(_broken(batch, tmp_path, "compare_plans", mutual))
    assert "copies point at a plan that is itself a copy or absent" in errors


def test_check_reports_a_missing_table(batch: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(batch, out)
    (out / "files.csv").unlink()
    (out / "files.parquet").unlink()
    assert "files is missing" in _check_errors(out)


def test_extract_and_compare_fail_loudly_when_their_check_fails(batch, tmp_path, monkeypatch):
    monkeypatch.setattr(
        check_mod, "check_tables", lambda tables: [Problem("unique ids", "planted")]
    )
    out = tmp_path / "out"
    shutil.copytree(batch, out)
    compare = CliRunner().invoke(cli, ["compare", str(out)])
    assert compare.exit_code == EXIT_CHECK_FAILED
    assert "error: check failed: unique ids: planted" in compare.stderr
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(PLANS / TEXT_PLAN, source / "plan.txt")
    extract = CliRunner().invoke(cli, ["extract", str(source), "-o", str(tmp_path / "x"), "-q"])
    assert extract.exit_code == EXIT_CHECK_FAILED
    assert "error: check failed: unique ids: planted" in extract.stderr


# --------------------------------------------------------------------------- the checks, one by one


def _frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_duplicate_and_blank_ids():
    tables = {
        "actions": _frame(action_id=["p-A0001", "p-A0001", "p-A0002", ""]),
        "kpis": _frame(kpi_id=["p-K0001", "p-K0002"]),
    }
    messages = [p.message for p in duplicate_ids(tables)]
    assert messages == [
        "actions.action_id is blank in 1 rows",
        "actions.action_id: 1 ids appear more than once (2 rows), e.g. 'p-A0001'",
    ]


def test_foreign_keys_resolve_to_any_of_their_tables():
    tables = {
        "plans": _frame(plan_id=["p"]),
        "actions": _frame(plan_id=["p"], action_id=["p-A0001"]),
        "kpis": _frame(plan_id=["p"], kpi_id=["p-K0001"]),
        "tags": _frame(plan_id=["p", "p", "p"], record_id=["p-A0001", "p-K0001", "p-X9"]),
        "leads": _frame(plan_id=["p", "q"], action_id=["p-A0001", ""], kpi_id=["", "p-K0001"]),
    }
    messages = [p.message for p in dangling_keys(tables)]
    assert messages == [
        "leads.plan_id: 1 rows refer to no plans.plan_id, e.g. 'q'",
        "tags.record_id: 1 rows refer to no actions.action_id or kpis.kpi_id, e.g. 'p-X9'",
    ]


def test_every_file_in_plans_or_errors():
    files = _frame(
        path=["a.txt", "b.txt", "c.pdf", "d.pdf", "sub/a.txt"],
        source=["a.txt", "b.txt", "c.pdf", "d.pdf", "a.txt"],
        plan_id=["p", "p", "", "", "q"],
    )
    plans = _frame(plan_id=["p"], source=["a.txt"], identical_copies=["b.txt"])
    errors = _frame(source=["c.pdf", "d.pdf"], severity=["failed", "warning"])
    (problem,) = unaccounted_files(files, plans, errors)
    assert (
        problem.message
        == "2 input files are in neither plans nor errors, e.g. 'd.pdf', 'sub/a.txt'"
    )


def test_plan_counts_equal_the_rows():
    plans = _frame(plan_id=["p", "q"], n_actions=[2, 0], n_kpis=[0, 1])
    actions = _frame(plan_id=["p", "p", "q"])
    kpis = _frame(plan_id=["q"])
    (problem,) = count_mismatches(plans, actions, kpis)
    assert (
        problem.message == "plans.n_actions differs from the rows in actions for 1 plans, e.g. 'q'"
    )


def test_one_representative_per_document():
    good = _frame(
        plan_id=["p", "p", "q", "r"],
        source=["a.txt", "b.txt", "a.pdf", "x.pdf"],
        copy_of=["", "p", "p", ""],
        excluded_reason=["", "copy", "copy", "doc_kind: other"],
    )
    assert hidden_originals(good) == []
    mutual = good.assign(copy_of=["p", "p", "p", ""], excluded_reason=["copy", "copy", "copy", ""])
    assert [p.message for p in hidden_originals(mutual)] == [
        "compare_plans: 3 copies point at a plan that is itself a copy or absent, e.g. 'p'"
    ]
    twice = good.assign(excluded_reason=["", "", "copy", ""])
    messages = [p.message for p in hidden_originals(twice)]
    assert "compare_plans: 1 plans are compared more than once, e.g. 'p'" in messages
    assert "compare_plans: 1 copies are still compared, e.g. 'p'" in messages


def test_every_compared_authority_is_in_the_summary():
    plans = _frame(
        plan_id=["p", "q", "r"], authority=["Aham", "", "Bham"], source=["a", "u.txt", "b"]
    )
    compare_plans = plans.assign(excluded_reason=["", "", "doc_kind: inspection_report"])
    summary = _frame(authority=["Aham"])
    (problem,) = missing_authorities(plans, compare_plans, summary)
    assert "'[u.txt]'" in problem.message and "Bham" not in problem.message
    assert missing_authorities(plans.iloc[:1], compare_plans.iloc[:1], summary) == []
    unlisted = missing_authorities(
        plans, compare_plans.iloc[:2], _frame(authority=["Aham", "[u.txt]"])
    )
    assert [p.message for p in unlisted] == [
        "compare_plans does not list 1 plans, e.g. 'b' (run `planx compare` again after `planx extract`)"
    ]


def test_check_tables_lists_missing_tables():
    problems = check_tables({"plans": _frame(plan_id=["p"], n_actions=[0], n_kpis=[0])})
    assert Problem("tables", "files is missing (no files.parquet or files.csv)") in problems


# --------------------------------------------------------------------------- identical files


def _task(index: int, path: Path) -> Task:
    import hashlib

    return Task(index=index, path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def test_identical_files_read_once_preferring_a_name_that_fits(tmp_path: Path):
    text = b"Improvement plan\n\nAction\tLead\nReview audits\tHead of Service\n"
    names = ["a.rtf", "b.txt", "c.txt", "d.txt"]
    for name in names[:3]:
        (tmp_path / name).write_bytes(text)
    (tmp_path / "d.txt").write_bytes(text + b"more\n")
    tasks = [_task(i, tmp_path / n) for i, n in enumerate(names)]
    # a.rtf comes first, but planx does not read .rtf: the first .txt is read in its place
    assert identical_copies(tasks) == {0: 1, 2: 1}


def test_files_table_says_what_became_of_each_file(tmp_path: Path):
    for name, data in {"a.txt": b"x", "b.txt": b"x", "c.txt": b"", "sub/d.txt": b""}.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    tasks = [_task(i, tmp_path / n) for i, n in enumerate(["a.txt", "b.txt", "c.txt", "sub/d.txt"])]
    plan = Plan(plan_id="p", source="a.txt", sha256=tasks[0].sha256, format="text")
    results = {
        0: FileResult(path=tasks[0].path, source="a.txt", sha256=tasks[0].sha256, plan=plan),
        2: FileResult(path=tasks[2].path, source="c.txt", sha256=tasks[2].sha256),
    }
    files = tasks_to_files(tasks, results, identical_copies(tasks))
    assert [(f.path, f.outcome, f.plan_id, f.same_as) for f in files] == [
        ("a.txt", "read", "p", ""),
        ("b.txt", "identical_copy", "p", "a.txt"),
        ("c.txt", "failed", "", ""),
        ("sub/d.txt", "identical_copy", "", "c.txt"),
    ]


def test_compare_keeps_one_of_plans_an_older_run_wrote_twice():
    """Two rows with one plan_id (identical files, as planx wrote them before): one is compared,
    the other is its copy."""
    plans = pd.DataFrame(
        {
            "plan_id": ["p", "p"],
            "authority": ["Aham", "Aham"],
            "source": ["b.txt", "a.txt"],
            "format": ["text", "text"],
            "title": ["", ""],
            "doc_kind": ["plan", "plan"],
            "n_actions": [1, 1],
            "n_kpis": [0, 0],
            "date": [None, None],
            **{f"reported_{c}": [None, None] for c in ("red", "amber", "green", "blue")},
        }
    )
    actions = pd.DataFrame(
        {
            "plan_id": ["p", "p"],
            "action": ["Review", "Review"],
            "status_meaning": ["", ""],
            "due_date": [None, None],
        }
    )
    kpis = pd.DataFrame({"plan_id": [], "measure": []})
    out = plans_to_copies(plans, actions.iloc[:1], kpis).set_index("source")
    assert out.loc["a.txt", "excluded_reason"] == "" and out.loc["a.txt", "copy_of"] == ""
    assert out.loc["b.txt", "copy_of"] == "p" and out.loc["b.txt", "copy_of_source"] == "a.txt"
    assert hidden_originals(out.reset_index()) == []


def test_a_table_without_its_csv_is_checked_from_its_parquet_file(batch: Path, tmp_path: Path):
    out = _broken(batch, tmp_path, "actions", lambda f: pd.concat([f, f.iloc[[3]]]))
    (out / "actions.csv").unlink()
    assert "actions.action_id: 1 ids appear more than once" in _check_errors(out)


def test_names_read_from_csv_files_are_compared_as_written(tmp_path: Path):
    """A spreadsheet-safe CSV writes "=c.txt" as "'=c.txt" on its own, not inside a list: the
    check reads both as "=c.txt"."""
    (tmp_path / "files.csv").write_text(
        "source,path,plan_id\nb.txt,b.txt,p\n'=c.txt,=c.txt,p\n", encoding="utf-8"
    )
    (tmp_path / "plans.csv").write_text(
        "plan_id,source,identical_copies\np,b.txt,b.txt; =c.txt\n", encoding="utf-8"
    )
    (tmp_path / "errors.csv").write_text("source,severity\n", encoding="utf-8")
    tables = check_mod.read_outputs(tmp_path, ("files", "plans", "errors"))
    assert unaccounted_files(tables["files"], tables["plans"], tables["errors"]) == []
    assert list(tables["files"]["source"]) == ["b.txt", "=c.txt"]
