"""`planx explain`: on every format, what it prints agrees with what extract reads."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from planx.extractors import extract
from planx.pipeline import cli as cli_module
from planx.pipeline.interpret import interpret
from tests.conftest import SAMPLES

# One sample plan per format: together they cover action tables, KPI tables and status keys.
BY_FORMAT = {
    "pdf": "northam_vale_2017-18_improvement_plan.pdf",
    "docx": "wexcombe_2019-20_improvement_tracker.docx",
    "txt": "eastmarsh_2018-19_rag_summary.txt",
    "xlsx": "wexcombe_2019-20_improvement_tracker.xlsx",
    "html": "harrowden_2018-19_family_support_plan.html",
}


def explain(*args):
    return CliRunner().invoke(cli_module.cli, ["explain", *args])


@pytest.mark.parametrize("fmt", sorted(BY_FORMAT))
def test_explain_reports_every_table_and_the_counts_extract_reads(fmt):
    path = SAMPLES / "plans" / BY_FORMAT[fmt]
    result = explain(str(path), "--json", "--rows", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    plan = interpret(extract(path), plan_id="p", sha256="s")
    assert (data["n_actions"], data["n_kpis"]) == (len(plan.actions), len(plan.kpis))
    assert len(data["tables"]) == len(extract(path).tables)
    read = [t for t in data["tables"] if t.get("kind") in ("actions", "kpis")]
    assert read, "a sample plan has at least one action or KPI table"
    assert sum(t["n_actions"] for t in read) == len(plan.actions)
    assert sum(t["n_kpis"] for t in read) == len(plan.kpis)
    for t in read:
        roles = {c["role"] for c in t["columns"]}
        assert ("action" in roles) if t["kind"] == "actions" else ("measure" in roles)
        assert t["reason"] and len(t["first_rows"]) <= 2
        for c in t["columns"]:
            if c["role"]:
                assert c["score"] >= 0.5 and c["why"]


def test_explain_text_names_each_column_role_score_and_runner_up():
    result = explain(str(SAMPLES / "plans" / BY_FORMAT["pdf"]))
    assert result.exit_code == 0
    out = result.output
    first = out.splitlines()[0]
    assert first.startswith("northam_vale_2017-18_improvement_plan.pdf (pdf, 9 pages): ")
    assert "set aside: status key" in out
    assert "0: 'Action' -> action 1.75 (header 1.00, cells 0.94)" in out
    assert "runner-up ref" in out  # "KPI Ref": kpi_ref first, ref second
    assert (
        "read as ACTIONS: 8 actions, 0 KPIs -- an action column (header) with lead, due, status"
        in out
    )
    assert "read as KPIS" in out


def test_explain_a_file_that_cannot_be_read_is_one_line_and_exit_1():
    result = explain(str(SAMPLES / "bad" / "truncated.pdf"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: truncated.pdf: ")
    assert len(result.output.strip().splitlines()) == 1
