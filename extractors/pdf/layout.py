"""Pages of lines and table pieces to the document's blocks, in reading order.

Per page, top to bottom: text lines become headings, paragraphs and list
items; table pieces become tables, joined with their continuation on the next
page. Running headers, footers and page numbers are dropped first.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from planx.extractors.pdf.join import can_continue, join_chain, part_to_table
from planx.extractors.pdf.page import PageContent
from planx.extractors.pdf.tables import TablePart
from planx.extractors.pdf.text import (
    Line,
    break_kind,
    fragments_to_line,
    list_marker,
    typical_pitch,
)
from planx.schemas.layout import Block, LayoutProvenance, Table

MARGIN_BAND = 0.15  # top and bottom share of a page where running text lives
RUNNING_SHARE = 0.5  # a line on at least this share of pages (same place) is running text
HEADING_RATIO = 1.12  # font size over body size that makes a heading
MAX_HEADING_WORDS = 25
MAX_HEADING_LINES = 3
FOOTNOTE_RATIO = 0.8  # text at most this share of the body size, at a page's foot, is small print

PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|[-–—]\s*\d+\s*[-–—]"
    r"|\d+\s*\|\s*page|page\s*\|\s*\d+|p\.\s*\d+)$",
    re.I,
)
BARE_NUMBER_RE = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$", re.I)
N_OF_M_RE = re.compile(r"^(\d{1,4})\s*(?:of|/)\s*(\d{1,4})$", re.I)  # "3 of 12", "3/12"
BLANK_PAGE_RE = re.compile(
    r"^(?:this\s+page\s+(?:is\s+|has\s+been\s+)?(?:intentionally\s+)?(?:been\s+)?left\s+"
    r"(?:intentionally\s+)?blank|(?:this\s+page\s+(?:is\s+)?)?intentionally\s+(?:left\s+)?blank)"
    r"[.!]?$",
    re.I,
)


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).casefold())


def _band(top: float, bottom: float, height: float) -> tuple[str, int] | None:
    if bottom <= MARGIN_BAND * height:
        return "top", round(top / 6)
    if top >= (1 - MARGIN_BAND) * height:
        return "bottom", round((height - bottom) / 6)
    return None


def drop_running_text(pages: list[PageContent]) -> None:
    """Remove page numbers, "intentionally blank" notes and lines repeated at the same
    place on most pages (headers and footers), in place."""
    seen: defaultdict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            for frag in line.fragments:
                band = _band(frag.top, frag.bottom, page.height)
                if band:
                    seen[(_norm(frag.text), *band)].add(page.number)
    n = len(pages)
    threshold = max(2, math.ceil(RUNNING_SHARE * n)) if n >= 2 else n + 1

    def running(text: str, top: float, bottom: float, height: float) -> bool:
        text = text.strip()
        if PAGE_NUMBER_RE.match(text) or BLANK_PAGE_RE.match(text):
            return True
        band = _band(top, bottom, height)
        if band is None:
            return False
        if BARE_NUMBER_RE.match(text):
            return True
        n_of_m = N_OF_M_RE.match(text)
        if n_of_m and int(n_of_m.group(1)) <= int(n_of_m.group(2)):
            return True  # not "2017/18"
        return len(seen[(_norm(text), *band)]) >= threshold

    for page in pages:
        kept: list[Line] = []
        for line in page.lines:
            if running(line.text, line.top, line.bottom, page.height):
                continue
            frags = [f for f in line.fragments if not running(f.text, f.top, f.bottom, page.height)]
            if len(frags) == len(line.fragments):
                kept.append(line)
            elif frags:
                kept.append(fragments_to_line(frags, line))
        page.lines = kept


@dataclass
class _Proto:
    """A text block being built."""

    kind: str  # "heading" | "paragraph" | "list_item"
    page: int
    lines: list[Line] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    label: str | None = None
    indent: float = 0.0  # x where the item's marker sits
    level: int | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            round(min(ln.x0 for ln in self.lines), 2),
            round(min(ln.top for ln in self.lines), 2),
            round(max(ln.x1 for ln in self.lines), 2),
            round(max(ln.bottom for ln in self.lines), 2),
        )

    @property
    def text(self) -> str:
        return "".join(self.texts).strip()


class _Styles:
    """Document-wide measures: body font size, text margins per page width, foot of text."""

    def __init__(self, pages: list[PageContent]):
        sizes: Counter[float] = Counter()
        for page in pages:
            for line in page.lines:
                sizes[line.size] += len(line.text)
        if not sizes:
            for page in pages:
                for part in page.tables:
                    sizes[10.0] += len(part.origins)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 10.0
        body = [ln for page in pages for ln in page.lines if abs(ln.size - self.body_size) < 1]
        ink = sum(len(ln.text) for ln in body)
        # When the body itself is set in bold, bold says nothing about headings.
        self.bold_body = ink > 0 and sum(len(ln.text) for ln in body if ln.bold) * 2 > ink
        rights: defaultdict[int, list[float]] = defaultdict(list)
        feet: defaultdict[int, float] = defaultdict(float)
        for page in pages:
            key = round(page.width)
            for line in page.lines:
                if abs(line.size - self.body_size) < 1:
                    rights[key].append(line.x1)
            bottoms = [ln.bottom for ln in page.lines] + [p.bbox[3] for p in page.tables]
            if bottoms:
                hk = round(page.height)
                feet[hk] = max(feet[hk], max(bottoms))
        self._right = {k: sorted(v)[int(0.9 * (len(v) - 1))] for k, v in rights.items()}
        self._feet = feet
        self._page_heights = {p.number: round(p.height) for p in pages}
        self._page_widths = {p.number: p.width for p in pages}

    def right_margin(self, page: PageContent) -> float:
        return self._right.get(round(page.width), page.width)

    def reaches_bottom(self, page: int, y: float) -> bool:
        foot = self._feet.get(self._page_heights.get(page, 0), 0.0)
        return y >= foot - 2.5 * self.body_size

    def is_large(self, line: Line) -> bool:
        return line.size >= self.body_size * HEADING_RATIO and line.size >= self.body_size + 1

    def is_heading_style(self, line: Line) -> bool:
        if self.is_large(line):
            return True
        return line.bold and not self.bold_body and line.size >= self.body_size - 0.6

    def heading_key(self, line: Line) -> tuple[float, bool]:
        return (round(line.size * 2) / 2, line.bold)


def _lines_to_protos(page: PageContent, lines: list[Line], styles: _Styles) -> list[_Proto]:
    """Consecutive lines (between tables) to headings, paragraphs and list items."""
    protos: list[_Proto] = []
    rights = _right_edges(lines, styles.right_margin(page))
    pitch = typical_pitch([ln for ln in lines if abs(ln.size - styles.body_size) < 1] or lines)
    cur: _Proto | None = None
    for i, line in enumerate(lines):
        right = rights[i - 1] if i else rights[0]
        marker = list_marker(line)
        heading = styles.is_heading_style(line) and (marker is None or styles.is_large(line))
        if heading:
            marker = None
        if cur is not None and cur.lines:
            prev = cur.lines[-1]
            same_style = abs(prev.size - line.size) < 0.6 and prev.bold == line.bold
            kind = break_kind(prev, line, min(prev.x0, line.x0), right, pitch)
            if prev.box != line.box:
                joins = False  # a box beside another is read whole, never run into the next
            elif cur.kind == "heading":
                joins = heading and same_style and kind not in ("gap", "marker")
            elif heading or marker is not None or not same_style or kind in ("gap", "marker"):
                joins = False
            elif cur.kind == "list_item":
                # Under the hanging indent the item goes on (a hard break stays a
                # line break); further left only a plain wrap continues it.
                indented = line.x0 > cur.indent + 2
                joins = indented or kind in ("wrap", "hyphen")
                if joins and kind == "hard":
                    kind = "newline"
            else:
                joins = kind != "hard"
            if joins:
                cur.texts.append(_SEPARATORS[kind])
                cur.texts.append(line.text)
                cur.lines.append(line)
                continue
        text = line.text
        kind_name = "heading" if heading else "list_item" if marker is not None else "paragraph"
        cur = _Proto(kind_name, page.number, [line], label=marker, indent=line.x0)
        if marker is not None:
            text = text[len(marker) :].lstrip() if text.startswith(marker) else text
        cur.texts.append(text)
        protos.append(cur)
    _list_levels(protos)
    return protos


def _right_edges(lines: list[Line], page_right: float) -> list[float]:
    """The right edge of the text column each line sits in: a high quantile of the
    right ends of the lines over or under it (a column of a multi-column page),
    or the page's text margin when there are too few of them."""
    out = []
    known: dict[tuple[int, int], float] = {}  # justified lines share their extents
    for line in lines:
        key = (round(line.x0), round(line.x1))
        if key not in known:
            ends = sorted(
                other.x1
                for other in lines
                if min(line.x1, other.x1) - max(line.x0, other.x0) > 0.5 * (line.x1 - line.x0)
            )
            known[key] = ends[int(0.9 * (len(ends) - 1))] if len(ends) >= 5 else page_right
        out.append(known[key])
    return out


