"""Interpreter: a `LayoutDocument` in, a `Plan` of raw records out.

Walks the blocks in order, keeping the theme heading the tables sit under,
reads each table whose columns name actions or measures (see columns.py),
and reads the plan's front matter, glossary, legend and prose status counts.
Values stay as written here (dates, leads, statuses); the NLP stage
normalises them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planx.pipeline.authorities import Register, find_authority
from planx.pipeline.interpret.blocks import blocks_to_actions, label_grid_to_blocks
from planx.pipeline.interpret.cards import direction_key, with_card_kpis
from planx.pipeline.interpret.directory import leads_from_directories, table_to_directory
from planx.pipeline.interpret.doc_kind import document_kind
from planx.pipeline.interpret.front_matter import (
    find_front_matter,
    find_glossary,
    find_legend,
    find_reported_counts,
    is_count_table,
    is_legend_table,
)
from planx.pipeline.interpret.inspection import read_inspection
from planx.pipeline.interpret.profile import TableContext as ReadingContext
from planx.pipeline.interpret.profile import TableReading, read_table
from planx.pipeline.interpret.table_records import (
    SECTION_DONE,
    THEME_TEXT,
    TableContext,
    record_table_to_row,
    table_to_actions,
    table_to_kpis,
)
from planx.pipeline.interpret.text import collapse_whitespace
from planx.schemas.layout import Block, LayoutDocument, Table
from planx.schemas.records import KPI, Action, Plan, Theme

__all__ = ["interpret", "THEME_HEADING", "TableTrace"]

THEME_HEADING = THEME_TEXT
# Headings that label a part of a theme rather than start a new part of the document.
_SUB_LABEL = re.compile(r":\s*$")


# "RAG key", "Status legend": a heading over the plan's key, not a new part of the document.
_KEY_HEADING = re.compile(
    r"^(?:(?:b?rag|status|colour|color)\s+)?(?:rating\s+)?(?:key|legend)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class TableTrace:
    """What the interpreter did with one table, for `planx explain`."""

    index: int
    pages: tuple[int, ...]
    caption: str
    reading: TableReading | None  # None when the table was set aside before reading
    note: str  # why it was set aside, or what it gave
    n_actions: int = 0
    n_kpis: int = 0


def boxed_heading(table: Table) -> str | None:
    """A one-row table with one filled cell whose first line is short: a heading drawn in a
    box ("Theme 2: Protecting children"), not a table of records."""
    if table.n_rows != 1:
        return None
    filled = [c for c in table.rows[0] if c.is_origin and c.text.strip()]
    if len(filled) != 1:
        return None
    first = collapse_whitespace(filled[0].text.strip().split("\n")[0])
    more = "\n" in filled[0].text.strip()
    if len(first.split()) > 15 or (more and not _is_theme_heading(first)):
        return None
    return first


def _is_theme_heading(text: str) -> bool:
    return bool(THEME_HEADING.match(text)) and len(text) <= 160


@dataclass
class _Walk:
    """What the walk through a document's blocks has found, and the context it carries."""

    doc: LayoutDocument
    plan_id: str
    fill_to_colour: Callable[[str], str | None] | None
    trace: list[TableTrace] | None
    actions: list[Action] = field(default_factory=list)
    kpis: list[KPI] = field(default_factory=list)
    theme_names: list[str] = field(default_factory=list)
    directories: list[dict[str, str]] = field(default_factory=list)
    objectives: dict[str, str] = field(default_factory=dict)
    heading_theme: str = ""
    # (column labels, last theme) of the last plan table: a table that repeats its columns
    # carries its theme on.
    previous: tuple[tuple[str, ...], str] | None = None
    caption: str = ""  # the last line of text above the next table
    section: str = ""  # the last heading (a heading wrapped over two heading blocks, joined)
    after_heading: bool = False

    def note(self, table: Table, caption: str, reading: TableReading | None, note: str, **n: int):
        """Record in the trace (when one is kept) what was done with a table."""
        if self.trace is not None:
            self.trace.append(TableTrace(table.index, table.pages, caption, reading, note, **n))

    def read_block(self, block: Block) -> None:
        """One block: a heading sets the section and theme, a table is read for records."""
        if block.table is not None and (boxed := boxed_heading(block.table)):
            block = Block(kind="heading", text=boxed, level=3, prov=block.prov)
        if block.table is None and block.text.strip():
            self.caption = collapse_whitespace(block.text)
        if block.kind == "heading":
            self.read_heading(block)
        else:
            self.after_heading = False
            if block.table is not None:
                self.read_table(block.table)

    def read_heading(self, block: Block) -> None:
        """A heading: the section it names, and the theme it starts (or ends)."""
        text = collapse_whitespace(block.text)
        self.section = f"{self.section} {text}" if self.after_heading else text
        self.after_heading = True
        if _KEY_HEADING.match(text):
            return  # the key's own heading keeps the theme in force
        if not _SUB_LABEL.search(text):
            self.previous = None
        if _is_theme_heading(text):
            self.heading_theme = text
            self.theme_names.append(text)
        elif not _SUB_LABEL.search(text) and (block.level or 2) <= 2 and len(text.split()) <= 12:
            self.heading_theme = ""  # a new part of the document ("Key Performance Indicators")

    def read_table(self, table: Table) -> None:
        """A table: set aside (a status key or counts), or read as actions, KPIs, a grid of
        cards or a directory of leads."""
        if is_legend_table(table) or is_count_table(table):
            note = "status key" if is_legend_table(table) else "status counts"
            self.note(table, self.caption, None, note)
            return  # the plan's status key or its status counts, read apart
        table = record_table_to_row(table) or table
        reading = read_table(
            table, ReadingContext(caption=self.caption, fill_to_colour=self.fill_to_colour)
        )
        caption, self.caption = self.caption, ""
        if reading.kind in ("actions", "kpis"):
            self.read_records(table, reading, caption)
        elif cards := label_grid_to_blocks(table):
            self.read_card_grid(table, reading, caption, cards)
        else:
            entries = table_to_directory(table)
            if entries:
                self.directories.append(entries)
            note = "a directory of leads" if entries else "neither actions nor KPIs"
            self.note(table, caption, reading, note)

    def read_records(self, table: Table, reading: TableReading, caption: str) -> None:
        """A table of actions or KPIs, under the theme in force."""
        roles = reading.roles
        carried = self.previous[1] if self.previous and self.previous[0] == roles.labels else ""
        ctx = TableContext(
            source=self.doc.source,
            theme=self.heading_theme,
            plan_id=self.plan_id,
            objectives=self.objectives,
            carried_theme=carried,
            section_done=bool(SECTION_DONE.search(f"{self.section} {caption}")),
        )
        if reading.kind == "actions":
            found = table_to_actions(reading, ctx)
            self.actions.extend(found.actions)
        else:
            found = table_to_kpis(reading, ctx)
            self.kpis.extend(found.kpis)
        n = {"n_actions": len(found.actions), "n_kpis": len(found.kpis)}
        self.note(table, caption, reading, reading.kind, **n)
        self.theme_names.extend(t for t in found.themes if t not in self.theme_names)
        self.previous = (roles.labels, found.last_theme)

    def read_card_grid(
        self, table: Table, reading: TableReading, caption: str, cards: list[Block]
    ) -> None:
        """A grid of "What: / Who: / When:" cards: read as the paragraphs it holds."""
        doc = self.doc
        grid_doc = LayoutDocument(source=doc.source, format=doc.format, blocks=tuple(cards))
        found = blocks_to_actions(grid_doc)
        for a in found:
            self.actions.append(a.model_copy(update={"theme": a.theme or self.heading_theme}))
        note = f"a grid of label:value cards: {len(found)} actions"
        self.note(table, caption, reading, note, n_actions=len(found))


