"""Which documents are the same plan read twice, and which one of them to compare.

The same plan read from several files (a PDF and a DOCX of one document) would count its
actions twice, so a plan whose action and KPI texts mostly repeat another plan of the same
authority is listed in compare_plans as a copy and left out; so is every file with the same
bytes as a file read (`files.csv`). Each copy points at the one document compared in its
place, so a copy never hides its original. Only plans and performance reports are compared;
the other documents are listed with the reason they are left out.
"""

from __future__ import annotations

import re

import pandas as pd

from planx.schemas.table_columns import COLOURS, COPY_REASON, FORMAT_RANK

__all__ = [
    "COMPARED_KINDS",
    "DEFAULT_COPY_THRESHOLD",
    "IDENTICAL_BASIS",
    "authority_label",
    "identical_files",
    "plans_to_copies",
    "plans_to_similar_copies",
    "tables_without_copies",
]

# Only these kinds of document are compared; the others are listed in compare_plans with the
# reason they were left out (a run from before doc_kind was read counts as plans).
COMPARED_KINDS = ("plan", "performance_report", "")
IDENTICAL_OUTCOME = "identical_copy"  # files.outcome of a file with another input's bytes
IDENTICAL_BASIS = "identical bytes to"
# Share of shared records (actions + KPIs) above which two plans of one authority are copies.
DEFAULT_COPY_THRESHOLD = 0.8


def authority_label(frame: pd.DataFrame) -> pd.Series:
    """The authority a row is compared under: as named, else its file name in brackets (as
    compare_views.AUTHORITY_LABEL in SQL)."""
    named = frame["authority"].astype(str).str.strip()
    return named.where(named != "", "[" + frame["source"].astype(str) + "]")


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
    the same authority, and `excluded_reason` set when it is left out of the comparisons: "copy", or its
    `doc_kind` when it is neither a plan nor a performance report (an inspection report).

    Two plans are copies when at least `threshold` of their action and KPI texts are
    shared: the same document in two formats, or two versions of one plan (counting
    both would count each action twice). The one kept is read from the most
    structured format (cells and fills as written: xlsx, docx, html; then pdf;
    then text exports, which lose cell colours), then has the most statuses and
    due dates read, the most records and the latest date. Plans with no records
    are copies when their prose-reported counts agree.
    """
    frame = _ranked_plans(plans, actions, kpis)
    copy_of, basis = _copies_of(frame, threshold)
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


def _ranked_plans(plans: pd.DataFrame, actions: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """The plans with their records' texts and what ranks them, the one to keep of each
    authority first: most structured format, most statuses and due dates read, most
    records, latest date."""
    prints: dict[str, set[str]] = {}
    for records, col in ((actions, "action"), (kpis, "measure")):
        for plan_id, items in _fingerprints(records, col).items():
            prints.setdefault(plan_id, set()).update(f"{col}:{i}" for i in items)
    has_status = ~actions["status_meaning"].isin(["", "unknown"])
    has_due = actions["due_date"].notna()
    n_read = (has_status.astype(int) + has_due.astype(int)).groupby(actions["plan_id"]).sum()
    reported_cols = [f"reported_{c}" for c in COLOURS]
    frame = plans.assign(authority=authority_label(plans))
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
    return frame.sort_values(
        ["authority", "_format", "_read", "_n", "_date", "source", "plan_id"],
        ascending=[True, True, False, False, False, True, True],
    )


def _copies_of(frame: pd.DataFrame, threshold: float) -> tuple[dict[str, str], dict[str, str]]:
    """Plan id -> the plan it copies ("" for one kept), and why, for ranked plans: a plan
    copies a plan kept before it of the same authority when they share `threshold` of
    their records (plans with no records: when their reported counts agree)."""
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
    return copy_of, basis


def tables_without_copies(
    tables: dict[str, pd.DataFrame], copies: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Each table without the rows of plans compare_plans leaves out."""
    kept = set(copies.loc[copies["excluded_reason"] == "", "plan_id"])
    return {
        name: frame[frame["plan_id"].isin(kept)].reset_index(drop=True)
        for name, frame in tables.items()
    }