_SEPARATORS = {
    "wrap": " ",
    "hyphen": "",
    "hard": "\n",
    "newline": "\n",
    "gap": "\n",
    "marker": "\n",
}


def _list_levels(protos: list[_Proto]) -> None:
    """Nesting level of list items by indentation within each run of items."""
    run: list[_Proto] = []
    for p in [*protos, None]:
        if p is not None and p.kind == "list_item":
            run.append(p)
            continue
        if run:
            stops: list[float] = []
            for x in sorted({round(q.indent) for q in run}):
                if not stops or x - stops[-1] > 4:
                    stops.append(x)
            for q in run:
                q.level = max(i for i, s in enumerate(stops) if round(q.indent) >= s - 4)
            run = []


def _continues_paragraph(prev: _Proto, line: Line, styles: _Styles) -> bool:
    """A paragraph or list item cut by a page break: same style, no marker, text runs on."""
    last = prev.lines[-1]
    if styles.is_heading_style(line) or list_marker(line):
        return False
    if prev.kind == "list_item" and line.x0 <= prev.indent + 2:
        return False  # an item runs on only under its hanging indent
    if prev.kind not in ("paragraph", "list_item"):
        return False
    if abs(last.size - line.size) >= 0.6 or last.bold != line.bold:
        return False
    text = prev.text
    return bool(text) and (text[-1] not in ".:;!?" or line.text[:1].islower())


