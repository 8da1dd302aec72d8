"""A small document model every sample renderer shares.

A plan module turns its truth into a `Document` (headings, paragraphs, lists and
grids); each renderer (PDF, DOCX, text, HTML, XLSX) draws the same `Document`, so
the formats of one plan show the same content and the same table grids.

Paragraph text may mark bold with ``**...**``; renderers turn that into their
own bold (the text export keeps the asterisks, as real exports do).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def runs_of(text: str) -> list[tuple[str, bool]]:
    """Split ``**bold**`` markup into (text, bold) runs."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in BOLD_RE.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def plain(text: str) -> str:
    """Text without bold markup."""
    return BOLD_RE.sub(r"\1", text)


@dataclass(frozen=True)
class CellPara:
    """One paragraph inside a table cell; a bullet item when ``bullet``."""

    text: str
    bullet: bool = False


@dataclass(frozen=True)
class GridCell:
    """The origin of a (possibly merged) cell. Covered cells are ``None`` in the grid."""

    paras: tuple[CellPara, ...] = ()
    fill: str | None = None  # "#RRGGBB"
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    value: object = None  # a typed value for spreadsheets (a date), else the text is used

    @property
    def text(self) -> str:
        return " ".join(" ".join(p.text.split()) for p in self.paras if p.text.strip())


def cell(
    *paras: str | CellPara,
    fill: str | None = None,
    rowspan: int = 1,
    colspan: int = 1,
    bold: bool = False,
    value: object = None,
) -> GridCell:
    """A cell from strings (one paragraph each) and/or `CellPara` items."""
    items = tuple(p if isinstance(p, CellPara) else CellPara(p) for p in paras if p != "")
    return GridCell(items, fill, rowspan, colspan, bold, value)


def bullets(*items: str) -> tuple[CellPara, ...]:
    return tuple(CellPara(t, bullet=True) for t in items)


@dataclass(frozen=True)
class Grid:
    """A table as a person sees it: rows of origin cells, ``None`` under merges."""

    name: str
    rows: tuple[tuple[GridCell | None, ...], ...]
    col_widths: tuple[float, ...]  # fractions of the frame width
    header_rows: int = 1
    repeat_header: bool = False  # header repeats on each page (PDF repeatRows, DOCX tblHeader)
    split_rows: bool = False  # a row may break across a page (PDF)
    font_size: float = 8.0
    row_keys: tuple[str | None, ...] = ()  # "action:3", "kpi:0", ... per row, for page look-ups
    txt_repeat_header_before: tuple[int, ...] = ()  # text export repeats the header here
    txt_rule: bool = False  # text export puts a '-----' line under the header
    xlsx_sheet: str = ""

    def __post_init__(self) -> None:
        n = len(self.col_widths)
        for r, row in enumerate(self.rows):
            if len(row) != n:
                raise ValueError(f"{self.name}: row {r} has {len(row)} cells, expected {n}")
        covered = {
            (r + i, c + j)
            for r, row in enumerate(self.rows)
            for c, gc in enumerate(row)
            if gc is not None
            for i in range(gc.rowspan)
            for j in range(gc.colspan)
            if (i, j) != (0, 0)
        }
        for r, row in enumerate(self.rows):
            for c, gc in enumerate(row):
                if (gc is None) != ((r, c) in covered):
                    raise ValueError(f"{self.name}: cell {r},{c} does not match the merges")

    @property
    def n_cols(self) -> int:
        return len(self.col_widths)

    def spans(self) -> list[list[int]]:
        return [
            [r, c, gc.rowspan, gc.colspan]
            for r, row in enumerate(self.rows)
            for c, gc in enumerate(row)
            if gc is not None and (gc.rowspan > 1 or gc.colspan > 1)
        ]

    def fills(self) -> dict[str, str]:
        return {
            f"{r},{c}": gc.fill
            for r, row in enumerate(self.rows)
            for c, gc in enumerate(row)
            if gc is not None and gc.fill
        }

    def header_labels(self, expand_merges: bool = True) -> list[str]:
        """One label per column, stacked header rows joined with ' / '. Without
        ``expand_merges`` (a text export) a merged label counts only where it starts."""
        labels = []
        for c in range(self.n_cols):
            parts: list[str] = []
            for r in range(self.header_rows):
                origin = self.origin_of(r, c) if expand_merges else self.rows[r][c]
                t = origin.text if origin is not None else ""
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
            labels.append(" / ".join(parts))
        return labels

    def origin_of(self, r: int, c: int) -> GridCell | None:
        for rr in range(r, -1, -1):
            for cc in range(c, -1, -1):
                gc = self.rows[rr][cc]
                if gc is not None and rr + gc.rowspan > r and cc + gc.colspan > c:
                    return gc
        return None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str  # may hold **bold** markup
    style: str = "body"  # body | title | subtitle | small


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class TableBlock:
    grid: Grid


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class SectionBreak:
    """A new page in a new orientation (a DOCX section, a PDF page template)."""

    landscape: bool


