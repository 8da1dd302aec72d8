"""Check a run's output tables: nothing lost, nothing doubled, every reference resolves.

Each check is a small pure function over the tables that returns the problems it found (an
empty list when all is well); `check_tables` runs them all and `check_outdir` reads an output
folder first. `planx check OUTDIR` prints each problem as an error line, and `planx extract` /
`planx compare` run the same checks on what they wrote.

A table is anything with rows and named columns: a pandas DataFrame, or the `ReadTable` that
`read_table` gives (only the columns the checks look at, read with pyarrow or the csv module:
checking what a run wrote loads no pandas, and holds ids, not whole tables).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from planx.pipeline.sinks import FORMULA_TRIGGERS
from planx.schemas.table_columns import TABLE_COLUMNS


class Table(Protocol):
    """Rows with named columns: `len` is the number of rows, `table[column]` its values."""

    def __len__(self) -> int: ...

    def __contains__(self, column: object) -> bool: ...

    def __getitem__(self, column: str) -> Iterable[Any]: ...


Tables = Mapping[str, Table]

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


def _shown(value: object) -> str:
    """A value as stripped text; missing (None, NaN, NaT, pandas' NA) as blank."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN, NaT
            return ""
    except TypeError:  # pandas' NA is neither equal nor unequal to itself
        return ""
    return str(value).strip()


def _text(table: Table, column: str) -> list[str]:
    """A column as stripped text, blanks for missing values (all blank if it is absent)."""
    if column not in table:
        return [""] * len(table)
    return [_shown(v) for v in table[column]]


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
        blank = ids.count("")
        if blank:
            problems.append(Problem("unique ids", f"{table}.{column} is blank in {blank} rows"))
        counts = Counter(ids)
        repeated = [i for i in ids if i and counts[i] > 1]
        if repeated:
            problems.append(
                Problem(
                    "unique ids",
                    f"{table}.{column}: {len(set(repeated))} ids appear more than once "
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
        known = set().union(*(set(_text(tables[p], c)) for p, c in parents))
        dangling = [v for v in _text(tables[child], column) if v and v not in known]
        if dangling:
            targets = " or ".join(f"{p}.{c}" for p, c in parents)
            problems.append(
                Problem(
                    "foreign keys",
                    f"{child}.{column}: {len(dangling)} rows refer to no {targets}, "
                    f"e.g. {_some(dangling)}",
                )
            )
    return problems


def _sources_by_plan(plans: Table) -> dict[str, set[str]]:
    """Plan id -> the names of the files it was read from (the file read and its copies)."""
    out: dict[str, set[str]] = {}
    copies = _text(plans, "identical_copies")
    for plan_id, source, more in zip(
        _text(plans, "plan_id"), _text(plans, "source"), copies, strict=True
    ):
        names = {source} | {n.strip() for n in more.split(";") if n.strip()}
        out.setdefault(plan_id, set()).update(names)
    return out


def unaccounted_files(files: Table, plans: Table, errors: Table) -> list[Problem]:
    """Every input file is in plans (read, or an identical copy of a file read) or in errors."""
    sources = _sources_by_plan(plans)
    severities = zip(_text(errors, "source"), _text(errors, "severity"), strict=True)
    failed = {source for source, severity in severities if severity in ("failed", "")}
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


def _count(text: str) -> int:
    """A count as written ("3", "3.0"); blank or not a number: 0."""
    try:
        return int(float(text))
    except ValueError:
        return 0


def count_mismatches(plans: Table, actions: Table, kpis: Table) -> list[Problem]:
    """The counts in plans equal the rows of actions and kpis for each plan."""
    problems = []
    plan_ids = _text(plans, "plan_id")
    for records, column in ((actions, "n_actions"), (kpis, "n_kpis")):
        rows = Counter(_text(records, "plan_id"))
        stated = [_count(n) for n in _text(plans, column)]
        wrong = [p for p, n in zip(plan_ids, stated, strict=True) if n != rows.get(p, 0)]
        if wrong:
            table = column.removeprefix("n_")
            problems.append(
                Problem(
                    "counts",
                    f"plans.{column} differs from the rows in {table} for {len(wrong)} plans, "
                    f"e.g. {_some(wrong)}",
                )
            )
    return problems


def _authority_label(table: Table) -> list[str]:
    """The authority a plan is compared under: as named, else its file name in brackets."""
    named, sources = _text(table, "authority"), _text(table, "source")
    return [n or f"[{s}]" for n, s in zip(named, sources, strict=True)]


def hidden_originals(compare_plans: Table) -> list[Problem]:
    """Each document has exactly one representative: a copy points at a row that is no copy,
    and no plan is compared twice."""
    problems = []
    plan_ids, copy_of = _text(compare_plans, "plan_id"), _text(compare_plans, "copy_of")
    reason = _text(compare_plans, "excluded_reason")
    rows = list(zip(plan_ids, copy_of, reason, strict=True))
    representatives = {p for p, c, _ in rows if c == ""}
    orphans = [c for _, c, _ in rows if c and c not in representatives]
    if orphans:
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {len(orphans)} copies point at a plan that is itself a copy "
                f"or absent, e.g. {_some(orphans)}",
            )
        )
    compared = Counter(p for p, _, r in rows if r == "")
    twice = [p for p, _, r in rows if r == "" and compared[p] > 1]
    if twice:
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {len(set(twice))} plans are compared more than once, "
                f"e.g. {_some(twice)}",
            )
        )
    marked = [p for p, c, r in rows if c and r == ""]
    if marked:
        problems.append(
            Problem(
                "one representative",
                f"compare_plans: {len(marked)} copies are still compared, e.g. {_some(marked)}",
            )
        )
    return problems


