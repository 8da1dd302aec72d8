"""Small layout-model documents for unit tests: tables and blocks written as Python lists."""

from __future__ import annotations

from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table


def table(
    rows: list[list[str]],
    *,
    header: int = 0,
    copies: dict[tuple[int, int], tuple[int, int]] | None = None,
    fills: dict[tuple[int, int], str] | None = None,
    icons: dict[tuple[int, int], str] | None = None,
    text_colours: dict[tuple[int, int], str] | None = None,
    spans: dict[tuple[int, int], int] | None = None,
    index: int = 0,
    page: int | None = None,
) -> Table:
    """A table from its texts. `copies` marks merged copies ((r, c) -> origin); a copy takes
    its origin's text. `spans` gives an origin's column span; `fills`, `icons` and
    `text_colours` colour cells."""
    copies, fills, icons = copies or {}, fills or {}, icons or {}
    text_colours, spans = text_colours or {}, spans or {}
    width = max(len(r) for r in rows)
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c in range(width):
            origin = copies.get((r, c))
            text = rows[origin[0]][origin[1]] if origin else (row[c] if c < len(row) else "")
            cells.append(
                Cell(
                    text=text,
                    row=r,
                    col=c,
                    col_span=spans.get((r, c), 1),
                    fill=fills.get((r, c)),
                    icon_fill=icons.get((r, c)),
                    text_colour=text_colours.get((r, c)),
                    page=page,
                    merged_from=origin,
                )
            )
        out.append(tuple(cells))
    return Table(
        rows=tuple(out),
        n_header_rows=header,
        index=index,
        source="t.pdf",
        pages=(page,) if page else (),
    )


def full_width(r: int, width: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Copies that merge row r's first cell across the whole table (a group row)."""
    return {(r, c): (r, 0) for c in range(1, width)}


def document(*blocks: Block | Table, source: str = "t.pdf", fmt: str = "pdf") -> LayoutDocument:
    """A document of these blocks; a Table is wrapped in a table block."""
    out = []
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            b = Block(kind="table", table=b, prov=LayoutProvenance(source=source, table_index=i))
        out.append(b)
    return LayoutDocument(source=source, format=fmt, blocks=tuple(out), pages=1)


def heading(text: str, level: int = 1) -> Block:
    return Block(kind="heading", text=text, level=level, prov=LayoutProvenance(source="t.pdf"))


def paragraph(text: str) -> Block:
    return Block(kind="paragraph", text=text, prov=LayoutProvenance(source="t.pdf"))
