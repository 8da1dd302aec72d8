"""Glyphs to lines, and lines to text: the text half of the PDF reader.

Lines inside one table cell or one paragraph are joined by one rule, used
everywhere so a cell reads the same as a paragraph:

- a line that starts with a list marker ("•", "-", "1.", "(a)") starts a new
  item, so it is joined with "\\n";
- a vertical gap clearly wider than the line pitch is a paragraph break: "\\n";
- a line that ended early although the next line's first word would have
  fitted on it was broken by hand (a new paragraph, or a second lead in a
  "Lead" cell): "\\n", when the next line also looks like a start (capital,
  digit, bracket or quote) or the line ended a sentence; two lines that are
  each a single figure are always two values;
- anything else is a plain wrap: a space, or nothing after a word that was
  hyphenated at the end of the line ("decision-" + "making").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from planx.extractors.colours import colour_runs, is_neutral_colour

# A gap between two glyphs wider than this share of the font size separates
# words when the PDF has no space glyph; wider than FRAGMENT_GAP it separates
# fragments (table columns, a page number beside a footer).
WORD_GAP = 0.15
FRAGMENT_GAP = 1.2
SPACE_WIDTH = 0.28  # typical space width as a share of the font size
PARAGRAPH_GAP = 0.4  # extra space between lines, in font sizes, that ends a paragraph

BULLET_CHARS = "•◦▪▫■□●○◆◇►▸▹‣⁃∙·*➢➤✓✔❖◼◻\uf0b7\uf0a7\uf0a8\uf0d8\uf076\uf0fc\uf0e8\uf06e\uf0d9"
_MARKER_RE = re.compile(
    r"^(?:[" + re.escape(BULLET_CHARS) + r"\-–—]"
    r"|\(?\d{1,3}[.)]|\(?[a-z][.)]|\([A-Za-z]\)|\(?[ivxlc]{1,6}[.)]|\([IVXLC]{1,6}\))"
    r"(?=\s|$)"
)
_SYMBOL_FONT_RE = re.compile(r"symbol|wingding|dingbat|courier|mono", re.I)
_START_RE = re.compile(r"^[A-Z0-9(\[\"'‘“•]")
_SENTENCE_END_RE = re.compile(r"[.:;!?)]$")
_NUMBER_RE = re.compile(r"[-+(£$€]?\d[\d,.]*%?\)?")
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u00ad": "",
    }
)


class Glyph(NamedTuple):
    """One character as painted: box, text, size, font and fill colour, in a frame with a
    top-left origin. A page's characters come in the page's frame (`objects.Char`); the
    reader uses them as they are when the text reads left to right, and makes turned
    copies (new box, same rest) when it runs another way. A tuple: pages have thousands."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float  # the box's height for horizontal text, as pdfminer measures it
    bold: bool  # the font's name says so ("Bold", "Black", "Heavy")
    font: str  # the font's name ("Arial-BoldMT")
    colour: str | None = None  # "#RRGGBB" fill of the glyph; None for black, white or unknown
    italic: bool = False  # the font's name says so ("Italic", "Oblique")
    upright: bool = True  # runs left to right on the page as displayed
    matrix: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 1.0)  # direction: a, b, c, d


@dataclass(slots=True)
class Fragment:
    """Part of a line set apart by a wide gap (a column, a page number)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float
    bold: bool
    n_words: int
    colours: dict[str | None, int] = field(default_factory=dict)  # glyphs by colour
    colour_runs: tuple[tuple[str, str], ...] = ()  # text printed in a colour, in order


@dataclass(slots=True)
class Line:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float  # the commonest glyph size on the line
    bold: bool  # most glyphs bold
    first_word_width: float
    fragments: list[Fragment]
    symbol_start: bool  # first glyph in a symbol or monospace font ("o" bullets)
    box: int = -1  # the drawn box (of boxes side by side) the line sits in; -1 for none

    @property
    def colours(self) -> dict[str | None, int]:
        """The line's glyphs counted by colour."""
        return merge_counts(f.colours for f in self.fragments)

    @property
    def colour_runs(self) -> tuple[tuple[str, str], ...]:
        """The line's text printed in a colour, in order."""
        return tuple(run for f in self.fragments for run in f.colour_runs)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def merge_counts(counts: Iterable[dict[str | None, int]]) -> dict[str | None, int]:
    """Several colour counts added up."""
    out: dict[str | None, int] = {}
    for count in counts:
        for colour, n in count.items():
            out[colour] = out.get(colour, 0) + n
    return out


def is_bold_font(fontname: str) -> bool:
    lowered = fontname.lower()
    return "bold" in lowered or "black" in lowered or "heavy" in lowered


