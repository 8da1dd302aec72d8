"""One PDF page to free text lines and table pieces, in one pass over its objects.

The page is read in the frame where its text is upright: a page whose text
runs down or up (a landscape table on a page with /Rotate 90) is turned so the
text reads left to right before tables and lines are found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np

from planx.extractors.pdf.borderless import borderless_tables
from planx.extractors.pdf.boxes import box_at, reading_order, side_by_side_boxes
from planx.extractors.pdf.columns import order_lines
from planx.extractors.pdf.finder import RuledTableFinder
from planx.extractors.pdf.objects import CURVE, RECT, Char, PageObjects, Shape
from planx.extractors.pdf.tables import (
    FillRect,
    TableGrid,
    TablePart,
    add_icon_fills,
    closed_grid,
    grid_to_part,
    is_icon_shape,
    lines_to_text_tables,
)
from planx.extractors.pdf.text import (
    WORD_GAP,
    Fragment,
    Glyph,
    Line,
    clean_text,
    glyphs_to_line,
    glyphs_to_rows,
    merge_counts,
)

BBox = tuple[float, float, float, float]
Transform = Callable[[float, float, float, float], BBox]

# Directions in top-left page coordinates.
RIGHT, DOWN, LEFT, UP = "right", "down", "left", "up"
_TURN = {  # where a direction points once the page is turned for a frame
    RIGHT: {RIGHT: RIGHT, DOWN: DOWN, LEFT: LEFT, UP: UP},
    DOWN: {RIGHT: UP, DOWN: RIGHT, LEFT: DOWN, UP: LEFT},
    UP: {RIGHT: DOWN, DOWN: LEFT, LEFT: UP, UP: RIGHT},
    LEFT: {RIGHT: LEFT, DOWN: UP, LEFT: RIGHT, UP: DOWN},
}
CUT_SHARE = 0.05  # share of a table's cells that may have a word run across a border
_X0, _X1, _TOP, _BOTTOM, _TEXT = (
    attrgetter("x0"),
    attrgetter("x1"),
    attrgetter("top"),
    attrgetter("bottom"),
    attrgetter("text"),
)
_UPRIGHT = attrgetter("upright")
_KEY_BITS = 20


def carried_columns(content: PageContent) -> list[float] | None:
    """Where the columns start of the table without rules lowest on the page, which may
    run on over the page break without its header; None when the page has none."""
    if not content.tables:
        return None
    last = max(content.tables, key=lambda p: p.bbox[3])
    return list(last.anchors) if not last.ruled and last.anchors else None


@dataclass
class PageContent:
    number: int  # 1-based
    width: float  # in the reading frame
    height: float
    lines: list[Line]  # text outside tables, in reading order (column by column)
    tables: list[TablePart]  # top to bottom
    n_chars: int
    n_images: int
    rotated: bool


class _FramePage:
    """The two attributes TableFinder reads from a page, for a turned page."""

    def __init__(self, bbox: BBox, edges: list[dict[str, Any]]):
        self.bbox = bbox
        self.edges = edges


def char_direction(matrix: tuple[float, ...]) -> str:
    """Where a character's text runs, from its matrix."""
    if not matrix:
        return RIGHT
    a, b = matrix[0], matrix[1]
    if abs(a) >= abs(b):
        return RIGHT if a >= 0 else LEFT
    return DOWN if b < 0 else UP  # PDF y grows upwards


def dominant_direction(chars: list[Char]) -> str:
    """The direction most of the page's text runs in."""
    if sum(map(_UPRIGHT, chars)) > 0.5 * max(1, len(chars)):
        return RIGHT  # most pages: counted without a look at each matrix
    counts = {RIGHT: 0, DOWN: 0, LEFT: 0, UP: 0}
    for ch in chars:
        if not ch.upright:
            counts[char_direction(ch.matrix)] += 1
        else:
            counts[RIGHT] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0.5 * max(1, len(chars)) else RIGHT


