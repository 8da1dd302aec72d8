"""The planx command line: documented commands, help for analysts, exit codes, schema."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pandas as pd
from click.testing import CliRunner

from planx.pipeline import cli as cli_module
from tests.conftest import REPO, SAMPLES


def invoke(*args):
    return CliRunner().invoke(cli_module.cli, list(map(str, args)), catch_exceptions=False)


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli_module.cli.commands.items():
        assert command.help, name
        assert f"planx {name}" in readme, f"`planx {name}` is not documented in README.md"
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output
        for param in command.params:
            if isinstance(param, __import__("click").Option):
                assert param.help, f"{name} {param.opts} has no help"


def test_schema_is_valid_json_schema_and_describes_the_contract():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    actions = schema["properties"]["actions"]["items"]
    assert {"plan_id", "due_date", "status_meaning", "leads"} <= set(actions["required"])
    assert "Plan" in schema["$defs"] and "Action" in schema["$defs"]
    one = json.loads(invoke("schema", "--table", "action").output)
    jsonschema.Draft202012Validator.check_schema(one)
    assert "provenance" in one["properties"]


def test_extract_rows_validate_against_the_schema(tmp_path, shared_dir):
    out = tmp_path / "out"
    result = invoke("extract", shared_dir / "seeds", "-o", out, "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    schema = json.loads(invoke("schema").output)
    for table in ("actions", "kpis", "plans", "errors"):
        frame = pd.read_parquet(out / f"{table}.parquet")
        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        for row in rows:
            for key, value in list(row.items()):
                if isinstance(value, str) and key in (
                    "due_date",
                    "start_date",
                    "target_due",
                    "date",
                    "period_start",
                    "period_end",
                ):
                    row[key] = value[:10]
        jsonschema.validate(rows, schema["properties"][table])
    actions = pd.read_csv(out / "actions.csv")
    assert len(actions) == 58 + 47 + 22  # the three seed plans with action tables


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "extract",
        SAMPLES / "bad",
        SAMPLES / "plans" / "eastmarsh_2018-19_rag_summary.txt",
        "-o",
        out,
        "--workers",
        "1",
    )
    assert result.exit_code == 0
    errors = pd.read_csv(out / "errors.csv").fillna("")
    manifest = json.loads((SAMPLES / "bad" / "manifest.json").read_text())
    failed = set(errors.loc[errors.severity == "failed", "source"])
    assert {
        "empty.pdf",
        "truncated.pdf",
        "encrypted.pdf",
        "scanned_no_text.pdf",
        "not_a_zip.docx",
        "unsupported.rtf",
    } <= failed
    assert all("\n" not in e and "Traceback" not in e for e in errors.error)
    plans = pd.read_csv(out / "plans.csv")
    assert "eastmarsh_2018-19_rag_summary.txt" in set(plans.source)
    assert manifest  # the manifest names what each bad file should give


def test_exit_code_is_1_when_no_file_could_be_processed(tmp_path):
    result = invoke(
        "extract", SAMPLES / "bad" / "empty.pdf", "-o", tmp_path / "out", "--workers", "1"
    )
    assert result.exit_code == 1
    assert (tmp_path / "out" / "errors.csv").exists()


def test_usage_errors_exit_2(tmp_path):
    assert invoke("extract", tmp_path / "missing.pdf", "-o", tmp_path / "o").exit_code == 2
    assert (
        invoke(
            "extract", SAMPLES / "plans", "-o", tmp_path / "o", "--as-of", "31/03/2018"
        ).exit_code
        == 2
    )


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "planx", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0 and "planx" in result.stdout
