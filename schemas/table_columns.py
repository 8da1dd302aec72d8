"""The columns of every table planx writes, in order: contract columns first, added ones after.

Shared by the pipeline (which fills them) and the JSON Schema (which describes them).
"""

from __future__ import annotations

from planx.schemas.records import MEANINGS

COLOURS = ("red", "amber", "green", "blue")

# The output contract's columns (../shared/docs/output-contract.md): required in every row,
# never renamed or dropped. Added columns follow them.
CONTRACT_COLUMNS = {
    "actions": [
        "plan_id",
        "authority",
        "source",
        "page",
        "theme",
        "ref",
        "action",
        "leads",
        "lead_raw",
        "start_date",
        "due_date",
        "due_raw",
        "status",
        "status_meaning",
        "progress",
    ],
    "kpis": [
        "plan_id",
        "authority",
        "source",
        "page",
        "theme",
        "ref",
        "measure",
        "owner",
        "frequency",
        "target_raw",
        "target_value",
        "target_unit",
        "target_due",
        "status",
        "status_meaning",
        "actual_raw",
        "actual_value",
        "floor_raw",
        "floor_value",
        "previous_raw",
        "direction",
    ],
    "plans": [
        "plan_id",
        "authority",
        "title",
        "period",
        "source",
        "sha256",
        "format",
        "pages",
        "n_actions",
        "n_kpis",
    ],
    "errors": ["source", "stage", "error"],
}

ACTION_COLUMNS = [
    *CONTRACT_COLUMNS["actions"],
    # added
    "action_id",
    "authority_la_code",
    "format",
    "table_index",
    "row_index",
    "bbox",
    "theme_ref",
    "theme_std",
    "theme_rule",
    "objective",
    "start_raw",
    "start_precision",
    "due_precision",
    "due_recurrence",
    "status_raw",
    "status_fill",
    "status_text_colour",
    "status_icon_fill",
    "status_source",
    "meaning_basis",
    "overdue",
    "evidence",
    "kpi_refs",
    "lead_role_families",
    "n_milestones",
    "flags",
    "recommendation_cited",
]
KPI_COLUMNS = [
    *CONTRACT_COLUMNS["kpis"],
    "kpi_id",
    "authority_la_code",
    "format",
    "table_index",
    "row_index",
    "owner_raw",
    "frequency_raw",
    "target_due_raw",
    "baseline_raw",
    "status_raw",
    "status_fill",
    "status_source",
    "meaning_basis",
    "direction_raw",
    "flags",
    "recommendation_cited",
]
PLAN_COLUMNS = [
    *CONTRACT_COLUMNS["plans"],
    *(f"n_{m}" for m in MEANINGS),
    "authority_la_code",
    "authority_ons_code",
    "region",
    "period_start",
    "period_end",
    "version",
    "date",
    "as_at",
    "as_at_raw",
    "as_at_source",
    "n_themes",
    "has_legend",
    "legend",
    *(f"reported_{c}" for c in COLOURS),
    *(f"reported_{m}" for m in MEANINGS if m != "unknown"),
    "reported_counts_of",
    "doc_kind",
    "doc_kind_basis",
    "n_warnings",
    "identical_copies",
]
ERROR_COLUMNS = ["source", "stage", "error", "kind", "severity"]
# Every input file and what became of it, so no file goes missing unseen.
FILE_COLUMNS = ["source", "path", "sha256", "plan_id", "outcome", "same_as"]
LEAD_COLUMNS = [
    "plan_id",
    "authority",
    "action_id",
    "kpi_id",
    "ref",
    "lead",
    "lead_raw",
    "kind",
    "role_family",
    "expanded_from",
    "source",
    "page",
    "lead_id",
]
MILESTONE_COLUMNS = [
    "plan_id",
    "authority",
    "action_id",
    "ref",
    "column",
    "milestone",
    "date",
    "date_raw",
    "precision",
    "source",
    "page",
    "milestone_id",
]
THEME_COLUMNS = [
    "plan_id",
    "authority",
    "theme_id",
    "ref",
    "theme",
    "theme_std",
    "theme_rule",
    "n_actions",
    "n_kpis",
]
GLOSSARY_COLUMNS = ["plan_id", "authority", "abbreviation", "expansion", "source"]
LEGEND_COLUMNS = ["plan_id", "authority", "colour", "label", "meaning", "fill", "kind", "mark"]
# An inspection report: one row per report, one column per judgement (grades as printed).
JUDGEMENT_AREAS = (
    "help_and_protection",
    "children_in_care",
    "adoption",
    "care_leavers",
    "leadership",
    "lscb",
)
INSPECTION_COLUMNS = [
    "plan_id",
    "source",
    "authority",
    "authority_la_code",
    "authority_ons_code",
    "framework",
    "inspection_start",
    "inspection_end",
    "published",
    "overall",
    *JUDGEMENT_AREAS,
    "n_recommendations",
    "n_recommendations_lscb",
    "judgements",
    "dates_raw",
    "published_raw",
    "title",
]
RECOMMENDATION_COLUMNS = [
    "plan_id",
    "source",
    "authority",
    "n",
    "text",
    "about",
    "page",
    "label",
    "section",
    "authority_la_code",
    "inspection_end",
    "published",
]
# What the NLP stage tagged in each record's cells, so a reviewer can see why a value was read.
TAG_COLUMNS = [
    "plan_id",
    "record_id",
    "ref",
    "field",
    "label",
    "start",
    "end",
    "text",
    "source",
    "page",
    "tag_id",
]

