"""The `planx` command line: extract, compare, check, schema, explain.

Commands stay thin: parse options, build settings, call one pipeline
function, print what was written. Exit codes scripts can rely on:

    0  success (some files may have failed: see errors.csv)
    1  no input file could be processed
    2  usage error (bad option, missing path)
    3  the outputs failed their check (see `planx check`)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planx import __version__

if TYPE_CHECKING:  # the stages are imported where used, so `planx --help` starts fast
    from planx.pipeline.batch import BatchSettings, Executor, RunSummary
    from planx.pipeline.process import RunSettings

PDF_ENGINE_CHOICES = (
    "pdfium",
    "pdfplumber",
)  # extractors.base.PDF_ENGINES, not imported: fast --help
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_OK, EXIT_NOTHING_PROCESSED, EXIT_USAGE, EXIT_CHECK_FAILED = 0, 1, 2, 3


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date like 2018-03-31", param, ctx)


def as_of_option(fn):
    return click.option(
        "--as-of",
        type=IsoDate(),
        default=None,
        help="Judge overdue actions as of this date: not complete and due before it.",
    )(fn)


def pdf_engine_option(fn):
    return click.option(
        "--pdf-engine",
        type=click.Choice(PDF_ENGINE_CHOICES),
        default=PDF_ENGINE_CHOICES[0],
        show_default=True,
        help="What parses PDF pages: PDFium (fast) or pdfplumber (slower, the reference). "
        "A PDF PDFium cannot read is read with pdfplumber, with a warning in errors.csv.",
    )(fn)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="planx")
def cli():
    """Turn council improvement plans into one table of actions and KPIs.

    planx reads children's-services improvement plans (PDF, Word, text
    exports, Excel, web pages), finds every action and performance measure,
    and writes them as CSV, Parquet, a DuckDB database and an Excel workbook,
    so plans from different councils can be compared.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the tables into (created if missing).",
)
@as_of_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and the final summary.")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Files processed at once, each in its own process [default: one per core]. "
    "1 runs everything in this process (for debugging).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default=None,
    help="Where files are processed: 'local' worker processes (default) or an existing "
    "Dask cluster (with --scheduler).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --executor dask).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Stop a file that takes longer than this (0: no limit); it is listed in errors.csv.",
)
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=0),
    default=4096,
    show_default=True,
    metavar="MB",
    help="Memory limit per worker process (0: no limit); a file needing more is listed "
    "in errors.csv. Not applied with --workers 1 or Dask.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Refuse documents with more pages than this [default: 2000].",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where results of unchanged files are kept for the next run [default: OUTPUT/.planx-cache].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--force", is_flag=True, help="Process every file again, even unchanged ones.")
@click.option(
    "--formats",
    default="csv,parquet,duckdb,xlsx",
    show_default=True,
    metavar="LIST",
    help="Which files to write, comma-separated: csv, parquet, duckdb (plans.duckdb), "
    "xlsx (plans.xlsx); csv or parquet must be one of them.",
)
@pdf_engine_option
def extract(
    paths,
    outdir,
    as_of,
    quiet,
    workers,
    executor,
    scheduler,
    timeout_s,
    max_memory_mb,
    max_pages,
    cache_dir,
    no_cache,
    force,
    formats,
    pdf_engine,
):
    """Extract actions and KPIs from plan documents.

    PATHS are files or folders (searched recursively). Files that cannot be
    read, take too long or need too much memory are listed in
    OUTPUT/errors.csv and the rest are still processed. A re-run only
    processes new or changed files (see --force).

    Example:

    \b
        planx extract plans/ -o out
        planx extract plan_2017.pdf update_2018.docx -o out --as-of 2017-06-30
        planx extract plans/ -o out --workers 8 --timeout 120
        planx extract plans/ -o out --scheduler tcp://10.0.0.5:8786
    """
    from planx.extractors import ExtractSettings
    from planx.pipeline.process import RunSettings
    from planx.pipeline.progress import make_progress

    batch = _batch_settings(
        workers, executor, scheduler, timeout_s, max_memory_mb, cache_dir, no_cache, force
    )
    batch = _with_formats(batch, formats)
    limits = {"max_pages": max_pages} if max_pages else {}
    run = RunSettings(extract=ExtractSettings(pdf_engine=pdf_engine, **limits), as_of=as_of)
    summary = _run_batch(
        list(paths), outdir, run, batch, make_progress("quiet" if quiet else "auto")
    )
    _echo_summary(summary, outdir)
    _exit_if_check_fails(outdir, extract_only=True)
    if summary.n_files == 0:
        click.echo("no input files found", err=True)
        sys.exit(EXIT_NOTHING_PROCESSED)
    if summary.n_plans == 0:
        sys.exit(EXIT_NOTHING_PROCESSED)


