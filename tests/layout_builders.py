"""Small layout-model documents for unit tests: headings, paragraphs, list items, tables."""

from __future__ import annotations

from collections.abc import Sequence

from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table

SOURCE = "test.pdf"


def heading(text: str, page: int | None = 1, level: int = 1) -> Block:
    return Block(kind="heading", text=text, level=level, prov=LayoutProvenance(SOURCE, page))


def para(text: str, page: int | None = 1) -> Block:
    return Block(kind="paragraph", text=text, prov=LayoutProvenance(SOURCE, page))


def item(text: str, page: int | None = 1) -> Block:
    return Block(kind="list_item", text=text, level=0, prov=LayoutProvenance(SOURCE, page))


def table(
    rows: Sequence[Sequence[str]],
    *,
    header_rows: int = 1,
    fills: dict[tuple[int, int], str] | None = None,
    page: int | None = 1,
    index: int = 0,
) -> Block:
    """A table block from its texts; `fills` colours cells by (row, col)."""
    fills = fills or {}
    grid = tuple(
        tuple(
            Cell(text=text, row=r, col=c, fill=fills.get((r, c)), page=page)
            for c, text in enumerate(row)
        )
        for r, row in enumerate(rows)
    )
    t = Table(
        rows=grid,
        n_header_rows=header_rows,
        index=index,
        pages=(page,) if page else (),
        source=SOURCE,
    )
    return Block(kind="table", table=t, prov=LayoutProvenance(SOURCE, page, table_index=index))


def document(*blocks: Block, fmt: str = "pdf", pages: int | None = 1) -> LayoutDocument:
    return LayoutDocument(source=SOURCE, format=fmt, pages=pages, blocks=tuple(blocks))
