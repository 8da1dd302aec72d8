"""Grid clean-up before a table is read: columns that are only copies of their neighbour.

A PDF or Word table's grid has a column for every ruling line, so one logical column often
spans two or three grid columns (each body cell merged across them) while a header label
sits in only one of them. Reading roles per grid column would then split a label from its
cells. `collapse_copied_columns` folds such columns into one, keeping every header part.
"""

from __future__ import annotations

import dataclasses

from planx.schemas.layout import Cell, Table


def _is_copy_of_left(table: Table, r: int, c: int) -> bool:
    """Cell (r, c) repeats the cell on its left: part of one cell merged across both."""
    cell, left = table.rows[r][c], table.rows[r][c - 1]
    origin_left = left.merged_from or (r, c - 1)
    return cell.merged_from is not None and cell.merged_from == origin_left


def _foldable(table: Table, c: int, n_head: int) -> bool:
    """Column c never holds a body value of its own, and repeats column c-1 at least once."""
    copies = 0
    for r in range(n_head, table.n_rows):
        if _is_copy_of_left(table, r, c):
            copies += 1
        elif table.rows[r][c].text.strip():
            return False
    return copies > 0


def collapse_copied_columns(table: Table, n_head: int) -> Table:
    """The table with every column that only repeats its left neighbour folded into it.

    In header rows the folded column's text is kept where the kept column has none, so a
    label printed in the second grid column still names the logical column."""
    if table.n_cols < 2 or table.n_rows <= n_head:
        return table
    keep = [0]
    for c in range(1, table.n_cols):
        if not _foldable(table, c, n_head):
            keep.append(c)
    if len(keep) == table.n_cols:
        return table
    # Every old column maps to the kept column it folds into.
    new_of: dict[int, int] = {}
    for c in range(table.n_cols):
        new_of[c] = max(i for i, k in enumerate(keep) if k <= c)
    rows = []
    for r, row in enumerate(table.rows):
        out: list[Cell] = []
        for i, c in enumerate(keep):
            cell = row[c]
            group = [row[x] for x in range(c, table.n_cols) if new_of[x] == i]
            if r < n_head and not cell.text.strip():
                cell = next((g for g in group if g.text.strip()), cell)
            merged = cell.merged_from
            if merged is not None:
                merged = (merged[0], new_of[merged[1]])
                if merged == (r, i):
                    merged = None  # was a copy only of a folded column
            out.append(
                dataclasses.replace(
                    cell, row=r, col=i, merged_from=merged, col_span=max(1, _span(cell, new_of))
                )
            )
        rows.append(tuple(out))
    return dataclasses.replace(table, rows=tuple(rows))


def _span(cell: Cell, new_of: dict[int, int]) -> int:
    first = new_of.get(cell.col, 0)
    last = new_of.get(cell.col + cell.col_span - 1, first)
    return last - first + 1