@dataclass(frozen=True)
class Card:
    """A KPI laid out as a card, as quarterly performance reports do: a title box, a RAG
    badge (the word in a filled box) with a direction-of-travel arrow, a trend chart, and
    a strip of labelled values under it."""

    key: str  # "kpi:3", for page look-ups
    title: str  # as printed in the title box, ref included
    badge: str  # the badge's word, e.g. "GREEN"
    badge_fill: str  # "#RRGGBB"
    arrow: str  # the direction-of-travel glyph beside the badge, e.g. "↑"
    strip: str  # "Latest: 97% | Target: 97%, Floor: 90% | Previous: 97% (Green)"
    trend: tuple[tuple[str, float], ...] = ()  # (period, value) bars of the chart
    unit: str = "%"

    @property
    def name(self) -> str:
        return f"card_{self.key.replace(':', '_')}"

    def grid(self) -> Grid:
        """The card as a word processor lays it out: a small table (title over badge and
        chart, strip under them)."""
        trend = " ".join(f"{v:g}{self.unit}" for _, v in self.trend)
        return Grid(
            name=self.name,
            rows=(
                (cell(self.title, fill=CARD_TITLE_FILL, bold=True, colspan=2), None),
                (
                    cell(f"{self.badge} {self.arrow}".strip(), fill=self.badge_fill, bold=True),
                    cell(f"Trend over the last four quarters {trend}".strip()),
                ),
                (cell(self.strip, colspan=2), None),
            ),
            col_widths=(0.3, 0.7),
            header_rows=1,  # the title box heads the card
            font_size=10,
            row_keys=(self.key, None, None),
        )


@dataclass(frozen=True)
class CardGrid:
    """Cards, two to a page: drawn as boxes and text in a PDF, one small table each in a
    word processor."""

    cards: tuple[Card, ...]


Block = Heading | Para | ListBlock | TableBlock | PageBreak | SectionBreak | CardGrid


@dataclass(frozen=True)
class Document:
    stem: str
    title: str
    author: str
    subject: str
    landscape: bool
    header: str  # running header text, every page
    footer: str  # running footer text before "Page N"
    created: dt.datetime
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def grids(self) -> list[Grid]:
        return [b.grid for b in self.blocks if isinstance(b, TableBlock)]

    @property
    def cards(self) -> list[Card]:
        return [c for b in self.blocks if isinstance(b, CardGrid) for c in b.cards]

    @property
    def docx_grids(self) -> list[Grid]:
        """Every table a word processor shows, cards included, in document order."""
        out: list[Grid] = []
        for b in self.blocks:
            if isinstance(b, TableBlock):
                out.append(b.grid)
            elif isinstance(b, CardGrid):
                out += [c.grid() for c in b.cards]
        return out


HEADER_FILL = "#D9D9D9"  # grey header rows
CARD_TITLE_FILL = "#DEEAF6"  # a KPI card's title box
BAND_FILL = "#DEEAF6"  # pale blue title/theme rows


def header_row(*labels: str) -> tuple[GridCell, ...]:
    return tuple(cell(t, fill=HEADER_FILL, bold=True) for t in labels)
