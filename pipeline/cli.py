"""The `planx` command line: extract, compare, schema.

Commands stay thin: parse options, build settings, call one pipeline
function, print what was written. Exit codes scripts can rely on:

    0  success (some files may have failed: see errors.csv)
    1  no input file could be processed
    2  usage error (bad option, missing path)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pipeline import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_OK, EXIT_NOTHING_PROCESSED, EXIT_USAGE = 0, 1, 2


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
def extract(paths, outdir, as_of, quiet):
    """Extract actions and KPIs from plan documents.

    PATHS are files or folders (searched recursively). Files that cannot be
    read are listed in OUTPUT/errors.csv and the rest are still processed.

    Example:

    \b
        planx extract plans/ -o out
        planx extract bristol.pdf worcs.docx -o out --as-of 2017-06-30
    """
    from pipeline.batch import run_extract
    from pipeline.process import RunSettings

    def report(result):
        for err in result.errors:
            if err.severity != "warning" or not quiet:
                click.echo(f"{err.source}: {err.severity}: {err.error}", err=True)
        if not quiet and result.plan is not None:
            p = result.plan
            click.echo(
                f"{result.source}: {len(p.actions)} actions, {len(p.kpis)} KPIs ({p.authority or 'authority not named'})"
            )

    summary = run_extract(list(paths), outdir, RunSettings(as_of=as_of), on_result=report)
    click.echo(
        f"{summary.n_plans} of {summary.n_files} files read: {summary.n_actions} actions, {summary.n_kpis} KPIs; "
        f"{summary.n_failed} failed (see {outdir / 'errors.csv'})"
    )
    click.echo(
        f"tables: {outdir}/*.csv, *.parquet; database: {outdir / 'plans.duckdb'}; workbook: {outdir / 'plans.xlsx'}"
    )
    if summary.n_files and summary.n_plans == 0:
        sys.exit(EXIT_NOTHING_PROCESSED)
    if summary.n_files == 0:
        click.echo("no input files found", err=True)
        sys.exit(EXIT_NOTHING_PROCESSED)


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
    from pipeline.compare import run_compare

    try:
        result = run_compare(outdir, as_of=as_of)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc}; run `planx extract ... -o {outdir}` first") from exc
    for path in result.written:
        click.echo(f"wrote {path}")
    click.echo(f"report: {result.report}")


@cli.command()
@click.option(
    "--table",
    type=click.Choice(["plan", "action", "kpi", "error", "all"]),
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
    from schemas.json_schema import output_json_schema

    click.echo(json.dumps(output_json_schema(table), indent=2))


def main():  # pragma: no cover - the console script
    cli()
