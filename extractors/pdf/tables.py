"""Table pieces found on one page: ruled grids from pdfplumber's TableFinder,
and, as a fallback, columns of text aligned without rules.

A piece (`TablePart`) keeps only its origin cells (one per merged area, with
row/col spans); the dense grid with copies is built once the pieces of a table
have been joined across pages (see join.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from planx.extractors.colours import dominant_text_colour
from planx.extractors.pdf.text import Fragment, Line, lines_to_text, list_marker, merge_counts

BBox = tuple[float, float, float, float]

EDGE_SNAP = 1.0  # cell edges closer than this (points) are the same grid line
WHITE = 0.98  # every channel at or above this is white, i.e. no fill
MAX_CELL_PAD = 8.0


@dataclass(slots=True)
class Origin:
    """A cell as drawn: its top-left slot, spans, text and style."""

    r: int
    c: int
    rs: int
    cs: int
    text: str
    bbox: BBox
    fill: str | None
    bold: bool
    page: int
    text_colour: str | None = None
    icon_fill: str | None = None


@dataclass
class TablePart:
    """The piece of a table on one page."""

    page: int
    bbox: BBox
    col_edges: list[float]  # n_cols + 1 x positions
    rows: list[tuple[int, float, float]]  # (page, top, bottom) per row
    origins: list[Origin]
    ruled: bool = True
    repeated_header: int = field(default=0)  # header rows dropped from later pieces
    text_size: float = 0.0  # the font size most of its text is set in (0 when empty)
    # Where each column's text starts, for a table drawn without rules: its columns are
    # matched across a page break by these, as a ruled table's are by its rules.
    anchors: list[float] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


ANCHOR_MATCH = 6.0  # points between column starts that are the same column on another page


def same_anchors(a: list[float], b: list[float]) -> bool:
    """Two tables without rules have the same columns: as many, starting at the same x."""
    return len(a) == len(b) and all(abs(x - y) <= ANCHOR_MATCH for x, y in zip(a, b, strict=True))


def color_to_hex(color: object) -> str | None:
    """A pdfplumber colour (gray, RGB or CMYK, 0..1) as "#RRGGBB"; None for white or unknown."""
    if color is None or isinstance(color, bool):
        return None
    comps: tuple[float, ...]
    if isinstance(color, int | float):
        comps = (float(color),)
    elif isinstance(color, tuple | list):
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in color):
            return None  # a pattern or a named colour space
        comps = tuple(float(v) for v in color)
    else:
        return None
    if any(v < 0 or v > 1 for v in comps):
        return None  # an indexed colour or a separation we cannot map
    if len(comps) == 1:
        rgb = (comps[0],) * 3
    elif len(comps) == 3:
        rgb = comps
    elif len(comps) == 4:
        c, m, y, k = comps
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    if all(v >= WHITE for v in rgb):
        return None
    return "#{:02X}{:02X}{:02X}".format(*(round(v * 255) for v in rgb))


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_SNAP:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the grid line nearest to v."""
    i = bisect_left(edges, v)
    if i == len(edges):
        return i - 1
    if i > 0 and v - edges[i - 1] < edges[i] - v:
        return i - 1
    return i