def frame_transform(direction: str, page_bbox: BBox) -> tuple[Transform, float, float]:
    """Map page boxes into the frame where `direction` reads left to right."""
    bx0, by0, bx1, by1 = page_bbox
    w, h = bx1 - bx0, by1 - by0
    if direction == DOWN:
        return (lambda x0, t, x1, b: (t - by0, bx1 - x1, b - by0, bx1 - x0)), h, w
    if direction == UP:
        return (lambda x0, t, x1, b: (by1 - b, x0 - bx0, by1 - t, x1 - bx0)), h, w
    if direction == LEFT:
        return (lambda x0, t, x1, b: (bx1 - x1, by1 - b, bx1 - x0, by1 - t)), w, h
    return (lambda x0, t, x1, b: (x0, t, x1, b)), w, h


def _turned_edges(edges: list[dict[str, Any]], tf: Transform, swap: bool) -> list[dict[str, Any]]:
    out = []
    for e in edges:
        x0, top, x1, bottom = tf(e["x0"], e["top"], e["x1"], e["bottom"])
        orient = e["orientation"]
        if swap:
            orient = "v" if orient == "h" else "h"
        out.append(
            {
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "width": x1 - x0,
                "height": bottom - top,
                "orientation": orient,
                "object_type": e.get("object_type", "line"),
            }
        )
    return out


def _vertical_lines(glyphs: list[tuple[Glyph, str]]) -> list[Line]:
    """Lines from glyphs that run down or up the frame (a turned column heading)."""
    lines: list[Line] = []
    for direction in (DOWN, UP):
        gs = sorted((g for g, d in glyphs if d == direction), key=lambda g: g.x0 + g.x1)
        columns: list[list[Glyph]] = []
        for g in gs:
            mid = (g.x0 + g.x1) / 2
            if columns and mid - (columns[-1][0].x0 + columns[-1][0].x1) / 2 <= 0.5 * g.size:
                columns[-1].append(g)
            else:
                columns.append([g])
        for col in columns:
            col.sort(key=lambda g: g.top, reverse=direction == UP)
            text = []
            prev = None
            for g in col:
                if prev is not None:
                    gap = (g.top - prev.bottom) if direction == DOWN else (prev.top - g.bottom)
                    if gap > WORD_GAP * g.size and not g.text.isspace():
                        text.append(" ")
                text.append(g.text)
                prev = g
            s = clean_text(" ".join("".join(text).split()))
            if not s:
                continue
            x0, x1 = min(g.x0 for g in col), max(g.x1 for g in col)
            top, bottom = min(g.top for g in col), max(g.bottom for g in col)
            size, bold = col[0].size, sum(g.bold for g in col) * 2 > len(col)
            colours = merge_counts({g.colour: 1} for g in col)
            frag = Fragment(x0, x1, top, bottom, s, size, bold, len(s.split()), colours)
            lines.append(Line(x0, x1, top, bottom, s, size, bold, x1 - x0, [frag], False))
    return lines


def read_page(page: PageObjects, number: int, carried: list[float] | None = None) -> PageContent:
    """Free lines and table pieces of one page's objects. `carried`: where the columns
    start of a table without rules that ended the previous page."""
    direction = dominant_direction(page.chars) if page.chars else RIGHT
    tf, width, height = frame_transform(direction, page.bbox)
    glyphs, turned = _frame_glyphs(page.chars, tf, _TURN[direction])
    rows = glyphs_to_rows(glyphs)
    vertical = _vertical_lines(turned) if turned else []
    grids = _ruled_grids(page, direction, tf, width, height)
    keys = grid_keys(grids, rows)
    kept = _accepted_grids(grids, rows, keys, vertical)
    if len(kept) < len(grids):
        grids, keys = kept, grid_keys(kept, rows)
    boxes = side_by_side_boxes(_box_shapes(page.shapes, tf), [g.bbox for g in grids], width, rows)
    buckets = _Buckets(grids, boxes)
    buckets.fill(rows, keys, vertical)
    parts = _page_parts(buckets, _fill_rects(page, tf), number, carried)
    if parts:
        add_icon_fills(parts, _icon_shapes(page.shapes, tf))
    return PageContent(
        number=number,
        width=width,
        height=height,
        lines=buckets.free,
        tables=parts,
        n_chars=len(page.chars),
        n_images=page.n_images,
        rotated=direction != RIGHT or bool(page.rotation),
    )


