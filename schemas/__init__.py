"""Typed models: the layout model (extractors -> interpreter) and the output records."""

from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table
from planx.schemas.records import (
    KPI,
    Action,
    DateValue,
    ErrorRecord,
    GlossaryEntry,
    Lead,
    LegendEntry,
    Milestone,
    Plan,
    RecordProvenance,
    Status,
    StatusLegend,
    TaggedSpan,
    Theme,
)

__all__ = [
    "KPI",
    "Action",
    "Block",
    "Cell",
    "DateValue",
    "ErrorRecord",
    "GlossaryEntry",
    "LayoutDocument",
    "LayoutProvenance",
    "Lead",
    "LegendEntry",
    "Milestone",
    "Plan",
    "RecordProvenance",
    "Status",
    "StatusLegend",
    "Table",
    "TaggedSpan",
    "Theme",
]
