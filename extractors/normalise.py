"""One layout-normalising pass over a LayoutDocument, after whichever reader made it.

Readers keep what only their format can tell (PDF page geometry: tables cut by a
page break, rows split across it). What any format can show is done here, once:

- a table that follows another with nothing between them and repeats its header
  rows is the same table continued (an export that starts a new table on every
  page, an HTML page per section): the two are joined and the repeated header
  dropped;
- a header repeated inside a table body (a pasted table, a report that reprints
  the header on every page) is dropped;
- tables are numbered again in document order.
"""

from __future__ import annotations

from dataclasses import replace

from planx.schemas.layout import Block, Cell, LayoutDocument, Table

__all__ = ["normalise_layout"]


def normalise_layout(doc: LayoutDocument) -> LayoutDocument:
    """The document with continued tables joined, repeated headers dropped, tables renumbered."""
    blocks: list[Block] = []
    for block in doc.blocks:
        table = block.table
        if table is not None:
            table = drop_repeated_headers(table)
            prev = blocks[-1].table if blocks else None
            if prev is not None and continues(prev, table):
                blocks[-1] = replace(blocks[-1], table=join_tables(prev, table))
                continue
            block = replace(block, table=table)
        blocks.append(block)
    return replace(doc, blocks=tuple(_renumber(blocks)))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _row_texts(table: Table, r: int) -> list[str]:
    return [_norm(c.text) for c in table.rows[r]]


def header_band(table: Table) -> list[list[str]]:
    """The header rows as comparable texts (every merged position sees its value)."""
    return [_row_texts(table, r) for r in range(table.n_header_rows)]


def continues(prev: Table, nxt: Table) -> bool:
    """`nxt` (the block right after `prev`) carries `prev` on: same columns, and it opens
    by repeating prev's header rows, with rows of its own under them."""
    h = prev.n_header_rows
    if h == 0 or prev.n_cols != nxt.n_cols or nxt.n_rows <= h:
        return False
    head = header_band(prev)
    return any(head[0]) and [_row_texts(nxt, r) for r in range(h)] == head


def join_tables(prev: Table, nxt: Table) -> Table:
    """One table: prev's rows, then nxt's rows under its repeated header."""
    h = prev.n_header_rows
    keep = [(prev, r) for r in range(prev.n_rows)] + [(nxt, r) for r in range(h, nxt.n_rows)]
    pages = tuple(dict.fromkeys((*prev.pages, *nxt.pages)))
    return replace(prev, rows=_rebuild(keep), pages=pages)


def drop_repeated_headers(table: Table) -> Table:
    """The table without body rows that reprint its header rows (and nothing else)."""
    h = table.n_header_rows
    head = header_band(table)
    if h == 0 or not any(head[0]) or table.n_rows < 2 * h + 1:
        return table
    dropped: set[int] = set()
    r = h
    while r + h <= table.n_rows:
        band = range(r, r + h)
        if [_row_texts(table, i) for i in band] == head and _closed_band(table, r, h):
            dropped.update(band)
            r += h
        else:
            r += 1
    if not dropped or len(dropped) == table.n_rows - h:
        return table
    keep = [(table, r) for r in range(table.n_rows) if r not in dropped]
    return replace(table, rows=_rebuild(keep))


def _closed_band(table: Table, top: int, h: int) -> bool:
    """No merged cell crosses into or out of rows top .. top+h-1."""
    for r in range(top, top + h):
        for cell in table.rows[r]:
            origin_row = cell.merged_from[0] if cell.merged_from else r
            span_end = origin_row + table.rows[origin_row][cell.col].row_span
            if origin_row < top or span_end > top + h:
                return False
    return True


def _rebuild(keep: list[tuple[Table, int]]) -> tuple[tuple[Cell, ...], ...]:
    """A dense grid from kept rows of one or two tables: rows renumbered, merged copies
    pointing at their origin's new row, row spans counted again over the kept rows."""
    new_row = {(id(t), r): i for i, (t, r) in enumerate(keep)}
    rows: list[list[Cell]] = []
    for i, (t, r) in enumerate(keep):
        out = []
        for cell in t.rows[r]:
            if cell.merged_from is None:
                out.append(replace(cell, row=i))
                continue
            origin = new_row.get((id(t), cell.merged_from[0]))
            if origin is None:  # its origin row was dropped: this copy stands for it now
                out.append(replace(cell, row=i, merged_from=None, row_span=1, col_span=1))
            else:
                out.append(replace(cell, row=i, merged_from=(origin, cell.merged_from[1])))
        rows.append(out)
    for i, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.merged_from is None and cell.row_span > 1:
                span = 1
                while i + span < len(rows) and rows[i + span][c].merged_from == (i, c):
                    span += 1
                row[c] = replace(cell, row_span=span)
    return tuple(tuple(row) for row in rows)


def _renumber(blocks: list[Block]) -> list[Block]:
    """Tables numbered 0, 1, ... in document order, in the table and its block's provenance."""
    out: list[Block] = []
    n = 0
    for block in blocks:
        if block.table is not None:
            table = block.table
            if table.index != n or block.prov.table_index != n:
                table = replace(table, index=n)
                block = replace(block, table=table, prov=replace(block.prov, table_index=n))
            n += 1
        out.append(block)
    return out