def _frame_glyphs(
    chars: list[Char], tf: Transform, turn: dict[str, str]
) -> tuple[list[Glyph], list[tuple[Glyph, str]]]:
    """The characters as glyphs in the reading frame: those that read across it, and
    those that run down or up it (with their direction)."""
    upright_page = turn[RIGHT] == RIGHT  # the frame is the page: chars are glyphs as they are
    if upright_page and all(map(_UPRIGHT, chars)):
        return list(chars), []  # most pages: nothing turned, nothing to copy
    glyphs: list[Glyph] = []
    turned: list[tuple[Glyph, str]] = []
    new = tuple.__new__  # a Glyph from its fields' tuple: NamedTuple's constructors add a call
    for ch in chars:
        if upright_page:
            g = ch
        else:
            x0, top, x1, bottom = tf(ch.x0, ch.top, ch.x1, ch.bottom)
            g = new(Glyph, (x0, x1, top, bottom, *ch[4:]))
        if ch.upright:
            glyphs.append(g)
            continue
        d = turn[char_direction(ch.matrix)]
        if d in (DOWN, UP):
            turned.append((g, d))
        else:
            glyphs.append(g)
    return glyphs, turned


def _ruled_grids(
    page: PageObjects, direction: str, tf: Transform, width: float, height: float
) -> list[TableGrid]:
    """The grids pdfplumber's TableFinder finds in the page's rules, smallest first."""
    if direction == RIGHT:
        finder = RuledTableFinder(_FramePage(page.bbox, page.edges))
    else:
        edges = _turned_edges(page.edges, tf, swap=direction in (DOWN, UP))
        finder = RuledTableFinder(_FramePage((0.0, 0.0, width, height), edges))
    grids = [closed_grid(t.cells, finder.edges) for t in finder.tables]
    # One column of boxes is a framed or highlighted paragraph, not a table.
    return sorted(
        (g for g in grids if g.n_starts >= 2 and g.n_rows >= 1 and not g.ragged),
        key=lambda g: g.area,
    )


def _fill_rects(page: PageObjects, tf: Transform) -> list[FillRect]:
    """Filled rects: cell shading of ruled tables, the header band of a table without rules."""
    rects: list[FillRect] = []
    for r in page.rects:
        if r.fill:
            x0, top, x1, bottom = tf(r.x0, r.top, r.x1, r.bottom)
            rects.append(FillRect(x0, top, x1, bottom, r.fill_colour))
    return rects


class _Buckets:
    """Where each line of a page goes: free text, a cell of a ruled grid, or a box."""

    def __init__(self, grids: list[TableGrid], boxes: list[BBox]):
        self.grids = grids
        self.boxes = boxes
        self.free: list[Line] = []
        self.runs: dict[int, list[Glyph]] = {}  # id(line) -> its glyphs, for column analysis
        self.cell_lines: list[dict[int, list[Line]]] = [{} for _ in grids]
        self.boxed: list[list[Line]] = [[] for _ in boxes]

    def place(self, line: Line | None, key: int, run: list[Glyph] | None = None) -> None:
        """Put a line where `key` says (see `where`)."""
        if line is None:
            return
        if key == -1:
            self.free.append(line)
            self.runs[id(line)] = run or []
        elif key < -1:
            line.box = -key - 2
            self.boxed[line.box].append(line)
            self.runs[id(line)] = run or []
        else:
            cells = self.cell_lines[key >> _KEY_BITS]
            cells.setdefault(key & ((1 << _KEY_BITS) - 1), []).append(line)

    def where(self, x0: float, x1: float, top: float, bottom: float, grid_key: int) -> int:
        """A box's place: a grid cell's key (>= 0), -1 for free text, -2 - i for box i;
        `grid_key` is its cell among the grids (see `grid_keys`)."""
        if grid_key == -1 and self.boxes:
            b = box_at(self.boxes, (x0 + x1) / 2, (top + bottom) / 2)
            return -2 - b if b >= 0 else -1
        return grid_key

    def fill(self, rows: list[list[Glyph]], keys: list[list[int]], vertical: list[Line]) -> None:
        """Every row cut into runs of glyphs that share a place, each run one line;
        `keys`: each glyph's grid cell (see `grid_keys`)."""
        boxes = bool(self.boxes)
        for row, row_keys in zip(rows, keys, strict=True):
            if not self.grids and not boxes:
                self.place(glyphs_to_line(row), -1, row)
                continue
            first = row_keys[0]
            if (first != -1 or not boxes) and row_keys.count(first) == len(row_keys):
                # The whole row in one place (a line of free text, or in one cell): one
                # run, as the glyph by glyph cut below would make it.
                self.place(glyphs_to_line(row), first, row)
                continue
            run: list[Glyph] = []
            run_key = -3 - len(self.boxes)  # no key
            for g, grid_key in zip(row, row_keys, strict=True):
                if g.text.isspace() and run:
                    key = run_key
                elif grid_key != -1 or not boxes:  # the common case, without a call
                    key = grid_key
                else:
                    key = self.where(g.x0, g.x1, g.top, g.bottom, grid_key)
                if key != run_key and run:
                    self.place(glyphs_to_line(run), run_key, run)
                    run = []
                run.append(g)
                run_key = key
            if run:
                self.place(glyphs_to_line(run), run_key, run)
        for line in vertical:
            key = _locate(self.grids, line.x0, line.x1, line.top, line.bottom)
            self.place(line, self.where(line.x0, line.x1, line.top, line.bottom, key))


