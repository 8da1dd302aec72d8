"""Tables drawn without rules whose cells wrap: slides, word-processor tables with their
borders off, text set at tab stops.

Nothing draws the grid, so it is read from the text's geometry:

- **columns**: a run of lines (each split into spans where the space between words is far
  wider than a word space) that all leave the same vertical strips clear. The strips are
  the gutters; the text between them is the columns. A line that runs across a gutter
  (prose, a title) ends the run.
- **rows**: a cell's wrapped lines run on at the usual line pitch and wrap at its column's
  right edge; a row ends where no column's text runs on. A new row starts where the first
  column, or most columns, start a new block of text; anything else is the row above
  going on (a second paragraph or a bullet list inside one cell).
- **header**: the first row is a row of short labels filling most columns, set apart from
  the body (bold, a band of fill, a colour or a larger size, or much shorter text). A run
  at the top of a page with the columns of the table that ended the page before needs no
  header: it is that table going on.

Conservative on purpose: without such a header, with a first column of list markers or of
"Label:" words, without a column of short values, or when the columns are one block drawn
again and again across the page (cards side by side), the lines stay text: prose, two
columns of prose, bulleted lists, title blocks and label:value lines are never tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from planx.extractors.pdf.tables import (
    MAX_CELL_PAD,
    FillRect,
    Origin,
    TablePart,
    cell_fill,
    lines_text_colour,
    list_marker_text,
    same_anchors,
    text_size,
)
from planx.extractors.pdf.text import (
    Glyph,
    Line,
    break_kind,
    glyphs_to_line,
    list_marker,
    typical_pitch,
)

BBox = tuple[float, float, float, float]
_NUMBER = re.compile(r"[-+(£$€]?\d[\d,.]*%?\)?")
_LABELLED = re.compile(r"^[A-Z][\w/&' -]{0,30}:\s+\S")  # "Who: Public Health"
_YEAR = re.compile(r"(?:19|20)\d\d(?:\s*[-/–]\s*\d{2,4})?")

SPAN_GAP = 0.8  # in font sizes: a wider space between words parts two spans of a line
MIN_GUTTER = 0.5  # in font sizes: the narrowest clear strip between two columns
MAX_LINE_GAP = 2.5  # in font sizes: a wider gap ends the run unless the line fits its columns
ANCHOR_TOLERANCE = 3.0  # points between span starts that are the same column start
MIN_BODY_ROWS = 2
MAX_LABEL_WORDS = 8  # a header cell is a label, not a sentence
SHORT_CELL_WORDS = 6  # some column holds short values (a lead, a date), not prose
HEADING_RATIO = 1.3  # a line this much larger than the run's text is a heading, not a row
MAX_SPLIT_SHARE = 0.2  # share of cell lines whose words sit in separate groups (sub-columns)
COLUMN_FILL_SHARE = 0.6
MAX_MIRRORED_COLUMNS = 3  # cards come two or three across  # share of body rows with text in a column that makes it populated


@dataclass(slots=True)
class Span:
    """Words of one line set close together: a cell's line once columns are known."""

    x0: float
    x1: float
    glyphs: list[Glyph]
    size: float


@dataclass(slots=True)
class _Row:
    lines: list[Line] = field(default_factory=list)  # the row's cell lines, all columns
    cells: dict[int, list[Line]] = field(default_factory=dict)

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)


def line_spans(run: list[Glyph]) -> list[Span]:
    """The line's glyphs (left to right) cut where the gap is far wider than a word space."""
    spans: list[Span] = []
    span: Span | None = None
    prev_x1 = prev_size = 0.0  # of the last glyph with ink
    span_gap = SPAN_GAP
    for g in run:
        text = g.text
        if not text or text.isspace():
            continue
        x1, size = g.x1, g.size
        if span is not None:
            wide = size  # the larger of the two sizes, and at least 1 (as `max` picks it)
            if prev_size > wide:
                wide = prev_size
            if 1.0 > wide:
                wide = 1.0
            if not g.x0 - prev_x1 > span_gap * wide:
                span.glyphs.append(g)
                if x1 > span.x1:
                    span.x1 = x1
                prev_x1, prev_size = x1, size
                continue
        span = Span(g.x0, x1, [g], size)
        spans.append(span)
        prev_x1, prev_size = x1, size
    return spans


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _gutters(cover: list[tuple[float, float]], min_width: float) -> list[tuple[float, float]]:
    """Clear strips between the covered intervals at least `min_width` wide."""
    return [
        (a[1], b[0]) for a, b in zip(cover, cover[1:], strict=False) if b[0] - a[1] >= min_width
    ]


