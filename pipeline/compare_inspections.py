"""The comparisons an inspection report adds: which plans answer it, which of their actions
and KPIs answer each recommendation (pipeline/recommendation_links.py), whether each
recommendation is addressed, and each authority's latest inspection grade.

What SQL cannot compute is computed here, as tables the views read beside the extract's:
`compare_recommendation_scores` (the text similarity of each recommendation to each action
and KPI), `compare_inspection_plans` (which plans answer which inspection) and
`compare_register` (the register's grades). The comparisons themselves are the SQL views
`recommendation_views` gives: the top links of each recommendation, and whether it is
addressed.
"""

from __future__ import annotations

import pandas as pd

from planx.pipeline.authorities import load_register
from planx.pipeline.copies import authority_label
from planx.pipeline.recommendation_links import (
    SCORE_COLUMNS,
    LinkSettings,
    recommendation_scores,
    theme_number,
)

__all__ = [
    "INSPECTION_PLAN_COLUMNS",
    "LINK_COLUMNS",
    "register_frame",
    "inspections_to_plans",
    "plans_to_items",
    "tables_to_scores",
    "recommendation_views",
]

INSPECTION_PLAN_COLUMNS = ["source", "authority", "plan_id", "plan_source"]
LINK_COLUMNS = [
    "authority", "source", "rec_n", "rank", "item_kind", "item_id", "item_ref", "score", "basis",
    "terms", "item_text", "status_meaning", "item_source", "item_page",
]  # fmt: skip
REGISTER_BASIS = "register"


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
        authority=authority_label(inspections), _end=_date(inspections["inspection_end"])
    )
    ins["_end"] = ins["_end"].fillna(_date(inspections["published"]))
    p = plans.assign(authority=authority_label(plans))
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


def recommendation_views(auth: str) -> dict[str, str]:
    """The views v_compare_recommendation_links (the `top_n` links of each recommendation:
    cited first, one per block, then by score) and v_compare_recommendation_coverage (one row
    per recommendation: addressed when cited or a link scores at least the threshold, its
    best score and how many of its links address it); `auth` is the SQL of an authority's
    label (its name, else its file in brackets)."""
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