class TableGrid:
    """A pdfplumber table's cells laid on a grid, for locating glyphs by bisection."""

    def __init__(self, cells: list[BBox]):
        self.cells = list(cells)
        self.xs = _snap([c[0] for c in cells] + [c[2] for c in cells])
        self.ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
        self.n_cols = max(0, len(self.xs) - 1)
        self.n_rows = max(0, len(self.ys) - 1)
        self.bbox: BBox = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        self.slots = [[-1] * self.n_cols for _ in range(self.n_rows)]
        self.spans: list[tuple[int, int, int, int]] = []
        for i, (x0, top, x1, bottom) in enumerate(self.cells):
            c0, c1 = _index(self.xs, x0), _index(self.xs, x1)
            r0, r1 = _index(self.ys, top), _index(self.ys, bottom)
            c1, r1 = max(c1, c0 + 1), max(r1, r0 + 1)
            self.spans.append((r0, c0, r1 - r0, c1 - c0))
            for r in range(r0, min(r1, self.n_rows)):
                row = self.slots[r]
                for c in range(c0, min(c1, self.n_cols)):
                    if row[c] == -1:
                        row[c] = i

    @property
    def n_starts(self) -> int:
        """Distinct left edges of cells: pdfplumber's own column count."""
        return len(_snap([c[0] for c in self.cells]))

    @property
    def ragged(self) -> bool:
        """Some row stops short of the grid's left or right edge: highlighted runs of
        text drawn as boxes, not a table (a table's outline is a rectangle)."""
        return any(row[0] == -1 or row[-1] == -1 for row in self.slots)

    @property
    def area(self) -> float:
        x0, top, x1, bottom = self.bbox
        return (x1 - x0) * (bottom - top)

    def locate(self, x: float, y: float) -> int:
        """The cell holding point (x, y) (half-open, as pdfplumber), or -1."""
        x0, top, x1, bottom = self.bbox
        if not (x0 <= x < x1 and top <= y < bottom):
            return -1
        r = bisect_right(self.ys, y) - 1
        c = bisect_right(self.xs, x) - 1
        if 0 <= r < self.n_rows and 0 <= c < self.n_cols:
            return self.slots[r][c]
        return -1

    def locate_all(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """`locate` for many points at once (a page's glyph centres): the same cells,
        found by array search instead of a call per point."""
        x0, top, x1, bottom = self.bbox
        r = np.searchsorted(self.ys, y, side="right") - 1
        c = np.searchsorted(self.xs, x, side="right") - 1
        inside = (x0 <= x) & (x < x1) & (top <= y) & (y < bottom)
        inside &= (r >= 0) & (r < self.n_rows) & (c >= 0) & (c < self.n_cols)
        cells = np.full(len(x), -1, dtype=np.int64)
        if self.n_rows and self.n_cols:
            slots = np.asarray(self.slots, dtype=np.int64)
            cells[inside] = slots[r[inside], c[inside]]
        return cells


EDGE_COVER_TOL = 3.0  # points: pdfplumber's own snap and join tolerance


def _covers(edges: list[dict], orient: str, at: float, lo: float, hi: float) -> bool:
    """Drawn edges of one orientation along `at` cover the span lo..hi (gaps within tolerance)."""
    key_at, key_lo, key_hi = ("x0", "top", "bottom") if orient == "v" else ("top", "x0", "x1")
    spans = sorted(
        (e[key_lo], e[key_hi])
        for e in edges
        if e.get("orientation") == orient and abs(e[key_at] - at) <= EDGE_COVER_TOL
    )
    reach = lo
    for a, b in spans:
        if a > reach + EDGE_COVER_TOL:
            break
        reach = max(reach, b)
    return reach >= hi - EDGE_COVER_TOL


def closed_grid(cells: list[BBox], edges: list[dict]) -> TableGrid:
    """The grid of the table's cells with its cells left open closed (`close_open_cells`),
    laid out once when none was left open (most tables)."""
    grid = TableGrid(cells)
    added = _cells_left_open(grid, edges)
    return TableGrid(list(cells) + added) if added else grid


def close_open_cells(cells: list[BBox], edges: list[dict]) -> list[BBox]:
    """The table's cells plus the cells drawn open at the top or bottom of the grid.

    A cell that runs over a page break has no rule along the break, so pdfplumber,
    which needs four corners, leaves a hole there. A hole in the first or last row
    whose two sides and inner end are ruled is such a cell; a hole whose sides are
    not ruled (a row of highlighted text that stops short) stays a hole.
    """
    if not cells:
        return cells
    return list(cells) + _cells_left_open(TableGrid(cells), edges)


def _cells_left_open(grid: TableGrid, edges: list[dict]) -> list[BBox]:
    """The cells drawn open at the top or bottom of the grid (see `close_open_cells`)."""
    xs, ys, slots = grid.xs, grid.ys, grid.slots
    added: list[BBox] = []
    taken: set[tuple[int, int]] = set()
    for from_top in (True, False):
        rows = range(grid.n_rows) if from_top else range(grid.n_rows - 1, -1, -1)
        edge_row = rows[0]
        for c0 in range(grid.n_cols):
            if slots[edge_row][c0] != -1 or (edge_row, c0) in taken:
                continue
            c1 = c0 + 1  # widen over neighbouring holes not parted by a rule
            while (
                c1 < grid.n_cols
                and slots[edge_row][c1] == -1
                and not _covers(edges, "v", xs[c1], ys[edge_row], ys[edge_row + 1])
            ):
                c1 += 1
            depth = 0
            for r in rows:
                if any(slots[r][c] != -1 for c in range(c0, c1)):
                    break
                depth += 1
            if depth == grid.n_rows:
                continue  # a whole column missing is not a cell left open
            top, bottom = (ys[0], ys[depth]) if from_top else (ys[-1 - depth], ys[-1])
            inner = bottom if from_top else top
            if not (
                _covers(edges, "v", xs[c0], top, bottom)
                and _covers(edges, "v", xs[c1], top, bottom)
                and _covers(edges, "h", inner, xs[c0], xs[c1])
            ):
                continue
            added.append((xs[c0], top, xs[c1], bottom))
            for r in list(rows)[:depth]:
                taken.update((r, c) for c in range(c0, c1))
    return added


@dataclass(slots=True)
class FillRect:
    x0: float
    top: float
    x1: float
    bottom: float
    color: str | None


ICON_MIN_SIDE = 2.0  # points: thinner shapes are rules and underlines
ICON_MAX_SIDE = 80.0  # points: larger shapes are panels or charts, not icons
ICON_MAX_ASPECT = 4.0


def is_icon_shape(shape: FillRect) -> bool:
    """A filled shape that may be an icon: coloured (not white, not black), compact, small."""
    w, h = shape.x1 - shape.x0, shape.bottom - shape.top
    if shape.color is None or min(w, h) < ICON_MIN_SIDE or max(w, h) > ICON_MAX_SIDE:
        return False
    if max(w, h) > ICON_MAX_ASPECT * min(w, h):
        return False
    return max(int(shape.color[i : i + 2], 16) for i in (1, 3, 5)) >= 0x40


def icon_fill(bbox: BBox, fill: str | None, shapes: list[FillRect]) -> str | None:
    """The colour of the icons (arrows, dots, badges) drawn inside a cell: shapes whose
    centre is in the cell that are not its background; the colour covering most area."""
    x0, top, x1, bottom = bbox
    w, h = x1 - x0, bottom - top
    area: dict[str, float] = {}
    for s in shapes:
        cx, cy = (s.x0 + s.x1) / 2, (s.top + s.bottom) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom) or s.color is None or s.color == fill:
            continue
        sw, sh = s.x1 - s.x0, s.bottom - s.top
        if sw >= 0.5 * w and sh >= 0.5 * h:
            continue  # the cell's background, or a box filling it
        area[s.color] = area.get(s.color, 0.0) + sw * sh
    return max(sorted(area), key=lambda c: area[c]) if area else None