def _without_footnotes(items: list[Line | TablePart], styles: _Styles) -> list[Line | TablePart]:
    """A page's items (top to bottom) without the small print at its foot.

    Footnotes start with a line set clearly smaller than the body text, and
    everything under them is as small (a table quoted in a note too); a table
    standing just above them still ends its page's body, so it may continue on
    the next page.
    """
    limit = FOOTNOTE_RATIO * styles.body_size
    start = len(items)
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        size = item.text_size if isinstance(item, TablePart) else item.size
        if not 0 < size <= limit:
            break
        if isinstance(item, Line):
            start = i  # the small print begins with a line, never with a table
    return items[:start]


def pages_to_blocks(
    pages: list[PageContent], source: str, *, drop_running: bool, max_cell_chars: int
) -> list[Block]:
    """The document's blocks from its pages: running text dropped, tables joined across
    pages, text and tables in reading order, headings levelled."""
    if drop_running:
        drop_running_text(pages)
    styles = _Styles(pages)
    chains = _TableChains(pages, styles)
    tables = chains.tables(pages, styles, source, max_cell_chars)
    entries = _reading_entries(pages, chains, styles)
    return _entries_to_blocks(entries, tables, styles, source)


class _TableChains:
    """Which table pieces continue the table at the foot of the previous page."""

    def __init__(self, pages: list[PageContent], styles: _Styles):
        self.chains: list[list[TablePart]] = []
        self.chain_of: dict[int, int] = {}  # id(part) -> its chain
        tail: TablePart | None = None
        for page in pages:
            items: list[tuple[float, object]] = [(ln.top, ln) for ln in page.lines]
            items += [(p.bbox[1], p) for p in page.tables]
            items.sort(key=lambda it: it[0])
            for part in page.tables:
                first = items[0][1] is part
                if first and tail is not None and can_continue(self.chain(tail), part):
                    idx = self.chain_of[id(tail)]
                    self.chains[idx].append(part)
                else:
                    idx = len(self.chains)
                    self.chains.append([part])
                self.chain_of[id(part)] = idx
            body = _without_footnotes([it for _, it in items], styles)
            last = body[-1] if body else None
            tail = last if isinstance(last, TablePart) else None

    def chain(self, part: TablePart) -> list[TablePart]:
        """The chain a piece belongs to."""
        return self.chains[self.chain_of[id(part)]]

    def starts(self, part: TablePart) -> bool:
        """Whether a piece is the first of its chain (where its table is placed)."""
        return self.chain(part)[0] is part

    def tables(
        self, pages: list[PageContent], styles: _Styles, source: str, max_cell_chars: int
    ) -> dict[int, Table]:
        """Each chain joined into one table, numbered in reading order; by chain."""
        order = [
            self.chain_of[id(part)] for page in pages for part in page.tables if self.starts(part)
        ]
        tables = {}
        for n, idx in enumerate(order):
            joined = join_chain(self.chains[idx], styles.reaches_bottom)
            tables[idx] = part_to_table(joined, n, source, max_cell_chars)
        return tables