def _page_parts(
    buckets: _Buckets, rects: list[FillRect], number: int, carried: list[float] | None
) -> list[TablePart]:
    """The page's table pieces top to bottom (ruled grids, then tables without rules in
    the free text and in each box); the free lines left over put in reading order."""
    parts: list[TablePart] = []
    for i, grid in enumerate(buckets.grids):
        for lines in buckets.cell_lines[i].values():
            lines.sort(key=lambda ln: ln.top)
        parts.append(grid_to_part(grid, buckets.cell_lines[i], rects, number))
    free, text_parts = _text_and_tables(buckets.free, buckets.runs, number, rects, carried)
    parts.extend(text_parts)
    if buckets.boxes:
        boxed = buckets.boxed
        for i, lines in enumerate(boxed):
            boxed[i], box_parts = _text_and_tables(lines, buckets.runs, number, rects)
            parts.extend(box_parts)
        free = reading_order(free, boxed, buckets.boxes)
    buckets.free = free
    parts.sort(key=lambda p: p.bbox[1])
    return parts


def _text_and_tables(
    lines: list[Line],
    runs: dict[int, list[Glyph]],
    number: int,
    rects: list[FillRect],
    carried: list[float] | None = None,
) -> tuple[list[Line], list[TablePart]]:
    """Lines outside ruled tables (one area of the page) to tables drawn without rules and
    the lines left over, in reading order."""
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    glyph_runs = [runs.get(id(ln), []) for ln in lines]
    parts, lines = borderless_tables(lines, glyph_runs, number, rects, carried)
    more, lines = lines_to_text_tables(lines, number)
    lines = order_lines(lines, [runs.get(id(ln), []) for ln in lines])
    return lines, parts + more


def _box_shapes(shapes: list[Shape], tf: Transform) -> list[BBox]:
    """Every drawn rectangle (framed or filled) and closed or filled curve (a rounded
    panel; an open curve is a chart's line), rects first as pdfplumber lists them."""
    rects = [tf(o.x0, o.top, o.x1, o.bottom) for o in shapes if o.kind == RECT]
    for o in shapes:
        if o.kind != CURVE:
            continue
        pts = o.pts
        closed = len(pts) > 2 and abs(pts[0][0] - pts[-1][0]) + abs(pts[0][1] - pts[-1][1]) < 1
        if o.fill or closed:
            rects.append(tf(o.x0, o.top, o.x1, o.bottom))
    return rects