def _batch_settings(
    workers: int | None,
    executor: Executor | None,
    scheduler: str | None,
    timeout_s: float,
    max_memory_mb: int,
    cache_dir: Path | None,
    no_cache: bool,
    force: bool,
) -> BatchSettings:
    """How the batch runs, from the command's options (a usage error where they disagree)."""
    from planx.pipeline.batch import BatchSettings

    if executor is None:
        executor = "dask" if scheduler else "local"
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT")
    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler is only used with --executor dask")
    return BatchSettings(
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        timeout_s=timeout_s or None,
        max_memory_mb=max_memory_mb or None,
        cache=not no_cache,
        cache_dir=cache_dir,
        force=force,
    )


def _with_formats(batch: BatchSettings, formats: str) -> BatchSettings:
    """The batch settings with the output formats asked for (a usage error if unknown)."""
    import dataclasses

    from planx.pipeline.outputs import check_formats

    try:
        return dataclasses.replace(batch, formats=check_formats(formats))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--formats") from exc


def _run_batch(
    paths: list[Path], outdir: Path, run: RunSettings, batch: BatchSettings, progress
) -> RunSummary:
    """The batch run, its failures as a user reads them (and exit code 130 if interrupted)."""
    from planx.pipeline.batch import OutputBusyError, run_extract

    try:
        return run_extract(paths, outdir, run, batch=batch, progress=progress)
    except OutputBusyError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo(
            "\ninterrupted: the previous tables are unchanged; files already done are cached, "
            "so running the same command again carries on",
            err=True,
        )
        sys.exit(130)
    except OSError as exc:  # e.g. no Dask scheduler at that address, output folder not writable
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc


def _echo_summary(summary: RunSummary, outdir: Path) -> None:
    """What was read and written, in two lines."""
    cached = f" ({summary.n_cached} unchanged, from the cache)" if summary.n_cached else ""
    identical = (
        f" ({summary.n_identical} identical to another file, read once)"
        if summary.n_identical
        else ""
    )
    click.echo(
        f"{summary.n_read} of {summary.n_files} files read{identical}{cached}: "
        f"{summary.n_actions} actions, {summary.n_kpis} KPIs, {summary.n_pages} pages; "
        f"{summary.n_failed} failed (see {outdir / 'errors.csv'})"
    )
    unchanged = " (unchanged: nothing new to write)" if summary.outputs_unchanged else ""
    names = {p.name for p in summary.written}
    kinds = [f"*.{ext}" for ext in ("csv", "parquet") if f"plans.{ext}" in names]
    parts = [f"tables: {outdir}/{', '.join(kinds)}"]
    if "plans.duckdb" in names:
        parts.append(f"database: {outdir / 'plans.duckdb'}")
    if "plans.xlsx" in names:
        parts.append(f"workbook: {outdir / 'plans.xlsx'}")
    click.echo("; ".join(parts) + unchanged)


@cli.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@as_of_option
def compare(outdir, as_of):
    """Compare the extracted plans across councils.

    Reads the tables `planx extract` wrote in OUTDIR and adds comparison
    tables and a one-page HTML report (OUTDIR/report.html).

    Example:

    \b
        planx compare out --as-of 2017-06-30
    """
    from planx.pipeline.compare import run_compare
    from planx.pipeline.report import write_report

    try:
        result = run_compare(outdir, as_of=as_of)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; run `planx extract ... -o {outdir}` first") from exc
    report = write_report(result)
    for path in [*result.written, report]:
        click.echo(f"wrote {path}")
    click.echo(f"report: {report}")
    _exit_if_check_fails(outdir)


