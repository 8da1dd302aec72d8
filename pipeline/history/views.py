"""What changed between consecutive versions of a plan, and each lineage's versions: SQL views
over action_history and compare_plans (the rows of compare_changes and compare_lineages)."""

from __future__ import annotations

from planx.schemas.table_columns import CHANGE_KINDS, EARLIER_VERSION_REASON


def _sql_text_key(col: str) -> str:
    """SQL for match.text_key: lower case, letters and digits only."""
    return f"regexp_replace(lower(COALESCE({col}, '')), '[^a-z0-9]+', '', 'g')"


def _sql_lead_key(col: str) -> str:
    """SQL for a set of leads: `; `-separated names, case, order and repeats aside."""
    return (
        f"array_to_string(list_sort(list_distinct(list_filter(list_transform("
        f"string_split(lower(COALESCE({col}, '')), ';'), lambda x: trim(x)), lambda x: x <> ''))), ';')"
    )


def _sql_iso(col: str) -> str:
    """SQL for a date as ISO text, or blank."""
    return f"COALESCE(strftime(TRY_CAST({col} AS DATE), '%Y-%m-%d'), '')"


# Longer than the rest: it is the text of two SQL views, one query each, read top to bottom.
def history_views() -> dict[str, str]:
    """The views v_compare_changes and v_compare_lineages.

    The matching of actions across versions is fuzzy, so it is done in Python: the views
    read its result, `action_history` (each action's `action_key` in each version) and
    `compare_plans` (each plan's lineage and version), and redo the rest in SQL.
    """
    versions = f"""
        SELECT authority, lineage_id, version_no, plan_id, title, source,
               TRY_CAST(as_at AS DATE) AS as_at, as_at_source
        FROM compare_plans
        WHERE excluded_reason IN ('', '{EARLIER_VERSION_REASON}') AND COALESCE(lineage_id, '') <> ''"""
    kind_order = "list_position([" + ", ".join(f"'{k}'" for k in CHANGE_KINDS) + "], change)"
    pair_cols = "p.authority, p.lineage_id, p.from_plan_id, p.to_plan_id, p.from_as_at, p.to_as_at"
    tail = "p.from_version, p.to_version"
    srcs = "p.from_source, p.to_source"
    matched = [
        (
            "text",
            "o.action",
            "n.action",
            f"{_sql_text_key('o.action')} <> {_sql_text_key('n.action')}",
        ),
        ("ref", "o.ref", "n.ref", "o.ref <> n.ref"),
        ("status", "o.status_meaning", "n.status_meaning", "o.status_meaning <> n.status_meaning"),
        (
            "due_date",
            _sql_iso("o.due_date"),
            _sql_iso("n.due_date"),
            f"{_sql_iso('o.due_date')} <> {_sql_iso('n.due_date')}",
        ),
        ("lead", "o.leads", "n.leads", f"{_sql_lead_key('o.leads')} <> {_sql_lead_key('n.leads')}"),
    ]
    parts = [
        f"""SELECT {pair_cols}, n.action_key, n.ref, n.action, '{kind}' AS change,
                   {old} AS old, {new} AS new, {tail}, o.action_id AS from_action_id,
                   n.action_id AS to_action_id, {srcs}
            FROM both_ p JOIN action_history o ON o.plan_id = p.from_plan_id
                         JOIN action_history n ON n.plan_id = p.to_plan_id AND n.action_key = o.action_key
            WHERE {where}"""
        for kind, old, new, where in matched
    ]
    parts.append(
        f"""SELECT {pair_cols}, n.action_key, n.ref, n.action, 'added', '', n.status_meaning, {tail},
                   '', n.action_id, {srcs}
            FROM both_ p JOIN action_history n ON n.plan_id = p.to_plan_id
            WHERE NOT EXISTS (SELECT 1 FROM action_history o
                              WHERE o.plan_id = p.from_plan_id AND o.action_key = n.action_key)"""
    )
    parts.append(
        f"""SELECT {pair_cols}, o.action_key, o.ref, o.action, 'dropped', o.status_meaning, '', {tail},
                   o.action_id, '', {srcs}
            FROM both_ p JOIN action_history o ON o.plan_id = p.from_plan_id
            WHERE NOT EXISTS (SELECT 1 FROM action_history n
                              WHERE n.plan_id = p.to_plan_id AND n.action_key = o.action_key)"""
    )
    counts = ", ".join(f"COUNT(*) FILTER (WHERE change = '{k}') AS n_{k}" for k in CHANGE_KINDS)
    zeroed = ", ".join(f"COALESCE(c.n_{k}, 0) AS n_{k}" for k in CHANGE_KINDS)
    total = " + ".join(f"COALESCE(c.n_{k}, 0)" for k in CHANGE_KINDS)
    return {
        "v_compare_changes": f"""
            WITH v AS ({versions}),
            both_ AS (
                SELECT t.authority, f.lineage_id, f.plan_id AS from_plan_id, t.plan_id AS to_plan_id,
                       f.as_at AS from_as_at, t.as_at AS to_as_at, f.version_no AS from_version,
                       t.version_no AS to_version, f.source AS from_source, t.source AS to_source
                FROM v f JOIN v t ON t.lineage_id = f.lineage_id AND t.version_no = f.version_no + 1)
            SELECT * FROM ({" UNION ALL ".join(parts)}) AS c
            ORDER BY authority, lineage_id, to_version, to_action_id = '', to_action_id, from_action_id,
                     {kind_order}""",
        "v_compare_lineages": f"""
            WITH v AS ({versions}),
            n AS (SELECT plan_id, COUNT(*) AS n FROM action_history GROUP BY ALL),
            l AS (
                SELECT v.authority, v.lineage_id, arg_max(v.title, v.version_no) AS title,
                       COUNT(*) AS n_versions, MIN(v.as_at) AS first_as_at, MAX(v.as_at) AS last_as_at,
                       string_agg({_sql_iso("v.as_at")}, '; ' ORDER BY v.version_no) AS as_at_dates,
                       string_agg(COALESCE(v.as_at_source, ''), '; ' ORDER BY v.version_no) AS as_at_sources,
                       string_agg(v.plan_id, '; ' ORDER BY v.version_no) AS plan_ids,
                       string_agg(v.source, '; ' ORDER BY v.version_no) AS sources,
                       string_agg(CAST(COALESCE(n.n, 0) AS VARCHAR), '; ' ORDER BY v.version_no)
                           AS actions_by_version,
                       arg_max(v.plan_id, v.version_no) AS latest_plan_id
                FROM v LEFT JOIN n USING (plan_id) GROUP BY v.authority, v.lineage_id),
            c AS (SELECT lineage_id, {counts} FROM v_compare_changes GROUP BY ALL)
            SELECT l.*, {zeroed}, {total} AS n_changes
            FROM l LEFT JOIN c USING (lineage_id)
            ORDER BY l.authority, l.lineage_id""",
    }
