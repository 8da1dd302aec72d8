"""Cross-authority comparison of the tables `planx extract` wrote.

`run_compare(outdir)` reads actions, plans, kpis and leads from OUTDIR
(Parquet, else CSV), computes one comparison table per question (themes,
status mix, lead role families, due quarters, overdue actions, KPI targets
side by side), writes each as CSV + Parquet, adds them and SQL views that
compute the same numbers from the base tables to OUTDIR/plans.duckdb, writes
OUTDIR/compare.xlsx and the one-page OUTDIR/report.html.

Plans that never name their council are compared under "[file name]", so
two unnamed plans are not lumped together. The same plan read from several
files (a PDF and a DOCX of one document) would count its actions twice, so a
plan whose action and KPI texts mostly repeat another plan of the same
authority is listed in compare_plans as a copy and left out; so is every file
with the same bytes as a file read (`files.csv`). Each copy points at the one
document compared in its place, so a copy never hides its original. Of a plan
read in several dated versions (pipeline/history/), only the latest version is
compared; copies are sought within each version.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.compare_inspections import (
    REGISTER_BASIS,
    inspections_to_plans,
    recommendation_views,
    recommendations_to_coverage,
    register_frame,
    scores_to_links,
    summary_with_inspections,
    tables_to_scores,
)
from pipeline.history import HISTORY_TABLES, history_views, tables_to_history
from pipeline.kpi_match import KpiMatchSettings, measures_to_matches
from pipeline.recommendation_links import LinkSettings
from pipeline.sinks import (
    DB_NAME,
    FORMULA_TRIGGERS,
    atomic_path,
    write_csv,
    write_parquet,
    write_xlsx,
)
from schemas.records import MEANINGS
from schemas.table_columns import (
    BOOL_COLUMNS,
    COLOURS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    TABLE_COLUMNS,
    TEXT_COUNT_LIKE_COLUMNS,
)

REPORT_NAME = "report.html"
XLSX_NAME = "compare.xlsx"
NEEDED = ("actions", "plans")  # the rest may be absent (an older run) and are then empty
OPTIONAL = ("kpis", "leads", "files", "glossary", "inspections", "recommendations")
NO_DATE = "no date"
UNCLASSIFIED_ROLE = "Unclassified"
NO_TARGET = "(no target)"
NO_AS_OF_NOTE = (
    "no as-of date was given and the actions have no overdue column: "
    "run `planx compare OUTDIR --as-of YYYY-MM-DD` to list overdue actions"
)
REPORTED_MEANINGS = tuple(m for m in MEANINGS if m != "unknown")
# Which copy of a plan to keep: formats whose cells and fills are read as written come first.
FORMAT_RANK = {"xlsx": 0, "docx": 0, "html": 0, "pdf": 1, "text": 2}
# Only these kinds of document are compared; the others are listed in compare_plans with the
# reason they were left out (a run from before doc_kind was read counts as plans).
COMPARED_KINDS = ("plan", "performance_report", "")
COPY_REASON = "copy"
IDENTICAL_OUTCOME = "identical_copy"  # files.outcome of a file with another input's bytes
IDENTICAL_BASIS = "identical bytes to"
# Counts a report gives for its indicators are not counts of actions: their own source label.
REPORTED_SOURCE = {"indicators": "reported_indicators"}
# Share of shared records (actions + KPIs) above which two plans of one authority are copies.
DEFAULT_COPY_THRESHOLD = 0.8
# Tables written, in the order a person reads them.
COMPARE_TABLES = (
    "compare_plans",
    "compare_authority_summary",
    "compare_theme_counts",
    "compare_status_mix",
    "compare_lead_roles",
    "compare_due_quarters",
    "compare_overdue",
    "compare_kpi_targets",
    "compare_kpi_pivot",
    "compare_recommendation_links",
    "compare_recommendation_coverage",
    *HISTORY_TABLES,  # versions of one plan: pipeline/history.py
)
OVERDUE_COLUMNS = [
    "action_id", "authority", "ref", "action", "due_date", "status_meaning", "source", "page",
    "basis", "as_of", "note",
]  # fmt: skip
KPI_TARGET_COLUMNS = [
    "measure_key", "measure_label", "authority", "kpi_id", "measure", "target_raw", "target_value",
    "target_unit", "target_due", "match_score", "match_kind", "basis", "n_authorities", "source", "page",
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
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        values = dict(settings)
        if not isinstance(values.get("kpi"), KpiMatchSettings):
            values["kpi"] = KpiMatchSettings.resolve(values.get("kpi"))
        if isinstance(values.get("links"), dict):
            values["links"] = LinkSettings(**{**vars(LinkSettings.default()), **values["links"]})
        return cls(**values)


@dataclass(frozen=True)
class CompareResult:
    written: list[Path]
    report: Path


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


def _typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Same columns and types whatever the source (Parquet, CSV or a missing table)."""
    columns = TABLE_COLUMNS[name]
    frame = frame.reindex(columns=list(dict.fromkeys([*columns, *frame.columns])))
    for col in frame.columns:
        if col in DATE_COLUMNS:
            frame[col] = pd.to_datetime(frame[col], errors="coerce")
        elif col in INT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
        elif col in FLOAT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
        elif col in BOOL_COLUMNS:
            frame[col] = frame[col].map(_to_bool).astype("boolean")
        elif col.startswith(("reported_", "n_")) and col not in TEXT_COUNT_LIKE_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
        else:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    return frame


