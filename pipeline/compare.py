"""Cross-authority comparison of the tables `planx extract` wrote.

`run_compare(outdir)` reads the extract's tables from OUTDIR (Parquet, else CSV), computes
in Python only what SQL cannot (which documents are copies and which are versions of one
plan: pipeline/copies.py, pipeline/history/; each KPI's common measure: pipeline/kpi_match.py;
the recommendations' text similarity to actions and KPIs: pipeline/compare_inspections.py),
adds those tables and the comparison views (pipeline/compare_views.py, the one definition
of every comparison) to OUTDIR/plans.duckdb, and writes each compare_* table as CSV, Parquet
and a sheet of OUTDIR/compare.xlsx from `SELECT * FROM v_compare_*`. It returns a
`CompareResult` for the report (pipeline/report/).

Plans that never name their council are compared under "[file name]". Copies of a plan and
files with another's bytes are left out (pipeline/copies.py); of a plan read in several
dated versions (pipeline/history/), only the latest version is compared, and copies are
sought within each version.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from planx.pipeline.compare_inspections import (
    inspections_to_plans,
    register_frame,
    tables_to_scores,
)
from planx.pipeline.compare_views import (
    COMPARED_ACTIONS_VIEW,
    VIEW_OF_TABLE,
    create_views,
    drop_views,
    select_views,
    views_over,
)
from planx.pipeline.copies import (
    DEFAULT_COPY_THRESHOLD,
    IDENTICAL_BASIS,
    plans_to_copies,
    tables_without_copies,
)
from planx.pipeline.frame_types import typed_frame
from planx.pipeline.history import tables_to_history
from planx.pipeline.kpi_match import KpiMatchSettings, measures_to_matches
from planx.pipeline.outputs import atomic_path
from planx.pipeline.recommendation_links import LinkSettings
from planx.pipeline.sinks import (
    DB_NAME,
    FORMULA_TRIGGERS,
    write_csv,
    write_parquet,
    write_xlsx,
)
from planx.schemas.settings import resolve_settings
from planx.schemas.table_columns import COMPARE_TABLES, TABLE_COLUMNS

__all__ = [
    "XLSX_NAME",
    "CompareResult",
    "CompareSettings",
    "kpis_to_matches",
    "read_tables",
    "run_compare",
    "tables_to_comparisons",
    "tables_to_python_tables",
]

XLSX_NAME = "compare.xlsx"
NEEDED = ("actions", "plans")  # the rest may be absent (an older run) and are then empty
OPTIONAL = ("kpis", "leads", "files", "glossary", "inspections", "recommendations")
KPI_MATCH_COLUMNS = [
    "plan_id", "kpi_id", "measure_key", "measure_label", "match_score", "match_kind", "basis",
    "measure_normalised",
]  # fmt: skip


@dataclass(frozen=True)
class CompareSettings:
    skip_copies: bool = True
    copy_threshold: float = DEFAULT_COPY_THRESHOLD
    kpi: KpiMatchSettings = field(default_factory=KpiMatchSettings)
    links: LinkSettings = field(default_factory=LinkSettings.default)

    def __post_init__(self) -> None:
        if not 0 < self.copy_threshold <= 1:
            raise ValueError(
                f"Compare setting 'copy_threshold' must be in (0, 1], not {self.copy_threshold}"
            )

    @classmethod
    def resolve(cls, settings: CompareSettings | dict[str, Any] | None) -> CompareSettings:
        """Settings from None, a dict or an instance (schemas.settings.resolve_settings)."""
        return resolve_settings(cls, settings, "compare")


@dataclass(frozen=True)
class CompareResult:
    """What `planx compare` wrote, and what the report shows."""

    outdir: Path
    written: list[Path]
    tables: dict[str, pd.DataFrame]  # every compare_* table, as written
    actions: pd.DataFrame  # the actions compared, as v_compared_actions gives them
    as_of: dt.date | None = None


# --------------------------------------------------------------------------- reading


def _undefuse(value: object) -> object:
    """Undo sinks.defuse for text read back from our own CSV."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] == "'"
        and value[1:].startswith(FORMULA_TRIGGERS)
    ):
        return value[1:]
    return value


def read_tables(outdir: Path) -> dict[str, pd.DataFrame]:
    """The extract run's tables from OUTDIR, Parquet preferred, CSV as fallback."""
    frames = {}
    for name in (*NEEDED, *OPTIONAL):
        parquet, csv = outdir / f"{name}.parquet", outdir / f"{name}.csv"
        if parquet.exists():
            frame = pd.read_parquet(parquet)
        elif csv.exists():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, encoding="utf-8").map(
                _undefuse
            )
        elif name in NEEDED:
            raise FileNotFoundError(f"no {name}.parquet or {name}.csv in {outdir}")
        else:
            frame = pd.DataFrame(columns=TABLE_COLUMNS[name])
        frames[name] = typed_frame(frame, TABLE_COLUMNS[name])
    return frames


# --------------------------------------------------------------------------- what SQL cannot do


def kpis_to_matches(
    kpis: pd.DataFrame, settings: KpiMatchSettings | dict | None = None
) -> pd.DataFrame:
    """kpi_id -> measure_key, label, score, kind, basis and normalised text (pipeline.kpi_match)."""
    matches = measures_to_matches(zip(kpis["kpi_id"], kpis["measure"], strict=True), settings)
    rows = [
        {
            "plan_id": plan_id,
            "kpi_id": kpi_id,
            "measure_key": (m := matches[kpi_id]).measure_key,
            "measure_label": m.measure_label,
            "match_score": float(m.match_score),
            "match_kind": m.match_kind,
            "basis": m.basis,
            "measure_normalised": m.core,
        }
        for plan_id, kpi_id in zip(kpis["plan_id"], kpis["kpi_id"], strict=True)
    ]
    columns = [
        "plan_id",
        "kpi_id",
        "measure_key",
        "measure_label",
        "match_score",
        "match_kind",
        "basis",
        "measure_normalised",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["plan_id", "kpi_id"], ignore_index=True)