def _fits_anchors(spans: list[Span], anchors: list[float]) -> bool:
    """Two or more spans, each starting at a column start already seen."""
    return len(spans) >= 2 and all(
        any(abs(s.x0 - x) <= ANCHOR_TOLERANCE for x in anchors) for s in spans
    )


def _runs(lines: list[Line], spans: list[list[Span]]) -> list[list[int]]:
    """Runs of consecutive lines (their indexes) that share clear vertical strips.
    A run starts at a line of two or more spans (a header or a row) and grows while the
    lines leave at least one gutter clear."""
    runs: list[list[int]] = []
    i, n = 0, len(lines)
    while i < n:
        if len(spans[i]) < 2:
            i += 1
            continue
        size = max(lines[i].size, 1.0)
        members = [i]
        cover = _merge([(s.x0, s.x1) for s in spans[i]])
        gutters = _gutters(cover, MIN_GUTTER * size)
        anchors = [s.x0 for s in spans[i]]
        j = i + 1
        while j < n and gutters:
            line, prev = lines[j], lines[members[-1]]
            if not spans[j] or line.size > HEADING_RATIO * size:
                break
            if line.top - prev.bottom > MAX_LINE_GAP * size and not _fits_anchors(
                spans[j], anchors
            ):
                break
            new_cover = _merge(cover + [(s.x0, s.x1) for s in spans[j]])
            new_gutters = _gutters(new_cover, MIN_GUTTER * size)
            if len(new_gutters) < len(gutters) or not new_gutters:
                break
            members.append(j)
            cover, gutters = new_cover, new_gutters
            anchors += [s.x0 for s in spans[j]]
            j += 1
        if len(members) >= 1 + MIN_BODY_ROWS and gutters:
            runs.append(members)
            i = j
        else:
            i += 1
    return runs


def _column_of(x0: float, x1: float, bounds: list[float]) -> int:
    mid = (x0 + x1) / 2
    for c in range(len(bounds) - 1, 0, -1):
        if mid >= bounds[c]:
            return c
    return 0


def _cell_lines(
    members: list[int], spans: list[list[Span]], bounds: list[float]
) -> tuple[list[tuple[int, Line, int]], int]:
    """(column, line, page line index) for every span of the run, spans of one column on a
    line joined; and how many such lines hold spans set far apart (columns the gutters did
    not part)."""
    out: list[tuple[int, Line, int]] = []
    split = 0
    for i in members:
        by_col: dict[int, list[Span]] = {}
        for s in spans[i]:
            by_col.setdefault(_column_of(s.x0, s.x1, bounds), []).append(s)
        for c, col_spans in sorted(by_col.items()):
            line = glyphs_to_line([g for s in col_spans for g in s.glyphs])
            if line is None:
                continue
            out.append((c, line, i))
            if len(col_spans) > 1 and not list_marker_text(_span_text(col_spans[0])):
                split += 1
    return out, split


def _span_text(span: Span) -> str:
    return "".join(g.text for g in span.glyphs)


