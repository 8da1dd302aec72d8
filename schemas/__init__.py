"""Typed models: the layout model (extractors -> interpreter) and the output records."""

from schemas.layout import Block, Cell, LayoutDocument, Table
from schemas.layout import Provenance as LayoutProvenance
from schemas.records import (
    KPI,
    Action,
    DateValue,
    ErrorRecord,
    GlossaryEntry,
    Lead,
    LegendEntry,
    Milestone,
    Plan,
    Provenance,
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
    "Provenance",
    "Status",
    "StatusLegend",
    "Table",
    "TaggedSpan",
    "Theme",
]
