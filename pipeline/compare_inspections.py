"""The comparisons an inspection report adds: which plans answer it, which of their actions
and KPIs answer each recommendation (pipeline/recommendation_links.py), whether each
recommendation is addressed, and each authority's latest inspection grade.

Each comparison is a pandas frame here and a DuckDB view (`VIEWS`) over the base tables and
the tables this module writes beside them (`compare_recommendation_scores`,
`compare_inspection_plans`, `compare_register`), which hold what SQL cannot redo (the
text similarity, the choice of answering plans, the register).
"""

from __future__ import annotations

import pandas as pd

from pipeline.authorities import load_register
from pipeline.recommendation_links import (
    SCORE_COLUMNS,
    LinkSettings,
    recommendation_scores,
    theme_number,
)

__all__ = [
    "INSPECTION_PLAN_COLUMNS",
    "LINK_COLUMNS",
    "COVERAGE_COLUMNS",
    "SUMMARY_COLUMNS",
    "register_frame",
    "inspections_to_plans",
    "plans_to_items",
    "tables_to_scores",
    "scores_to_links",
    "recommendations_to_coverage",
    "summary_with_inspections",
    "recommendation_views",
]

INSPECTION_PLAN_COLUMNS = ["source", "authority", "plan_id", "plan_source"]
LINK_COLUMNS = [
    "authority", "source", "rec_n", "rank", "item_kind", "item_id", "item_ref", "score", "basis",
    "terms", "item_text", "status_meaning", "item_source", "item_page",
]  # fmt: skip
COVERAGE_COLUMNS = [
    "authority", "source", "rec_n", "about", "text", "page", "n_plans", "addressed", "basis",
    "best_score", "n_linked_actions", "n_linked_kpis",
]  # fmt: skip
SUMMARY_COLUMNS = [
    "inspection_overall",
    "inspection_end",
    "inspection_published",
    "inspection_basis",
]
REGISTER_BASIS = "register"


def _label(frame: pd.DataFrame) -> pd.Series:
    named = frame["authority"].astype(str).str.strip()
    return named.where(named != "", "[" + frame["source"].astype(str) + "]")


def _date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce")


def register_frame() -> pd.DataFrame:
    """The register's latest grade and its dates for each authority, by DfE code."""
    rows = [
        {
            "la_code": a.la_code,
            "overall": a.overall_effectiveness_grade,
            "inspection_end": a.inspection_end_date or None,
            "published": a.publication_date or None,
        }
        for a in load_register().authorities
    ]
    frame = pd.DataFrame(rows, columns=["la_code", "overall", "inspection_end", "published"])
    for col in ("inspection_end", "published"):
        frame[col] = _date(frame[col]).dt.date
    return frame.drop_duplicates("la_code").reset_index(drop=True)