def _icon_shapes(shapes: list[Shape], tf: Transform) -> list[FillRect]:
    """The page's filled shapes (rects, curves and polygons) that may be icons, rects
    first as pdfplumber lists them."""
    out = []
    for kind in (RECT, CURVE):
        for o in shapes:
            if o.kind != kind or not o.fill:
                continue
            x0, top, x1, bottom = tf(o.x0, o.top, o.x1, o.bottom)
            shape = FillRect(x0, top, x1, bottom, o.fill_colour)
            if is_icon_shape(shape):
                out.append(shape)
    return out


def _locate(grids: list[TableGrid], x0: float, x1: float, top: float, bottom: float) -> int:
    """The key of the cell holding a box's centre, in the first (smallest) grid that
    has one: grid index and cell packed in one int; -1 outside every grid."""
    x, y = (x0 + x1) / 2, (top + bottom) / 2
    for i, grid in enumerate(grids):
        cell = grid.locate(x, y)
        if cell >= 0:
            return (i << _KEY_BITS) | cell
    return -1


def grid_keys(grids: list[TableGrid], rows: list[list[Glyph]]) -> list[list[int]]:
    """Each glyph's cell key (see `_locate`), row by row: worked out once per page for
    both the grid check and the filling (a page has thousands of glyphs)."""
    if not grids:
        return [[-1] * len(row) for row in rows]
    glyphs = [g for row in rows for g in row]
    x = (
        np.fromiter(map(_X0, glyphs), float, len(glyphs))
        + np.fromiter(map(_X1, glyphs), float, len(glyphs))
    ) / 2
    y = (
        np.fromiter(map(_TOP, glyphs), float, len(glyphs))
        + np.fromiter(map(_BOTTOM, glyphs), float, len(glyphs))
    ) / 2
    keys = np.full(len(glyphs), -1, dtype=np.int64)
    for i, grid in enumerate(grids):  # the first (smallest) grid holding a glyph takes it
        open_ = keys == -1
        cells = grid.locate_all(x[open_], y[open_])
        keys[open_] = np.where(cells >= 0, (i << _KEY_BITS) | cells, -1)
    flat = keys.tolist()
    out, start = [], 0
    for row in rows:
        out.append(flat[start : start + len(row)])
        start += len(row)
    return out


def _accepted_grids(
    grids: list[TableGrid], rows: list[list[Glyph]], keys: list[list[int]], vertical: list[Line]
) -> list[TableGrid]:
    """Drop grids that are not tables: filled highlights that cut words in two,
    boxes with fewer than two cells of text. `keys`: each glyph's cell (`grid_keys`)."""
    if not grids:
        return grids
    inked: list[set[int]] = [set() for _ in grids]
    cuts = [0] * len(grids)
    mask = (1 << _KEY_BITS) - 1
    for row, row_keys in zip(rows, keys, strict=True):
        first = row_keys[0]
        if row_keys.count(first) == len(row_keys):
            # The whole row in one place: no word cut in two; its cell is inked when
            # some glyph is not blank (as the glyph by glyph look below finds).
            if first >= 0 and not all(map(str.isspace, map(_TEXT, row))):
                inked[first >> _KEY_BITS].add(first & mask)
            continue
        prev: Glyph | None = None
        prev_key = -1
        spaced = False
        for g, key in zip(row, row_keys, strict=True):
            if g.text.isspace():
                spaced = True
                continue
            if key >= 0:
                inked[key >> _KEY_BITS].add(key & mask)
            if (
                prev is not None
                and key != prev_key
                and not spaced
                and g.x0 - prev.x1 < WORD_GAP * max(g.size, 1.0)
                and g.text.isalnum()
                and prev.text.isalnum()
            ):
                for k in {key, prev_key}:
                    if k >= 0:
                        cuts[k >> _KEY_BITS] += 1
            prev, prev_key, spaced = g, key, False
    for line in vertical:
        key = _locate(grids, line.x0, line.x1, line.top, line.bottom)
        if key >= 0:
            inked[key >> _KEY_BITS].add(key & mask)
    kept = []
    for i, grid in enumerate(grids):
        if len(inked[i]) < 2:
            continue
        if cuts[i] > CUT_SHARE * len(inked[i]):
            continue
        kept.append(grid)
    return kept
