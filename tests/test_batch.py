"""The batch: good and bad files in one run, limits on hostile input, the cache,
killed runs, time/memory limits and crashes, and byte-identical output whatever
the worker count.

Counts of process_file calls come from a log file the unit of work appends to
(`logged_process`), so they hold for worker processes too.
"""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from planx.pipeline import batch as batch_mod
from planx.pipeline import cache as cache_mod
from planx.pipeline.batch import (
    COMMIT_NAME,
    STAGING_DIRNAME,
    OutputBusyError,
    outdir_lock,
    recover_outputs,
    run_extract,
)
from planx.pipeline.cache import CACHE_DIRNAME
from planx.pipeline.cli import cli
from planx.pipeline.executors import (
    WORKER_CORE,
    WORKER_PRELOAD,
    WORKER_WARM,
    ProcessPool,
    Task,
    start_order,
    worker_preload,
)
from planx.pipeline.outputs import CSV_ORDER
from planx.pipeline.process import FileResult, RunSettings, process_file
from planx.pipeline.progress import LineProgress, make_progress
from planx.pipeline.table_stream import TableWriter

REPO = Path(__file__).resolve().parents[1]
CALL_LOG = "PLANX_TEST_CALL_LOG"
DELAY = "PLANX_TEST_DELAY"
TABLE_FILES = [f"{name}.csv" for name in CSV_ORDER] + [f"{name}.parquet" for name in CSV_ORDER]


# ---------------------------------------------------------------- the unit of work, instrumented


def logged_process(path, settings=None):
    """process_file, logging each call; files named slow*/crash*/hog* misbehave on purpose."""
    path = Path(path)
    log = os.environ.get(CALL_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(path.name + "\n")
    if os.environ.get(DELAY):
        time.sleep(float(os.environ[DELAY]))
    if path.name.startswith("slow"):
        for _ in range(1200):  # a minute, in small steps a time limit can interrupt
            time.sleep(0.05)
    if path.name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if path.name.startswith("hog"):
        hoard = bytearray(3 * 1024**3)  # more than the test's memory limit
        del hoard
    return process_file(path, settings)


@pytest.fixture(autouse=True)
def fixed_code_fingerprint(monkeypatch):
    """Pin the code part of cache keys: other work on the tree during a test run
    must not make entries written a moment ago look stale."""
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "tests")


@pytest.fixture
def calls(tmp_path, monkeypatch):
    """The names process_file was called with, across processes, since the last read."""
    log = tmp_path / "calls.log"
    log.touch()
    monkeypatch.setenv(CALL_LOG, str(log))

    def read_and_reset() -> list[str]:
        names = log.read_text(encoding="utf-8").split()
        log.write_text("", encoding="utf-8")
        return sorted(names)

    return read_and_reset


# ---------------------------------------------------------------- inputs


def plan_text(n_actions: int, tag: str) -> str:
    rows = [
        f"{i}.1\tReview the {tag} arrangements for area {i}\tHead of Service\tMarch 2020\tGreen"
        for i in range(1, n_actions + 1)
    ]
    return (
        f"Improvement plan {tag} 2019/20\n\n"
        "Ref\tAction\tLead\tDue date\tStatus\n" + "\n".join(rows) + "\n\n"
        "Measure\tTarget\tFrequency\n"
        f"Percentage of {tag} assessments completed in 45 days\t90%\tMonthly\n"
    )