def clean_text(text: str) -> str:
    return text.translate(_LIGATURES)


def list_marker(line: Line) -> str | None:
    """The list label a line starts with ("•", "1.", "(a)"), or None."""
    first = line.fragments[0].text if line.fragments else line.text
    m = _MARKER_RE.match(first)
    if m:
        return m.group(0)
    # Word's second-level bullet is a plain "o" set in Courier or Symbol.
    if line.symbol_start and (first == "o" or first.startswith("o ")):
        return "o"
    return None


_X0, _X1, _TOP, _BOTTOM = (
    attrgetter("x0"),
    attrgetter("x1"),
    attrgetter("top"),
    attrgetter("bottom"),
)


def glyphs_to_rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into physical lines (top to bottom), each sorted left to right."""
    if not glyphs:
        return []
    # Sorted by each glyph's top + bottom, worked out once (not by a key call per glyph).
    sums = [g.top + g.bottom for g in glyphs]
    order = sorted(range(len(glyphs)), key=sums.__getitem__)
    rows: list[list[Glyph]] = []
    current: list[Glyph] = []
    ref = tol = 0.0
    for i in order:
        g = glyphs[i]
        mid = sums[i] / 2
        if current and mid - ref <= tol:
            current.append(g)
            continue
        if current:
            rows.append(current)
        current = [g]
        ref = mid
        tol = max(1.0, 0.5 * (g.bottom - g.top))
    rows.append(current)
    for row in rows:
        row.sort(key=_X0)
    return rows


_SIZE, _BOLD, _COLOUR = attrgetter("size"), attrgetter("bold"), attrgetter("colour")


_GAP = " "  # a word gap in a fragment's text pieces (a glyph's text is never blank)


def _fragment(glyphs: list[Glyph], texts: list[str]) -> Fragment:
    """One fragment from its glyphs in order and its text pieces (each glyph's text, and
    `_GAP` where a word gap falls). The sums are taken over the whole list at once (C
    loops through `map`), not glyph by glyph."""
    first = glyphs[0]
    text = "".join(texts).strip()
    colours = dict(Counter(map(_COLOUR, glyphs)))
    coloured = any(c and not is_neutral_colour(c) for c in colours)
    return Fragment(
        first.x0,
        max(map(_X1, glyphs)),
        min(map(_TOP, glyphs)),
        max(map(_BOTTOM, glyphs)),
        clean_text(text),
        round(first.size * 2) / 2,
        sum(map(_BOLD, glyphs)) * 2 > len(glyphs),
        len(text.split()),
        colours,
        # Most fragments have no coloured glyph: no need to look at each piece.
        colour_runs(_coloured_pieces(glyphs, texts)) if coloured else (),
    )


def _coloured_pieces(glyphs: list[Glyph], texts: list[str]) -> Iterator[tuple[str, str | None]]:
    """Each text piece of a fragment with its glyph's colour; no colour at a word gap."""
    inked = iter(glyphs)
    for t in texts:
        if t == _GAP:
            yield t, None
        else:
            g = next(inked)
            yield g.text, g.colour


def glyphs_to_line(glyphs: list[Glyph]) -> Line | None:
    """One line from glyphs sorted left to right; None when it is only spaces."""
    pieces: list[tuple[list[Glyph], list[str]]] = []  # each fragment's glyphs and texts
    current: list[Glyph] = []
    texts: list[str] = []
    prev: Glyph | None = None
    prev_x1 = prev_size = 0.0
    pending_space = False
    first_word_x1: float | None = None
    fragment_gap, word_gap = FRAGMENT_GAP, WORD_GAP
    for g in glyphs:
        text = g.text
        if not text or text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            gap = g.x0 - prev_x1
            size = g.size
            size = size if size > prev_size else prev_size
            if size < 1.0:
                size = 1.0
            if gap > fragment_gap * size:
                pieces.append((current, texts))
                current, texts = [], []
                if first_word_x1 is None:
                    first_word_x1 = prev_x1
            elif pending_space or gap > word_gap * size:
                texts.append(_GAP)
                if first_word_x1 is None:
                    first_word_x1 = prev_x1
            elif text == prev.text and _painted_twice(g, prev):  # text first: cheap
                continue
        current.append(g)
        texts.append(text)
        prev, prev_x1, prev_size = g, g.x1, g.size
        pending_space = False
    if prev is None:
        return None
    pieces.append((current, texts))
    inked = [g for piece, _ in pieces for g in piece] if len(pieces) > 1 else current
    return _line_of(
        [_fragment(piece, piece_texts) for piece, piece_texts in pieces],
        Counter(map(_SIZE, inked)),
        sum(map(_BOLD, inked)) * 2 > len(inked),
        first_word_x1,
        bool(_SYMBOL_FONT_RE.search(inked[0].font)),
    )