def inspections_to_plans(inspections: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """The plans that answer each inspection: the same authority's, dated on or after the
    inspection's last day (or undated), and not after a later inspection of it."""
    if inspections.empty or plans.empty:
        return pd.DataFrame(columns=INSPECTION_PLAN_COLUMNS)
    ins = inspections.assign(
        authority=_label(inspections), _end=_date(inspections["inspection_end"])
    )
    ins["_end"] = ins["_end"].fillna(_date(inspections["published"]))
    p = plans.assign(authority=_label(plans))
    p["_date"] = _date(p["date"]).fillna(_date(p["period_end"]))
    rows = []
    for _, plan in p.iterrows():
        theirs = ins[ins["authority"] == plan["authority"]]
        if pd.notna(plan["_date"]):
            theirs = theirs[theirs["_end"].isna() | (theirs["_end"] <= plan["_date"])]
        if theirs.empty:
            continue
        latest = theirs.sort_values(["_end", "source"], na_position="first").iloc[-1]
        rows.append((latest["source"], plan["authority"], plan["plan_id"], plan["source"]))
    frame = pd.DataFrame(rows, columns=INSPECTION_PLAN_COLUMNS)
    return frame.sort_values(["source", "plan_id"], ignore_index=True)


def plans_to_items(actions: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """Actions and KPIs in one frame: what each says, what it is matched on, what it cites."""

    def frame(src: pd.DataFrame, kind: str, id_col: str, text_col: str, extra: list[str]):
        text = src[text_col].astype(str)
        context = [src[c].astype(str) for c in extra]
        match = text
        for part in context:
            match = match + " . " + part
        numbers = [
            theme_number(t) or str(r)
            for t, r in zip(
                src["theme"], src.get("theme_ref", pd.Series([""] * len(src))), strict=True
            )
        ]
        return pd.DataFrame(
            {
                "plan_id": src["plan_id"],
                "item_kind": kind,
                "item_id": src[id_col],
                "item_ref": src["ref"],
                "text": text,
                "match_text": match,
                "cited": src.get("recommendation_cited", pd.Series([""] * len(src)))
                .fillna("")
                .astype(str),
                "theme": src["theme"].astype(str),
                "theme_number": numbers,
                "table_index": src["table_index"],
                "status_meaning": src["status_meaning"].replace("", "unknown"),
                "item_source": src["source"],
                "item_page": src["page"],
            }
        )

    return pd.concat(
        [
            # A theme's words are shared by all its items, so they blur which one is meant.
            frame(actions, "action", "action_id", "action", ["objective"]),
            frame(kpis, "kpi", "kpi_id", "measure", []),
        ],
        ignore_index=True,
    )


def tables_to_scores(
    kept: dict[str, pd.DataFrame],
    pairs: pd.DataFrame,
    settings: LinkSettings,
) -> pd.DataFrame:
    """Every cited or text-similar (recommendation, item) pair, for each inspection in turn."""
    recs, glossary = kept["recommendations"], kept["glossary"]
    items = plans_to_items(kept["actions"], kept["kpis"])
    frames = []
    for source, answering in pairs.groupby("source"):
        plan_ids = set(answering["plan_id"])
        theirs = recs[recs["source"] == source].assign(authority=answering["authority"].iloc[0])
        terms = glossary[glossary["plan_id"].isin(plan_ids)]
        words = dict(zip(terms["abbreviation"], terms["expansion"], strict=True))
        found = recommendation_scores(
            theirs, items[items["plan_id"].isin(plan_ids)].reset_index(drop=True), words, settings
        )
        frames.append(found)
    frames = [f for f in frames if not f.empty]
    if not frames:
        return _score_types(pd.DataFrame(columns=SCORE_COLUMNS))
    return _score_types(pd.concat(frames, ignore_index=True))


def _score_types(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("rec_n", "tier", "block_round"):
        frame[col] = pd.to_numeric(frame[col]).astype("int64")
    frame["item_page"] = pd.to_numeric(frame["item_page"], errors="coerce").astype("Int64")
    frame["score"] = pd.to_numeric(frame["score"]).astype("float64")
    return frame


def scores_to_links(scores: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The `top_n` links of each recommendation: cited first, one per block, then by score."""
    ordered = scores.sort_values(
        ["source", "rec_n", "tier", "block_round", "score", "item_id"],
        ascending=[True, True, True, True, False, True],
    )
    ordered = ordered.assign(rank=ordered.groupby(["source", "rec_n"]).cumcount() + 1)
    links = ordered[ordered["rank"] <= top_n].copy()
    links["rank"] = links["rank"].astype("int64")
    return links[LINK_COLUMNS].sort_values(
        ["authority", "source", "rec_n", "rank"], ignore_index=True
    )


def recommendations_to_coverage(
    recs: pd.DataFrame, links: pd.DataFrame, pairs: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """One row per recommendation: addressed or not (cited, or a link scoring at least
    `threshold`), its best score and how many of its links address it."""
    counts = (
        links.assign(
            _addresses=(links["basis"] == "cited") | (links["score"] >= threshold),
            _cited=links["basis"] == "cited",
        )
        .groupby(["source", "rec_n"])
        .agg(
            best_score=("score", "max"),
            any_cited=("_cited", "any"),
            n_linked_actions=(
                "_addresses",
                lambda s: int((s & (links.loc[s.index, "item_kind"] == "action")).sum()),
            ),
            n_linked_kpis=(
                "_addresses",
                lambda s: int((s & (links.loc[s.index, "item_kind"] == "kpi")).sum()),
            ),
        )
    )
    n_plans = pairs.groupby("source").size()
    out = recs.assign(authority=_label(recs), rec_n=recs["n"].astype("int64"))
    out = out.join(counts, on=["source", "rec_n"])
    out["n_plans"] = out["source"].map(n_plans).fillna(0).astype("int64")
    cited = out["any_cited"].fillna(False).astype(bool)
    by_text = (out["best_score"] >= threshold).fillna(False).astype(bool)
    out["addressed"] = cited | by_text
    out["basis"] = [
        "cited" if c else "text" if t else "" for c, t in zip(cited, by_text, strict=True)
    ]
    out["best_score"] = out["best_score"].astype("float64")
    for col in ("n_linked_actions", "n_linked_kpis"):
        out[col] = out[col].fillna(0).astype("int64")
    out["page"] = pd.to_numeric(out["page"], errors="coerce").astype("Int64")
    return out[COVERAGE_COLUMNS].sort_values(["authority", "source", "rec_n"], ignore_index=True)


def summary_with_inspections(
    summary: pd.DataFrame, inspections: pd.DataFrame, register: pd.DataFrame
) -> pd.DataFrame:
    """Each authority's latest inspection: overall grade and dates from the reports read, else
    from the register (by DfE code); which it came from in `inspection_basis`."""
    ins = inspections.assign(
        authority=_label(inspections), _end=_date(inspections["inspection_end"])
    )
    ins = ins.sort_values(["authority", "_end", "source"], na_position="first")
    latest = ins.groupby("authority").tail(1).set_index("authority")
    reg = register.set_index("la_code")
    rows = []
    for _, row in summary.iterrows():
        if row["authority"] in latest.index:
            found = latest.loc[row["authority"]]
            rows.append(
                (found["overall"], found["inspection_end"], found["published"], found["source"])
            )
        elif (code := str(row["authority_la_code"])) in reg.index and reg.loc[code, "overall"]:
            found = reg.loc[code]
            rows.append(
                (found["overall"], found["inspection_end"], found["published"], REGISTER_BASIS)
            )
        else:
            rows.append(("", None, None, ""))
    extra = pd.DataFrame(rows, columns=SUMMARY_COLUMNS, index=summary.index)
    for col in ("inspection_end", "inspection_published"):
        extra[col] = _date(extra[col]).dt.date
    return pd.concat([summary, extra], axis=1)


def recommendation_views(auth: str) -> dict[str, str]:
    """SQL views giving the same rows as the links and coverage frames; `auth` is the
    expression of an authority's label (its name, else its file in brackets)."""
    return {
        "v_compare_recommendation_links": f"""
            SELECT {", ".join("rank" if c == "rank" else c for c in LINK_COLUMNS)}
            FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY source, rec_n
                                               ORDER BY tier, block_round, score DESC, item_id) AS rank
                  FROM compare_recommendation_scores)
            WHERE rank <= (SELECT MAX(top_n) FROM compare_settings)
            ORDER BY authority, source, rec_n, rank""",
        "v_compare_recommendation_coverage": f"""
            WITH s AS (SELECT MAX(addressed_threshold) AS t FROM compare_settings),
            agg AS (
                SELECT l.source, l.rec_n, MAX(l.score) AS best_score, BOOL_OR(l.basis = 'cited') AS any_cited,
                       COUNT(*) FILTER (WHERE l.item_kind = 'action' AND (l.basis = 'cited' OR l.score >= s.t)) AS n_linked_actions,
                       COUNT(*) FILTER (WHERE l.item_kind = 'kpi' AND (l.basis = 'cited' OR l.score >= s.t)) AS n_linked_kpis
                FROM v_compare_recommendation_links l, s GROUP BY ALL),
            np AS (SELECT source, COUNT(*) AS n_plans FROM compare_inspection_plans GROUP BY ALL)
            SELECT {auth.replace("authority", "r.authority").replace("source", "r.source")} AS authority, r.source, CAST(r.n AS BIGINT) AS rec_n, r.about, r.text, r.page,
                   COALESCE(np.n_plans, 0) AS n_plans,
                   COALESCE(agg.any_cited, FALSE) OR COALESCE(agg.best_score >= s.t, FALSE) AS addressed,
                   CASE WHEN agg.any_cited THEN 'cited' WHEN agg.best_score >= s.t THEN 'text' ELSE '' END AS basis,
                   agg.best_score, COALESCE(agg.n_linked_actions, 0) AS n_linked_actions,
                   COALESCE(agg.n_linked_kpis, 0) AS n_linked_kpis
            FROM recommendations r
            LEFT JOIN agg ON agg.source = r.source AND agg.rec_n = r.n
            LEFT JOIN np ON np.source = r.source, s
            ORDER BY authority, r.source, rec_n""",
    }
