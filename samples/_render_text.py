"""Write a sample `Document` as a text export in the style real exports have.

Headings and paragraphs are lines separated by blank lines; bold stays as
``**markdown**``; lists are "1. " / "- " lines; each table starts with its
header line(s) and has one tab-separated line per row; a cell's sub-list comes
out as an HTML fragment (``<ul><li>...</li></ul>``), and fills are lost.
"""

from __future__ import annotations

from _doc import (
    Document,
    Grid,
    GridCell,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    SectionBreak,
    TableBlock,
)


def cell_to_text(gc: GridCell | None) -> str:
    if gc is None:
        return ""
    plain = " ".join(" ".join(p.text.split()) for p in gc.paras if not p.bullet)
    items = [" ".join(p.text.split()) for p in gc.paras if p.bullet]
    if items:
        plain = f"{plain} <ul>{''.join(f'<li>{t}</li>' for t in items)}</ul>".strip()
    return plain


def grid_to_lines(grid: Grid) -> list[str]:
    header = ["\t".join(cell_to_text(gc) for gc in row) for row in grid.rows[: grid.header_rows]]
    lines = list(header)
    if grid.txt_rule:
        lines.append("\t".join("-" * max(len(cell_to_text(gc)), 3) for gc in grid.rows[0]))
    for r in range(grid.header_rows, len(grid.rows)):
        if r in grid.txt_repeat_header_before:
            lines += ["", *header]
        lines.append("\t".join(cell_to_text(gc) for gc in grid.rows[r]))
    return lines


def render_text(doc: Document) -> str:
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading | Para):
            chunks.append(block.text)
        elif isinstance(block, ListBlock):
            chunks.append(
                "\n".join(
                    f"{i}. {t}" if block.numbered else f"- {t}"
                    for i, t in enumerate(block.items, 1)
                )
            )
        elif isinstance(block, TableBlock):
            chunks.append("\n".join(grid_to_lines(block.grid)))
        elif isinstance(block, PageBreak | SectionBreak):
            continue
    return "\n\n".join(chunks) + "\n"