def _painted_twice(g: Glyph, prev: Glyph) -> bool:
    """The same glyph painted twice at (nearly) the same place: fake bold."""
    return (
        g.text == prev.text
        and abs(g.x0 - prev.x0) < min(1.0, 0.3 * (prev.x1 - prev.x0))
        and abs(g.top - prev.top) < 1.0
    )


def _line_of(
    fragments: list[Fragment],
    sizes: Counter[float],
    bold: bool,
    first_word_x1: float | None,
    symbol_start: bool,
) -> Line:
    """The line its fragments make."""
    x0 = fragments[0].x0
    x1 = max(f.x1 for f in fragments)
    return Line(
        x0=x0,
        x1=x1,
        top=min(f.top for f in fragments),
        bottom=max(f.bottom for f in fragments),
        text=" ".join(f.text for f in fragments),
        size=round(sizes.most_common(1)[0][0] * 2) / 2,
        bold=bold,
        first_word_width=(first_word_x1 if first_word_x1 is not None else x1) - x0,
        fragments=fragments,
        symbol_start=symbol_start,
    )


def fragments_to_line(fragments: list[Fragment], template: Line) -> Line:
    """A line rebuilt from some of its fragments (after dropping a page number)."""
    first = fragments[0]
    words = first.text.split()
    width = first.x1 - first.x0
    first_word = width * len(words[0]) / max(1, len(first.text)) if words else width
    return Line(
        x0=first.x0,
        x1=max(f.x1 for f in fragments),
        top=min(f.top for f in fragments),
        bottom=max(f.bottom for f in fragments),
        text=" ".join(f.text for f in fragments),
        size=template.size,
        bold=template.bold,
        first_word_width=first_word,
        fragments=fragments,
        symbol_start=template.symbol_start and first is template.fragments[0],
        box=template.box,
    )


def break_kind(prev: Line, nxt: Line, left: float, right: float, pitch: float) -> str:
    """Why two consecutive lines of one cell or paragraph are apart.

    "marker" (the next line starts a list item), "gap" (a paragraph gap),
    "hard" (broken by hand: the next word would have fitted), "hyphen" (a word
    hyphenated over the lines) or "wrap". `left`/`right` bound the text column
    (a cell's inner edges, or the page's text margins); `pitch` is the normal
    distance between line tops.
    """
    if list_marker(nxt) is not None:
        return "marker"
    gap = nxt.top - prev.bottom
    normal_gap = max(0.0, pitch - prev.height)
    if gap > normal_gap + PARAGRAPH_GAP * max(prev.size, 1.0):
        return "gap"
    if _NUMBER_RE.fullmatch(prev.text) and _NUMBER_RE.fullmatch(nxt.text):
        return "hard"  # stacked figures are separate values; a number never wraps
    space = SPACE_WIDTH * prev.size
    would_fit = (prev.x1 - max(left, min(prev.x0, nxt.x0))) + space + nxt.first_word_width
    if would_fit < (right - left) - 0.5 and (
        _START_RE.match(nxt.text) or _SENTENCE_END_RE.search(prev.text)
    ):
        return "hard"
    if prev.text.endswith("-") and not prev.text.endswith(" -") and nxt.text[:1].islower():
        return "hyphen"
    return "wrap"


_JOINERS = {"marker": "\n", "gap": "\n", "hard": "\n", "hyphen": "", "wrap": " "}


def break_between(prev: Line, nxt: Line, left: float, right: float, pitch: float) -> str:
    """The text that joins two consecutive lines: "\\n", "" or " "."""
    return _JOINERS[break_kind(prev, nxt, left, right, pitch)]


def lines_to_text(lines: list[Line], left: float, right: float) -> str:
    """Join lines of one cell (or paragraph) by the rule in the module docstring."""
    if not lines:
        return ""
    pitch = typical_pitch(lines)
    out = [lines[0].text]
    for prev, nxt in zip(lines, lines[1:], strict=False):
        out.append(break_between(prev, nxt, left, right, pitch))
        out.append(nxt.text)
    return "".join(out).strip()


def typical_pitch(lines: list[Line]) -> float:
    """The usual top-to-top distance of consecutive lines (their font size when alone)."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top)
    if not steps:
        return 1.2 * max((ln.size for ln in lines), default=10.0)
    return steps[len(steps) // 4]  # a low quantile: paragraph gaps must not count