def missing_authorities(plans: Table, compare_plans: Table, summary: Table) -> list[Problem]:
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
    reasons = _text(compare_plans, "excluded_reason")
    labels = zip(_authority_label(compare_plans), reasons, strict=True)
    compared = {label for label, reason in labels if reason == ""}
    absent = sorted(compared - set(_text(summary, "authority")))
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


CSV_CHECKED_UP_TO = 16 * 2**20  # bytes: a bigger table is read from its Parquet file
# The columns the checks look at, by table: all `read_table` reads.
CHECKED_COLUMNS: dict[str, set[str]] = {
    "plans": {"plan_id", "source", "identical_copies", "n_actions", "n_kpis", "authority"},
    "files": {"path", "source", "plan_id"},
    "errors": {"source", "severity"},
    "compare_plans": {"plan_id", "source", "copy_of", "excluded_reason", "authority"},
    "compare_authority_summary": {"authority"},
}
for _table, _column in ID_COLUMNS:
    CHECKED_COLUMNS.setdefault(_table, set()).add(_column)
for _child, _column, _parents in FOREIGN_KEYS:
    CHECKED_COLUMNS.setdefault(_child, set()).add(_column)
    for _table, _column in _parents:
        CHECKED_COLUMNS.setdefault(_table, set()).add(_column)


@dataclass(frozen=True)
class ReadTable:
    """A table as read back for the checks: its number of rows and some of its columns."""

    n_rows: int
    columns: Mapping[str, Sequence[Any]]

    def __len__(self) -> int:
        return self.n_rows

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def __getitem__(self, column: str) -> Sequence[Any]:
        return self.columns[column]


def read_table(outdir: Path, name: str) -> ReadTable | None:
    """The checked columns of one table as written, or None when absent: from the CSV file
    (the csv module: a one-file run's check loads nothing), or from the Parquet file when it
    is there and the CSV is big or missing (pyarrow reads only the checked columns)."""
    parquet, csv_path = outdir / f"{name}.parquet", outdir / f"{name}.csv"
    wanted = CHECKED_COLUMNS.get(name, set())
    csv_size = csv_path.stat().st_size if csv_path.exists() else None
    if parquet.exists() and (csv_size is None or csv_size > CSV_CHECKED_UP_TO):
        import pyarrow.parquet as pq

        # ParquetFile, not read_table: pyarrow's datasets (read_table's) import pandas.
        with pq.ParquetFile(parquet) as file:
            present = [c for c in file.schema_arrow.names if c in wanted]
            table = file.read(columns=present)
        return ReadTable(table.num_rows, {c: table.column(c).to_pylist() for c in present})
    if csv_size is not None:
        return _read_csv(csv_path, wanted)
    return None


def _undefused(text: str) -> str:
    """A CSV value as the tables hold it: without the ' that defuses a formula (sinks.defuse),
    so a name reads the same in every column (an "=x.pdf" inside a list is not defused)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def _read_csv(path: Path, wanted: set[str]) -> ReadTable:
    """The wanted columns of a CSV file, as text."""
    with open(path, encoding="utf-8", newline="") as fh:
        try:
            reader = csv.reader(fh)
            header = next(reader, [])
            picked = [(i, c) for i, c in enumerate(header) if c in wanted]
            columns: dict[str, list[str]] = {c: [] for _, c in picked}
            n_rows = 0
            for row in reader:
                if not row:  # a blank line is no row (as pandas reads it)
                    continue
                n_rows += 1
                for i, column in picked:
                    columns[column].append(_undefused(row[i]) if i < len(row) else "")
        except csv.Error as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return ReadTable(n_rows, columns)


def read_outputs(
    outdir: Path, names: tuple[str, ...] = (*EXTRACT_TABLES, *COMPARE_TABLES)
) -> dict[str, ReadTable]:
    """The tables found in OUTDIR, by name (the columns the checks look at)."""
    tables = {name: read_table(outdir, name) for name in names}
    return {name: table for name, table in tables.items() if table is not None}


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