def _rows(cell_lines: list[tuple[int, Line, int]], n_cols: int) -> list[_Row]:
    """Cell lines (column, line, index of the page line) grouped into rows (see the
    module docstring)."""
    by_col: dict[int, list[tuple[Line, int]]] = {}
    for c, ln, i in cell_lines:
        by_col.setdefault(c, []).append((ln, i))
    pitch = typical_pitch(sorted((ln for _, ln, _ in cell_lines), key=_top))
    # How each column's consecutive lines part (see text.break_kind).
    kinds: dict[tuple[int, int], dict[int, tuple[str, Line]]] = {}  # (upper, lower) -> column
    for c, lines in by_col.items():
        lines.sort(key=lambda pair: pair[0].top)
        left = min(ln.x0 for ln, _ in lines)
        right = max(ln.x1 for ln, _ in lines)
        for (a, i), (b, j) in zip(lines, lines[1:], strict=False):
            kinds.setdefault((i, j), {})[c] = (break_kind(a, b, left, right, pitch), b)
    cols_at: dict[int, set[int]] = {}
    for c, _, i in cell_lines:
        cols_at.setdefault(i, set()).add(c)
    # Intervals of y that a cell's text runs through: each line, and the space between two
    # lines of one column that run on into each other (see _runs_on).
    spans: list[tuple[float, float]] = [_core(ln) for _, ln, _ in cell_lines]
    starts: set[int] = set()  # ids of lines that start a block in their column
    for c, lines in by_col.items():
        starts.add(id(lines[0][0]))
        for (a, i), (b, j) in zip(lines, lines[1:], strict=False):
            if _runs_on(c, kinds[(i, j)], cols_at[i], cols_at[j]):
                spans.append((_core(a)[0], _core(b)[1]))
            else:
                starts.add(id(b))
    bands = _merge(spans)
    rows: list[_Row] = []
    band_rows: list[_Row] = [_Row() for _ in bands]
    tops = [a for a, _ in bands]
    for c, ln, _ in cell_lines:
        k = max(0, _bisect(tops, _core(ln)[0]))
        band_rows[k].lines.append(ln)
        band_rows[k].cells.setdefault(c, []).append(ln)
    for band in band_rows:
        if not band.lines:
            continue
        opened = {c for c, lns in band.cells.items() if id(min(lns, key=_top)) in starts}
        new = not rows or 0 in opened or len(opened) >= max(2, (n_cols + 1) // 2)
        if new:
            rows.append(_Row())
        row = rows[-1]
        row.lines.extend(band.lines)
        for c, lns in band.cells.items():
            row.cells.setdefault(c, []).extend(lns)
    return _respace(rows, pitch)


def _runs_on(
    c: int, kinds: dict[int, tuple[str, Line]], upper_cols: set[int], lower_cols: set[int]
) -> bool:
    """Column c's text runs on from one page line to the next (`kinds`: how each column
    with text on both lines breaks there, and its lower line). A lower-case start or a
    hyphen is a wrap. A wrap read from line lengths alone is weaker (a column of one-line
    entries is as wide as its longest, after which nothing fits): when the lower line fills
    every column the upper one did (a list of one-line rows) it is a new row unless some
    column plainly wraps; otherwise the columns vote, a tie going to the wrap."""
    kind, lower = kinds[c]
    if _plain_wrap(kind, lower):
        return True
    if kind != "wrap":
        return False
    if len(upper_cols) >= 2 and upper_cols <= lower_cols:
        return any(_plain_wrap(k, ln) for k, ln in kinds.values())
    wraps = sum(k == "wrap" for k, _ in kinds.values())
    return wraps * 2 >= len(kinds)


def _plain_wrap(kind: str, lower: Line) -> bool:
    return kind == "hyphen" or (kind == "wrap" and lower.text[:1].islower())


def _core(line: Line) -> tuple[float, float]:
    """The middle half of a line's height: glyph boxes of tightly set lines overlap, their
    cores do not."""
    q = 0.25 * (line.bottom - line.top)
    return line.top + q, line.bottom - q


def _top(line: Line) -> float:
    return line.top


def _bisect(tops: list[float], y: float) -> int:
    lo, hi = 0, len(tops)
    while lo < hi:
        mid = (lo + hi) // 2
        if tops[mid] <= y:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _respace(rows: list[_Row], pitch: float) -> list[_Row]:
    """Where the table parts its rows with space, a row that follows the one above at the
    plain line pitch is that row going on (a cell's second paragraph), not a new row."""
    if len(rows) < 4:
        return rows
    size = median(ln.size for row in rows for ln in row.lines)
    normal = max(0.0, pitch - size)
    spaced = [b.top - a.bottom > normal + 0.4 * size for a, b in zip(rows, rows[1:], strict=False)]
    if sum(spaced) < 0.8 * len(spaced) or sum(spaced) < 2:
        return rows
    out = [rows[0]]
    for row, apart in zip(rows[1:], spaced, strict=True):
        if apart:
            out.append(row)
            continue
        prev = out[-1]
        prev.lines.extend(row.lines)
        for c, lns in row.cells.items():
            prev.cells.setdefault(c, []).extend(lns)
    return out


def _words(lines: list[Line]) -> int:
    return sum(len(ln.text.split()) for ln in lines)


def _cell_text(lines: list[Line], left: float, right: float) -> str:
    from planx.extractors.pdf.text import lines_to_text

    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    pad = min(max(0.0, min(ln.x0 for ln in lines) - left), MAX_CELL_PAD)
    return lines_to_text(lines, left + pad, right - pad)


def _is_bold(lines: list[Line]) -> bool:
    ink = sum(len(ln.text) for ln in lines)
    return ink > 0 and sum(len(ln.text) for ln in lines if ln.bold) * 2 > ink


def _header_apart(
    head: _Row, body: list[_Row], fills: list[str | None], body_fills: list[str | None]
) -> bool:
    """The first row is set apart from the body: bold over plain, a band of fill, its
    own colour or size, or labels much shorter than the body's cells."""
    head_cells = list(head.cells.values())
    body_cells = [lns for row in body for lns in row.cells.values()]
    if all(_is_bold(c) for c in head_cells) and not all(_is_bold(c) for c in body_cells):
        return True
    if any(fills) and set(fills) != set(body_fills):
        return True
    colour = lines_text_colour(head.lines)
    if colour is not None and colour != lines_text_colour([ln for r in body for ln in r.lines]):
        return True
    if text_size(head.lines) > text_size([ln for r in body for ln in r.lines]) + 0.5:
        return True
    head_len = sum(len(ln.text) for ln in head.lines) / max(1, len(head_cells))
    body_len = sum(len(ln.text) for c in body_cells for ln in c) / max(1, len(body_cells))
    return body_len >= 2.5 * head_len


def _is_label(lines: list[Line]) -> bool:
    """A header cell: a few words, not a sentence, a "Label:" or a figure (a year may be)."""
    text = _text(lines)
    words = text.split()
    if not 0 < len(words) <= MAX_LABEL_WORDS or text.endswith((".", ":")) or _is_marker(lines):
        return False
    if _LABELLED.match(text):
        return False
    return bool(_YEAR.fullmatch(text)) or not all(_NUMBER.fullmatch(w) for w in words)


def _is_marker(lines: list[Line]) -> bool:
    """A cell that is only a list marker: a bullet, a number, a symbol."""
    text = " ".join(ln.text for ln in sorted(lines, key=_top)).strip()
    if list_marker_text(text) or list_marker(min(lines, key=_top)) == text:
        return True
    return _is_symbol(text)


def _is_symbol(text: str) -> bool:
    """A bullet of a font of symbols ("\uf02d", "➢"): a mark or two, no figure or unit."""
    return 0 < len(text) <= 2 and not any(ch.isalnum() or ch in "%#£$€&+=<>" for ch in text)


def _header_row(rows: list[_Row], n_cols: int) -> int:
    """Index of the row that heads the table: the first row whose cells are short labels
    in most columns (lines above it, such as a title, are not part of the table)."""
    need = max(2, -(-2 * n_cols // 3))
    for k, row in enumerate(rows[:3]):
        if len(row.cells) >= need and all(_is_label(lns) for lns in row.cells.values()):
            labels = [_text(lns).casefold() for lns in row.cells.values()]
            # The same label over every column heads blocks side by side, not a table.
            return k if len(set(labels)) > 1 else -1
    return -1


def _text(lines: list[Line]) -> str:
    return " ".join(ln.text for ln in sorted(lines, key=_top)).strip()


def _mirrored(rows: list[_Row], n_cols: int) -> bool:
    """Columns whose cells, row by row, look alike (as many lines, in one size and weight),
    one row even saying the same words in each: a block drawn two or three times across
    the page (cards side by side), not the columns of a table, which hold different things
    (an action, a lead, a date)."""
    same_words = False
    for row in rows:
        cells = [row.cells.get(c) for c in range(n_cols)]
        if any(not lns for lns in cells):
            return False
        if len({(len(lns), text_size(lns), _is_bold(lns)) for lns in cells if lns}) > 1:
            return False
        texts = {_text(lns).casefold() for lns in cells if lns}
        same_words = same_words or (len(texts) == 1 and any(ch.isalpha() for ch in texts.pop()))
    return same_words


def _is_table(
    head: _Row | None, body: list[_Row], n_cols: int, edges: list[float], rects: list[FillRect]
) -> bool:
    """The checks that keep prose, lists and label:value lines out (module docstring)."""
    if len(body) < (MIN_BODY_ROWS if head is not None else 1):
        return False
    populated = sum(
        sum(c in row.cells for row in body) >= COLUMN_FILL_SHARE * len(body) for c in range(n_cols)
    )
    if populated < 2:
        return False
    if n_cols <= MAX_MIRRORED_COLUMNS and _mirrored([head, *body] if head else body, n_cols):
        return False  # the same block drawn two or three times across: cards side by side
    first = [row.cells[0] for row in body if 0 in row.cells]
    if first and sum(_is_marker(lns) for lns in first) * 2 >= len(first):
        return False  # bullets or numbers with a hanging indent
    if first and sum(_text(lns).endswith(":") for lns in first) * 2 >= len(first):
        return False  # label:value lines
    cells = [_text(lns) for row in body for lns in row.cells.values()]
    if sum(bool(_LABELLED.match(t)) for t in cells) * 2 >= len(cells):
        return False  # blocks of "What: ... / Who: ..." lines side by side
    if not any(
        median(_words(row.cells[c]) for row in body if c in row.cells) <= SHORT_CELL_WORDS
        for c in range(n_cols)
        if any(c in row.cells for row in body)
    ):
        return False  # every column is prose: columns of a page, not a table
    if head is None:
        return True  # a table carried on from the page before: its header was there

    def fills(row: _Row) -> list[str | None]:
        return [
            cell_fill((edges[c], row.top, edges[c + 1], row.bottom), rects) for c in range(n_cols)
        ]

    return _header_apart(head, body, fills(head), [f for row in body for f in fills(row)])


def _first_column_of_markers(
    members: list[int], spans: list[list[Span]], bounds: list[float]
) -> bool:
    """Most lines that open the first column open it with a list marker or a "Label:"
    alone: a list with a hanging indent, or label:value lines (checked before any cell is
    built, as most runs on a page of prose are such lists)."""
    firsts = [
        _span_text(spans[i][0])
        for i in members
        if spans[i] and _column_of(spans[i][0].x0, spans[i][0].x1, bounds) == 0
    ]
    marked = sum(
        list_marker_text(t) or _is_symbol(t) or (t.endswith(":") and len(t) > 1) for t in firsts
    )
    return bool(firsts) and marked * 2 >= len(firsts)


def _grid(
    members: list[int], spans: list[list[Span]], size: float
) -> tuple[list[float], list[_Row]] | None:
    """Column bounds and rows of the lines `members`; None when they are no grid (no
    gutter, a first column of markers or labels, cells whose words sit in sub-columns)."""
    cover = _merge([(s.x0, s.x1) for i in members for s in spans[i]])
    gutters = _gutters(cover, MIN_GUTTER * size)
    if not gutters:
        return None
    bounds = [cover[0][0]] + [(a + b) / 2 for a, b in gutters] + [cover[-1][1]]
    if _first_column_of_markers(members, spans, bounds):
        return None
    cell_lines, split = _cell_lines(members, spans, bounds)
    if split > MAX_SPLIT_SHARE * len(cell_lines):
        return None
    return bounds, _rows(cell_lines, len(bounds) - 1)


def _anchors(rows: list[_Row], bounds: list[float]) -> list[float]:
    """Where each column's text starts."""
    return [
        min((ln.x0 for row in rows for ln in row.cells.get(c, [])), default=bounds[c])
        for c in range(len(bounds) - 1)
    ]


def _table_rows(
    members: list[int],
    lines: list[Line],
    spans: list[list[Span]],
    carried: list[float] | None,
) -> tuple[list[float], _Row | None, list[_Row]] | None:
    """(bounds, header row, body rows) of a run: from its header down, or, for the run at
    the top of a page, headerless when its columns are those of the table the previous
    page ended with (`carried`: where that table's columns start)."""
    size = max(median(lines[i].size for i in members), 1.0)
    found = _grid(members, spans, size)
    if found is None:
        return None
    bounds, rows = found
    k = _header_row(rows, len(bounds) - 1)
    if k != 0 and carried is not None and same_anchors(_anchors(rows, bounds), carried):
        return bounds, None, _without_trailing_notes(None, rows)
    if k < 0:
        return None
    head, body = rows[k], _without_trailing_notes(rows[k], rows[k + 1 :])
    top, bottom = head.top, (body[-1] if body else head).bottom
    kept = [i for i in members if lines[i].bottom > top - 0.5 and lines[i].top < bottom + 0.5]
    if kept == members:
        return bounds, head, body
    # The columns again from the table's own lines: a title above it may hide a gutter.
    found = _grid(kept, spans, size)
    if found is None:
        return None
    bounds, rows = found
    if _header_row(rows, len(bounds) - 1) != 0:
        return None
    return bounds, rows[0], _without_trailing_notes(rows[0], rows[1:])


def _run_to_part(
    members: list[int],
    lines: list[Line],
    spans: list[list[Span]],
    rects: list[FillRect],
    page: int,
    carried: list[float] | None,
) -> tuple[TablePart, set[int]] | None:
    """A table piece from a run of lines, and the indexes of the lines it took."""
    found = _table_rows(members, lines, spans, carried)
    if found is None:
        return None
    edges, head, body = found
    n_cols = len(edges) - 1
    table_rows = [head, *body] if head is not None else body
    if not _is_table(head, body, n_cols, edges, rects):
        return None
    origins: list[Origin] = []
    for r, row in enumerate(table_rows):
        for c in range(n_cols):
            lns = row.cells.get(c, [])
            bbox = (edges[c], row.top, edges[c + 1], row.bottom)
            text = _cell_text(lns, edges[c], edges[c + 1]) if lns else ""
            fill, colour = cell_fill(bbox, rects), lines_text_colour(lns)
            origins.append(Origin(r, c, 1, 1, text, bbox, fill, _is_bold(lns), page, colour))
    bbox = (edges[0], table_rows[0].top, edges[-1], table_rows[-1].bottom)
    part = TablePart(
        page,
        bbox,
        edges,
        [(page, row.top, row.bottom) for row in table_rows],
        origins,
        ruled=False,
        text_size=text_size([ln for row in table_rows for ln in row.lines]),
        anchors=_anchors(table_rows, edges),
    )
    top, bottom = bbox[1], bbox[3]
    used = {i for i in members if lines[i].bottom > top - 0.5 and lines[i].top < bottom + 0.5}
    return part, used


def _without_trailing_notes(head: _Row | None, body: list[_Row]) -> list[_Row]:
    """The body without rows at its foot that are a note under the table: one cell of
    text set apart by more space than the rows are, or in another size."""
    while len(body) > MIN_BODY_ROWS:
        last, above = body[-1], body[-2]
        if len(last.cells) > 1:
            break
        above_rows = [head, *body[:-1]] if head is not None else body[:-1]
        gaps = [b.top - a.bottom for a, b in zip(above_rows, above_rows[1:], strict=False)]
        gap = last.top - above.bottom
        size = text_size(above.lines)
        if gap > 1.5 * max(gaps, default=0.0) + 1 or abs(text_size(last.lines) - size) > 0.5:
            body = body[:-1]
            continue
        break
    return body


def borderless_tables(
    lines: list[Line],
    runs: list[list[Glyph]],
    page: int,
    rects: list[FillRect],
    carried: list[float] | None = None,
) -> tuple[list[TablePart], list[Line]]:
    """Tables drawn without rules among a page's free lines (top to bottom, each with the
    glyph run it was built from); returns them and the lines left over. `carried`: where
    the columns start of a table without rules that ended the previous page, whose rows
    may run on at the top of this one without its header."""
    spans = [line_spans(run) for run in runs]
    if sum(len(s) >= 2 for s in spans) < 2:
        return [], lines
    parts: list[TablePart] = []
    used: set[int] = set()
    for n, members in enumerate(_runs(lines, spans)):
        found = _run_to_part(members, lines, spans, rects, page, carried if n == 0 else None)
        if found is not None:
            part, taken = found
            parts.append(part)
            used |= taken
    if not parts:
        return [], lines
    return parts, [ln for i, ln in enumerate(lines) if i not in used]


__all__ = ["borderless_tables", "line_spans"]