def add_icon_fills(parts: list[TablePart], shapes: list[FillRect]) -> None:
    """Give every cell of the page's table pieces the colour of the icons inside it."""
    if not shapes:
        return
    for part in parts:
        for o in part.origins:
            o.icon_fill = icon_fill(o.bbox, o.fill, shapes)


def lines_text_colour(lines: list[Line]) -> str | None:
    """The colour the lines' text is printed in, when it is a colour (see extractors/colours.py)."""
    return dominant_text_colour(merge_counts(ln.colours for ln in lines))


def cell_fill(bbox: BBox, rects: list[FillRect]) -> str | None:
    """The colour painted last under the cell's centre, from a rect that covers most of it."""
    x0, top, x1, bottom = bbox
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    w, h = x1 - x0, bottom - top
    for r in reversed(rects):
        if (
            r.x0 <= cx <= r.x1
            and r.top <= cy <= r.bottom
            and r.x1 - r.x0 >= 0.5 * w
            and r.bottom - r.top >= 0.5 * h
        ):
            return r.color
    return None


def text_size(lines: list[Line]) -> float:
    """The font size most of the lines' characters are set in (0 when there is no text)."""
    ink: dict[float, int] = {}
    for ln in lines:
        ink[ln.size] = ink.get(ln.size, 0) + len(ln.text)
    return max(ink, key=lambda size: ink[size]) if ink else 0.0


def cell_text(lines: list[Line], bbox: BBox) -> str:
    if not lines:
        return ""
    pad = min(max(0.0, min(ln.x0 for ln in lines) - bbox[0]), MAX_CELL_PAD)
    return lines_to_text(lines, bbox[0] + pad, bbox[2] - pad)