def _to_bool(value: object) -> object:
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower(), pd.NA)
    return pd.NA if value is None or pd.isna(value) else bool(value)


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
        frames[name] = _typed(frame, name)
    return frames


def _label(frame: pd.DataFrame) -> pd.Series:
    """The authority to compare under: as named, else the file name in brackets."""
    named = frame["authority"].str.strip()
    return named.where(named != "", "[" + frame["source"] + "]")


# --------------------------------------------------------------------------- copies


def _fingerprints(frame: pd.DataFrame, text_col: str) -> pd.Series:
    """Per plan, the set of its records' texts, ignoring case, spacing and punctuation."""
    if frame.empty:
        return pd.Series(dtype=object)
    text = frame[text_col].map(lambda t: re.sub(r"[^a-z0-9]+", "", str(t).lower()))
    return text.groupby(frame["plan_id"]).agg(set)


def identical_files(plans: pd.DataFrame, files: pd.DataFrame | None = None) -> pd.DataFrame:
    """(plan_id, source, path) of every file that is a byte-identical copy of a plan read:
    listed as such in `files`, or a second row of one plan_id in `plans` (as older runs
    wrote, without a path)."""
    ordered = plans.sort_values(["source", "plan_id"])
    twins = ordered.loc[ordered["plan_id"].duplicated(keep="first"), ["plan_id", "source"]]
    listed = pd.DataFrame(columns=["plan_id", "source", "path"])
    if files is not None and not files.empty:
        is_copy = (files["outcome"] == IDENTICAL_OUTCOME) & files["plan_id"].isin(plans["plan_id"])
        listed = files.loc[is_copy, ["plan_id", "source", "path"]]
    both = pd.concat([twins.assign(path=""), listed], ignore_index=True)
    return both.drop_duplicates(ignore_index=True).astype(str)


def _read_paths(files: pd.DataFrame | None) -> dict[str, str]:
    """Plan id -> the path of the file it was read from (as `files` lists it)."""
    if files is None or files.empty:
        return {}
    read = files[files["outcome"] == "read"]
    return dict(zip(read["plan_id"], read["path"], strict=True))


