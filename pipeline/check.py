"""Check a run's output tables: nothing lost, nothing doubled, every reference resolves.

Each check is a small pure function over the frames that returns the problems
it found (an empty list when all is well); `check_tables` runs them all and
`check_outdir` reads an output folder first. `planx check OUTDIR` prints each
problem as an error line, and `planx extract` / `planx compare` run the same
checks on what they wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planx.schemas.table_columns import TABLE_COLUMNS

Tables = Mapping[str, pd.DataFrame]

# Ids that name one row each.
ID_COLUMNS = (
    ("plans", "plan_id"),
    ("actions", "action_id"),
    ("kpis", "kpi_id"),
    ("themes", "theme_id"),
    ("leads", "lead_id"),
    ("milestones", "milestone_id"),
    ("tags", "tag_id"),
    ("files", "path"),
)
# child table, column -> the (table, column)s its non-blank values must be found in.
FOREIGN_KEYS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    *(
        (child, "plan_id", (("plans", "plan_id"),))
        for child in (
            "actions",
            "kpis",
            "themes",
            "leads",
            "milestones",
            "glossary",
            "legends",
            "tags",
            "files",
            "compare_plans",
        )
    ),
    ("leads", "action_id", (("actions", "action_id"),)),
    ("leads", "kpi_id", (("kpis", "kpi_id"),)),
    ("milestones", "action_id", (("actions", "action_id"),)),
    ("tags", "record_id", (("actions", "action_id"), ("kpis", "kpi_id"))),
    ("compare_plans", "copy_of", (("plans", "plan_id"),)),
)
# Tables every extract writes; the comparisons are checked only where `planx compare` ran.
EXTRACT_TABLES = tuple(TABLE_COLUMNS)
COMPARE_TABLES = ("compare_plans", "compare_authority_summary")
EXAMPLES = 3  # ids quoted in a problem's message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the outputs: which check found it, and what it is."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def _some(values) -> str:
    values = sorted({str(v) for v in values})
    more = f" (and {len(values) - EXAMPLES} more)" if len(values) > EXAMPLES else ""
    return ", ".join(repr(v) for v in values[:EXAMPLES]) + more


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text, blanks for missing values."""
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    col = frame[column]
    return col.astype(object).where(col.notna(), "").astype(str).str.strip()


def missing_tables(tables: Tables, needed: tuple[str, ...] = EXTRACT_TABLES) -> list[Problem]:
    """Every table the run should have written is there."""
    return [
        Problem("tables", f"{name} is missing (no {name}.parquet or {name}.csv)")
        for name in needed
        if name not in tables
    ]


def duplicate_ids(tables: Tables) -> list[Problem]:
    """Each id names one row: no id is blank or appears twice in its table."""
    problems = []
    for table, column in ID_COLUMNS:
        if table not in tables:
            continue
        ids = _text(tables[table], column)
        if (ids == "").any():
            problems.append(
                Problem("unique ids", f"{table}.{column} is blank in {int((ids == '').sum())} rows")
            )
        repeated = ids[(ids != "") & ids.duplicated(keep=False)]
        if len(repeated):
            problems.append(
                Problem(
                    "unique ids",
                    f"{table}.{column}: {repeated.nunique()} ids appear more than once "
                    f"({len(repeated)} rows), e.g. {_some(repeated)}",
                )
            )
    return problems


def dangling_keys(tables: Tables) -> list[Problem]:
    """Every reference to another table's row finds that row."""
    problems = []
    for child, column, parents in FOREIGN_KEYS:
        if child not in tables or any(p not in tables for p, _ in parents):
            continue
        values = _text(tables[child], column)
        known = set().union(*(set(_text(tables[p], c)) for p, c in parents))
        dangling = values[(values != "") & ~values.isin(known)]
        if len(dangling):
            targets = " or ".join(f"{p}.{c}" for p, c in parents)
            problems.append(
                Problem(
                    "foreign keys",
                    f"{child}.{column}: {len(dangling)} rows refer to no {targets}, "
                    f"e.g. {_some(dangling)}",
                )
            )
    return problems


def _sources_by_plan(plans: pd.DataFrame) -> dict[str, set[str]]:
    """Plan id -> the names of the files it was read from (the file read and its copies)."""
    out: dict[str, set[str]] = {}
    copies = _text(plans, "identical_copies")
    for plan_id, source, more in zip(
        _text(plans, "plan_id"), _text(plans, "source"), copies, strict=True
    ):
        names = {source} | {n.strip() for n in more.split(";") if n.strip()}
        out.setdefault(plan_id, set()).update(names)
    return out


def unaccounted_files(
    files: pd.DataFrame, plans: pd.DataFrame, errors: pd.DataFrame
) -> list[Problem]:
    """Every input file is in plans (read, or an identical copy of a file read) or in errors."""
    sources = _sources_by_plan(plans)
    failed = set(_text(errors, "source")[_text(errors, "severity").isin(["failed", ""])])
    missing = []
    for path, source, plan_id in zip(
        _text(files, "path"), _text(files, "source"), _text(files, "plan_id"), strict=True
    ):
        found = source in sources.get(plan_id, set()) if plan_id else source in failed
        if not found:
            missing.append(path)
    if not missing:
        return []
    return [
        Problem(
            "every file",
            f"{len(missing)} input files are in neither plans nor errors, e.g. {_some(missing)}",
        )
    ]


