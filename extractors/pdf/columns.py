"""Reading order on pages set in two or more columns: prose, or blocks side by side
(cards two across with no frame drawn round them).

A gutter is a vertical strip that (almost) no glyph touches, with a good share
of the page's text on each side. Lines that run through a gutter (a title, a
full-width heading: ink unbroken over the gutter's middle) cut the page into bands;
within a band the columns are read one after the other, each top to bottom. A page
without a gutter keeps plain top-to-bottom order, so single-column plans are untouched.
"""

from __future__ import annotations

from itertools import chain, compress
from operator import attrgetter, not_

from planx.extractors.pdf.text import Fragment, Glyph, Line, fragments_to_line, glyphs_to_line

MIN_LINES = 8  # fewer lines than this: not worth a column analysis
MIN_GUTTER = 6  # points of clear space between columns
MAX_CROSSING = 0.03  # share of lines that may run through a gutter (titles, headings)
MIN_SHARE = 0.15  # each column holds at least this share of the page's text
MIN_COLUMN_WIDTH = 90.0


_X0, _X1, _TEXT = attrgetter("x0"), attrgetter("x1"), attrgetter("text")


def _ink(runs: list[list[Glyph]]) -> list[Glyph]:
    """The runs' glyphs that are not blank, in order."""
    glyphs = list(chain.from_iterable(runs))
    return list(compress(glyphs, map(not_, map(str.isspace, map(_TEXT, glyphs)))))


def _gutters(runs: list[list[Glyph]]) -> list[tuple[float, float]]:
    """Clear vertical strips between the leftmost and rightmost ink."""
    ink = _ink(runs)
    left = int(min(map(_X0, ink)))
    right = int(max(map(_X1, ink))) + 1
    # How many lines have ink at each x (1-point bins): each line adds its merged
    # glyph spans to a difference array, so the cost is linear in glyphs and width.
    diff = [0] * (right - left + 2)
    for run in runs:
        start = end = -1
        for g in run:  # left to right
            if g.text.isspace():
                continue
            s, e = int(g.x0) - left, int(g.x1) - left + 1
            if s > end:
                if end >= 0:
                    diff[start] += 1
                    diff[end] -= 1
                start = s
            if e > end:
                end = e
        if end >= 0:
            diff[start] += 1
            diff[end] -= 1
    cover = []
    level = 0
    for d in diff[:-1]:
        level += d
        cover.append(level)
    limit = max(1, int(MAX_CROSSING * len(runs)))
    gutters: list[tuple[float, float]] = []
    start = None
    for i, n in enumerate(cover):
        if n <= limit and start is None:
            start = i
        elif n > limit and start is not None:
            if i - start >= MIN_GUTTER and start > 0:
                gutters.append((left + start, left + i))
            start = None
    return gutters


def _column(x: float, bounds: list[float]) -> int:
    for i in range(len(bounds) - 2, -1, -1):
        if x >= bounds[i]:
            return i
    return 0


def order_lines(lines: list[Line], runs: list[list[Glyph]]) -> list[Line]:
    """Lines (top to bottom, each built from the glyph run beside it) in reading order:
    column by column where the page has columns, else unchanged."""
    if len(lines) < MIN_LINES:
        return lines
    gutters = _gutters(runs)
    if not gutters:
        return lines
    ink = _ink(runs)
    bounds = [min(map(_X0, ink))]
    bounds += [(a + b) / 2 for a, b in gutters]
    bounds.append(max(map(_X1, ink)))
    n_cols = len(bounds) - 1
    chars = [0] * n_cols
    for g in ink:
        chars[_column((g.x0 + g.x1) / 2, bounds)] += 1
    if any(
        n / len(ink) < MIN_SHARE or bounds[i + 1] - bounds[i] < MIN_COLUMN_WIDTH
        for i, n in enumerate(chars)
    ):
        return lines
    out: list[Line] = []
    band: list[list[Line]] = [[] for _ in range(n_cols)]

    def flush() -> None:
        for col in band:
            out.extend(col)
            col.clear()

    for line, run in zip(lines, runs, strict=True):
        crossed = [(a, b) for a, b in gutters if line.x0 < b and line.x1 > a]
        # A line runs through a gutter when its ink does, unbroken over the gutter's middle
        # (two pieces set apart at the gutter, such as two boxes' titles, do not).
        if (
            crossed
            and any(f.x0 < (a + b) / 2 < f.x1 for f in line.fragments for a, b in crossed)
            and any(
                a < g.x0 < b or a < g.x1 < b
                for g in run
                if not g.text.isspace()
                for a, b in crossed
            )
        ):
            flush()  # a line through a gutter spans the columns: it closes the band
            out.append(line)
            continue
        if not run or _column(line.x0, bounds) == _column(line.x1, bounds):
            band[_column((line.x0 + line.x1) / 2, bounds)].append(line)
            continue
        by_fragment: dict[int, list[Fragment]] = {}
        for f in line.fragments:
            c = _column(f.x0, bounds)
            if c != _column(f.x1, bounds):
                break  # a fragment runs over a narrow gutter: split it by glyphs
            by_fragment.setdefault(c, []).append(f)
        else:
            for c, frags in by_fragment.items():
                band[c].append(fragments_to_line(frags, line))
            continue
        pieces: dict[int, list[Glyph]] = {}
        for g in run:
            pieces.setdefault(_column((g.x0 + g.x1) / 2, bounds), []).append(g)
        for c, glyphs in pieces.items():
            piece = glyphs_to_line(glyphs)
            if piece is not None:
                band[c].append(piece)
    flush()
    return out