def _exit_if_check_fails(outdir: Path, *, extract_only: bool = False) -> None:
    """Check the outputs in OUTDIR: each problem is an error line, then exit 3."""
    from planx.pipeline.check import EXTRACT_TABLES, check_tables, read_outputs, report_problems

    try:
        tables = read_outputs(outdir, EXTRACT_TABLES) if extract_only else read_outputs(outdir)
    except (OSError, ValueError) as exc:
        click.echo(f"error: check failed: cannot read the tables in {outdir}: {exc}", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    problems = check_tables(tables)
    if problems:
        report_problems(problems, lambda line: click.echo(line, err=True))
        sys.exit(EXIT_CHECK_FAILED)


@cli.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(outdir):
    """Check the tables in OUTDIR: nothing lost, nothing doubled.

    Every input file is in plans.csv or errors.csv; every id is unique;
    every reference (an action's plan, a lead's action or KPI, a tag's
    record...) resolves; the counts in plans.csv equal the rows in
    actions.csv and kpis.csv; and, after `planx compare`, every document is
    compared once (a copy never hides its original) and every authority
    with a compared document is in the comparisons. Each problem is printed
    as an error line and the exit code is 3. `planx extract` and
    `planx compare` run the same checks on what they wrote.

    Example:

    \b
        planx extract plans/ -o out && planx compare out
        planx check out
    """
    _exit_if_check_fails(outdir)
    click.echo(f"{outdir}: all checks passed")


@cli.command()
@click.option(
    "--table",
    type=click.Choice(["plan", "action", "kpi", "error", "inspection", "all"]),
    default="all",
    show_default=True,
    help="Which record's schema to print.",
)
def schema(table):
    """Print the JSON Schema of the output records.

    Dashboards can validate planx's output against it.

    Example:

    \b
        planx schema > planx.schema.json
        planx schema --table action
    """
    from planx.schemas.json_schema import output_json_schema

    click.echo(json.dumps(output_json_schema(table), indent=2))


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Body rows shown per table.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@pdf_engine_option
def explain(path, rows, as_json, pdf_engine):
    """Show how planx reads each table of one document, and why.

    For every table: its page, header and first rows, the role each column
    took (score, header and cell evidence, runner-up), and why the table was
    read as actions, KPIs or neither.

    Example:

    \b
        planx explain samples/plans/northam_vale_2017-18_improvement_plan.pdf
        planx explain plan.docx --rows 5 --json
    """
    from planx.extractors import ExtractionError, ExtractSettings
    from planx.pipeline.explain import explain_file, explanation_to_dict, explanation_to_text

    try:
        expl = explain_file(path, ExtractSettings(pdf_engine=pdf_engine))
    except ExtractionError as exc:
        raise click.ClickException(f"{path.name}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(explanation_to_dict(expl, rows), indent=2, ensure_ascii=False))
    else:
        click.echo(explanation_to_text(expl, rows), nl=False)


@cli.command()
@click.option(
    "--idle-timeout",
    "idle_timeout_s",
    type=click.FloatRange(min=0),
    default=900,
    show_default=True,
    metavar="SECONDS",
    help="Exit after this long without a command (0: only when stopped).",
)
def serve(idle_timeout_s):
    """Keep a warm planx running, so each command starts at once.

    A fresh `planx extract` spends most of a one-file run importing its
    libraries and building its language pipeline. `planx serve` does that
    once and waits: while it runs, every `planx` command of this user (and
    this version of planx) is handed to it and runs in a copy of it, with
    the same output, messages and exit code, in a fraction of the time.
    It runs in the foreground (end it with Ctrl-C, or start it with `&`);
    it also ends after --idle-timeout without a command, or when planx is
    updated. PLANX_NO_SERVE=1 makes a command run in its own process.

    Example:

    \b
        planx serve &
        planx extract plan.pdf -o out
    """
    from planx.pipeline.serve import ServeError, run_server

    try:
        run_server(cli, idle_timeout_s or None)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc


def main() -> None:
    """The console script: the command is handed to a warm `planx serve` for this code if one
    answers (see serve_client.py), else runs in this process."""
    from planx.pipeline.serve_client import hand_over

    code = hand_over(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    cli(prog_name="planx")