def tables_to_python_tables(
    tables: dict[str, pd.DataFrame],
    as_of: dt.date | None = None,
    settings: CompareSettings | dict | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables the comparison views read beside the extract's, computed in Python because
    SQL cannot: compare_plans (copies and versions), action_history and action_keys (actions
    matched across versions), compare_kpi_matches (fuzzy KPI matching),
    compare_recommendation_scores and compare_inspection_plans (text similarity, and which
    plans answer which inspection), compare_register and compare_settings."""
    settings = CompareSettings.resolve(settings)
    # Versions of one plan (pipeline/history/): copies are sought within a version, and
    # only the latest version of each plan is compared.
    history = tables_to_history(
        tables,
        lambda p, a, k: plans_to_copies(p, a, k, settings.copy_threshold, tables["files"]),
        copy_threshold=settings.copy_threshold,
    )
    copies = history.plans
    if not settings.skip_copies:
        # Compare similar plans as they are; a file with another's bytes is still one document.
        similar = (copies["copy_of"] != "") & ~copies["copy_basis"].str.contains(IDENTICAL_BASIS)
        copies.loc[similar, ["copy_of", "copy_of_source", "copy_basis", "excluded_reason"]] = ""
    kept = tables_without_copies({n: f for n, f in tables.items() if n != "files"}, copies)
    pairs = inspections_to_plans(tables["inspections"], kept["plans"])
    scores = tables_to_scores(
        {**kept, "recommendations": tables["recommendations"]}, pairs, settings.links
    )
    compare_settings = pd.DataFrame(
        {
            "as_of": pd.Series([as_of], dtype=pd.ArrowDtype(pa.date32())),  # a DATE, or NULL
            "addressed_threshold": pd.Series([settings.links.addressed_threshold], dtype="float64"),
            "top_n": pd.Series([settings.links.top_n], dtype="int32"),
        }
    )
    return {
        "compare_plans": copies,
        **history.frames,
        "compare_kpi_matches": kpis_to_matches(kept["kpis"], settings.kpi),
        "compare_recommendation_scores": scores,
        "compare_inspection_plans": pairs,
        "compare_register": register_frame(),
        "compare_settings": compare_settings,
    }


def tables_to_comparisons(
    tables: dict[str, pd.DataFrame],
    as_of: dt.date | None = None,
    settings: CompareSettings | dict | None = None,
) -> dict[str, pd.DataFrame]:
    """Every compare_* table over `tables`, in a database held in memory (nothing written)."""
    python_tables = tables_to_python_tables(tables, as_of, settings)
    views = views_over({**tables, **python_tables})
    return {name: views.get(name, python_tables.get(name)) for name in COMPARE_TABLES}


# --------------------------------------------------------------------------- the database


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables already in the database (the extract's)."""
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def _store(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """`frame` as the table `name`, replacing any of that name."""
    con.register("_frame", frame)
    con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
    con.unregister("_frame")


def write_database(
    db: Path,
    base: Mapping[str, pd.DataFrame],
    python_tables: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Add the Python tables and the comparison views to the extract's database, atomically,
    and return each view's rows: the compare_* tables (also stored as tables, for readers of
    the database) and the actions compared.

    The existing file is copied and the copy changed, so readers never see a half-written
    database; the tables compare read (Parquet, else CSV) replace the extract's, so the
    views compare exactly what was read.
    """
    with atomic_path(db) as tmp:
        tmp.unlink()
        if db.exists():
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            drop_views(con)
            for name in VIEW_OF_TABLE:  # stored again below, from the views
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
            # The views compare what was read (a table edited after the extract included).
            for name, frame in base.items():
                _store(con, name, frame)
            for name, frame in python_tables.items():
                _store(con, name, frame)
            create_views(con)
            frames = select_views(con, VIEW_OF_TABLE)
            for name, frame in frames.items():
                _store(con, name, frame)
            actions = select_views(con, {"actions": COMPARED_ACTIONS_VIEW})["actions"]
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return frames, actions


def run_compare(
    outdir: str | Path,
    *,
    as_of: dt.date | None = None,
    settings: CompareSettings | dict | None = None,
) -> CompareResult:
    """Read OUTDIR's tables, write the comparison tables, the database's views and compare.xlsx."""
    outdir = Path(outdir)
    tables = read_tables(outdir)
    python_tables = tables_to_python_tables(tables, as_of, settings)
    frames, actions = write_database(outdir / DB_NAME, tables, python_tables)
    frames = {name: frames.get(name, python_tables.get(name)) for name in COMPARE_TABLES}
    written: list[Path] = []
    for name, frame in frames.items():
        write_csv(frame, outdir / f"{name}.csv")
        write_parquet(frame, outdir / f"{name}.parquet")
        written += [outdir / f"{name}.csv", outdir / f"{name}.parquet"]
    write_xlsx({n.removeprefix("compare_"): f for n, f in frames.items()}, outdir / XLSX_NAME)
    written += [outdir / DB_NAME, outdir / XLSX_NAME]
    return CompareResult(
        outdir=outdir, written=written, tables=frames, actions=actions, as_of=as_of
    )