def write_plans(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / f"plan_{i:02d}.txt"
        path.write_text(plan_text(2 + i % 3, f"p{i}"), encoding="utf-8")
        paths.append(path)
    return paths


def plan_docx(path: Path, *, action_text: str = "Audit supervision records monthly") -> Path:
    document = docx.Document()
    document.add_paragraph("Improvement plan 2020")
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Action", "Lead", "Due date"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = action_text
    table.rows[1].cells[1].text = "Head of Service"
    table.rows[1].cells[2].text = "March 2020"
    table.rows[2].cells[0].text = "Review the front door for referrals"
    table.rows[2].cells[1].text = "Team Manager"
    table.rows[2].cells[2].text = "June 2020"
    document.save(path)
    return path


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes], add: dict[str, int]) -> Path:
    """Copy a package, replacing members' bytes and adding members of N zero bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, replace.get(info.filename, zin.read(info.filename)))
        for name, size in add.items():
            with zout.open(name, "w", force_zip64=True) as fh:
                chunk = bytes(1 << 20)
                for _ in range(size >> 20):
                    fh.write(chunk)
    return dst


def one_page_pdf() -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    canvas.drawString(72, 720, "Improvement plan")
    canvas.save()
    return buf.getvalue()


def failed_rows(outdir: Path) -> pd.DataFrame:
    errors = pd.read_csv(outdir / "errors.csv", keep_default_na=False)
    return errors[errors.severity == "failed"]


def table_bytes(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in TABLE_FILES}


def plan_sources(outdir: Path) -> list[str]:
    return sorted(pd.read_csv(outdir / "plans.csv", keep_default_na=False).source)


# ---------------------------------------------------------------- mixed good and bad


def make_mixed(folder: Path) -> tuple[list[Path], dict[str, str]]:
    good = write_plans(folder, 3)
    garbage = bytes(range(128, 256)) * 8  # no magic number, not text
    bad = {
        "empty.txt": (b"", "empty"),
        "not_a_zip.docx": (garbage, "corrupt"),
        "no_header.pdf": (garbage, "corrupt"),
        "notes.rtf": (b"{\\rtf1 hello}", "unsupported"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    return good, {name: kind for name, (_, kind) in bad.items()}


def test_mixed_batch_extracts_every_good_file_and_reports_each_bad_one_once(tmp_path):
    good, bad = make_mixed(tmp_path / "in")
    out = tmp_path / "out"
    summary = run_extract([tmp_path / "in"], out, batch={"workers": 2})

    assert summary.n_files == len(good) + len(bad)
    assert summary.n_plans == len(good) and summary.n_failed == len(bad)
    assert plan_sources(out) == [p.name for p in good]
    actions = pd.read_csv(out / "actions.csv", keep_default_na=False)
    assert actions.groupby("source").size().to_dict() == {
        "plan_00.txt": 2,
        "plan_01.txt": 3,
        "plan_02.txt": 4,
    }
    failed = failed_rows(out)
    assert sorted(failed.source) == sorted(bad)  # each bad file exactly once
    assert dict(zip(failed.source, failed.kind, strict=True)) == bad
    assert all(failed.stage == "extract")


def test_an_in_process_run_collects_garbage_rarely_and_puts_the_settings_back(
    tmp_path, monkeypatch
):
    import gc

    from planx.pipeline import executors

    seen = []
    real = executors.run_guarded
    monkeypatch.setattr(
        executors,
        "run_guarded",
        lambda *args, **kw: seen.append(gc.get_threshold()[0]) or real(*args, **kw),
    )
    good, _bad = make_mixed(tmp_path / "in")
    before = gc.get_threshold()
    summary = run_extract([tmp_path / "in"], tmp_path / "out", batch={"workers": 1})
    assert summary.n_plans == len(good)
    assert seen and set(seen) == {executors.GC_YOUNG_THRESHOLD}  # while files are read
    assert gc.get_threshold() == before  # and as it was once the run is over


def test_sample_plans_and_bad_files_in_one_batch(tmp_path, samples_dir):
    import json

    plans_dir, bad_dir = samples_dir / "plans", samples_dir / "bad"
    assert (bad_dir / "manifest.json").exists(), "samples/bad/manifest.json is committed"
    manifest = json.loads((bad_dir / "manifest.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["extract", str(plans_dir), str(bad_dir), "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output

    plans = pd.read_csv(out / "plans.csv", keep_default_na=False)
    n_actions = dict(zip(plans.source, plans.n_actions, strict=True))
    expected_actions = {}
    for truth in sorted((samples_dir / "expected").glob("*.json")):
        plan = json.loads(truth.read_text(encoding="utf-8"))
        for document in plan["documents"]:
            expected_actions[Path(document).name] = plan["counts"]["actions"]
    assert sorted(expected_actions) == sorted(p.name for p in plans_dir.iterdir())
    # every good file read, with the actions its truth lists
    assert {name: n_actions.get(name) for name in expected_actions} == expected_actions
    failed = failed_rows(out)
    expected = {name: v["kind"] for name, v in manifest.items() if v["kind"]}
    assert sorted(failed.source) == sorted(expected)  # each bad file exactly once
    assert dict(zip(failed.source, failed.kind, strict=True)) == expected
    errors = pd.read_csv(out / "errors.csv", keep_default_na=False)
    renamed = errors[errors.source == "wrong_extension.docx"]
    assert list(renamed.severity) == ["warning"] and "really PDF" in renamed.error.iloc[0]


def test_cli_exit_codes(tmp_path):
    make_mixed(tmp_path / "in")
    runner = CliRunner()
    out = tmp_path / "out"
    mixed = runner.invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(out), "-w", "1", "-q"])
    assert mixed.exit_code == 0, mixed.output
    assert "3 of 7 files read" in mixed.output and "4 failed" in mixed.output

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.pdf").write_bytes(b"")
    nothing = runner.invoke(cli, ["extract", str(tmp_path / "bad"), "-o", str(tmp_path / "o2")])
    assert nothing.exit_code == 1
    assert "0 of 1 files read" in nothing.output

    missing = runner.invoke(cli, ["extract", str(tmp_path / "nope"), "-o", str(out)])
    assert missing.exit_code == 2
    no_scheduler = runner.invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(out), "--executor", "dask"]
    )
    assert no_scheduler.exit_code == 2 and "--scheduler" in no_scheduler.output
    zero_workers = runner.invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(out), "-w", "0"])
    assert zero_workers.exit_code == 2


def test_progress_lines_say_what_each_file_gave(tmp_path, capsys):
    good, bad = make_mixed(tmp_path / "in")
    run_extract(
        [tmp_path / "in"], tmp_path / "out", batch={"workers": 1}, progress=LineProgress(sys.stderr)
    )
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert len(lines) == len(good) + len(bad)
    assert any(line.endswith("plan_02.txt: 4 actions, 1 KPIs") for line in lines)
    assert any("empty.txt: failed (empty)" in line for line in lines)
    assert {line.split("]")[0] for line in lines} == {f"[{i}/7" for i in range(1, 8)}

    # --quiet: failures only, and again nothing cached is hidden
    run_extract(
        [tmp_path / "in"],
        tmp_path / "out",
        batch={"workers": 1},
        progress=LineProgress(sys.stderr, quiet=True),
    )
    quiet = capsys.readouterr().err.splitlines()
    assert sorted(line.split(":")[0] for line in quiet if ": failed" in line) == sorted(bad)
    assert not any("actions" in line for line in quiet)


def test_progress_bar_counts_files_and_pages(tmp_path):
    import io

    good, bad = make_mixed(tmp_path / "in")
    (tmp_path / "in" / "one_page.pdf").write_bytes(one_page_pdf())
    stream = io.StringIO()
    run_extract(
        [tmp_path / "in"],
        tmp_path / "out",
        batch={"workers": 1},
        progress=make_progress("bar", stream),
    )
    text = stream.getvalue()
    assert "8/8" in text and "1 pages" in text
    assert sum("failed" in line for line in text.splitlines()) == len(bad)


def test_outputs_inside_the_input_folder_are_not_read_as_plans(tmp_path):
    write_plans(tmp_path, 2)
    first = run_extract([tmp_path], tmp_path / "out", batch={"workers": 1})
    second = run_extract([tmp_path], tmp_path / "out", batch={"workers": 1})
    assert first.n_files == second.n_files == 2
    assert str(tmp_path / "out" / "plans.xlsx") in second.skipped


# ---------------------------------------------------------------- hostile input


def test_hostile_packages_and_long_cells_arrive_in_errors_csv(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    base = plan_docx(tmp_path / "base.docx")
    # 210 MB of zeros in a few hundred KB: over the 200 MB default unzipped limit
    rewrite_zip(base, folder / "bomb.docx", {}, {"word/media/padding.bin": 210 << 20})
    with zipfile.ZipFile(base) as zf:
        body = zf.read("word/document.xml")
    head, rest = body.split(b"?>", 1)
    entity = head + b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + rest
    rewrite_zip(base, folder / "entities.docx", {"word/document.xml": entity}, {})
    plan_docx(folder / "long_cell.docx", action_text="Audit " + "supervision " * 2500)
    write_plans(folder, 1)

    summary = run_extract([folder], tmp_path / "out", batch={"workers": 1})
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    by_source = {source: rows for source, rows in errors.groupby("source")}

    bomb = by_source["bomb.docx"]
    assert list(bomb.kind) == ["too_large"] and list(bomb.severity) == ["failed"]
    assert "zip bomb" in bomb.error.iloc[0] and "200 MB limit" in bomb.error.iloc[0]
    ent = by_source["entities.docx"]
    assert list(ent.severity) == ["failed"] and "entity" in ent.error.iloc[0].lower()
    long_cell = by_source["long_cell.docx"]
    warning = long_cell[long_cell.severity == "warning"]
    assert list(warning.error) == ["1 cell(s) longer than 20,000 characters were truncated"]
    # the long-cell plan is still read, its action cut to the limit
    actions = pd.read_csv(tmp_path / "out" / "actions.csv", keep_default_na=False)
    long_action = actions[actions.source == "long_cell.docx"].action
    assert len(long_action) == 2 and long_action.str.len().max() == 20_000
    assert summary.n_plans == 2


def test_page_limit_refuses_long_pdfs(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    folder = tmp_path / "in"
    folder.mkdir()
    canvas = Canvas(str(folder / "five_pages.pdf"), pagesize=A4, invariant=1)
    for page in range(5):
        canvas.drawString(72, 720, f"Improvement plan page {page + 1}")
        canvas.showPage()
    canvas.save()
    settings = RunSettings.resolve({"extract": {"max_pages": 3}})
    run_extract([folder], tmp_path / "out", settings, batch={"workers": 1})
    failed = failed_rows(tmp_path / "out")
    assert list(failed.kind) == ["too_large"]
    assert "5" in failed.error.iloc[0] and "3" in failed.error.iloc[0]


# ---------------------------------------------------------------- the cache


def test_rerun_skips_unchanged_files_and_redoes_changed_ones(tmp_path, calls):
    folder = tmp_path / "in"
    paths = write_plans(folder, 4)
    out = tmp_path / "out"

    first = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert calls() == [p.name for p in paths] and first.n_cached == 0
    before = table_bytes(out)

    second = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert calls() == [] and second.n_cached == 4 and second.n_processed == 0
    assert second.outputs_unchanged  # made from the same results: left as they are
    assert table_bytes(out) == before

    # an output file a user removed or edited is written again, from the cache
    (out / "actions.csv").unlink()
    (out / "kpis.parquet").write_bytes(b"edited")
    again = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert calls() == [] and not again.outputs_unchanged
    assert table_bytes(out) == before  # results from the cache give the same bytes

    paths[1].write_text(plan_text(6, "changed"), encoding="utf-8")
    third = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert calls() == ["plan_01.txt"] and third.n_cached == 3
    actions = pd.read_csv(out / "actions.csv", keep_default_na=False)
    assert (actions.source == "plan_01.txt").sum() == 6

    run_extract([folder], out, batch={"workers": 1, "force": True}, process=logged_process)
    assert len(calls()) == 4

    # settings that change results make new entries; a new name for the same bytes too
    run_extract(
        [folder], out, {"as_of": "2020-01-31"}, batch={"workers": 1}, process=logged_process
    )
    assert len(calls()) == 4
    os.rename(paths[0], folder / "renamed.txt")
    run_extract(
        [folder], out, {"as_of": "2020-01-31"}, batch={"workers": 1}, process=logged_process
    )
    assert calls() == ["renamed.txt"]


def test_corrupt_cache_entry_is_recomputed(tmp_path, calls):
    folder = tmp_path / "in"
    write_plans(folder, 3)
    out = tmp_path / "out"
    run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    calls()
    before = table_bytes(out)
    entries = sorted((out / CACHE_DIRNAME).glob("*/*.json"))
    assert len(entries) == 3
    entries[0].write_text('{"format": 1, "key": "trunc', encoding="utf-8")
    entries[1].write_bytes(b"\x00\xff garbage")

    summary = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert len(calls()) == 2 and summary.n_cached == 1
    assert table_bytes(out) == before
    run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert calls() == []  # the entries were rewritten


def test_batch_failures_are_not_cached(tmp_path, calls):
    folder = tmp_path / "in"
    write_plans(folder, 1)
    (folder / "slow.txt").write_text(plan_text(2, "slow"), encoding="utf-8")
    out = tmp_path / "out"
    batch = {"workers": 1, "timeout_s": 0.5}
    run_extract([folder], out, batch=batch, process=logged_process)
    assert calls() == ["plan_00.txt", "slow.txt"]
    run_extract([folder], out, batch=batch, process=logged_process)
    assert calls() == ["slow.txt"]  # a timeout may pass next time: tried again


def test_no_cache_and_cache_dir(tmp_path, calls):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    shared_cache = tmp_path / "cache"
    for out in ("a", "b"):
        run_extract(
            [folder],
            tmp_path / out,
            batch={"workers": 1, "cache_dir": shared_cache},
            process=logged_process,
        )
    assert len(calls()) == 2  # the second folder reused the first one's entries
    assert not (tmp_path / "a" / CACHE_DIRNAME).exists()
    for _ in range(2):
        run_extract(
            [folder], tmp_path / "c", batch={"workers": 1, "cache": False}, process=logged_process
        )
    assert len(calls()) == 4
    assert not (tmp_path / "c" / CACHE_DIRNAME).exists()


# ---------------------------------------------------------------- killed runs


def test_run_killed_midway_leaves_previous_outputs_and_rerun_completes(tmp_path, calls):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    out = tmp_path / "out"
    run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    previous = table_bytes(out)
    write_plans(folder, 6, start=2)
    calls()

    script = (
        "import planx.pipeline.cache\n"
        "planx.pipeline.cache.code_fingerprint = lambda: 'tests'\n"
        "from planx.pipeline.batch import run_extract\n"
        "from tests.test_batch import logged_process\n"
        f"run_extract([{str(folder)!r}], {str(out)!r}, batch={{'workers': 1}}, process=logged_process)\n"
    )
    env = {**os.environ, DELAY: "0.3", "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        log = Path(os.environ[CALL_LOG])
        # wait until some new files are done (and cached), then kill it without warning
        while len(log.read_text().split()) < 4 and time.monotonic() < deadline:
            assert child.poll() is None, "the run finished before it could be killed"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    assert table_bytes(out) == previous  # nothing of the killed run is visible
    assert plan_sources(out) == ["plan_00.txt", "plan_01.txt"]
    n_cached = len(list((out / CACHE_DIRNAME).glob("*/*.json")))
    assert 2 + 2 <= n_cached < 8
    calls()

    summary = run_extract([folder], out, batch={"workers": 1}, process=logged_process)
    assert len(calls()) == 8 - n_cached  # only what the killed run had not finished
    assert summary.n_cached == n_cached
    assert plan_sources(out) == [f"plan_{i:02d}.txt" for i in range(8)]
    clean = tmp_path / "clean"
    run_extract([folder], clean, batch={"workers": 1, "cache": False})
    assert table_bytes(out) == table_bytes(clean)


def test_failure_while_writing_keeps_previous_outputs(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    out = tmp_path / "out"
    run_extract([folder], out, batch={"workers": 1})
    previous = table_bytes(out)
    write_plans(folder, 2, start=2)

    real_finish = TableWriter._finish
    finished = []

    def failing_finish(self, path):  # the fourth file of the set fails to be completed
        if len(finished) == 3:
            raise OSError("disk full")
        finished.append(path)
        return real_finish(self, path)

    with monkeypatch.context() as patch, pytest.raises(OSError, match="disk full"):
        patch.setattr(TableWriter, "_finish", failing_finish)
        run_extract([folder], out, batch={"workers": 1})
    assert table_bytes(out) == previous

    summary = run_extract([folder], out, batch={"workers": 1})
    assert summary.n_cached == 4 and not (out / STAGING_DIRNAME).exists()
    assert plan_sources(out) == [f"plan_{i:02d}.txt" for i in range(4)]


def test_interrupted_commit_is_finished_by_the_next_run(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    out = tmp_path / "out"
    run_extract([folder], out, batch={"workers": 1})
    write_plans(folder, 2, start=2)
    clean = tmp_path / "clean"
    run_extract([folder], clean, batch={"workers": 1, "cache": False})

    real_replace = os.replace
    moved = []

    def replace_then_die(src, dst):
        if Path(dst).parent == out:  # the commit note, then the tables
            if len(moved) == 3:
                raise KeyboardInterrupt  # killed between two renames
            moved.append(dst)
        real_replace(src, dst)

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(batch_mod.os, "replace", replace_then_die)
        run_extract([folder], out, batch={"workers": 1})
    assert (out / COMMIT_NAME).exists() and table_bytes(out) != table_bytes(clean)

    recover_outputs(out)  # what every run does first
    assert table_bytes(out) == table_bytes(clean)
    assert not (out / COMMIT_NAME).exists() and not (out / STAGING_DIRNAME).exists()


def test_second_run_on_the_same_folder_is_refused(tmp_path):
    write_plans(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    with outdir_lock(out), pytest.raises(OutputBusyError, match="another planx run"):
        run_extract([tmp_path / "in"], out, batch={"workers": 1})


# ---------------------------------------------------------------- isolation


def test_timeout_crash_and_memory_failures_do_not_stop_the_pool(tmp_path):
    folder = tmp_path / "in"
    good = write_plans(folder, 4)
    for name in ("slow.txt", "crash.txt", "hog.txt"):
        (folder / name).write_text(plan_text(2, name), encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract(
        [folder],
        out,
        batch={"workers": 2, "timeout_s": 4, "max_memory_mb": 2048},
        process=logged_process,
    )
    assert plan_sources(out) == [p.name for p in good]
    failed = failed_rows(out)
    assert dict(zip(failed.source, failed.kind, strict=True)) == {
        "crash.txt": "crash",
        "hog.txt": "too_large",
        "slow.txt": "timeout",
    }
    assert all(failed.stage == "batch")
    errors = dict(zip(failed.source, failed.error, strict=True))
    assert errors["slow.txt"] == "took longer than 4 s and was stopped (see --timeout)"
    assert "SIGSEGV" in errors["crash.txt"]
    assert "2,048 MB memory limit" in errors["hog.txt"]
    assert summary.stats.workers_replaced == 3
    assert summary.n_plans == 4 and summary.n_failed == 3


def process_logging_beside(path, settings=None):
    """logged_process, noting each call in calls.log beside the file (workers forked from a
    fork server started by an earlier test do not see this test's environment)."""
    with open(Path(path).parent / "calls.log", "a", encoding="utf-8") as fh:
        fh.write(Path(path).name + "\n")
    return logged_process(path, settings)


def test_files_queued_behind_a_failure_go_to_another_worker_once(tmp_path):
    # A worker holds the file it reads and the next: when a file kills it, or runs past the
    # time limit, the file it had been sent but not started goes to its replacement, once.
    # (Enough files that the slow one is not among the last, which go one at a time.)
    folder = tmp_path / "in"
    names = ["crash.txt", "a.txt", "slow.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"]
    folder.mkdir()
    for name in names:
        (folder / name).write_text(plan_text(2, name[:-4]), encoding="utf-8")
    tasks = [Task(index=i, path=str(folder / name)) for i, name in enumerate(names)]
    pool = ProcessPool(1, timeout_s=3, max_memory_mb=None)
    outcomes = [
        (Path(task.path).name, [e.kind for e in result.errors if e.stage == "batch"])
        for task, result in pool.run(process_logging_beside, RunSettings(), tasks)
    ]
    assert len(outcomes) == len(names)
    assert dict(outcomes) == {
        "crash.txt": ["crash"],
        "a.txt": [],
        "slow.txt": ["timeout"],
        **{name: [] for name in names[3:]},
    }
    assert sorted((folder / "calls.log").read_text(encoding="utf-8").split()) == sorted(names)
    assert pool.stats.workers_replaced == 2


def process_by_name(path, settings=None):
    """Nothing read: 1.5 s for a file named long*, 0.05 s for the others."""
    name = Path(path).name
    time.sleep(1.5 if name.startswith("long") else 0.05)
    return FileResult(path=str(path), source=name, sha256="")


def test_a_batchs_last_files_go_one_at_a_time_to_the_first_worker_free(tmp_path):
    # Held two at a time, the file after the long one would wait for it while the other
    # worker read the rest and sat idle: the last files wait in the run instead.
    names = ["long.txt", "a.txt", "b.txt", "c.txt"]
    tasks = [Task(index=i, path=str(tmp_path / name)) for i, name in enumerate(names)]
    pool = ProcessPool(2, timeout_s=None, max_memory_mb=None)
    finished = [Path(task.path).name for task, _ in pool.run(process_by_name, RunSettings(), tasks)]
    assert finished == ["a.txt", "b.txt", "c.txt", "long.txt"]
    assert pool.stats.workers_started == 2


def test_timeout_in_process(tmp_path):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    (folder / "slow.txt").write_text(plan_text(2, "slow"), encoding="utf-8")
    summary = run_extract(
        [folder], tmp_path / "out", batch={"workers": 1, "timeout_s": 0.5}, process=logged_process
    )
    failed = failed_rows(tmp_path / "out")
    assert list(failed.source) == ["slow.txt"] and list(failed.kind) == ["timeout"]
    assert summary.n_plans == 2


# ---------------------------------------------------------------- determinism


def mixed_inputs(folder: Path) -> Path:
    write_plans(folder, 5)
    plan_docx(folder / "word_plan.docx")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "sub").mkdir()
    write_plans(folder / "sub", 2, start=7)
    return folder


