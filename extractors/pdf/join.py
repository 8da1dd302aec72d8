"""Table pieces joined across pages, then turned into the layout model's dense grid.

A piece continues the table above it when it is the first thing on the next
page, the previous piece was the last thing on its page (footnotes under it
aside), and the columns line up (same count and near-identical x positions;
one extra or missing split is allowed when the header row repeats). A repeated
header is dropped. A row cut by the page break is joined back when the
continuation's first row has no key in its first column (empty, or text running
on in lower case) and no dates, every column it fills was already filled above,
and the row above is full or reaches the bottom of the page.
An empty merged cell at the top of the continuation extends the merged cell
above it (an "Aim" spanning rows on several pages).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from planx.extractors.pdf.tables import BBox, Origin, TablePart, same_anchors
from planx.schemas.layout import Cell, Table

COLUMN_TOLERANCE = 6.0  # points between column edges that are "the same"
MAX_HEADER_ROWS = 3
LABEL_WORDS = 8  # a header cell is a label, not a sentence
SHORT_LABEL_WORDS = 4

DATE_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d{2}\b|\bQ[1-4]\b",
    re.I,
)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= COLUMN_TOLERANCE


def _subset(small: list[float], big: list[float]) -> bool:
    return all(any(_close(a, b) for b in big) for a in small)


def common_edges(edge_lists: list[list[float]]) -> list[float]:
    """The column edges every piece has (the coarsest shared grid)."""
    base = min(edge_lists, key=len)
    return [e for e in base if all(any(_close(e, x) for x in other) for other in edge_lists)]


def columns_compatible(prev: list[float], nxt: list[float]) -> bool:
    if not (_close(prev[0], nxt[0]) and _close(prev[-1], nxt[-1])):
        return False
    if len(prev) == len(nxt):
        return _subset(prev, nxt)
    if abs(len(prev) - len(nxt)) == 1:
        return _subset(prev, nxt) or _subset(nxt, prev)
    return False


def collapse(part: TablePart, edges: list[float]) -> TablePart:
    """The piece on a coarser column grid: cells in merged columns are joined with a space."""
    if len(edges) == len(part.col_edges):
        return part
    fine = part.col_edges
    to_coarse = []
    for i in range(len(fine) - 1):
        mid = (fine[i] + fine[i + 1]) / 2
        to_coarse.append(min(max(bisect_right(edges, mid) - 1, 0), len(edges) - 2))
    by_slot: dict[tuple[int, int], Origin] = {}
    out: list[Origin] = []
    for o in sorted(part.origins, key=lambda o: (o.r, o.c)):
        j0, j1 = to_coarse[o.c], to_coarse[min(o.c + o.cs - 1, len(to_coarse) - 1)]
        held = by_slot.get((o.r, j0))
        if held is None:
            new = Origin(
                o.r,
                j0,
                o.rs,
                j1 - j0 + 1,
                o.text,
                o.bbox,
                o.fill,
                o.bold,
                o.page,
                o.text_colour,
                o.icon_fill,
            )
            by_slot[(o.r, j0)] = new
            out.append(new)
            continue
        if o.text:
            held.bold = held.bold and o.bold if held.text else o.bold
            held.text = f"{held.text} {o.text}".strip()
        held.bbox = _union(held.bbox, o.bbox)
        held.rs = max(held.rs, o.rs)
        held.cs = max(held.c + held.cs, j1 + 1) - held.c
        held.fill = held.fill or o.fill
        held.text_colour = held.text_colour or o.text_colour
        held.icon_fill = held.icon_fill or o.icon_fill
    return TablePart(part.page, part.bbox, list(edges), list(part.rows), out, part.ruled)


def _with_edges(part: TablePart, edges: list[float]) -> TablePart:
    """The piece on the same columns with the given edges."""
    return TablePart(
        part.page,
        part.bbox,
        list(edges),
        list(part.rows),
        part.origins,
        part.ruled,
        anchors=list(part.anchors),
    )


def _union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _head(part: TablePart, k: int) -> list[tuple[int, int, str]] | None:
    """The first k rows as comparable labels, or None when they are not a closed band."""
    head = []
    for o in part.origins:
        if o.r < k:
            if o.r + o.rs > k:
                return None
            head.append((o.r, o.c, _norm(o.text)))
    if not any(t for _, _, t in head):
        return None
    return sorted(head)


def repeated_header_rows(first: TablePart, nxt: TablePart) -> int:
    """How many top rows of `nxt` repeat the top rows of `first` (0 when none)."""
    edges = common_edges([first.col_edges, nxt.col_edges])
    a, b = collapse(first, edges), collapse(nxt, edges)
    best = 0
    for k in range(1, min(MAX_HEADER_ROWS, a.n_rows, b.n_rows - 1) + 1):
        ha = _head(a, k)
        if ha is not None and ha == _head(b, k):
            best = k
    return best


def _unruled_alike(a: TablePart, b: TablePart) -> bool:
    """Two pieces drawn without rules whose columns start at the same places: their
    edges, read from the text, may differ with what each page holds."""
    return not a.ruled and not b.ruled and bool(a.anchors) and same_anchors(a.anchors, b.anchors)


def can_continue(chain: list[TablePart], nxt: TablePart) -> bool:
    last = chain[-1]
    if nxt.page != last.page + 1:
        return False
    if _unruled_alike(last, nxt):
        return True
    if not columns_compatible(last.col_edges, nxt.col_edges):
        return False
    if len(last.col_edges) != len(nxt.col_edges):
        return repeated_header_rows(chain[0], nxt) > 0
    return True


def _drop_top_rows(part: TablePart, k: int) -> TablePart:
    out = []
    for o in part.origins:
        if o.r >= k:
            o.r -= k
            out.append(o)
        elif o.r + o.rs > k:  # a cell hanging down from the dropped band: keep its lower part
            o.rs -= k - o.r
            o.r = 0
            out.append(o)
    return TablePart(part.page, part.bbox, part.col_edges, part.rows[k:], out, part.ruled)


def _covering(origins: list[Origin], row: int, n_cols: int) -> list[Origin | None]:
    cover: list[Origin | None] = [None] * n_cols
    for o in origins:
        if o.r <= row < o.r + o.rs:
            for c in range(o.c, min(o.c + o.cs, n_cols)):
                if cover[c] is None:
                    cover[c] = o
    return cover


def _is_split_row(
    acc: TablePart, cover: list[Origin | None], top: list[Origin], reaches_bottom: bool
) -> bool:
    first_col = next((o for o in top if o.c == 0), None)
    if first_col is None or (first_col.text and not first_col.text[:1].islower()):
        return False  # a key (ref, name) in the first column starts a new row
    filled = [o for o in top if o.text]
    if not filled or any(DATE_RE.search(o.text) for o in filled):
        return False
    if any(cover[o.c] is None or not cover[o.c].text for o in filled):
        return False
    full = all(o is not None and o.text for o in cover)
    return full or reaches_bottom


def _append(acc: TablePart, part: TablePart, reaches_bottom: bool) -> None:
    last = acc.n_rows - 1
    cover = _covering(acc.origins, last, acc.n_cols)
    top = [o for o in part.origins if o.r == 0]
    split = _is_split_row(acc, cover, top, reaches_bottom)
    rest = [o for o in part.origins if o.r > 0]
    for o in top:
        above = cover[o.c]
        spans_down = (
            above is not None
            and above.c == o.c
            and above.cs == o.cs
            and above.r + above.rs - 1 == last
        )
        if split:
            if o.text and above is not None:
                sep = "\n" if _starts_item(o.text) else " "
                above.text = f"{above.text}{sep}{o.text}".strip()
            if o.rs > 1:
                if spans_down and above is not None:
                    above.rs += o.rs - 1
                else:
                    o.r, o.rs, o.text = 1, o.rs - 1, ""
                    rest.append(o)
        elif not o.text and spans_down and above is not None and max(above.rs, o.rs) >= 2:
            above.rs += o.rs  # the merged cell above runs on over the page break
        elif spans_down and above is not None and _runs_on(above.text, o):
            above.text = f"{above.text} {o.text}"  # a merged cell's text cut by the break
            above.rs += o.rs
        else:
            rest.append(o)
    shift = acc.n_rows - (1 if split else 0)
    for o in rest:
        o.r += shift
    acc.origins.extend(rest)
    acc.rows.extend(part.rows[1:] if split else part.rows)


def _runs_on(above: str, cell: Origin) -> bool:
    """A merged cell on the new page that carries on the sentence of the cell above it."""
    return (
        cell.rs >= 2
        and bool(above)
        and cell.text[:1].islower()
        and not above.rstrip().endswith((".", "!", "?", ":"))
    )


def _starts_item(text: str) -> bool:
    return bool(re.match(r"^(?:[•\-–*]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s", text))


def join_chain(chain: list[TablePart], reaches_bottom: Callable[[int, float], bool]) -> TablePart:
    """One piece from pieces on consecutive pages; `repeated_header` says how many rows repeated.

    `reaches_bottom(page, y)` tells whether y is at the foot of the page's text area.
    """
    if all(_unruled_alike(chain[0], p) for p in chain[1:]):
        # Columns drawn without rules are the same columns: keep the first piece's edges.
        edges = list(chain[0].col_edges)
        parts = [_with_edges(p, edges) for p in chain]
    else:
        edges = common_edges([p.col_edges for p in chain])
        parts = [collapse(p, edges) for p in chain]
    first = parts[0]
    acc = TablePart(
        first.page, first.bbox, list(edges), list(first.rows), list(first.origins), first.ruled
    )
    repeated = 0
    for part in parts[1:]:
        k = repeated_header_rows(first, part)
        repeated = max(repeated, k)
        if k:
            part = _drop_top_rows(part, k)
        if part.rows:
            last_page, _, last_bottom = acc.rows[-1]
            _append(acc, part, reaches_bottom(last_page, last_bottom))
    acc.repeated_header = repeated
    return acc


# --- the dense grid --------------------------------------------------------------------------


def part_to_table(part: TablePart, index: int, source: str, max_cell_chars: int) -> Table:
    n_rows, n_cols = part.n_rows, part.n_cols
    cover: list[list[Origin | None]] = [[None] * n_cols for _ in range(n_rows)]
    for o in sorted(part.origins, key=lambda o: (o.r, o.c)):
        if not (0 <= o.r < n_rows and 0 <= o.c < n_cols):
            continue
        owner = cover[o.r][o.c]
        if owner is not None:  # two cells claim a slot after a join: keep both texts
            if o.text:
                owner.text = f"{owner.text} {o.text}".strip()
            continue
        for r in range(o.r, min(o.r + o.rs, n_rows)):
            for c in range(o.c, min(o.c + o.cs, n_cols)):
                if cover[r][c] is None:
                    cover[r][c] = o
    edges = part.col_edges
    rows: list[tuple[Cell, ...]] = []
    for r in range(n_rows):
        page, top, bottom = part.rows[r]
        out = []
        for c in range(n_cols):
            o = cover[r][c]
            slot = (edges[c], top, edges[c + 1], bottom)
            if o is None:
                out.append(Cell(text="", row=r, col=c, page=page, bbox=slot))
                continue
            text = o.text[:max_cell_chars]
            if (o.r, o.c) == (r, c):
                rs = sum(1 for rr in range(r, n_rows) if cover[rr][c] is o)
                cs = sum(1 for cc in range(c, n_cols) if cover[r][cc] is o)
                out.append(
                    Cell(
                        text,
                        r,
                        c,
                        rs,
                        cs,
                        o.fill,
                        o.bold,
                        text_colour=o.text_colour,
                        icon_fill=o.icon_fill,
                        page=o.page,
                        bbox=_round(o.bbox),
                    )
                )
            else:
                out.append(
                    Cell(
                        text,
                        r,
                        c,
                        fill=o.fill,
                        bold=o.bold,
                        text_colour=o.text_colour,
                        icon_fill=o.icon_fill,
                        page=page,
                        bbox=_round(slot),
                        merged_from=(o.r, o.c),
                    )
                )
        rows.append(tuple(out))
    n_header = part.repeated_header or detect_header_rows(rows)
    pages = tuple(sorted({p for p, _, _ in part.rows}))
    return Table(
        rows=tuple(rows),
        n_header_rows=n_header,
        index=index,
        pages=pages,
        source=source,
        bbox=_round(part.bbox),
    )


def _round(b: BBox) -> BBox:
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def _origins(row: tuple[Cell, ...]) -> list[Cell]:
    return [c for c in row if c.merged_from is None]


def _labels(row: tuple[Cell, ...], max_words: int = LABEL_WORDS) -> bool:
    cells = _origins(row)
    if not cells:
        return False
    filled = [c for c in cells if c.text.strip()]
    allowed_empty = 1 if len(cells) >= 3 else 0
    return len(filled) >= len(cells) - allowed_empty and all(
        len(c.text.split()) <= max_words and not _sentence(c.text) for c in filled
    )


def _sentence(text: str) -> bool:
    return len(text.split()) > 3 and text.rstrip().endswith(".")


def _styled_apart(head: tuple[Cell, ...], body: tuple[Cell, ...]) -> bool:
    """A header row looks different from the row under it: bold over plain, or its own shading."""
    filled = [c for c in _origins(head) if c.text.strip()]
    below = [c for c in _origins(body) if c.text.strip()]
    bold_apart = bool(filled) and all(c.bold for c in filled) and not all(c.bold for c in below)
    fills = [c.fill for c in head]
    shade_apart = any(fills) and fills != [c.fill for c in body]
    return bold_apart or shade_apart


def detect_header_rows(rows: list[tuple[Cell, ...]]) -> int:
    """Leading header rows when no continuation page repeated them.

    Two when a merged header cell has sub-headers under it (a row of labels
    whose other cells hang down from the row above); one for a bold or shaded
    row of labels over plain rows, or a row of short labels over long text.
    """
    n_rows = len(rows)
    if n_rows < 2:
        return 0
    n_cols = len(rows[0])
    first, second = rows[0], rows[1]
    wide = [c for c in _origins(first) if 1 < c.col_span < n_cols]
    if wide and n_rows >= 3 and _labels(first) and _labels(second):
        under = [c for c in second if c.merged_from is None and c.text.strip()]
        hangs = all(
            c.merged_from is not None
            and c.merged_from[0] == 0
            or any(w.col <= c.col < w.col + w.col_span for w in wide)
            for c in second
        )
        if under and hangs:
            return 2
    title = len(_origins(first)) == 1 and n_cols > 1
    if title:
        if n_rows >= 3 and _labels(second) and _styled_apart(second, rows[2]):
            return 2
        return 1 if _styled_apart(first, second) else 0
    if not _labels(first):
        return 0
    if _styled_apart(first, second):
        return 1
    head_cells = [c for c in _origins(first) if c.text.strip()]
    if len(head_cells) >= 2 and all(len(c.text.split()) <= SHORT_LABEL_WORDS for c in head_cells):
        body = [c.text for row in rows[1:7] for c in _origins(row) if c.text.strip()]
        head_len = sum(len(c.text) for c in head_cells) / len(head_cells)
        if body and sum(len(t) for t in body) / len(body) >= 2 * head_len:
            return 1
    return 0
