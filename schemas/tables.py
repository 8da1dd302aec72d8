"""The columns of every table planx writes, in order: contract columns first, added ones after.

Shared by the pipeline (which fills them) and the JSON Schema (which describes them).
"""

from __future__ import annotations

from schemas.records import MEANINGS

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
    *(f"n_{m}" for m in MEANINGS),
    *(f"reported_{c}" for c in COLOURS),
    *(f"reported_{m}" for m in MEANINGS),
}
FLOAT_COLUMNS = {"target_value", "actual_value", "floor_value"}
BOOL_COLUMNS = {"overdue", "has_legend"}
# Text columns whose names start like counts' ("reported_", "n_").
TEXT_COUNT_LIKE_COLUMNS = {"reported_counts_of"}