def grid_to_part(
    grid: TableGrid, cell_lines: dict[int, list[Line]], rects: list[FillRect], page: int
) -> TablePart:
    """A ruled table piece: one origin per drawn cell, plus empty cells for holes in the grid."""
    origins: list[Origin] = []
    for i, (r, c, rs, cs) in enumerate(grid.spans):
        if r >= grid.n_rows or c >= grid.n_cols or grid.slots[r][c] != i:
            continue  # a degenerate or overlapping cell: its slot belongs to another
        lines = cell_lines.get(i, [])
        bbox = grid.cells[i]
        ink = sum(len(ln.text) for ln in lines)
        bold = ink > 0 and sum(len(ln.text) for ln in lines if ln.bold) * 2 > ink
        text, fill = cell_text(lines, bbox), cell_fill(bbox, rects)
        origins.append(Origin(r, c, rs, cs, text, bbox, fill, bold, page, lines_text_colour(lines)))
    for r, row in enumerate(grid.slots):
        for c, slot in enumerate(row):
            if slot == -1:
                bbox = (grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1])
                origins.append(Origin(r, c, 1, 1, "", bbox, None, False, page))
    origins.sort(key=lambda o: (o.r, o.c))
    rows = [(page, grid.ys[r], grid.ys[r + 1]) for r in range(grid.n_rows)]
    size = text_size([ln for lines in cell_lines.values() for ln in lines])
    return TablePart(page, grid.bbox, list(grid.xs), rows, origins, ruled=True, text_size=size)


# --- tables without rules -------------------------------------------------------------------

MIN_TEXT_ROWS = 3  # lines with two or more aligned fragments needed to call it a table
MAX_ROW_GAP = 2.0  # in font sizes: a wider gap ends the candidate region
SHORT_CELL_WORDS = 4  # at least one column must hold short values (not prose)
TAIL_GAP = 0.6  # in font sizes: a wrapped line of the last row sits this close


def _is_marker_only(fragment: Fragment) -> bool:
    text = fragment.text.strip()
    return bool(text) and (
        list_marker_text(text) or text.replace(".", "").replace(")", "").isdigit()
    )


def list_marker_text(text: str) -> bool:
    probe = Line(0, 0, 0, 0, text, 10, False, 0, [], False)
    return list_marker(probe) == text


def _bands(fragments: list[Fragment], min_gutter: float) -> list[tuple[float, float]]:
    spans = sorted((f.x0, f.x1) for f in fragments)
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 < bands[-1][1] + min_gutter:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _band_of(bands: list[tuple[float, float]], f: Fragment) -> int:
    mid = (f.x0 + f.x1) / 2
    for i, (a, b) in enumerate(bands):
        if a - 0.5 <= mid <= b + 0.5:
            return i
    return -1


def _fits_bands(line: Line, bands: list[tuple[float, float]]) -> bool:
    return all(any(a - 1 <= f.x0 and f.x1 <= b + 1 for a, b in bands) for f in line.fragments)