def plans_to_copies(
    plans: pd.DataFrame,
    actions: pd.DataFrame,
    kpis: pd.DataFrame,
    threshold: float = DEFAULT_COPY_THRESHOLD,
    files: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every document and every identical copy of one, marked as `plans_to_similar_copies`
    says, each identical copy pointing at the same representative as the file read in its
    place, so exactly one row per document is compared."""
    unique = plans.sort_values(["source", "plan_id"]).drop_duplicates("plan_id")
    out = plans_to_similar_copies(unique, actions, kpis, threshold)
    paths = _read_paths(files)
    out.insert(
        out.columns.get_loc("source") + 1, "path", [paths.get(p, "") for p in out["plan_id"]]
    )
    by_plan = out.set_index("plan_id")
    rows = []
    for copy in identical_files(plans, files).itertuples(index=False):
        original = by_plan.loc[copy.plan_id]
        if not copy.path and copy.source == original["source"]:
            continue  # the very row kept, written twice
        rows.append(
            {
                **original.to_dict(),
                "plan_id": copy.plan_id,
                "source": copy.source,
                "path": copy.path,
                "copy_of": original["copy_of"] or copy.plan_id,
                "copy_of_source": original["copy_of_source"] or original["source"],
                "excluded_reason": COPY_REASON,
                "copy_basis": "; ".join(
                    b
                    for b in (
                        f"{IDENTICAL_BASIS} {original['path'] or original['source']}",
                        original["copy_basis"],
                    )
                    if b
                ),
            }
        )
    if rows:
        out = pd.concat([out, pd.DataFrame(rows, columns=out.columns)], ignore_index=True)
    return out.sort_values(["authority", "source", "path", "plan_id"], ignore_index=True)


def plans_to_similar_copies(
    plans: pd.DataFrame,
    actions: pd.DataFrame,
    kpis: pd.DataFrame,
    threshold: float = DEFAULT_COPY_THRESHOLD,
) -> pd.DataFrame:
    """Every plan (one row per plan_id), with `copy_of` set when it repeats a richer plan of
    the same authority,
    and `excluded_reason` set when it is left out of the comparisons: "copy", or its
    `doc_kind` when it is neither a plan nor a performance report (an inspection report).

    Two plans are copies when at least `threshold` of their action and KPI texts are
    shared: the same document in two formats, or two versions of one plan (counting
    both would count each action twice). The one kept is read from the most
    structured format (cells and fills as written: xlsx, docx, html; then pdf;
    then text exports, which lose cell colours), then has the most statuses and
    due dates read, the most records and the latest date. Plans with no records
    are copies when their prose-reported counts agree.
    """
    prints: dict[str, set[str]] = {}
    for frame, col in ((actions, "action"), (kpis, "measure")):
        for plan_id, items in _fingerprints(frame, col).items():
            prints.setdefault(plan_id, set()).update(f"{col}:{i}" for i in items)
    has_status = ~actions["status_meaning"].isin(["", "unknown"])
    has_due = actions["due_date"].notna()
    n_read = (has_status.astype(int) + has_due.astype(int)).groupby(actions["plan_id"]).sum()
    reported_cols = [f"reported_{c}" for c in COLOURS]
    frame = plans.assign(authority=_label(plans))
    frame["_records"] = frame["plan_id"].map(lambda p: prints.get(p, set()))
    frame["_n"] = frame["_records"].map(len)
    frame["_read"] = frame["plan_id"].map(n_read).fillna(0)
    frame["_date"] = pd.to_datetime(frame["date"], errors="coerce").map(
        lambda t: 0 if pd.isna(t) else t.toordinal()
    )
    frame["_reported"] = frame[reported_cols].apply(
        lambda r: tuple(None if pd.isna(v) else float(v) for v in r), axis=1
    )
    frame["_format"] = frame["format"].map(lambda f: FORMAT_RANK.get(f, len(FORMAT_RANK)))
    frame["_compared"] = frame["doc_kind"].isin(COMPARED_KINDS)
    frame = frame.sort_values(
        ["authority", "_format", "_read", "_n", "_date", "source", "plan_id"],
        ascending=[True, True, False, False, False, True, True],
    )
    copy_of: dict[str, str] = {}
    basis: dict[str, str] = {}
    kept: dict[str, list[pd.Series]] = {}
    for _, plan in frame.iterrows():
        original = ""
        if not plan["_compared"]:
            copy_of[plan["plan_id"]] = ""
            continue  # not compared, so neither a copy nor an original
        for other in kept.get(plan["authority"], []):
            a, b = plan["_records"], other["_records"]
            if a or b:
                shared = len(a & b) / max(len(a), len(b))
                same, why = shared >= threshold, f"{shared:.0%} of records shared"
            else:
                same, why = plan["_reported"] == other["_reported"], "same reported counts"
            if same:
                original, basis[plan["plan_id"]] = other["plan_id"], why
                break
        copy_of[plan["plan_id"]] = original
        if not original:
            kept.setdefault(plan["authority"], []).append(plan)
    columns = [
        "plan_id",
        "authority",
        "source",
        "format",
        "title",
        "doc_kind",
        "n_actions",
        "n_kpis",
    ]
    out = frame[columns].copy()
    out["copy_of"] = out["plan_id"].map(copy_of)
    source_of = dict(zip(plans["plan_id"], plans["source"], strict=True))
    out["copy_of_source"] = out["copy_of"].map(lambda p: source_of.get(p, ""))
    out["excluded_reason"] = [
        COPY_REASON if copy else "" if compared else f"doc_kind: {kind}"
        for copy, compared, kind in zip(
            out["copy_of"], frame["_compared"], frame["doc_kind"], strict=True
        )
    ]
    out["copy_basis"] = out["plan_id"].map(lambda p: basis.get(p, ""))
    out[["n_actions", "n_kpis"]] = out[["n_actions", "n_kpis"]].fillna(0).astype("int64")
    return out.sort_values(["authority", "source", "plan_id"], ignore_index=True)


def tables_without_copies(
    tables: dict[str, pd.DataFrame], copies: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    kept = set(copies.loc[copies["excluded_reason"] == "", "plan_id"])
    return {
        name: frame[frame["plan_id"].isin(kept)].reset_index(drop=True)
        for name, frame in tables.items()
    }


# --------------------------------------------------------------------------- comparisons


def _with_share(frame: pd.DataFrame, count: str, by: list[str]) -> pd.DataFrame:
    total = frame.groupby(by)[count].transform("sum")
    frame["share"] = (frame[count] / total.where(total != 0)).astype("float64")
    return frame


def actions_to_theme_counts(actions: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "authority": _label(actions),
            "theme_std": actions["theme_std"].replace("", "unclassified"),
        }
    )
    out = frame.groupby(["authority", "theme_std"]).size().rename("n_actions").reset_index()
    out["n_actions"] = out["n_actions"].astype("int64")
    return _with_share(out, "n_actions", ["authority"]).sort_values(
        ["authority", "theme_std"], ignore_index=True
    )


def plans_to_reported_status(plans: pd.DataFrame) -> pd.DataFrame:
    """Counts a plan reports (in prose or a count table), by meaning; colours its legend left
    unread count as unknown. Counts of indicators are kept apart from counts of actions."""
    rows = []
    for label, (_, plan) in zip(_label(plans), plans.iterrows(), strict=True):
        source = REPORTED_SOURCE.get(plan.get("reported_counts_of", ""), "reported")
        meanings = {m: plan.get(f"reported_{m}") for m in REPORTED_MEANINGS}
        colours = [plan.get(f"reported_{c}") for c in COLOURS]
        if all(pd.isna(v) for v in [*meanings.values(), *colours]):
            continue
        known = 0
        for meaning, n in meanings.items():
            if not pd.isna(n):
                rows.append((label, source, meaning, int(n)))
                known += int(n)
        remainder = int(sum(0 if pd.isna(n) else n for n in colours)) - known
        if remainder > 0:
            rows.append((label, source, "unknown", remainder))
    frame = pd.DataFrame(rows, columns=["authority", "source", "status_meaning", "n_actions"])
    return frame.groupby(["authority", "source", "status_meaning"], as_index=False)[
        "n_actions"
    ].sum()


def actions_to_status_mix(actions: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "authority": _label(actions),
            "status_meaning": actions["status_meaning"].replace("", "unknown"),
        }
    )
    extracted = (
        frame.groupby(["authority", "status_meaning"]).size().rename("n_actions").reset_index()
    )
    extracted.insert(1, "source", "extracted")
    reported = plans_to_reported_status(plans)
    out = pd.concat([extracted, reported], ignore_index=True)
    out["n_actions"] = out["n_actions"].astype("int64")
    out = _with_share(out, "n_actions", ["authority", "source"])
    order = out["status_meaning"].map({m: i for i, m in enumerate(MEANINGS)}).fillna(len(MEANINGS))
    return (
        out.assign(_order=order)
        .sort_values(["authority", "source", "_order", "status_meaning"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def leads_to_role_counts(leads: pd.DataFrame) -> pd.DataFrame:
    """Action-lead mentions by role family (an action with two leads counts twice)."""
    leads = leads[leads["action_id"] != ""]
    frame = pd.DataFrame(
        {
            "authority": _label(leads),
            "role_family": leads["role_family"].replace("", UNCLASSIFIED_ROLE),
        }
    )
    out = frame.groupby(["authority", "role_family"]).size().rename("n_leads").reset_index()
    out["n_leads"] = out["n_leads"].astype("int64")
    return _with_share(out, "n_leads", ["authority"]).sort_values(
        ["authority", "role_family"], ignore_index=True
    )


def dates_to_quarters(dates: pd.Series) -> pd.Series:
    """Calendar quarters, '2017-Q1'; missing dates are 'no date' (which sorts after every year)."""
    dates = pd.to_datetime(dates, errors="coerce")
    quarters = (
        dates.dt.year.astype("Int64").astype(str)
        + "-Q"
        + dates.dt.quarter.astype("Int64").astype(str)
    )
    return quarters.where(dates.notna(), NO_DATE).astype(object)


def actions_to_due_quarters(actions: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"authority": _label(actions), "due_quarter": dates_to_quarters(actions["due_date"])}
    )
    out = frame.groupby(["authority", "due_quarter"]).size().rename("n_actions").reset_index()
    out["n_actions"] = out["n_actions"].astype("int64")
    return out.sort_values(["authority", "due_quarter"], ignore_index=True)


def actions_to_overdue(actions: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """Not complete and due before `as_of`; without it, the actions' own overdue flags; else a note."""
    due = pd.to_datetime(actions["due_date"], errors="coerce")
    meaning = actions["status_meaning"].replace("", "unknown")
    if as_of is not None:
        mask = (due < pd.Timestamp(as_of)) & (meaning != "complete")
        basis = "as_of"
    elif actions["overdue"].notna().any():
        mask = actions["overdue"].fillna(False).astype(bool)
        basis = "overdue column"
    else:
        note = {c: "" for c in OVERDUE_COLUMNS} | {
            "due_date": pd.NaT,
            "page": pd.NA,
            "as_of": pd.NaT,
        }
        return _overdue_types(
            pd.DataFrame([note | {"note": NO_AS_OF_NOTE}], columns=OVERDUE_COLUMNS)
        )
    mask = mask.fillna(False).astype(bool)
    picked = actions[mask]
    out = pd.DataFrame(
        {
            "action_id": picked["action_id"],
            "authority": _label(picked),
            "ref": picked["ref"],
            "action": picked["action"],
            "due_date": due[mask],
            "status_meaning": meaning[mask],
            "source": picked["source"],
            "page": picked["page"],
            "basis": basis,
            "as_of": pd.Timestamp(as_of) if as_of else pd.NaT,
            "note": "",
        },
        columns=OVERDUE_COLUMNS,
    )
    return _overdue_types(
        out.sort_values(["authority", "due_date", "action_id"], ignore_index=True)
    )


def _overdue_types(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("due_date", "as_of"):
        frame[col] = pd.to_datetime(frame[col], errors="coerce").dt.date
    frame["page"] = pd.to_numeric(frame["page"], errors="coerce").astype("Int64")
    return frame.reset_index(drop=True)


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


def kpis_to_targets(kpis: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    frame = kpis.assign(authority=_label(kpis)).merge(
        matches, on=["plan_id", "kpi_id"], how="inner"
    )
    frame["n_authorities"] = (
        frame.groupby("measure_key")["authority"].transform("nunique").astype("int64")
    )
    frame["target_due"] = pd.to_datetime(frame["target_due"], errors="coerce").dt.date
    frame["match_score"] = frame["match_score"].astype("float64")
    out = frame[KPI_TARGET_COLUMNS]
    return out.sort_values(["measure_key", "authority", "kpi_id"], ignore_index=True)


def targets_to_pivot(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per measure, one column per authority holding its target(s) as written."""
    authorities = sorted(targets["authority"].unique())
    written = targets["target_raw"].where(targets["target_raw"].str.strip() != "", NO_TARGET)
    cells = (
        targets.assign(target=written)
        .groupby(["measure_key", "authority"])["target"]
        .agg(" | ".join)
        .unstack("authority")
        .reindex(columns=authorities)
        .fillna("")
    )
    labels = targets.groupby("measure_key").agg(
        measure_label=("measure_label", "first"), n_authorities=("authority", "nunique")
    )
    out = labels.join(cells).reset_index()
    out.columns.name = None
    out["n_authorities"] = out["n_authorities"].astype("int64")
    return out.sort_values(
        ["n_authorities", "measure_key"], ascending=[False, True], ignore_index=True
    )


def _joined(values: pd.Series) -> str:
    return "; ".join(sorted({v for v in values if isinstance(v, str) and v.strip()}))


def tables_to_summary(
    actions: pd.DataFrame,
    plans: pd.DataFrame,
    kpis: pd.DataFrame,
    copies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per authority: its codes and region, how many plans, actions and KPIs, and its status mix.

    `plans` are the plans compared; `copies` (compare_plans) adds how many were left out as copies.
    """
    p = plans.assign(authority=_label(plans))
    p["n_reported"] = p[[f"reported_{c}" for c in COLOURS]].sum(axis=1, min_count=1)
    out = p.groupby("authority").agg(
        authority_la_code=("authority_la_code", _joined),
        authority_ons_code=("authority_ons_code", _joined),
        region=("region", _joined),
        n_plans=("plan_id", "size"),
        sources=("source", _joined),
        n_reported=("n_reported", lambda s: s.sum(min_count=1)),
    )
    out["n_actions"] = _label(actions).value_counts()
    out["n_kpis"] = _label(kpis).value_counts()
    meaning = actions["status_meaning"].replace("", "unknown")
    mix = pd.crosstab(_label(actions), meaning)
    for m in MEANINGS:
        out[f"n_{m}"] = mix[m] if m in mix.columns else 0
    count_cols = ["n_plans", "n_actions", "n_kpis", *(f"n_{m}" for m in MEANINGS)]
    out[count_cols] = out[count_cols].fillna(0).astype("int64")
    out["n_reported"] = out["n_reported"].astype("Int64")
    skipped = (
        copies[copies["copy_of"] != ""]
        if copies is not None
        else pd.DataFrame(columns=["authority", "source"])
    )
    out["n_copies_skipped"] = (
        skipped.groupby("authority").size().reindex(out.index).fillna(0).astype("int64")
    )
    out["copies_skipped"] = (
        skipped.groupby("authority")["source"].agg(_joined).reindex(out.index).fillna("")
    )
    columns = [
        "authority_la_code", "authority_ons_code", "region", *count_cols, "n_reported", "sources",
        "n_copies_skipped", "copies_skipped",
    ]  # fmt: skip
    return out[columns].reset_index().sort_values("authority", ignore_index=True)


def tables_to_comparisons(
    tables: dict[str, pd.DataFrame],
    as_of: dt.date | None = None,
    settings: CompareSettings | dict | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Every comparison table, plus the tables the SQL views read beside the extract's (the
    KPI matches, the recommendation scores, the plans answering each inspection, the register)."""
    settings = CompareSettings.resolve(settings)
    # Versions of one plan (pipeline/history.py): copies are sought within a version, and
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
    base = {n: f for n, f in tables.items() if n != "files"}
    kept = tables_without_copies(base, copies)
    actions, plans, kpis, leads = (kept[n] for n in ("actions", "plans", "kpis", "leads"))
    matches = kpis_to_matches(kpis, settings.kpi)
    targets = kpis_to_targets(kpis, matches)
    pairs = inspections_to_plans(tables["inspections"], plans)
    scores = tables_to_scores(
        {**kept, "recommendations": tables["recommendations"]}, pairs, settings.links
    )
    links = scores_to_links(scores, settings.links.top_n)
    register = register_frame()
    summary = summary_with_inspections(
        tables_to_summary(actions, plans, kpis, copies), tables["inspections"], register
    )
    frames = {
        "compare_plans": copies,
        "compare_authority_summary": summary,
        "compare_theme_counts": actions_to_theme_counts(actions),
        "compare_status_mix": actions_to_status_mix(actions, plans),
        "compare_lead_roles": leads_to_role_counts(leads),
        "compare_due_quarters": actions_to_due_quarters(actions),
        "compare_overdue": actions_to_overdue(actions, as_of),
        "compare_kpi_targets": targets,
        "compare_kpi_pivot": targets_to_pivot(targets),
        "compare_recommendation_links": links,
        "compare_recommendation_coverage": recommendations_to_coverage(
            tables["recommendations"], links, pairs, settings.links.addressed_threshold
        ),
        **history.frames,
    }
    extras = {
        "compare_kpi_matches": matches,
        "compare_recommendation_scores": scores,
        "compare_inspection_plans": pairs,
        "compare_register": register,
    }
    return frames, extras


# --------------------------------------------------------------------------- SQL views

_AUTH = "COALESCE(NULLIF(TRIM(authority), ''), '[' || source || ']')"


def _kept(table: str) -> str:
    """The base table without plans compare_plans leaves out (copies, documents not compared)."""
    return (
        f"(SELECT * FROM {table} WHERE plan_id IN "
        f"(SELECT plan_id FROM compare_plans WHERE excluded_reason = '')) AS {table}"
    )


def _num(col: str) -> str:
    return f"TRY_CAST(NULLIF(TRIM(CAST({col} AS VARCHAR)), '') AS DOUBLE)"


def _reported_sql() -> str:
    meanings = ", ".join(f"{_num('reported_' + m)} AS {m}" for m in REPORTED_MEANINGS)
    colours = " + ".join(f"COALESCE({_num('reported_' + c)}, 0)" for c in COLOURS)
    any_value = " OR ".join(
        f"{_num('reported_' + x)} IS NOT NULL" for x in (*COLOURS, *REPORTED_MEANINGS)
    )
    known = " + ".join(f"COALESCE({m}, 0)" for m in REPORTED_MEANINGS)
    parts = [
        f"SELECT authority, source, '{m}' AS status_meaning, {m} AS n FROM rp WHERE {m} IS NOT NULL"
        for m in REPORTED_MEANINGS
    ]
    parts.append(
        f"SELECT authority, source, 'unknown', n_colours - ({known}) FROM rp WHERE n_colours - ({known}) > 0"
    )
    source = "CASE COALESCE(reported_counts_of, '') {} ELSE 'reported' END".format(
        " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in REPORTED_SOURCE.items())
    )
    return f"""
        rp AS (SELECT {_AUTH} AS authority, {source} AS source, {meanings}, {colours} AS n_colours
               FROM {_kept("plans")} WHERE {any_value}),
        rep AS ({" UNION ALL ".join(parts)})"""


def comparison_views() -> dict[str, str]:
    """SQL views over the base tables that give the same rows as the compare_* tables.

    `compare_settings` (the as-of date) and `compare_kpi_matches` (the fuzzy KPI
    matching, which SQL cannot redo) are tables the views read beside the extract's.
    """
    meaning_order = "list_position([" + ", ".join(f"'{m}'" for m in MEANINGS) + "], status_meaning)"
    due = "TRY_CAST(due_date AS DATE)"
    return {
        "v_compare_theme_counts": f"""
            SELECT authority, theme_std, n_actions,
                   n_actions / SUM(n_actions) OVER (PARTITION BY authority) AS share
            FROM (SELECT {_AUTH} AS authority, COALESCE(NULLIF(theme_std, ''), 'unclassified') AS theme_std,
                         COUNT(*) AS n_actions
                  FROM {_kept("actions")} GROUP BY ALL)
            ORDER BY authority, theme_std""",
        "v_compare_status_mix": f"""
            WITH ext AS (
                SELECT {_AUTH} AS authority, 'extracted' AS source,
                       COALESCE(NULLIF(status_meaning, ''), 'unknown') AS status_meaning, COUNT(*) AS n_actions
                FROM {_kept("actions")} GROUP BY ALL),
            {_reported_sql()},
            rep_agg AS (SELECT authority, source, status_meaning, CAST(SUM(n) AS BIGINT) AS n_actions
                        FROM rep GROUP BY ALL),
            mix AS (SELECT * FROM ext UNION ALL SELECT * FROM rep_agg)
            SELECT authority, source, status_meaning, n_actions,
                   n_actions / NULLIF(SUM(n_actions) OVER (PARTITION BY authority, source), 0) AS share
            FROM mix
            ORDER BY authority, source, COALESCE({meaning_order}, 99), status_meaning""",
        "v_compare_lead_roles": f"""
            SELECT authority, role_family, n_leads,
                   n_leads / SUM(n_leads) OVER (PARTITION BY authority) AS share
            FROM (SELECT {_AUTH} AS authority, COALESCE(NULLIF(role_family, ''), '{UNCLASSIFIED_ROLE}') AS role_family,
                         COUNT(*) AS n_leads
                  FROM {_kept("leads")} WHERE COALESCE(action_id, '') <> '' GROUP BY ALL)
            ORDER BY authority, role_family""",
        "v_compare_due_quarters": f"""
            SELECT authority, due_quarter, COUNT(*) AS n_actions
            FROM (SELECT {_AUTH} AS authority,
                         CASE WHEN {due} IS NULL THEN '{NO_DATE}'
                              ELSE CAST(year({due}) AS VARCHAR) || '-Q' || CAST(quarter({due}) AS VARCHAR) END
                             AS due_quarter
                  FROM {_kept("actions")})
            GROUP BY ALL ORDER BY authority, due_quarter""",
        "v_compare_overdue": f"""
            WITH s AS (SELECT MAX(as_of) AS as_of FROM compare_settings),
            flags AS (SELECT COUNT(overdue) > 0 AS filled FROM {_kept("actions")}),
            a AS (SELECT action_id, {_AUTH} AS authority, ref, action, {due} AS due_date,
                         COALESCE(NULLIF(status_meaning, ''), 'unknown') AS status_meaning, source, page, overdue
                  FROM {_kept("actions")})
            SELECT a.action_id, a.authority, a.ref, a.action, a.due_date, a.status_meaning, a.source, a.page,
                   CASE WHEN s.as_of IS NOT NULL THEN 'as_of' ELSE 'overdue column' END AS basis,
                   s.as_of, '' AS note
            FROM a, s, flags
            WHERE (s.as_of IS NOT NULL AND a.due_date < s.as_of AND a.status_meaning <> 'complete')
               OR (s.as_of IS NULL AND flags.filled AND COALESCE(a.overdue, FALSE))
            UNION ALL
            SELECT '', '', '', '', NULL, '', '', NULL, '', NULL, '{NO_AS_OF_NOTE}'
            FROM s, flags WHERE s.as_of IS NULL AND NOT flags.filled
            ORDER BY authority, due_date, action_id""",
        "v_compare_kpi_targets": f"""
            WITH t AS (
                SELECT m.measure_key, m.measure_label, {_AUTH.replace("authority", "k.authority").replace("source", "k.source")} AS authority,
                       k.kpi_id, k.measure, k.target_raw, k.target_value, k.target_unit,
                       TRY_CAST(k.target_due AS DATE) AS target_due, m.match_score, m.match_kind, m.basis,
                       k.source, k.page
                FROM {_kept("kpis").removesuffix(" AS kpis")} AS k JOIN compare_kpi_matches m ON m.plan_id = k.plan_id AND m.kpi_id = k.kpi_id),
            n AS (SELECT measure_key, COUNT(DISTINCT authority) AS n_authorities FROM t GROUP BY ALL)
            SELECT t.measure_key, t.measure_label, t.authority, t.kpi_id, t.measure, t.target_raw, t.target_value,
                   t.target_unit, t.target_due, t.match_score, t.match_kind, t.basis, n.n_authorities,
                   t.source, t.page
            FROM t JOIN n USING (measure_key)
            ORDER BY t.measure_key, t.authority, t.kpi_id""",
        "v_compare_authority_summary": f"""
            WITH p AS (
                SELECT {_AUTH} AS authority,
                       string_agg(DISTINCT NULLIF(TRIM(authority_la_code), ''), '; ' ORDER BY NULLIF(TRIM(authority_la_code), '')) AS authority_la_code,
                       string_agg(DISTINCT NULLIF(TRIM(authority_ons_code), ''), '; ' ORDER BY NULLIF(TRIM(authority_ons_code), '')) AS authority_ons_code,
                       string_agg(DISTINCT NULLIF(TRIM(region), ''), '; ' ORDER BY NULLIF(TRIM(region), '')) AS region,
                       COUNT(*) AS n_plans,
                       string_agg(DISTINCT NULLIF(TRIM(source), ''), '; ' ORDER BY NULLIF(TRIM(source), '')) AS sources,
                       CAST(SUM({" + ".join(f"COALESCE({_num('reported_' + c)}, 0)" for c in COLOURS)})
                            FILTER (WHERE {" OR ".join(f"{_num('reported_' + c)} IS NOT NULL" for c in COLOURS)}) AS BIGINT)
                           AS n_reported
                FROM {_kept("plans")} GROUP BY ALL),
            a AS (
                SELECT {_AUTH} AS authority, COUNT(*) AS n_actions,
                       {", ".join(f"COUNT(*) FILTER (WHERE COALESCE(NULLIF(status_meaning, ''), 'unknown') = '{m}') AS n_{m}" for m in MEANINGS)}
                FROM {_kept("actions")} GROUP BY ALL),
            k AS (SELECT {_AUTH} AS authority, COUNT(*) AS n_kpis FROM {_kept("kpis")} GROUP BY ALL),
            c AS (SELECT authority, COUNT(*) AS n_copies_skipped,
                         string_agg(DISTINCT source, '; ' ORDER BY source) AS copies_skipped
                  FROM compare_plans WHERE copy_of <> '' GROUP BY ALL),
            li AS (SELECT authority, overall, inspection_end, published, source FROM (
                       SELECT {_AUTH} AS authority, overall, TRY_CAST(inspection_end AS DATE) AS inspection_end,
                              TRY_CAST(published AS DATE) AS published, source,
                              ROW_NUMBER() OVER (PARTITION BY {_AUTH}
                                                 ORDER BY TRY_CAST(inspection_end AS DATE) DESC NULLS LAST, source DESC) AS k
                       FROM inspections) WHERE k = 1)
            SELECT p.authority, COALESCE(p.authority_la_code, '') AS authority_la_code,
                   COALESCE(p.authority_ons_code, '') AS authority_ons_code, COALESCE(p.region, '') AS region,
                   p.n_plans, COALESCE(a.n_actions, 0) AS n_actions, COALESCE(k.n_kpis, 0) AS n_kpis,
                   {", ".join(f"COALESCE(a.n_{m}, 0) AS n_{m}" for m in MEANINGS)},
                   p.n_reported, COALESCE(p.sources, '') AS sources,
                   COALESCE(c.n_copies_skipped, 0) AS n_copies_skipped, COALESCE(c.copies_skipped, '') AS copies_skipped,
                   CASE WHEN li.source IS NOT NULL THEN li.overall ELSE COALESCE(NULLIF(r.overall, ''), '') END AS inspection_overall,
                   CASE WHEN li.source IS NOT NULL THEN li.inspection_end WHEN NULLIF(r.overall, '') IS NOT NULL THEN TRY_CAST(r.inspection_end AS DATE) END AS inspection_end,
                   CASE WHEN li.source IS NOT NULL THEN li.published WHEN NULLIF(r.overall, '') IS NOT NULL THEN TRY_CAST(r.published AS DATE) END AS inspection_published,
                   CASE WHEN li.source IS NOT NULL THEN li.source WHEN NULLIF(r.overall, '') IS NOT NULL THEN '{REGISTER_BASIS}' ELSE '' END AS inspection_basis
            FROM p LEFT JOIN a USING (authority) LEFT JOIN k USING (authority) LEFT JOIN c USING (authority)
                   LEFT JOIN li USING (authority) LEFT JOIN compare_register r ON r.la_code = COALESCE(p.authority_la_code, '')
            ORDER BY p.authority""",
        **recommendation_views(_AUTH),
        **history_views(),
    }


# --------------------------------------------------------------------------- writing


def write_database(
    db: Path,
    base: dict[str, pd.DataFrame],
    frames: dict[str, pd.DataFrame],
    extras: dict[str, pd.DataFrame],
    as_of: dt.date | None,
    links: LinkSettings | None = None,
) -> None:
    """Add the comparison tables and views to the extract's database, atomically.

    The existing file is copied and the copy changed, so readers never see a
    half-written database; without one (tables read from CSV) the base tables
    are loaded too, so the views still work.
    """
    with atomic_path(db) as tmp:
        tmp.unlink()
        if db.exists():
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            existing = {
                r[0]
                for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
            tables = {n: f for n, f in base.items() if n not in existing} | frames
            tables.update(extras)
            views = comparison_views()
            for name in views:
                con.execute(f'DROP VIEW IF EXISTS "{name}"')
            links = links or LinkSettings.default()
            con.execute(
                "CREATE OR REPLACE TABLE compare_settings "
                "(as_of DATE, addressed_threshold DOUBLE, top_n INTEGER)"
            )
            con.execute(
                "INSERT INTO compare_settings VALUES (?, ?, ?)",
                [as_of, links.addressed_threshold, links.top_n],
            )
            for name, frame in tables.items():
                con.register("_frame", frame)
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
                con.unregister("_frame")
            for name, sql in views.items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            con.execute("CHECKPOINT")
        finally:
            con.close()


def run_compare(
    outdir: str | Path,
    *,
    as_of: dt.date | None = None,
    settings: CompareSettings | dict | None = None,
) -> CompareResult:
    """Read OUTDIR's tables, write the comparison tables, database views and report.html."""
    from pipeline.report import write_report

    outdir = Path(outdir)
    tables = read_tables(outdir)
    settings = CompareSettings.resolve(settings)
    frames, extras = tables_to_comparisons(tables, as_of, settings)
    written: list[Path] = []
    for name in COMPARE_TABLES:
        write_csv(frames[name], outdir / f"{name}.csv")
        write_parquet(frames[name], outdir / f"{name}.parquet")
        written += [outdir / f"{name}.csv", outdir / f"{name}.parquet"]
    write_database(outdir / DB_NAME, tables, frames, extras, as_of, settings.links)
    write_xlsx({n.removeprefix("compare_"): frames[n] for n in COMPARE_TABLES}, outdir / XLSX_NAME)
    kept = tables_without_copies(
        {n: f for n, f in tables.items() if n != "files"}, frames["compare_plans"]
    )
    report = write_report(outdir / REPORT_NAME, kept, frames, as_of=as_of)
    written += [outdir / DB_NAME, outdir / XLSX_NAME, report]
    return CompareResult(written=written, report=report)
