"""The Dask executor: the same files on a local Dask cluster give the same tables,
byte for byte, as the local process pool; time limits hold on Dask workers too."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from planx.pipeline import cache as cache_mod
from planx.pipeline.batch import run_extract
from planx.pipeline.cli import cli
from planx.pipeline.outputs import CSV_ORDER
from planx.pipeline.process import process_file
from tests.test_batch import plan_docx, plan_text, write_plans

distributed = pytest.importorskip("distributed")

CSV_FILES = [f"{name}.csv" for name in CSV_ORDER]


def slow_or_process(path, settings=None):
    """process_file, except that files named slow* never finish."""
    if Path(path).name.startswith("slow"):
        for _ in range(1200):
            time.sleep(0.05)
    return process_file(path, settings)


@pytest.fixture(autouse=True)
def fixed_code_fingerprint(monkeypatch):
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "tests")


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def pdf_plan(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    rows = [["Ref", "Action", "Lead", "Due date", "Status"]] + [
        [
            f"{i}.1",
            f"Review the referral pathway for area {i}",
            "Head of Service",
            "March 2020",
            "Green",
        ]
        for i in range(1, 40)
    ]
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build([table])
    return path


def inputs(folder: Path) -> Path:
    write_plans(folder, 4)
    plan_docx(folder / "word_plan.docx")
    pdf_plan(folder / "pdf_plan.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "garbage.docx").write_bytes(bytes(range(128, 256)) * 8)
    return folder


def test_dask_output_equals_local_output_byte_for_byte(tmp_path, scheduler):
    folder = inputs(tmp_path / "in")
    local, dask_out = tmp_path / "local", tmp_path / "dask"
    run_extract([folder], local, batch={"workers": 2, "cache": False})
    summary = run_extract(
        [folder], dask_out, batch={"executor": "dask", "scheduler": scheduler, "cache": False}
    )
    assert summary.n_files == 8 and summary.n_plans == 6 and summary.stats.workers_started == 2
    for name in CSV_FILES:
        assert (local / name).read_bytes() == (dask_out / name).read_bytes(), name
    actions = pd.read_csv(dask_out / "actions.csv", keep_default_na=False)
    assert (actions.source == "pdf_plan.pdf").sum() == 39
    assert sorted(pd.read_csv(dask_out / "errors.csv").query("severity == 'failed'").source) == [
        "empty.pdf",
        "garbage.docx",
    ]


def test_dask_from_the_command_line_with_cache(tmp_path, scheduler):
    folder = inputs(tmp_path / "in")
    local = tmp_path / "local"
    run_extract([folder], local, batch={"workers": 1, "cache": False})
    runner = CliRunner()
    out = tmp_path / "out"
    for expect_cached in (False, True):
        result = runner.invoke(
            cli, ["extract", str(folder), "-o", str(out), "--scheduler", scheduler, "-q"]
        )
        assert result.exit_code == 0, result.output
        assert ("8 unchanged, from the cache" in result.output) is expect_cached
        for name in CSV_FILES:
            assert (local / name).read_bytes() == (out / name).read_bytes(), name


def test_time_limit_on_dask_workers(tmp_path, scheduler):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    (folder / "slow.txt").write_text(plan_text(2, "slow"), encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract(
        [folder],
        out,
        batch={"executor": "dask", "scheduler": scheduler, "timeout_s": 1},
        process=slow_or_process,
    )
    errors = pd.read_csv(out / "errors.csv", keep_default_na=False)
    failed = errors[errors.severity == "failed"]
    assert list(failed.source) == ["slow.txt"] and list(failed.kind) == ["timeout"]
    assert list(failed.stage) == ["batch"]
    assert summary.n_plans == 2