def count_mismatches(
    plans: pd.DataFrame, actions: pd.DataFrame, kpis: pd.DataFrame
) -> list[Problem]:
    """The counts in plans equal the rows of actions and kpis for each plan."""
    problems = []
    for records, column in ((actions, "n_actions"), (kpis, "n_kpis")):
        rows = _text(records, "plan_id").value_counts()
        stated = pd.to_numeric(plans[column], errors="coerce").fillna(0).astype(int)
        found = _text(plans, "plan_id").map(rows).fillna(0).astype(int)
        wrong = _text(plans, "plan_id")[stated != found]
        if len(wrong):
            table = column.removeprefix("n_")
            problems.append(
                Problem(
                    "counts",
                    f"plans.{column} differs from the rows in {table} for {len(wrong)} plans, "
                    f"e.g. {_some(wrong)}",
                )
            )
    return problems


def _authority_label(frame: pd.DataFrame) -> pd.Series:
    """The authority a plan is compared under: as named, else its file name in brackets."""
    named = _text(frame, "authority")
    return named.where(named != "", "[" + _text(frame, "source") + "]")


def hidden_originals(compare_plans: pd.DataFrame) -> list[Problem]:
    """Each document has exactly one representative: a copy points at a row that is no copy,
    and no plan is compared twice."""
    problems = []
    plan_ids, copy_of = _text(compare_plans, "plan_id"), _text(compare_plans, "copy_of")
    reason = _text(compare_plans, "excluded_reason")
    representatives = set(plan_ids[copy_of == ""])
    orphans = copy_of[(copy_of != "") & ~copy_of.isin(representatives)]
    if len(orphans):
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {len(orphans)} copies point at a plan that is itself a copy "
                f"or absent, e.g. {_some(orphans)}",
            )
        )
    compared = plan_ids[reason == ""]
    twice = compared[compared.duplicated(keep=False)]
    if len(twice):
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {twice.nunique()} plans are compared more than once, "
                f"e.g. {_some(twice)}",
            )
        )
    marked = plan_ids[(copy_of != "") & (reason == "")]
    if len(marked):
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {len(marked)} copies are still compared, e.g. {_some(marked)}",
            )
        )
    return problems


def missing_authorities(
    plans: pd.DataFrame, compare_plans: pd.DataFrame, summary: pd.DataFrame
) -> list[Problem]:
    """Every plan is listed in compare_plans, and every authority with a compared document
    is in compare_authority_summary."""
    problems = []
    listed = set(zip(_text(compare_plans, "plan_id"), _text(compare_plans, "source"), strict=True))
    unlisted = [
        source
        for plan_id, source in zip(_text(plans, "plan_id"), _text(plans, "source"), strict=True)
        if (plan_id, source) not in listed
    ]
    if unlisted:
        problems.append(
            Problem(
                "comparisons",
                f"compare_plans does not list {len(unlisted)} plans, e.g. {_some(unlisted)} "
                "(run `planx compare` again after `planx extract`)",
            )
        )
    compared = _authority_label(compare_plans)[_text(compare_plans, "excluded_reason") == ""]
    shown = set(_text(summary, "authority"))
    absent = sorted(set(compared) - shown)
    if absent:
        problems.append(
            Problem(
                "comparisons",
                f"{len(absent)} authorities with a compared document are not in "
                f"compare_authority_summary, e.g. {_some(absent)}",
            )
        )
    return problems


def check_tables(tables: Tables) -> list[Problem]:
    """Every check that the tables present allow."""
    problems = missing_tables(tables)
    problems += duplicate_ids(tables)
    problems += dangling_keys(tables)
    if {"files", "plans", "errors"} <= tables.keys():
        problems += unaccounted_files(tables["files"], tables["plans"], tables["errors"])
    if {"plans", "actions", "kpis"} <= tables.keys():
        problems += count_mismatches(tables["plans"], tables["actions"], tables["kpis"])
    if "compare_plans" in tables:
        problems += hidden_originals(tables["compare_plans"])
        if "plans" in tables and "compare_authority_summary" in tables:
            problems += missing_authorities(
                tables["plans"], tables["compare_plans"], tables["compare_authority_summary"]
            )
    return problems


def read_table(outdir: Path, name: str) -> pd.DataFrame | None:
    """One table as written (Parquet, else CSV read as text), or None when absent."""
    parquet, csv = outdir / f"{name}.parquet", outdir / f"{name}.csv"
    if parquet.exists():
        return pd.read_parquet(parquet)
    if csv.exists():
        return pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8")
    return None


def read_outputs(
    outdir: Path, names: tuple[str, ...] = (*EXTRACT_TABLES, *COMPARE_TABLES)
) -> dict[str, pd.DataFrame]:
    """The tables found in OUTDIR, by name."""
    frames = {name: read_table(outdir, name) for name in names}
    return {name: frame for name, frame in frames.items() if frame is not None}


def check_outdir(outdir: str | Path) -> list[Problem]:
    """Read OUTDIR's tables and check them; an unreadable table is a problem too."""
    try:
        tables = read_outputs(Path(outdir))
    except (OSError, ValueError) as exc:
        return [Problem("tables", f"cannot read the tables in {outdir}: {exc}")]
    return check_tables(tables)


def report_problems(problems: list[Problem], echo: Callable[[str], None]) -> None:
    """One error line per problem."""
    for problem in problems:
        echo(f"error: check failed: {problem}")