TABLE_COLUMNS: dict[str, list[str]] = {
    "actions": ACTION_COLUMNS,
    "kpis": KPI_COLUMNS,
    "plans": PLAN_COLUMNS,
    "errors": ERROR_COLUMNS,
    "files": FILE_COLUMNS,
    "leads": LEAD_COLUMNS,
    "milestones": MILESTONE_COLUMNS,
    "themes": THEME_COLUMNS,
    "glossary": GLOSSARY_COLUMNS,
    "legends": LEGEND_COLUMNS,
    "tags": TAG_COLUMNS,
    "inspections": INSPECTION_COLUMNS,
    "recommendations": RECOMMENDATION_COLUMNS,
}
# Plan history (written by `planx compare`, pipeline/history.py): versions of one plan, each
# action's key across versions, and what changed between consecutive versions.
CHANGE_KINDS = ("text", "ref", "status", "due_date", "lead", "added", "dropped")
HISTORY_COLUMNS: dict[str, list[str]] = {
    "compare_lineages": [
        "authority", "lineage_id", "title", "n_versions", "first_as_at", "last_as_at",
        "as_at_dates", "as_at_sources", "plan_ids", "sources", "actions_by_version",
        "latest_plan_id", *(f"n_{k}" for k in CHANGE_KINDS), "n_changes",
    ],
    "compare_changes": [
        "authority", "lineage_id", "from_plan_id", "to_plan_id", "from_as_at", "to_as_at",
        "action_key", "ref", "action", "change", "old", "new",
        # added
        "from_version", "to_version", "from_action_id", "to_action_id", "from_source", "to_source",
    ],
    "action_history": [
        "lineage_id", "action_key", "plan_id", "as_at", "ref", "status", "status_meaning",
        "due_date", "leads", "progress",
        # added
        "authority", "version_no", "as_at_source", "action_id", "action", "position", "source",
        "page", "matched_by", "match_score",
    ],
    "action_keys": ["action_id", "plan_id", "source", "lineage_id", "action_key"],
}  # fmt: skip
# The columns the plan-history tables promise (the rest are added for tracing).
HISTORY_REQUIRED: dict[str, list[str]] = {
    "compare_lineages": HISTORY_COLUMNS["compare_lineages"],
    "compare_changes": HISTORY_COLUMNS["compare_changes"][:12],
    "action_history": HISTORY_COLUMNS["action_history"][:10],
    "action_keys": HISTORY_COLUMNS["action_keys"],
}

# The comparison tables `planx compare` writes, in the order a person reads them (the plan
# history's among them). Each is a SQL view's rows (pipeline/compare_views.py) or, for what SQL
# cannot compute, a table compare writes itself (pipeline/compare.py).
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
    *HISTORY_COLUMNS,
)
# compare_plans: why a document is left out of the comparisons, and which copy of a plan is
# kept (formats whose cells and fills are read as written first).
COPY_REASON = "copy"
EARLIER_VERSION_REASON = "earlier_version"
FORMAT_RANK = {"xlsx": 0, "docx": 0, "html": 0, "pdf": 1, "text": 2}
# Words the comparisons write in place of a missing value, shared with the report.
NO_DATE = "no date"  # a due quarter without a due date (sorts after every year)
UNCLASSIFIED_ROLE = "Unclassified"
UNCLASSIFIED_THEME = "unclassified"
NO_TARGET = "(no target)"
NO_AS_OF_NOTE = (
    "no as-of date was given and the actions have no overdue column: "
    "run `planx compare OUTDIR --as-of YYYY-MM-DD` to list overdue actions"
)

# Column types for empty frames and for typed sinks (dates as dates, counts as integers).
DATE_COLUMNS = {
    "start_date",
    "due_date",
    "target_due",
    "date",
    "period_start",
    "period_end",
    "inspection_start",
    "inspection_end",
    "published",
    "as_at",
    "from_as_at",
    "to_as_at",
    "first_as_at",
    "last_as_at",
    # comparisons
    "as_of",
    "inspection_published",
}
INT_COLUMNS = {
    "n",
    "n_recommendations",
    "n_recommendations_lscb",
    "page",
    "start",
    "end",
    "table_index",
    "row_index",
    "pages",
    "n_actions",
    "n_kpis",
    "n_themes",
    "n_milestones",
    "n_warnings",
    "version_no",
    "from_version",
    "to_version",
    "position",
    # comparisons
    "n_plans",
    "n_leads",
    "n_reported",
    "n_copies_skipped",
    "n_authorities",
    "n_linked_actions",
    "n_linked_kpis",
    "n_versions",
    "n_changes",
    *(f"n_{k}" for k in CHANGE_KINDS),
    "rec_n",
    "rank",
    "tier",
    "block_round",
    "item_page",
    "top_n",
    *(f"n_{m}" for m in MEANINGS),
    *(f"reported_{c}" for c in COLOURS),
    *(f"reported_{m}" for m in MEANINGS),
}
FLOAT_COLUMNS = {
    "target_value", "actual_value", "floor_value", "match_score", "share", "score", "best_score",
    "addressed_threshold",
}  # fmt: skip
BOOL_COLUMNS = {"overdue", "has_legend", "addressed"}
# Text columns whose names start like counts' ("reported_", "n_").
TEXT_COUNT_LIKE_COLUMNS = {"reported_counts_of"}
