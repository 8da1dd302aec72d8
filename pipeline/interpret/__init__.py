"""Interpreter: a `LayoutDocument` in, a `Plan` of raw records out.

Walks the blocks in order, keeping the theme heading the tables sit under,
reads each table whose columns name actions or measures (see columns.py),
and reads the plan's front matter, glossary, legend and prose status counts.
Values stay as written here (dates, leads, statuses); the NLP stage
normalises them.
"""

from __future__ import annotations

import re

from pipeline.authorities import Register, find_authority
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
from pipeline.interpret.tables import (
    THEME_TEXT,
    TableContext,
    normalise_space,
    record_table_to_row,
    roles_of,
    table_to_actions,
    table_to_kpis,
)
from schemas.layout import LayoutDocument
from schemas.records import Plan, Theme

__all__ = ["interpret", "THEME_HEADING"]

THEME_HEADING = THEME_TEXT
# Headings that label a part of a theme rather than start a new part of the document.
_SUB_LABEL = re.compile(r":\s*$")


def _is_theme_heading(text: str) -> bool:
    return bool(THEME_HEADING.match(text)) and len(text) <= 160


def interpret(
    doc: LayoutDocument,
    *,
    plan_id: str,
    sha256: str,
    register: Register | None = None,
    fill_to_colour=None,
) -> Plan:
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
    for block in doc.blocks:
        if block.kind == "heading":
            text = normalise_space(block.text)
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
            continue  # the plan's status key or its status counts, read below
        table = record_table_to_row(table) or table
        roles, n_head = roles_of(table)
        carried = previous[1] if previous and previous[0] == roles.labels else ""
        ctx = TableContext(
            source=doc.source,
            theme=heading_theme,
            plan_id=plan_id,
            objectives=objectives,
            carried_theme=carried,
        )
        if roles.kind == "action":
            found = table_to_actions(table, roles, n_head, ctx)
            actions.extend(found.actions)
        elif roles.kind == "kpi":
            found = table_to_kpis(table, roles, n_head, ctx)
            kpis.extend(found.kpis)
        else:
            if entries := table_to_directory(table):
                directories.append(entries)
            continue
        theme_names.extend(t for t in found.themes if t not in theme_names)
        previous = (roles.labels, found.last_theme)

    actions = leads_from_directories(actions, directories)
    actions = [
        a.model_copy(update={"id": f"{plan_id}-A{i:04d}"}) for i, a in enumerate(actions, start=1)
    ]
    kpis = [k.model_copy(update={"id": f"{plan_id}-K{i:04d}"}) for i, k in enumerate(kpis, start=1)]
    seen: set[str] = set()
    themes = []
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
        reported_status_counts=reported.counts,
        reported_counts_of=reported.counts_of,
        warnings=list(doc.warnings),
    )
    kind = document_kind(doc, plan)
    return plan.model_copy(update={"doc_kind": kind.kind, "doc_kind_basis": kind.basis})
