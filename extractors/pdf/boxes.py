"""Boxes side by side: read one box, then the next, not line by line across both.

A performance report lays its KPI cards out two or three across, each a box (a frame or
a panel of fill) holding a title, a badge, a chart and a strip of values. Read line by
line, the boxes' lines weave together ("PI 01 ... PI 02 ...", "GREEN AMBER"). A box here
is a drawn rectangle big enough to hold text that is no part of a ruled table and sits
beside another such box (their heights overlap, their widths do not). Boxes stacked one
under another read top to bottom anyway and are left alone; a box inside a box belongs to
the outer one (a card's title band).
"""

from __future__ import annotations

from collections.abc import Iterable

from planx.extractors.pdf.text import Glyph, Line

BBox = tuple[float, float, float, float]

MIN_WIDTH = 100.0  # points: narrower shapes are badges, icons, bars and table cells
MIN_HEIGHT = 60.0
MIN_LINES = 3  # lines of text a box holds (a title, a badge, a strip)
MIN_GAP = 6.0  # points between boxes side by side: shaded cells of a table touch
MAX_PAGE_SHARE = 0.75  # a box this wide (share of the page) has nothing beside it
MIN_OVERLAP = 0.5  # share of the shorter box's height two boxes side by side share
NEST_TOLERANCE = 1.0


def _inside(inner: BBox, outer: BBox) -> bool:
    t = NEST_TOLERANCE
    return (
        inner[0] >= outer[0] - t
        and inner[1] >= outer[1] - t
        and inner[2] <= outer[2] + t
        and inner[3] <= outer[3] + t
    )


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _beside(a: BBox, b: BBox) -> bool:
    """Apart across the page (with space between), level down it."""
    if max(a[0], b[0]) - min(a[2], b[2]) < MIN_GAP:
        return False
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared >= MIN_OVERLAP * min(a[3] - a[1], b[3] - b[1])


def side_by_side_boxes(
    shapes: Iterable[BBox],
    tables: list[BBox],
    page_width: float,
    rows: list[list[Glyph]],
) -> list[BBox]:
    """The outermost drawn boxes holding a few lines of text (`rows`: the page's glyphs,
    line by line) that have another such box beside them, top to bottom and left to right;
    none when no two boxes sit side by side."""
    candidates = sorted(
        {
            (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))
            for x0, top, x1, bottom in shapes
            if MIN_WIDTH <= x1 - x0 <= MAX_PAGE_SHARE * page_width and bottom - top >= MIN_HEIGHT
        }
    )
    # A shape in a ruled table is a cell's shading; a table may sit inside a box.
    candidates = [
        b for b in candidates if not any(_overlaps(b, t) and not _inside(t, b) for t in tables)
    ]
    outer = [b for b in candidates if not any(o != b and _inside(b, o) for o in candidates)]
    # Boxes that overlap without nesting are not a layout of boxes (a chart over a panel).
    outer = [b for b in outer if not any(o != b and _overlaps(b, o) for o in outer)]
    outer = [b for b in outer if _lines_in(b, rows) >= MIN_LINES]
    kept = [b for b in outer if any(o != b and _beside(b, o) for o in outer)]
    return sorted(kept, key=lambda b: (b[1], b[0]))


def _lines_in(box: BBox, rows: list[list[Glyph]]) -> int:
    """How many lines have text inside the box."""
    x0, top, x1, bottom = box
    n = 0
    for row in rows:
        y = (row[0].top + row[0].bottom) / 2
        if top <= y <= bottom and any(x0 <= (g.x0 + g.x1) / 2 <= x1 for g in row):
            n += 1
    return n


def box_at(boxes: list[BBox], x: float, y: float) -> int:
    """Index of the box holding point (x, y), or -1."""
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        if x0 <= x <= x1 and top <= y <= bottom:
            return i
    return -1


def _box_rows(boxes: list[BBox]) -> list[list[int]]:
    """Boxes grouped into rows of boxes level with each other, each row left to right."""
    rows: list[list[int]] = []
    for i in sorted(range(len(boxes)), key=lambda i: boxes[i][1]):
        for row in rows:
            if any(_beside(boxes[i], boxes[j]) for j in row):
                row.append(i)
                break
        else:
            rows.append([i])
    for row in rows:
        row.sort(key=lambda i: boxes[i][0])
    return rows


def reading_order(free: list[Line], boxed: list[list[Line]], boxes: list[BBox]) -> list[Line]:
    """The page's lines with each row of boxes read box by box, left to right, each box
    top to bottom, where the row's top falls among the free lines (already in order)."""
    out: list[Line] = []
    rows = _box_rows(boxes)
    pending = sorted(rows, key=lambda row: min(boxes[i][1] for i in row))
    for line in free:
        while pending and min(boxes[i][1] for i in pending[0]) <= line.top:
            for i in pending.pop(0):
                out.extend(boxed[i])
        out.append(line)
    for row in pending:
        for i in row:
            out.extend(boxed[i])
    return out
