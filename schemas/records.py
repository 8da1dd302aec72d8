"""Typed output records: what the interpreter builds and the NLP stage normalises.

These are the records behind the contract's tables (actions, kpis, plans,
errors) and the extra tables (leads, milestones, themes, glossary, legends).
`planx schema` prints their JSON Schema for dashboard teams.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Colour = Literal["red", "amber", "green", "blue"]
Meaning = Literal["complete", "on_track", "at_risk", "off_track", "not_started", "unknown"]
Precision = Literal["day", "week", "month", "quarter", "season", "year"]
StatusSource = Literal["text", "fill", "font", "icon", "derived"]
Direction = Literal["improving", "stable", "worsening"]
AsAtSource = Literal["position", "quarter", "report_date", "period_end", "file_date", ""]
DocKind = Literal["plan", "performance_report", "inspection_report", "other"]
LeadKind = Literal["person", "initials", "role", "team", "unknown"]
RoleFamily = Literal[
    "Director",
    "Assistant Director",
    "Head of Service",
    "Service/Group Manager",
    "Team Manager",
    "Principal Social Worker",
    "Virtual School Head",
    "Board/Partnership",
    "Other",
]
MEANINGS: tuple[str, ...] = (
    "complete",
    "on_track",
    "at_risk",
    "off_track",
    "not_started",
    "unknown",
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class RecordProvenance(_Record):
    """Where a record came from: enough to find it again in the source document."""

    model_config = ConfigDict(title="Provenance")  # its name in the published JSON Schema

    source: str = Field(description="File name of the input document")
    page: int | None = Field(None, description="1-based page (PDF); None for formats without pages")
    table_index: int | None = Field(None, description="0-based index of the table in the document")
    row_index: int | None = Field(None, description="0-based row in that table, after page joins")
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="x0, top, x1, bottom in points"
    )
    sheet: str | None = None


class TaggedSpan(_Record):
    """A span the NLP stage tagged, so a reviewer can see why a value was read."""

    field: str = Field(description="Record field the text came from, e.g. 'lead_raw'")
    label: str
    start: int = Field(description="Character offset in the field's text")
    end: int
    text: str


class DateValue(_Record):
    raw: str = ""
    date: dt.date | None = None
    precision: Precision | None = None
    recurrence: str | None = Field(
        None, description="'monthly', 'quarterly', ... when the text is a frequency"
    )
    flags: list[str] = Field(
        default_factory=list, description="e.g. 'unparseable', 'outside_plan_period'"
    )


class Status(_Record):
    raw: str = Field("", description="The status cell as written")
    fill: str | None = Field(None, description="The status cell's fill colour, #RRGGBB")
    text_colour: str | None = Field(
        None, description="The colour of the status cell's text, #RRGGBB, when not black"
    )
    icon_fill: str | None = Field(
        None, description="The fill of an icon or arrow drawn in the status cell, #RRGGBB"
    )
    colour: Colour | None = None
    meaning: Meaning = "unknown"
    source: StatusSource | None = None
    meaning_basis: Literal["plan_legend", "common_reading", "section", "none"] = Field(
        "none",
        description="Where the meaning came from: the plan's key, the usual reading of a colour, "
        "or the section the record sits in ('What we have achieved')",
    )


class Lead(_Record):
    raw: str = Field(description="This lead as written in the cell")
    name: str = Field(
        description="Abbreviations expanded where the plan's own glossary defines them; "
        "otherwise as written"
    )
    kind: LeadKind = "unknown"
    role_family: RoleFamily | None = Field(
        None, description="Read from the title, the plan's glossary and the sector lexicon"
    )
    expanded_from: Literal["plan"] | None = None


class Milestone(_Record):
    id: str = ""
    text: str
    column: str = Field("", description="The column it sat in, e.g. 'March'")
    date: DateValue = Field(default_factory=DateValue)


class Action(_Record):
    id: str = ""
    plan_id: str = ""
    theme: str = ""
    theme_ref: str = ""
    theme_std: str = Field(
        "",
        description="The common theme area (pipeline/data/theme_taxonomy.json), from the "
        "plan's theme, else the action's text; set by the enrichment stage",
    )
    theme_rule: str = Field(
        "", description="The rule that chose theme_std, e.g. 'theme:mash' or 'text:care leaver'"
    )
    objective: str = Field(
        "", description="The parent objective row (e.g. '1.2 Improve ...') if any"
    )
    ref: str = ""
    text: str
    lead_raw: str = ""
    leads: list[Lead] = Field(default_factory=list)
    start: DateValue | None = None
    due: DateValue | None = None
    status: Status = Field(default_factory=Status)
    overdue: bool | None = Field(
        None, description="Derived with --as-of: not complete and due date passed"
    )
    progress: str = ""
    evidence: str = ""
    success_measure: str = Field(
        "", description="The measure of success the plan gives beside the action (not a KPI)"
    )
    kpi_refs: str = ""
    milestones: list[Milestone] = Field(default_factory=list)
    extra: dict[str, str] = Field(default_factory=dict, description="Other columns, by header")
    flags: list[str] = Field(default_factory=list)
    spans: list[TaggedSpan] = Field(default_factory=list)
    provenance: RecordProvenance


class KPI(_Record):
    id: str = ""
    plan_id: str = ""
    theme: str = ""
    ref: str = ""
    measure: str
    owner_raw: str = ""
    owners: list[Lead] = Field(default_factory=list)
    frequency_raw: str = ""
    frequency: str = ""
    target_raw: str = ""
    target_value: float | None = None
    target_unit: str = ""
    target_due: DateValue | None = None
    baseline_raw: str = ""
    status: Status = Field(default_factory=Status)
    actual_raw: str = Field("", description="The latest value reported, as written")
    actual_value: float | None = None
    floor_raw: str = Field("", description="A floor / tolerance / lower threshold, as written")
    floor_value: float | None = None
    previous_raw: str = Field("", description="The previous period's value, as written")
    direction_raw: str = ""
    direction: Direction | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    flags: list[str] = Field(default_factory=list)
    spans: list[TaggedSpan] = Field(default_factory=list)
    provenance: RecordProvenance


class Theme(_Record):
    id: str = ""
    ref: str = ""
    name: str
    statement: str = ""
    theme_std: str = Field("", description="The common theme area this theme reads as")
    theme_rule: str = Field("", description="The rule that chose theme_std")


class GlossaryEntry(_Record):
    abbreviation: str
    expansion: str
    source: Literal["plan", "lexicon"] = "plan"


class LegendEntry(_Record):
    colour: Colour
    label: str = Field(description="The legend's own wording for this colour")
    meaning: Meaning = "unknown"
    fill: str | None = Field(
        None, description="The key cell's fill colour, #RRGGBB, where the key shows one"
    )


class LegendMark(_Record):
    mark: str = Field(description="The mark as printed: '○', '✓'")
    label: str = Field(description="The key's own wording for it")
    meaning: Meaning = "unknown"


class StatusLegend(_Record):
    entries: list[LegendEntry] = Field(default_factory=list)
    criteria: list[str] = Field(
        default_factory=list, description="A RAG criteria list, if the plan has one"
    )
    marks: list[LegendMark] = Field(
        default_factory=list,
        description="Marks the key explains without a status colour ('○ Not yet started')",
    )

    def meaning_of(self, colour: str | None) -> Meaning | None:
        for e in self.entries:
            if e.colour == colour:
                return e.meaning
        return None


class Judgement(_Record):
    """One graded judgement of an inspection, as the report prints it."""

    area: str = Field(
        description="Which judgement: help_and_protection, children_in_care, adoption, "
        "care_leavers, leadership, lscb or overall; '' when the label names none of them"
    )
    label: str = Field(description="The judgement's label as printed")
    grade: str = Field(
        description="The grade in the report's own words, e.g. 'Requires improvement'"
    )


class Recommendation(_Record):
    """One thing an inspection report says must improve, whole (joined across lines and pages)."""

    n: int = Field(description="1..N in the report's order")
    label: str = Field("", description="The number or bullet printed before it, e.g. '126.'")
    text: str
    about: Literal["local authority", "LSCB"] = "local authority"
    section: str = Field(
        "", description="The heading it sits under, e.g. 'Priority and immediate action'"
    )
    page: int | None = None


class Inspection(_Record):
    """What an inspection report of a council's children's services found."""

    framework: str = Field("", description="'SIF' (2013-2018), 'ILACS' (2018 on) or ''")
    title: str = ""
    dates_raw: str = Field("", description="The inspection dates as printed")
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    published_raw: str = ""
    published: dt.date | None = Field(None, description="Where the report prints it")
    overall: str = Field("", description="The overall judgement, in the report's own words")
    judgements: list[Judgement] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)


class Plan(_Record):
    plan_id: str
    source: str
    sha256: str
    format: str
    pages: int | None = None
    authority: str = ""
    authority_la_code: str = Field("", description="DfE local-authority code, e.g. '801'")
    authority_ons_code: str = Field("", description="ONS/GSS code, e.g. 'E06000023'")
    region: str = ""
    title: str = ""
    period: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    version: str = ""
    date: dt.date | None = None
    date_raw: str = ""
    as_at: dt.date | None = Field(
        None, description="The date the document reports progress at (see as_at_source)"
    )
    as_at_raw: str = Field("", description="The words the as-at date was read from")
    as_at_source: AsAtSource = Field(
        "",
        description="Where the as-at date came from: a position statement ('Position at ...', "
        "'Update: March 2019'), a quarter named, the document's date, the end of its period, "
        "or the file's creation date",
    )
    themes: list[Theme] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    kpis: list[KPI] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    legend: StatusLegend = Field(default_factory=StatusLegend)
    doc_kind: DocKind = Field(
        "plan", description="What the document is; only plans and performance reports are compared"
    )
    doc_kind_basis: str = Field("", description="The evidence the document kind was read from")
    direction_key: dict[str, str] = Field(
        default_factory=dict,
        description="The document's own key to its direction-of-travel symbols: symbol -> wording",
    )
    reported_status_counts: dict[str, int] = Field(
        default_factory=dict, description="Counts given only in prose: colour -> number"
    )
    reported_meaning_counts: dict[str, int] = Field(
        default_factory=dict,
        description="The reported counts by meaning, read through the plan's own key (else the "
        "common reading of each colour): meaning -> number; set by the enrichment stage",
    )
    reported_counts_of: Literal["actions", "indicators", ""] = Field(
        "", description="What the reported counts count"
    )
    inspection: Inspection | None = Field(
        None, description="What an inspection report found (doc_kind inspection_report)"
    )
    warnings: list[str] = Field(default_factory=list)


class InputFile(_Record):
    """One input file of a batch and what became of it: read, an identical copy, or failed."""

    source: str = Field(description="File name")
    path: str = Field(description="Path relative to the folder the batch's inputs share")
    sha256: str = ""
    plan_id: str = Field("", description="The plan it was read as; blank when it failed")
    outcome: Literal["read", "identical_copy", "failed"]
    same_as: str = Field(
        "", description="For an identical copy: the path of the file read in its place"
    )


class ErrorRecord(_Record):
    source: str
    stage: Literal["discover", "extract", "interpret", "nlp", "tabulate", "write", "batch"]
    error: str = Field(description="One line: what went wrong and, where possible, what to do")
    kind: str = Field(
        "",
        description="encrypted | no_text_layer | corrupt | empty | unsupported | too_large | timeout | ...",
    )
    severity: Literal["failed", "partial", "warning"] = "failed"