Entry = _Proto | tuple[int, int]  # a text block, or (table chain, page number)


class _EntryWriter:
    """The document's entries in reading order; a paragraph that runs on over a page
    break or a table is joined to the one before."""

    def __init__(self, styles: _Styles):
        self.styles = styles
        self.entries: list[Entry] = []
        self.last_para: _Proto | None = None

    def flush(self, page: PageContent, run: list[Line], first_item: bool) -> None:
        """A run of lines between tables as text blocks."""
        if not run:
            return
        protos = _lines_to_protos(page, run, self.styles)
        head = protos[0] if protos else None
        if (
            first_item
            and head is not None
            and head.kind == "paragraph"
            and self.last_para is not None
            and _continues_paragraph(self.last_para, head.lines[0], self.styles)
        ):
            self.last_para.texts.append(" ")
            self.last_para.texts.extend(head.texts)
            self.last_para.lines.extend(head.lines)
            protos = protos[1:]
            if not protos:
                return
        self.entries.extend(protos)
        self.last_para = protos[-1] if protos else None


def _reading_entries(
    pages: list[PageContent], chains: _TableChains, styles: _Styles
) -> list[Entry]:
    """Reading order: per page, top to bottom, tables where they sit between text."""
    writer = _EntryWriter(styles)
    for page in pages:
        items = _reading_order(page)
        run: list[Line] = []
        first_item = True
        for item in items:
            if isinstance(item, TablePart):
                writer.flush(page, run, first_item)
                run = []
                if chains.starts(item):
                    writer.entries.append((chains.chain_of[id(item)], item.page))
                first_item = False
                writer.last_para = None
            else:
                run.append(item)
        writer.flush(page, run, first_item)
        if not items:
            writer.last_para = None
    return writer.entries


def _entries_to_blocks(
    entries: list[Entry], tables: dict[int, Table], styles: _Styles, source: str
) -> list[Block]:
    """The entries as blocks: tables in place, headings levelled (a long one is a paragraph)."""
    levels = _heading_levels([e for e in entries if isinstance(e, _Proto)], styles)
    blocks: list[Block] = []
    for e in entries:
        if isinstance(e, tuple):
            idx, page_no = e
            table = tables[idx]
            prov = LayoutProvenance(source, page_no, table.index, None, table.bbox)
            blocks.append(Block(kind="table", table=table, prov=prov))
            continue
        text = e.text
        if not text:
            continue
        kind = e.kind
        level = e.level
        if kind == "heading":
            if len(text.split()) > MAX_HEADING_WORDS or len(e.lines) > MAX_HEADING_LINES:
                kind, level = "paragraph", None
            else:
                level = levels.get(styles.heading_key(e.lines[0]), 3)
        blocks.append(
            Block(
                kind=kind,  # type: ignore[arg-type]
                text=text,
                level=level,
                bold=all(ln.bold for ln in e.lines),
                list_label=e.label,
                prov=LayoutProvenance(source, e.page, None, None, e.bbox),
                colour_runs=tuple(run for ln in e.lines for run in ln.colour_runs),
            )
        )
    return blocks


def _reading_order(page: PageContent) -> list[Line | TablePart]:
    """The page's lines (already in reading order) with each table placed before the
    first line below its top edge that shares its width."""
    out: list[Line | TablePart] = list(page.lines)
    for part in sorted(page.tables, key=lambda p: p.bbox[1]):
        x0, top, x1, _ = part.bbox
        at = next(
            (
                i
                for i, item in enumerate(out)
                if isinstance(item, Line) and item.top > top and item.x0 < x1 and item.x1 > x0
            ),
            len(out),
        )
        out.insert(at, part)
    return out


def _heading_levels(protos: list[_Proto], styles: _Styles) -> dict[tuple[float, bool], int]:
    """Level 1, 2, 3 by size rank (bold before regular at one size), capped at 3."""
    keys = {
        styles.heading_key(p.lines[0])
        for p in protos
        if p.kind == "heading"
        and len(p.text.split()) <= MAX_HEADING_WORDS
        and len(p.lines) <= MAX_HEADING_LINES
    }
    ranked = sorted(keys, key=lambda k: (-k[0], not k[1]))
    return {k: min(3, i + 1) for i, k in enumerate(ranked)}
