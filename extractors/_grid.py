"""From cells as a format stores them (an origin with spans) to the dense grid
of the layout model, where every merged position holds a copy of its origin."""

from __future__ import annotations

from dataclasses import dataclass

from planx.schemas.layout import Cell

MAX_SPAN = 1000  # browsers cap colspan at 1000; a larger span is an error or an attack
HEADER_LABEL_CHARS = 40


@dataclass
class GridCell:
    """A cell as a reader finds it; mutable only while one table is being read."""

    text: str
    row: int = -1
    col: int = -1
    row_span: int = 1
    col_span: int = 1
    fill: str | None = None
    bold: bool = False
    text_colour: str | None = None
    icon_fill: str | None = None


def place_spans(rows: list[list[GridCell]]) -> list[GridCell]:
    """Give each cell its column the HTML way: the next column of its row that
    no row-spanning cell from above already holds."""
    held: set[tuple[int, int]] = set()
    n_rows = len(rows)
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in held:
                c += 1
            cell.row, cell.col = r, c
            cell.row_span = max(1, min(cell.row_span, n_rows - r, MAX_SPAN))
            cell.col_span = max(1, min(cell.col_span, MAX_SPAN))
            for rr in range(r, r + cell.row_span):
                for cc in range(c, c + cell.col_span):
                    held.add((rr, cc))
            c += cell.col_span
            placed.append(cell)
    return placed


def cells_to_rows(
    cells: list[GridCell], *, n_rows: int | None = None, n_cols: int | None = None
) -> tuple[tuple[Cell, ...], ...]:
    """The dense grid: origins keep their spans, positions they cover hold
    copies with `merged_from`, positions nobody claims are empty cells.

    Spans are clipped to the grid and to area no earlier cell holds; a cell
    whose own position is already held gives its text to the holder rather
    than vanish."""
    if not cells:
        return ()
    n_rows = n_rows or max(c.row + c.row_span for c in cells)
    n_cols = n_cols or max(c.col + c.col_span for c in cells)
    owner: list[list[GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    origins: list[GridCell] = []
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        r, c = cell.row, cell.col
        if not (0 <= r < n_rows and 0 <= c < n_cols):
            continue
        holder = owner[r][c]
        if holder is not None:
            if cell.text and cell.text not in holder.text:
                holder.text = f"{holder.text}\n{cell.text}" if holder.text else cell.text
            continue
        cs = 1
        while cs < cell.col_span and c + cs < n_cols and owner[r][c + cs] is None:
            cs += 1
        rs = 1
        while (
            rs < cell.row_span
            and r + rs < n_rows
            and all(owner[r + rs][cc] is None for cc in range(c, c + cs))
        ):
            rs += 1
        cell.row_span, cell.col_span = rs, cs
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner[rr][cc] = cell
        origins.append(cell)
    grid: list[tuple[Cell, ...]] = []
    for r in range(n_rows):
        row = []
        for c in range(n_cols):
            o = owner[r][c]
            if o is None:
                row.append(Cell(text="", row=r, col=c))
            else:
                origin = (o.row, o.col) == (r, c)
                row.append(
                    Cell(
                        o.text,
                        r,
                        c,
                        o.row_span if origin else 1,
                        o.col_span if origin else 1,
                        fill=o.fill,
                        bold=o.bold,
                        text_colour=o.text_colour,
                        icon_fill=o.icon_fill,
                        merged_from=None if origin else (o.row, o.col),
                    )
                )
        grid.append(tuple(row))
    return tuple(grid)


def _row_origins(rows: tuple[tuple[Cell, ...], ...], r: int) -> list[Cell]:
    """Cells that start in row r (a cell merged down from above is not this row's)."""
    return [c for c in rows[r] if c.merged_from is None]


def _is_styled(cells: list[Cell]) -> bool:
    filled = [c for c in cells if c.text]
    return bool(filled) and all(c.bold or c.fill for c in filled)


def _is_label_row(cells: list[Cell]) -> bool:
    texts = [c.text for c in cells if c.text]
    return (
        len(texts) >= 2
        and all(len(t) <= HEADER_LABEL_CHARS and "\n" not in t for t in texts)
        and all(any(ch.isalpha() for ch in t) for t in texts)
        and len(set(texts)) == len(texts)
    )


def _is_row_labelled(rows: tuple[tuple[Cell, ...], ...]) -> bool:
    """Every row starts with a styled cell and no later row has other styled cells."""
    for r in range(len(rows)):
        origins = _row_origins(rows, r)
        if not origins or origins[0].col != 0 or not _is_styled(origins[:1]):
            return False
        if r and any(c.text and (c.bold or c.fill) for c in origins[1:]):
            return False
    return len(rows[0]) > 1


def guess_header_rows(rows: tuple[tuple[Cell, ...], ...], marked: int = 0) -> int:
    """How many top rows are column headers.

    `marked` is what the format says (Word's repeat-header rows, <thead>, rows
    of <th>), trusted unless it claims every row. Without it: the first row when it is bold or shaded and the row
    below is not, or when it is a row of short distinct labels; a styled first
    row whose cells reach down (a two-row header with merged cells) takes the
    rows it spans."""
    n = len(rows)
    if n == 0:
        return 0
    if marked and (marked < n or n == 1):
        return min(marked, n)
    if n < 2:
        return 0
    first = _row_origins(rows, 0)
    if not any(c.text for c in first):
        return 0
    if _is_row_labelled(rows) and not _is_label_row(first):
        return 0  # styled labels down the left (a key/value sheet), not a header row
    if _is_styled(first):
        depth = max((c.row_span for c in first if c.text), default=1)
        depth = min(depth, n - 1)
        below = _row_origins(rows, depth) if depth < n else []
        if depth > 1 or not _is_styled(below) or _is_label_row(first):
            return depth
    if _is_label_row(first):
        return 1
    return 0