def test_output_is_byte_identical_for_any_worker_count(tmp_path):
    folder = mixed_inputs(tmp_path / "in")
    one, two = tmp_path / "one", tmp_path / "two"
    run_extract([folder], one, batch={"workers": 1, "cache": False})
    # two workers, each replaced after two files: order of completion varies, output must not
    summary = run_extract(
        [folder], two, batch={"workers": 2, "tasks_per_worker": 2, "cache": False}
    )
    assert summary.stats.workers_started >= 4
    for name in TABLE_FILES:
        assert filecmp.cmp(one / name, two / name, shallow=False), name
    assert len(plan_sources(one)) == 8


def test_shared_documents_byte_identical_across_worker_counts(tmp_path, shared_dir):
    inputs = [shared_dir / "rendered"]
    one, two = tmp_path / "one", tmp_path / "two"
    run_extract(inputs, one, batch={"workers": 1, "cache": False})
    run_extract(inputs, two, batch={"workers": 2})
    assert table_bytes(one) == table_bytes(two)
    run_extract(inputs, two, batch={"workers": 2})  # all from the cache
    assert table_bytes(one) == table_bytes(two)


def test_the_fork_server_imports_the_readers_the_file_names_call_for():
    pdf, docx_reader, text = (f"planx.extractors.{m}" for m in ("pdf", "docx", "text"))
    assert worker_preload(["a.pdf", "b.PDF"]) == [*WORKER_CORE, pdf, WORKER_WARM]
    assert worker_preload(["a.pdf", "b.docx", "c.md"]) == [
        *WORKER_CORE,
        pdf,
        docx_reader,
        text,
        WORKER_WARM,
    ]
    assert worker_preload(["a.pdf", "notes.rtf"]) == WORKER_PRELOAD  # unknown: every reader
    assert WORKER_PRELOAD[-1] == WORKER_WARM


