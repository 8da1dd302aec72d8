"""Interpreter: a `LayoutDocument` in, a `Plan` of raw records out.

Walks the blocks in order, keeping the theme heading the tables sit under,
reads each table whose columns name actions or measures (see columns.py),
and reads the plan's front matter, glossary, legend and prose status counts.
Values stay as written here (dates, leads, statuses); the NLP stage
normalises them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.authorities import Register, find_authority
from pipeline.interpret.blocks import blocks_to_actions, label_grid_to_blocks
from pipeline.interpret.cards import direction_key, with_card_kpis
from pipeline.interpret.directory import leads_from_directories, table_to_directory
from pipeline.interpret.doc_kind import document_kind
from pipeline.interpret.front_matter import (
    find_front_matter,
    find_glossary,
    find_legend,
    find_reported_counts,
    is_count_table,
    is_legend_table,
)
from pipeline.interpret.inspection import read_inspection
from pipeline.interpret.profile import TableContext as ReadingContext
from pipeline.interpret.profile import TableReading, read_table
from pipeline.interpret.table_records import (
    SECTION_DONE,
    THEME_TEXT,
    TableContext,
    record_table_to_row,
    table_to_actions,
    table_to_kpis,
)
from pipeline.interpret.text import collapse_whitespace
from schemas.layout import Block, LayoutDocument, Table
from schemas.records import Plan, Theme

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

    actions, kpis = [], []
    theme_names: list[str] = []
    heading_theme = ""
    objectives: dict[str, str] = {}
    directories: list[dict[str, str]] = []
    previous: tuple[tuple[str, ...], str] | None = (
        None  # (column labels, last theme) of the last plan table
    )
    caption = ""  # the last line of text above the next table
    section = ""  # the last heading (a heading wrapped over two heading blocks, joined)
    after_heading = False
    for block in doc.blocks:
        if block.table is not None and (boxed := boxed_heading(block.table)):
            block = Block(kind="heading", text=boxed, level=3, prov=block.prov)
        if block.table is None and block.text.strip():
            caption = collapse_whitespace(block.text)
        if block.kind == "heading":
            text = collapse_whitespace(block.text)
            section = f"{section} {text}" if after_heading else text
            after_heading = True
        else:
            after_heading = False
        if block.kind == "heading":
            if _KEY_HEADING.match(text):
                continue  # the key's own heading keeps the theme in force
            if not _SUB_LABEL.search(text):
                previous = None
            if _is_theme_heading(text):
                heading_theme = text
                theme_names.append(text)
            elif (
                not _SUB_LABEL.search(text) and (block.level or 2) <= 2 and len(text.split()) <= 12
            ):
                heading_theme = ""  # a new part of the document ("Key Performance Indicators")
            continue
        if block.table is None:
            continue
        table = block.table
        if is_legend_table(table) or is_count_table(table):
            if trace is not None:
                note = "status key" if is_legend_table(table) else "status counts"
                trace.append(TableTrace(table.index, table.pages, caption, None, note))
            continue  # the plan's status key or its status counts, read below
        table = record_table_to_row(table) or table
        reading = read_table(table, ReadingContext(caption=caption, fill_to_colour=fill_to_colour))
        table_caption, caption = caption, ""
        roles = reading.roles
        carried = previous[1] if previous and previous[0] == roles.labels else ""
        ctx = TableContext(
            source=doc.source,
            theme=heading_theme,
            plan_id=plan_id,
            objectives=objectives,
            carried_theme=carried,
            section_done=bool(SECTION_DONE.search(f"{section} {table_caption}")),
        )
        if reading.kind == "actions":
            found = table_to_actions(reading, ctx)
            actions.extend(found.actions)
        elif reading.kind == "kpis":
            found = table_to_kpis(reading, ctx)
            kpis.extend(found.kpis)
        elif cards := label_grid_to_blocks(table):
            # A grid of "What: / Who: / When:" cards: read as the paragraphs it holds.
            grid_doc = LayoutDocument(source=doc.source, format=doc.format, blocks=tuple(cards))
            found_actions = blocks_to_actions(grid_doc)
            for a in found_actions:
                actions.append(a.model_copy(update={"theme": a.theme or heading_theme}))
            if trace is not None:
                note = f"a grid of label:value cards: {len(found_actions)} actions"
                trace.append(
                    TableTrace(
                        table.index, table.pages, table_caption, reading, note, len(found_actions)
                    )
                )
            continue
        else:
            entries = table_to_directory(table)
            if entries:
                directories.append(entries)
            if trace is not None:
                note = "a directory of leads" if entries else "neither actions nor KPIs"
                trace.append(TableTrace(table.index, table.pages, table_caption, reading, note))
            continue
        if trace is not None:
            trace.append(
                TableTrace(
                    table.index,
                    table.pages,
                    table_caption,
                    reading,
                    reading.kind,
                    n_actions=len(found.actions),
                    n_kpis=len(found.kpis),
                )
            )
        theme_names.extend(t for t in found.themes if t not in theme_names)
        previous = (roles.labels, found.last_theme)

    actions = actions or blocks_to_actions(doc)  # no action table: paragraphs may hold them
    actions = leads_from_directories(actions, directories)
    actions = [
        a.model_copy(update={"id": f"{plan_id}-A{i:04d}"}) for i, a in enumerate(actions, start=1)
    ]
    kpis = with_card_kpis(doc, kpis)  # a performance report's KPI cards
    kpis = [k.model_copy(update={"id": f"{plan_id}-K{i:04d}"}) for i, k in enumerate(kpis, start=1)]
    seen: set[str] = set()
    themes: list[Theme] = []
    for name in [*theme_names, *(a.theme for a in actions), *(k.theme for k in kpis)]:
        if name and name not in seen:
            seen.add(name)
            m = re.match(r"^(?:[A-Za-z -]*?\s)?(\d{1,2})\b", name)
            themes.append(
                Theme(
                    id=f"{plan_id}-T{len(themes) + 1:03d}", ref=m.group(1) if m else "", name=name
                )
            )
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
        themes=themes,
        actions=actions,
        kpis=kpis,
        glossary=find_glossary(doc),
        legend=legend,
        direction_key=direction_key(doc),
        reported_status_counts=reported.counts,
        reported_counts_of=reported.counts_of,
        warnings=list(doc.warnings),
    )
    kind = document_kind(doc, plan)
    found = read_inspection(doc) if kind.kind == "inspection_report" else None
    update = {"doc_kind": kind.kind, "doc_kind_basis": kind.basis, "inspection": found}
    return plan.model_copy(update=update)