def _region_to_part(
    lines: list[Line], page: int, tail: list[Line]
) -> tuple[TablePart, list[Line]] | None:
    """A text table from a region of lines, taking from `tail` the last row's wrapped lines."""
    multi = [ln for ln in lines if len(ln.fragments) >= 2]
    if len(multi) < MIN_TEXT_ROWS:
        return None
    size = median(ln.size for ln in multi)
    bands = _bands([f for ln in multi for f in ln.fragments], 0.8 * size)
    if len(bands) < 2:
        return None
    if not all(_fits_bands(ln, bands) for ln in lines):
        return None
    per_band: list[list[Fragment]] = [[] for _ in bands]
    for ln in multi:
        for f in ln.fragments:
            per_band[_band_of(bands, f)].append(f)
    populated = sum(len(fs) >= 0.6 * len(multi) for fs in per_band)
    if populated < 2:
        return None
    if not any(fs and median(f.n_words for f in fs) <= SHORT_CELL_WORDS for fs in per_band):
        return None  # every column is prose: a multi-column page, not a table
    if len(bands) == 2 and all(_is_marker_only(f) for f in per_band[0]):
        return None  # numbered or bulleted paragraphs with a hanging indent
    if len(bands) == 2 and sum(f.text.endswith(":") for f in per_band[0]) * 2 >= len(per_band[0]):
        return None  # "Label: value" lines, the values set at a tab stop
    # The last row's wrapped lines: single lines set tight under a later column's text.
    lefts = [min(f.x0 for f in fs) if fs else b[0] for fs, b in zip(per_band, bands, strict=True)]
    lines = list(lines)
    for ln in tail:
        if ln.top - lines[-1].bottom > TAIL_GAP * max(ln.size, 1.0):
            break
        if not any(
            abs(ln.x0 - x) <= 2 and ln.x1 <= b + 1
            for x, (_, b) in zip(lefts[1:], bands[1:], strict=True)
        ):
            break
        lines.append(ln)
    # Rows: a line with text in the first column starts a row; others continue it.
    pitch = median(b.top - a.top for a, b in zip(lines, lines[1:], strict=False))
    row_lines: list[list[Line]] = []
    for ln in lines:
        starts = any(_band_of(bands, f) == 0 for f in ln.fragments)
        gap = ln.top - row_lines[-1][-1].top if row_lines else 0.0
        if not row_lines or starts or gap > 1.5 * pitch:
            row_lines.append([ln])
        else:
            row_lines[-1].append(ln)
    edges = [bands[0][0]]
    edges += [(bands[i][1] + bands[i + 1][0]) / 2 for i in range(len(bands) - 1)]
    edges.append(bands[-1][1])
    origins: list[Origin] = []
    rows: list[tuple[int, float, float]] = []
    for r, group in enumerate(row_lines):
        top = min(ln.top for ln in group)
        bottom = max(ln.bottom for ln in group)
        rows.append((page, top, bottom))
        for c in range(len(bands)):
            pieces = [
                _fragment_line(f, ln)
                for ln in group
                for f in ln.fragments
                if _band_of(bands, f) == c
            ]
            bbox = (edges[c], top, edges[c + 1], bottom)
            text = lines_to_text(pieces, bands[c][0], bands[c][1]) if pieces else ""
            bold = bool(pieces) and all(p.bold for p in pieces)
            colour = lines_text_colour(pieces)
            origins.append(Origin(r, c, 1, 1, text, bbox, None, bold, page, colour))
    bbox = (edges[0], rows[0][1], edges[-1], rows[-1][2])
    part = TablePart(page, bbox, edges, rows, origins, ruled=False, text_size=text_size(lines))
    return part, lines


def _fragment_line(f: Fragment, line: Line) -> Line:
    words = f.text.split()
    first = (f.x1 - f.x0) * len(words[0]) / max(1, len(f.text)) if words else 0.0
    return Line(f.x0, f.x1, f.top, f.bottom, f.text, f.size, f.bold, first, [f], False)


def lines_to_text_tables(lines: list[Line], page: int) -> tuple[list[TablePart], list[Line]]:
    """Find tables drawn with aligned text only; return them and the lines left over.

    Conservative on purpose: at least three lines with two or more fragments in
    shared columns, a column of short values, and not a list of numbered
    paragraphs, so prose and multi-column pages stay text.
    """
    if sum(len(ln.fragments) >= 2 for ln in lines) < MIN_TEXT_ROWS:
        return [], lines
    regions: list[list[Line]] = []
    current: list[Line] = []
    singles = 0
    for ln in lines:
        multi = len(ln.fragments) >= 2 and not (
            len(ln.fragments) == 2 and list_marker(ln) is not None
        )
        close = current and ln.top - current[-1].bottom > MAX_ROW_GAP * max(ln.size, 1.0)
        if close or (not multi and singles >= 2) or (not multi and not current):
            if current:
                regions.append(current)
            current, singles = [], 0
            if not multi:
                continue
        current.append(ln)
        singles = 0 if multi else singles + 1
    if current:
        regions.append(current)
    parts: list[TablePart] = []
    used: set[int] = set()
    for region in regions:
        tail: list[Line] = []
        while region and len(region[-1].fragments) < 2:
            tail.insert(0, region[-1])
            region = region[:-1]
        found = _region_to_part(region, page, tail)
        if found is not None:
            part, taken = found
            parts.append(part)
            used.update(id(ln) for ln in taken)
    if not parts:
        return [], lines
    return parts, [ln for ln in lines if id(ln) not in used]