def _numbered_themes(names: list[str], plan_id: str) -> list[Theme]:
    """Each theme named once, in order of first mention, with its number where it has one."""
    seen: set[str] = set()
    themes: list[Theme] = []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            m = re.match(r"^(?:[A-Za-z -]*?\s)?(\d{1,2})\b", name)
            themes.append(
                Theme(
                    id=f"{plan_id}-T{len(themes) + 1:03d}", ref=m.group(1) if m else "", name=name
                )
            )
    return themes


def _records_with_ids(walk: _Walk) -> tuple[list[Action], list[KPI]]:
    """The walk's actions (else those written as paragraphs) with the leads a directory
    gives, and its KPIs with a performance report's KPI cards, each with its id."""
    doc, plan_id = walk.doc, walk.plan_id
    actions = walk.actions or blocks_to_actions(doc)  # no action table: paragraphs may hold them
    actions = leads_from_directories(actions, walk.directories)
    actions = [
        a.model_copy(update={"id": f"{plan_id}-A{i:04d}"}) for i, a in enumerate(actions, start=1)
    ]
    kpis = with_card_kpis(doc, walk.kpis)  # a performance report's KPI cards
    kpis = [k.model_copy(update={"id": f"{plan_id}-K{i:04d}"}) for i, k in enumerate(kpis, start=1)]
    return actions, kpis


def _with_kind(plan: Plan, doc: LayoutDocument) -> Plan:
    """The plan with what kind of document it is, and an inspection report's findings."""
    kind = document_kind(doc, plan)
    found = read_inspection(doc) if kind.kind == "inspection_report" else None
    update = {"doc_kind": kind.kind, "doc_kind_basis": kind.basis, "inspection": found}
    return plan.model_copy(update=update)


def interpret(
    doc: LayoutDocument,
    *,
    plan_id: str,
    sha256: str,
    register: Register | None = None,
    fill_to_colour=None,
    trace: list[TableTrace] | None = None,
) -> Plan:
    """Read a document's records; `trace`, when given, collects what was done with each table."""
    texts = [t for t in doc.iter_text() if t]
    authority = find_authority(texts, register)
    front = find_front_matter(doc)
    legend = find_legend(doc, fill_to_colour=fill_to_colour)
    walk = _Walk(doc=doc, plan_id=plan_id, fill_to_colour=fill_to_colour, trace=trace)
    for block in doc.blocks:
        walk.read_block(block)
    actions, kpis = _records_with_ids(walk)
    names = [*walk.theme_names, *(a.theme for a in actions), *(k.theme for k in kpis)]
    reported = find_reported_counts(doc.blocks)
    plan = Plan(
        plan_id=plan_id,
        source=doc.source,
        sha256=sha256,
        format=doc.format,
        pages=doc.pages,
        authority=authority.name if authority else "",
        authority_la_code=authority.la_code if authority else "",
        authority_ons_code=authority.ons_code if authority else "",
        region=authority.region if authority else "",
        title=front.title,
        period=front.period,
        version=front.version,
        date_raw=front.date_raw,
        themes=_numbered_themes(names, plan_id),
        actions=actions,
        kpis=kpis,
        glossary=find_glossary(doc),
        legend=legend,
        direction_key=direction_key(doc),
        reported_status_counts=reported.counts,
        reported_counts_of=reported.counts_of,
        warnings=list(doc.warnings),
    )
    return _with_kind(plan, doc)
