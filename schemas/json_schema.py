"""JSON Schema of planx's output: the rows of each table it writes, and the nested records.

Dashboards validate a table's rows (as read from CSV/Parquet/DuckDB, or
exported as JSON) against `properties.<table>.items`; the nested records
(`$defs`) describe the full Plan object with provenance and tagged spans.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from planx.schemas.records import KPI, Action, AsAtSource, ErrorRecord, Inspection, Plan
from planx.schemas.table_columns import (
    BOOL_COLUMNS,
    CHANGE_KINDS,
    CONTRACT_COLUMNS,
    DATE_COLUMNS,
    FLOAT_COLUMNS,
    HISTORY_COLUMNS,
    HISTORY_REQUIRED,
    INT_COLUMNS,
    TABLE_COLUMNS,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
RECORD_MODELS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "action": Action,
    "kpi": KPI,
    "error": ErrorRecord,
    "inspection": Inspection,
}
ENUMS = {
    "status": ["red", "amber", "green", "blue", ""],
    "status_meaning": ["complete", "on_track", "at_risk", "off_track", "not_started", "unknown"],
    "direction": ["improving", "stable", "worsening", ""],
    "meaning_basis": ["plan_legend", "common_reading", "section", "none"],
    "doc_kind": ["plan", "performance_report", "inspection_report", "other"],
    "reported_counts_of": ["indicators", "actions", ""],
    "about": ["local authority", "LSCB"],
    "framework": ["SIF", "ILACS", ""],
    "as_at_source": list(get_args(AsAtSource)),
    "change": list(CHANGE_KINDS),
    "matched_by": ["text", "ref", "similar", ""],
}
# Every table's columns: the extract's, and the plan history's (written by `planx compare`).
ALL_COLUMNS = {**TABLE_COLUMNS, **HISTORY_COLUMNS}
REQUIRED = {**CONTRACT_COLUMNS, **HISTORY_REQUIRED}


def _column_schema(column: str) -> dict[str, Any]:
    if column in ENUMS:
        return {"type": "string", "enum": ENUMS[column]}
    if column in DATE_COLUMNS:
        return {"type": ["string", "null"], "format": "date"}
    if column in INT_COLUMNS or column.startswith(("n_", "reported_")):
        return (
            {"type": ["integer", "null"], "minimum": 0}
            if column != "page"
            else {"type": ["integer", "null"], "minimum": 1}
        )
    if column in FLOAT_COLUMNS:
        return {"type": ["number", "null"]}
    if column in BOOL_COLUMNS:
        return {"type": ["boolean", "null"]}
    return {"type": "string"}


def table_row_schema(table: str) -> dict[str, Any]:
    columns = ALL_COLUMNS[table]
    return {
        "type": "object",
        "title": f"{table} row",
        "properties": {c: _column_schema(c) for c in columns},
        "required": REQUIRED.get(table, []),
        "additionalProperties": True,
    }


# Models renamed in the code keep the names dashboards have validated against.
PUBLISHED_NAMES = {"RecordProvenance": "Provenance"}


class _PublishedNames(GenerateJsonSchema):
    """Pydantic's schema generator, naming each model as the published schema does."""

    def normalize_name(self, name: str) -> str:
        """The published name of a model."""
        return super().normalize_name(PUBLISHED_NAMES.get(name, name))


def output_json_schema(which: str = "all") -> dict[str, Any]:
    """The JSON Schema of one record (`which`), or of every table's rows and the records."""
    if which != "all":
        schema = RECORD_MODELS[which].model_json_schema(
            mode="serialization", schema_generator=_PublishedNames
        )
        return {"$schema": DRAFT, **schema}
    defs: dict[str, Any] = {}
    for model in RECORD_MODELS.values():
        schema = model.model_json_schema(
            mode="serialization", ref_template="#/$defs/{model}", schema_generator=_PublishedNames
        )
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return {
        "$schema": DRAFT,
        "$id": "https://planx.example/schema/output.json",
        "title": "planx output",
        "description": "Rows of each table planx writes (CSV/Parquet/DuckDB), and the nested Plan records.",
        "type": "object",
        "properties": {t: {"type": "array", "items": table_row_schema(t)} for t in ALL_COLUMNS},
        "$defs": defs,
    }