def _sized(*sizes: int) -> list[Task]:
    return [Task(index=i, path=f"f{i}.pdf", size=size) for i, size in enumerate(sizes)]


def test_workers_start_the_last_stretchs_large_files_first():
    # Sixty 10-byte files, then 80, 10, 100, 10 bytes. With 2 workers the last stretch is the
    # shortest tail holding 3 x 2 x 100 bytes: files 20-63. Its large files (at least half
    # the largest: 80 and 100 bytes) start first, in their order; the others keep theirs.
    tasks = _sized(*[10] * 60, 80, 10, 100, 10)
    order = [t.index for t in start_order(tasks, 2)]
    assert order == [*range(20), 60, 62, *range(20, 60), 61, 63]
    # More workers, a longer stretch: 3 x 4 x 100 bytes reach back to file 0.
    assert [t.index for t in start_order(tasks, 4)] == [60, 62, *range(60), 61, 63]
    # The very last files (2 per worker) start largest first, so the workers end together.
    tasks = _sized(*[10] * 60, 100, 10, 30, 20, 40)
    assert [t.index for t in start_order(tasks, 2)][-5:] == [59, 64, 62, 63, 61]


def test_one_file_outweighing_the_rest_is_started_first():
    tasks = _sized(5, 5, 5, 1000, 5)
    assert [t.index for t in start_order(tasks, 2)] == [3, 0, 1, 2, 4]


