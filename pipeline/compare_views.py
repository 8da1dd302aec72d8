"""The comparisons, defined once: SQL views over the extract's tables and the tables compare
computes in Python where SQL cannot (pipeline/compare.py).

Each `v_compare_<name>` view gives the rows of `compare_<name>`: `planx compare` writes the
CSV, Parquet and XLSX of each from `SELECT * FROM v_compare_<name>`, and the same views stay
in plans.duckdb for anyone who wants to query them. The views read, beside the extract's
tables:

- `compare_plans`: every document, and whether it is compared (copies, earlier versions and
  documents that are not plans are left out), with its lineage and version;
- `compare_kpi_matches`: each KPI's common measure (fuzzy matching);
- `compare_recommendation_scores`, `compare_inspection_plans`: the text similarity of each
  recommendation to each action and KPI, and which plans answer which inspection;
- `compare_register`: the register's latest inspection grade of each authority;
- `action_history`: each action's key in each version of a plan (fuzzy matching);
- `compare_settings`: the as-of date, the addressed threshold and how many links to keep.

`v_compared_actions` gives the actions compared as the report shows them: under the
authority they are compared under, a missing status meaning read as "unknown", and overdue
as `compare_overdue` judges it.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from planx.pipeline.compare_inspections import REGISTER_BASIS, recommendation_views
from planx.pipeline.frame_types import typed_frame
from planx.pipeline.history.views import history_views
from planx.schemas.records import MEANINGS
from planx.schemas.table_columns import (
    COLOURS,
    COMPARE_TABLES,
    NO_AS_OF_NOTE,
    NO_DATE,
    NO_TARGET,
    UNCLASSIFIED_ROLE,
    UNCLASSIFIED_THEME,
)

__all__ = [
    "AUTHORITY_LABEL",
    "COMPARED_ACTIONS_VIEW",
    "VIEW_OF_TABLE",
    "comparison_views",
    "create_views",
    "drop_views",
    "kpi_pivot_view",
    "select_views",
    "views_over",
]

# The authority a row is compared under: as named, else its file name in brackets, so two
# unnamed plans are never lumped together.
AUTHORITY_LABEL = "COALESCE(NULLIF(TRIM(authority), ''), '[' || source || ']')"
REPORTED_MEANINGS = tuple(m for m in MEANINGS if m != "unknown")
# Counts a report gives for its indicators are not counts of actions: their own source label.
REPORTED_SOURCE = {"indicators": "reported_indicators"}
# The comparison tables written from a view (the rest are computed in Python).
VIEW_OF_TABLE = {
    name: "v_" + name
    for name in COMPARE_TABLES
    if name not in ("compare_plans", "action_history", "action_keys")
}
COMPARED_ACTIONS_VIEW = "v_compared_actions"


def _kept(table: str) -> str:
    """The base table without plans compare_plans leaves out (copies, documents not compared)."""
    return (
        f"(SELECT * FROM {table} WHERE plan_id IN "
        f"(SELECT plan_id FROM compare_plans WHERE excluded_reason = '')) AS {table}"
    )


def _num(col: str) -> str:
    """SQL for a count that may be stored as text: a number, or NULL when blank."""
    return f"TRY_CAST(NULLIF(TRIM(CAST({col} AS VARCHAR)), '') AS DOUBLE)"


def _text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _reported_sql() -> str:
    """CTEs `rp` (each plan's reported counts) and `rep` (one row per meaning counted)."""
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
    # Colours the plan's key left unread count as unknown.
    parts.append(
        f"SELECT authority, source, 'unknown', n_colours - ({known}) FROM rp WHERE n_colours - ({known}) > 0"
    )
    source = "CASE COALESCE(reported_counts_of, '') {} ELSE 'reported' END".format(
        " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in REPORTED_SOURCE.items())
    )
    return f"""
        rp AS (SELECT {AUTHORITY_LABEL} AS authority, {source} AS source, {meanings}, {colours} AS n_colours
               FROM {_kept("plans")} WHERE {any_value}),
        rep AS ({" UNION ALL ".join(parts)})"""


def _summary_sql() -> str:
    """Per authority: codes, region, plans, actions, KPIs, status mix, copies, inspection."""
    auth = AUTHORITY_LABEL
    reported = " + ".join(f"COALESCE({_num('reported_' + c)}, 0)" for c in COLOURS)
    any_reported = " OR ".join(f"{_num('reported_' + c)} IS NOT NULL" for c in COLOURS)
    by_meaning = ", ".join(
        f"COUNT(*) FILTER (WHERE COALESCE(NULLIF(status_meaning, ''), 'unknown') = '{m}') AS n_{m}"
        for m in MEANINGS
    )
    zeroed = ", ".join(f"COALESCE(a.n_{m}, 0) AS n_{m}" for m in MEANINGS)

    def joined(col: str) -> str:
        return (
            f"string_agg(DISTINCT NULLIF(TRIM({col}), ''), '; ' "
            f"ORDER BY NULLIF(TRIM({col}), '')) AS {col}"
        )

    return f"""
        WITH p AS (
            SELECT {auth} AS authority, {joined("authority_la_code")}, {joined("authority_ons_code")},
                   {joined("region")}, COUNT(*) AS n_plans,
                   string_agg(DISTINCT NULLIF(TRIM(source), ''), '; ' ORDER BY NULLIF(TRIM(source), '')) AS sources,
                   CAST(SUM({reported}) FILTER (WHERE {any_reported}) AS BIGINT) AS n_reported
            FROM {_kept("plans")} GROUP BY ALL),
        a AS (SELECT {auth} AS authority, COUNT(*) AS n_actions, {by_meaning}
              FROM {_kept("actions")} GROUP BY ALL),
        k AS (SELECT {auth} AS authority, COUNT(*) AS n_kpis FROM {_kept("kpis")} GROUP BY ALL),
        c AS (SELECT authority, COUNT(*) AS n_copies_skipped,
                     string_agg(DISTINCT source, '; ' ORDER BY source) AS copies_skipped
              FROM compare_plans WHERE copy_of <> '' GROUP BY ALL),
        -- The latest inspection report read of each authority, else the register's grade.
        li AS (SELECT authority, overall, inspection_end, published, source FROM (
                   SELECT {auth} AS authority, overall, TRY_CAST(inspection_end AS DATE) AS inspection_end,
                          TRY_CAST(published AS DATE) AS published, source,
                          ROW_NUMBER() OVER (PARTITION BY {auth}
                                             ORDER BY TRY_CAST(inspection_end AS DATE) DESC NULLS LAST, source DESC) AS k
                   FROM inspections) WHERE k = 1)
        SELECT p.authority, COALESCE(p.authority_la_code, '') AS authority_la_code,
               COALESCE(p.authority_ons_code, '') AS authority_ons_code, COALESCE(p.region, '') AS region,
               p.n_plans, COALESCE(a.n_actions, 0) AS n_actions, COALESCE(k.n_kpis, 0) AS n_kpis,
               {zeroed}, p.n_reported, COALESCE(p.sources, '') AS sources,
               COALESCE(c.n_copies_skipped, 0) AS n_copies_skipped, COALESCE(c.copies_skipped, '') AS copies_skipped,
               CASE WHEN li.source IS NOT NULL THEN li.overall ELSE COALESCE(NULLIF(r.overall, ''), '') END AS inspection_overall,
               CASE WHEN li.source IS NOT NULL THEN li.inspection_end
                    WHEN NULLIF(r.overall, '') IS NOT NULL THEN TRY_CAST(r.inspection_end AS DATE) END AS inspection_end,
               CASE WHEN li.source IS NOT NULL THEN li.published
                    WHEN NULLIF(r.overall, '') IS NOT NULL THEN TRY_CAST(r.published AS DATE) END AS inspection_published,
               CASE WHEN li.source IS NOT NULL THEN li.source
                    WHEN NULLIF(r.overall, '') IS NOT NULL THEN '{REGISTER_BASIS}' ELSE '' END AS inspection_basis
        FROM p LEFT JOIN a USING (authority) LEFT JOIN k USING (authority) LEFT JOIN c USING (authority)
               LEFT JOIN li USING (authority) LEFT JOIN compare_register r ON r.la_code = COALESCE(p.authority_la_code, '')
        ORDER BY p.authority"""


def _overdue_sql() -> str:
    """Actions not complete and due before the as-of date; without one, the actions' own
    overdue flags; without those either, one row with a note saying how to get the list."""
    due = "TRY_CAST(due_date AS DATE)"
    return f"""
        WITH s AS (SELECT CAST(MAX(as_of) AS DATE) AS as_of FROM compare_settings),
        flags AS (SELECT COUNT(overdue) > 0 AS filled FROM {_kept("actions")}),
        a AS (SELECT action_id, {AUTHORITY_LABEL} AS authority, ref, action, {due} AS due_date,
                     COALESCE(NULLIF(status_meaning, ''), 'unknown') AS status_meaning, source, page, overdue
              FROM {_kept("actions")})
        SELECT a.action_id, a.authority, a.ref, a.action, a.due_date, a.status_meaning, a.source, a.page,
               CASE WHEN s.as_of IS NOT NULL THEN 'as_of' ELSE 'overdue column' END AS basis,
               s.as_of, '' AS note
        FROM a, s, flags
        WHERE (s.as_of IS NOT NULL AND a.due_date < s.as_of AND a.status_meaning <> 'complete')
           OR (s.as_of IS NULL AND flags.filled AND COALESCE(a.overdue, FALSE))
        UNION ALL
        SELECT '', '', '', '', NULL, '', '', NULL, '', NULL, {_text(NO_AS_OF_NOTE)}
        FROM s, flags WHERE s.as_of IS NULL AND NOT flags.filled
        ORDER BY authority, due_date, action_id"""


def _kpi_targets_sql() -> str:
    """Each KPI compared, under its common measure, with how many authorities set one."""
    auth = AUTHORITY_LABEL.replace("authority", "k.authority").replace("source", "k.source")
    kpis = _kept("kpis").removesuffix(" AS kpis")
    return f"""
        WITH t AS (
            SELECT m.measure_key, m.measure_label, {auth} AS authority,
                   k.kpi_id, k.measure, k.target_raw, k.target_value, k.target_unit,
                   TRY_CAST(k.target_due AS DATE) AS target_due, m.match_score, m.match_kind, m.basis,
                   k.source, k.page
            FROM {kpis} AS k JOIN compare_kpi_matches m ON m.plan_id = k.plan_id AND m.kpi_id = k.kpi_id),
        n AS (SELECT measure_key, COUNT(DISTINCT authority) AS n_authorities FROM t GROUP BY ALL)
        SELECT t.measure_key, t.measure_label, t.authority, t.kpi_id, t.measure, t.target_raw, t.target_value,
               t.target_unit, t.target_due, t.match_score, t.match_kind, t.basis, n.n_authorities,
               t.source, t.page
        FROM t JOIN n USING (measure_key)
        ORDER BY t.measure_key, t.authority, t.kpi_id"""


def kpi_pivot_view(authorities: list[str]) -> str:
    """One row per measure, one column per authority (in `authorities`' order) holding its
    target(s) as written; measures set by most authorities first."""
    target = f"COALESCE(NULLIF(TRIM(target_raw), ''), {_text(NO_TARGET)})"
    cells = "".join(
        f", COALESCE(string_agg({target}, ' | ' ORDER BY kpi_id) "
        f"FILTER (WHERE authority = {_text(a)}), '') AS \"{a.replace(chr(34), chr(34) * 2)}\""
        for a in authorities
    )
    return f"""
        SELECT measure_key, first(measure_label ORDER BY authority, kpi_id) AS measure_label,
               COUNT(DISTINCT authority) AS n_authorities{cells}
        FROM v_compare_kpi_targets GROUP BY measure_key
        ORDER BY n_authorities DESC, measure_key"""


def comparison_views() -> dict[str, str]:
    """Every view but the KPI pivot (whose columns are the authorities: `kpi_pivot_view`),
    in an order in which each reads only tables and views made before it."""
    meaning_order = "list_position([" + ", ".join(f"'{m}'" for m in MEANINGS) + "], status_meaning)"
    due = "TRY_CAST(due_date AS DATE)"
    return {
        "v_compare_theme_counts": f"""
            SELECT authority, theme_std, n_actions,
                   n_actions / SUM(n_actions) OVER (PARTITION BY authority) AS share
            FROM (SELECT {AUTHORITY_LABEL} AS authority,
                         COALESCE(NULLIF(theme_std, ''), '{UNCLASSIFIED_THEME}') AS theme_std,
                         COUNT(*) AS n_actions
                  FROM {_kept("actions")} GROUP BY ALL)
            ORDER BY authority, theme_std""",
        "v_compare_status_mix": f"""
            WITH ext AS (
                SELECT {AUTHORITY_LABEL} AS authority, 'extracted' AS source,
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
        # Action-lead mentions by role family (an action with two leads counts twice).
        "v_compare_lead_roles": f"""
            SELECT authority, role_family, n_leads,
                   n_leads / SUM(n_leads) OVER (PARTITION BY authority) AS share
            FROM (SELECT {AUTHORITY_LABEL} AS authority,
                         COALESCE(NULLIF(role_family, ''), '{UNCLASSIFIED_ROLE}') AS role_family,
                         COUNT(*) AS n_leads
                  FROM {_kept("leads")} WHERE COALESCE(action_id, '') <> '' GROUP BY ALL)
            ORDER BY authority, role_family""",
        # Calendar quarters, '2017-Q1'; 'no date' sorts after every year.
        "v_compare_due_quarters": f"""
            SELECT authority, due_quarter, COUNT(*) AS n_actions
            FROM (SELECT {AUTHORITY_LABEL} AS authority,
                         CASE WHEN {due} IS NULL THEN '{NO_DATE}'
                              ELSE CAST(year({due}) AS VARCHAR) || '-Q' || CAST(quarter({due}) AS VARCHAR) END
                             AS due_quarter
                  FROM {_kept("actions")})
            GROUP BY ALL ORDER BY authority, due_quarter""",
        "v_compare_overdue": _overdue_sql(),
        "v_compare_kpi_targets": _kpi_targets_sql(),
        "v_compare_authority_summary": _summary_sql(),
        **recommendation_views(AUTHORITY_LABEL),
        **history_views(),
        COMPARED_ACTIONS_VIEW: f"""
            SELECT * REPLACE (
                       {AUTHORITY_LABEL} AS authority,
                       COALESCE(NULLIF(status_meaning, ''), 'unknown') AS status_meaning,
                       CASE WHEN EXISTS (SELECT 1 FROM v_compare_overdue WHERE note <> '') THEN overdue
                            ELSE action_id IN (SELECT action_id FROM v_compare_overdue) END AS overdue)
            FROM {_kept("actions")}
            ORDER BY source, plan_id, action_id""",
    }


def drop_views(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the views (before the tables they read are replaced)."""
    for name in [*comparison_views(), "v_compare_kpi_pivot"]:
        con.execute(f'DROP VIEW IF EXISTS "{name}"')


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create every view over the tables in `con` (replacing any of the same name); returns
    their names."""
    views = comparison_views()
    for name, sql in views.items():
        con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
    authorities = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT authority FROM v_compare_kpi_targets ORDER BY authority"
        ).fetchall()
    ]
    con.execute(f'CREATE OR REPLACE VIEW "v_compare_kpi_pivot" AS {kpi_pivot_view(authorities)}')
    return [*views, "v_compare_kpi_pivot"]


def select_views(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, str] = VIEW_OF_TABLE
) -> dict[str, pd.DataFrame]:
    """`SELECT *` of each view, typed as the table it gives (`tables`: table -> view)."""
    return {
        table: typed_frame(con.execute(f'SELECT * FROM "{view}"').df())
        for table, view in tables.items()
    }


def views_over(
    tables: Mapping[str, pd.DataFrame], views: Mapping[str, str] = VIEW_OF_TABLE
) -> dict[str, pd.DataFrame]:
    """The views' rows over `tables` (name -> frame), in a database held in memory."""
    con = duckdb.connect()
    try:
        for name, frame in tables.items():
            con.register("_frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
        create_views(con)
        return select_views(con, views)
    finally:
        con.close()