def test_one_worker_starts_files_in_the_order_given():
    tasks = _sized(5, 1000, 5)
    assert start_order(tasks, 1) == tasks


def test_the_fork_server_starts_before_the_files_are_hashed(tmp_path, monkeypatch):
    events: list[str] = []
    start_server, sha256 = batch_mod.start_worker_server, batch_mod.file_sha256
    monkeypatch.setattr(
        batch_mod,
        "start_worker_server",
        lambda paths: (events.append("server"), start_server(paths)),
    )
    monkeypatch.setattr(
        batch_mod, "file_sha256", lambda path: (events.append("hash"), sha256(path))[1]
    )
    inputs = write_plans(tmp_path / "in", 3)
    summary = run_extract([tmp_path / "in"], tmp_path / "out", batch={"workers": 2, "cache": False})
    assert summary.n_plans == len(inputs)
    assert events[:4] == ["server", "hash", "hash", "hash"]  # then the outputs' own hashes
    events.clear()  # one worker: no server
    run_extract([tmp_path / "in"], tmp_path / "out1", batch={"workers": 1, "cache": False})
    assert "server" not in events


def test_the_fork_server_builds_the_default_nlp_pipeline_before_workers_fork():
    code = (
        "import planx.pipeline.worker_warm\n"
        "from planx.pipeline import process\n"
        "print(process._nlp.cache_info().currsize)\n"
        "process.warm_up(process.RunSettings())\n"  # a worker's own warm-up: built already
        "print(process._nlp.cache_info().hits)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]


def test_a_file_whose_bytes_name_another_format_is_read_by_a_worker(tmp_path, samples_dir):
    folder = tmp_path / "in"
    write_plans(folder, 2)
    pdf = samples_dir / "plans" / "northam_vale_2017-18_improvement_plan.pdf"
    (folder / "plan_99.txt").write_bytes(pdf.read_bytes())  # a PDF named as text
    one, two = tmp_path / "one", tmp_path / "two"
    run_extract([folder], one, batch={"workers": 1, "cache": False})
    run_extract([folder], two, batch={"workers": 2, "cache": False})
    assert table_bytes(one) == table_bytes(two)
    assert len(pd.read_csv(two / "actions.csv").query("source == 'plan_99.txt'")) == 40
