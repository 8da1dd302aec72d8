"""Word (.docx) reader: paragraphs, headings, numbered lists and tables in body order.

python-docx opens the package; the body, styles and numbering are then read
from their XML, because merged cells, shading, list numbers and content
controls (w:sdt) are not in python-docx's object model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from planx.extractors._grid import GridCell, cells_to_rows, guess_header_rows
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.colours import colour_runs, dominant_text_colour, normalise_colour
from planx.extractors.html_text import rows_to_text
from planx.extractors.numbering import bullet_symbol, format_number
from planx.extractors.text_cleanup import (
    clip_text,
    looks_like_heading,
    normalise_space,
    truncation_warning,
)
from planx.extractors.zip_safety import check_package
from planx.schemas.layout import Block, LayoutDocument, LayoutProvenance, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Wrappers whose children are ordinary body content (content controls, custom XML,
# tracked insertions/moves at block level).
_CONTAINERS = {
    W + "sdt",
    W + "sdtContent",
    W + "customXml",
    W + "ins",
    W + "moveTo",
    W + "smartTag",
}
# Never part of the visible text of a paragraph.
_TEXT_SKIP = {
    W + "pPr",
    W + "rPr",
    W + "del",
    W + "moveFrom",
    W + "delText",
    W + "instrText",
    W + "txbxContent",
    W + "sdtPr",
    W + "sdtEndPr",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    MC + "Fallback",
}
_HEADING_NAME = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_OFF = {"0", "false", "off", "none"}


def _on(el: etree._Element | None) -> bool | None:
    """A Word on/off property: None when absent, else its value (absent val = on)."""
    if el is None:
        return None
    return (el.get(W + "val") or "true").lower() not in _OFF


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    num: tuple[str, int | None] | None  # (numId, ilvl) from the style's numPr
    outline: int | None
    colour: str | None = None  # the font colour the style sets (rPr/color), "" for automatic


class _Styles:
    """Style look-ups that follow the basedOn chain."""

    def __init__(self, root: etree._Element | None):
        self.by_id: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.default_bold = False
        if root is None:
            return
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}b")
        self.default_bold = bool(_on(defaults))
        for st in root.iter(W + "style"):
            sid = st.get(W + "styleId")
            if not sid:
                continue
            name_el = st.find(W + "name")
            based = st.find(W + "basedOn")
            num_pr = st.find(f"{W}pPr/{W}numPr")
            num = None
            if num_pr is not None and num_pr.find(W + "numId") is not None:
                ilvl = num_pr.find(W + "ilvl")
                num = (
                    num_pr.find(W + "numId").get(W + "val", "0"),
                    _int(ilvl.get(W + "val"), 0) if ilvl is not None else None,
                )
            outline = st.find(f"{W}pPr/{W}outlineLvl")
            self.by_id[sid] = _Style(
                name=(name_el.get(W + "val") if name_el is not None else sid) or sid,
                based_on=based.get(W + "val") if based is not None else None,
                bold=_on(st.find(f"{W}rPr/{W}b")),
                num=num,
                outline=_int(outline.get(W + "val"), 9) if outline is not None else None,
                colour=_font_colour(st.find(W + "rPr")),
            )
            if st.get(W + "type") == "paragraph" and st.get(W + "default") in ("1", "true"):
                self.default_paragraph = sid

    def chain(self, sid: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 20:
            seen.add(sid)
            out.append(self.by_id[sid])
            sid = self.by_id[sid].based_on
        return out

    def bold(self, sid: str | None) -> bool | None:
        for st in self.chain(sid):
            if st.bold is not None:
                return st.bold
        return None

    def colour(self, sid: str | None) -> str | None:
        """The font colour a style sets or inherits; None for automatic (black)."""
        for st in self.chain(sid):
            if st.colour is not None:
                return st.colour or None
        return None

    def num(self, sid: str | None) -> tuple[str, int | None] | None:
        for st in self.chain(sid):
            if st.num is not None:
                return st.num
        return None

    def heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            name = st.name.strip().lower()
            if name == "title":
                return 1
            if m := _HEADING_NAME.fullmatch(name):
                return max(1, int(m.group(1)))
            if st.outline is not None and st.outline < 9:
                return st.outline + 1
        return None


# ---------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int
    restart: int | None  # restart after this (1-based) level; 0 = never
    legal: bool


@dataclass
class _Numbering:
    """Word's list numbering: definitions from numbering.xml and the running counters."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> levels
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, tuple[int | None, _Level | None]]] = field(default_factory=dict)
    counters: dict[object, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, root: etree._Element | None, styles: _Styles) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        style_links: dict[str, str] = {}
        for ab in root.findall(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId", "")
            numbering.levels[aid] = {
                _int(lvl.get(W + "ilvl"), 0): _read_level(lvl) for lvl in ab.findall(W + "lvl")
            }
            link = ab.find(W + "numStyleLink")
            if link is not None and link.get(W + "val"):
                style_links[aid] = link.get(W + "val")
        for num in root.findall(W + "num"):
            nid = num.get(W + "numId", "")
            ab = num.find(W + "abstractNumId")
            if ab is None:
                continue
            numbering.nums[nid] = ab.get(W + "val", "")
            ov: dict[int, tuple[int | None, _Level | None]] = {}
            for o in num.findall(W + "lvlOverride"):
                start = o.find(W + "startOverride")
                lvl = o.find(W + "lvl")
                ov[_int(o.get(W + "ilvl"), 0)] = (
                    _int(start.get(W + "val"), 1) if start is not None else None,
                    _read_level(lvl) if lvl is not None else None,
                )
            if ov:
                numbering.overrides[nid] = ov
        # An abstract list that only points at a numbering style takes that style's list.
        for aid, style_id in style_links.items():
            target = styles.num(style_id)
            if target and target[0] in numbering.nums:
                numbering.levels[aid] = numbering.levels.get(numbering.nums[target[0]], {})
        return numbering

    def _level(self, nid: str, ilvl: int) -> _Level | None:
        ov = self.overrides.get(nid, {}).get(ilvl)
        if ov and ov[1] is not None:
            return ov[1]
        return self.levels.get(self.nums.get(nid, ""), {}).get(ilvl)

    def _start(self, nid: str, ilvl: int) -> int:
        ov = self.overrides.get(nid, {}).get(ilvl)
        if ov and ov[0] is not None:
            return ov[0]
        level = self._level(nid, ilvl)
        return level.start if level else 1

    def next_label(self, nid: str, ilvl: int) -> str | None:
        """The label Word draws for the next paragraph of list `nid` at `ilvl`
        (None when the list is not defined). Advances the counters."""
        if nid not in self.nums:
            return None
        level = self._level(nid, ilvl)
        if level is None:
            return None
        # Lists that share a definition continue one another unless one restarts it.
        key: object = nid if nid in self.overrides else ("abstract", self.nums[nid])
        counts = self.counters.setdefault(key, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else self._start(nid, ilvl)
        for deeper in [k for k in counts if k > ilvl]:
            deeper_level = self._level(nid, deeper)
            if deeper_level is None or deeper_level.restart != 0:
                del counts[deeper]
        if level.fmt == "bullet":
            return bullet_symbol(level.text)
        if level.fmt == "none":
            return level.text.strip() or None

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = self._level(nid, k)
            n = counts.get(k, self._start(nid, k))
            fmt = "decimal" if (level.legal and k < ilvl) or lv is None else lv.fmt
            return format_number(n, fmt)

        return re.sub(r"%([1-9])", number, level.text).strip() or None


def _read_level(lvl: etree._Element) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(W + tag)
        return el.get(W + "val") if el is not None else None

    restart = val("lvlRestart")
    return _Level(
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        start=_int(val("start"), 1),
        restart=_int(restart, 1) if restart is not None else None,
        legal=bool(_on(lvl.find(W + "isLgl"))),
    )


# ---------------------------------------------------------------- paragraphs


@dataclass
class _Para:
    text: str
    bold: bool
    heading: int | None
    label: str | None
    ilvl: int
    boxes: list[etree._Element]  # text boxes anchored in the paragraph
    colour_runs: tuple[tuple[str, str], ...] = ()


class _Reader:
    def __init__(
        self, source: str, styles: _Styles, numbering: _Numbering, settings: ExtractSettings
    ):
        self.source = source
        self.styles = styles
        self.numbering = numbering
        self.settings = settings
        self.blocks: list[Block] = []
        self.n_tables = 0
        self.n_truncated = 0

    # -- body

    def read(self, container: etree._Element) -> None:
        for el in _content(container):
            if el.tag == W + "p":
                self._paragraph_block(el)
            elif el.tag == W + "tbl":
                pending = [el]
                while pending:  # a table, then the tables nested in it
                    tbl = pending.pop(0)
                    pending[0:0] = self._table_block(tbl)

    def _paragraph_block(self, p: etree._Element) -> None:
        para = self._paragraph(p)
        text = para.text
        prov = LayoutProvenance(source=self.source)
        if text:
            if para.heading is not None:
                if para.label:
                    text = f"{para.label} {text}"
                block = Block(
                    "heading",
                    text,
                    level=para.heading,
                    bold=para.bold,
                    list_label=para.label,
                    prov=prov,
                    colour_runs=para.colour_runs,
                )
            elif para.label is not None:
                block = Block(
                    "list_item",
                    text,
                    level=para.ilvl,
                    bold=para.bold,
                    list_label=para.label,
                    prov=prov,
                    colour_runs=para.colour_runs,
                )
            elif looks_like_heading(text, bold=para.bold):
                block = Block(
                    "heading", text, level=3, bold=True, prov=prov, colour_runs=para.colour_runs
                )
            else:
                block = Block(
                    "paragraph", text, bold=para.bold, prov=prov, colour_runs=para.colour_runs
                )
            self.blocks.append(block)
        for box in para.boxes:
            self.read(box)

    def _paragraph(self, p: etree._Element) -> _Para:
        ppr = p.find(W + "pPr")
        style_el = ppr.find(W + "pStyle") if ppr is not None else None
        sid = style_el.get(W + "val") if style_el is not None else self.styles.default_paragraph
        para_bold = self.styles.bold(sid)
        if para_bold is None:
            para_bold = self.styles.default_bold
        segments: list[tuple[str, bool]] = []
        boxes: list[etree._Element] = []
        self._walk(p, segments, boxes, para_bold, bold=para_bold)
        raw = "".join(t for t, _ in segments)
        text = normalise_space(raw)
        inked = [b for t, b in segments if t.strip()]
        bold = bool(inked) and all(inked)
        # An empty numbered paragraph still takes a number in Word.
        label, ilvl = self._list_label(ppr, sid)
        runs = colour_runs(_run_pieces(p, self.styles))
        return _Para(text, bold, self.styles.heading_level(sid), label, ilvl, boxes, runs)

    def _list_label(self, ppr: etree._Element | None, sid: str | None) -> tuple[str | None, int]:
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        style_num = self.styles.num(sid)
        nid: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            nid_el, ilvl_el = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
            nid = nid_el.get(W + "val") if nid_el is not None else None
            ilvl = _int(ilvl_el.get(W + "val"), 0) if ilvl_el is not None else None
        if nid is None and style_num is not None:
            nid = style_num[0]
        if ilvl is None:
            ilvl = style_num[1] if style_num and style_num[1] is not None else 0
        if not nid or nid == "0":
            return None, 0
        ilvl = max(0, min(ilvl, 8))
        return self.numbering.next_label(nid, ilvl), ilvl

    def _walk(
        self,
        el: etree._Element,
        out: list[tuple[str, bool]],
        boxes: list[etree._Element],
        para_bold: bool,
        *,
        bold: bool,
    ) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "txbxContent":
                boxes.append(child)
                continue
            if tag in _TEXT_SKIP or not isinstance(tag, str):
                continue
            if tag == W + "r":
                self._walk(child, out, boxes, para_bold, bold=self._run_bold(child, para_bold))
            elif tag == W + "t":
                out.append((child.text or "", bold))
            elif tag == W + "tab":
                out.append(("\t", bold))
            elif tag in (W + "br", W + "cr"):
                out.append(("\n", bold))
            elif tag == W + "noBreakHyphen":
                out.append(("-", bold))
            else:
                self._walk(child, out, boxes, para_bold, bold=bold)

    def _run_bold(self, r: etree._Element, para_bold: bool) -> bool:
        rpr = r.find(W + "rPr")
        if rpr is not None:
            direct = _on(rpr.find(W + "b"))
            if direct is not None:
                return direct
            rstyle = rpr.find(W + "rStyle")
            if rstyle is not None:
                styled = self.styles.bold(rstyle.get(W + "val"))
                if styled is not None:
                    return styled
        return para_bold

    # -- tables

    def _table_block(self, tbl: etree._Element) -> list[etree._Element]:
        """Append one table block; return the tables nested in its cells."""
        nested: list[etree._Element] = []
        cells: list[GridCell] = []
        marked = 0
        header_run = True
        above: dict[int, GridCell] = {}  # column -> the cell covering it in the row above
        for r, tr in enumerate(_children(tbl, W + "tr")):
            trpr = tr.find(W + "trPr")
            is_header = trpr is not None and bool(_on(trpr.find(W + "tblHeader")))
            header_run = header_run and is_header
            marked += int(header_run)
            c = _int(_trpr_val(trpr, "gridBefore"), 0)
            here: dict[int, GridCell] = {}
            for tc in _children(tr, W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = max(1, _int(_tcpr_val(tcpr, "gridSpan"), 1))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
                text, bold, inner = self._cell_content(tc)
                nested.extend(inner)
                origin = above.get(c)
                if (
                    vmerge is not None
                    and (vmerge.get(W + "val") or "continue") == "continue"
                    and origin is not None
                    and origin.col == c
                    and origin.col_span == span
                ):
                    origin.row_span += 1
                    if text:
                        origin.text = f"{origin.text}\n{text}" if origin.text else text
                    cell = origin
                elif (
                    hmerge is not None
                    and (hmerge.get(W + "val") or "continue") == "continue"
                    and c - 1 in here
                ):
                    cell = here[c - 1]  # legacy horizontal merge: widen the cell to the left
                    cell.col_span += span
                    if text:
                        cell.text = f"{cell.text}\n{text}" if cell.text else text
                else:
                    cell = GridCell(
                        text,
                        r,
                        c,
                        1,
                        span,
                        fill=_cell_fill(tc),
                        bold=bold,
                        text_colour=_cell_text_colour(tc, self.styles),
                    )
                    cells.append(cell)
                for cc in range(c, c + span):
                    here[cc] = cell
                c += span
            above = here
        if not cells:
            return nested
        for cell in cells:
            cell.text, cut = clip_text(cell.text, self.settings.max_cell_chars)
            self.n_truncated += cut
        rows = cells_to_rows(cells)
        index = self.n_tables
        self.n_tables += 1
        table = Table(
            rows=rows,
            n_header_rows=guess_header_rows(rows, marked),
            index=index,
            source=self.source,
        )
        self.blocks.append(
            Block(
                "table", table=table, prov=LayoutProvenance(source=self.source, table_index=index)
            )
        )
        return nested

    def _cell_content(self, tc: etree._Element) -> tuple[str, bool, list[etree._Element]]:
        lines: list[str] = []
        bolds: list[bool] = []
        nested: list[etree._Element] = []
        for el in _content(tc):
            if el.tag == W + "p":
                para = self._paragraph(el)
                if para.text:
                    lines.append(f"{para.label} {para.text}" if para.label else para.text)
                    bolds.append(para.bold)
                for box in para.boxes:
                    lines.extend(self._box_lines(box))
            elif el.tag == W + "tbl":
                nested.append(el)
                flat = rows_to_text(_table_texts(el, self))
                if flat:
                    lines.append(flat)
        return "\n".join(lines), bool(bolds) and all(bolds), nested

    def _box_lines(self, box: etree._Element) -> list[str]:
        return [t for p in box.iter(W + "p") if (t := self._paragraph(p).text)]


def _table_texts(tbl: etree._Element, reader: _Reader) -> list[list[str]]:
    """A nested table's cell texts row by row, for flattening into its parent cell.

    Uses a scratch reader so numbering counters are not advanced twice."""
    scratch = _Reader(
        reader.source, reader.styles, _copy_numbering(reader.numbering), reader.settings
    )
    out = []
    for tr in _children(tbl, W + "tr"):
        row = []
        for tc in _children(tr, W + "tc"):
            tcpr = tc.find(W + "tcPr")
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            if vmerge is not None and (vmerge.get(W + "val") or "continue") == "continue":
                row.append("")
                continue
            row.append(scratch._cell_content(tc)[0].replace("\n", " "))
        out.append(row)
    return out


def _copy_numbering(n: _Numbering) -> _Numbering:
    return _Numbering(n.levels, n.nums, n.overrides, {k: dict(v) for k, v in n.counters.items()})


def _content(container: etree._Element):
    """Block-level children (w:p, w:tbl) in order, looking through content controls."""
    for el in container:
        if el.tag in (W + "p", W + "tbl"):
            yield el
        elif el.tag in _CONTAINERS:
            yield from _content(el)
        elif el.tag == MC + "AlternateContent":
            choice = el.find(MC + "Choice")
            if choice is not None:
                yield from _content(choice)


def _children(el: etree._Element, tag: str):
    """Children with `tag`, also inside row- and cell-level content controls."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _trpr_val(trpr: etree._Element | None, tag: str) -> str | None:
    el = trpr.find(W + tag) if trpr is not None else None
    return el.get(W + "val") if el is not None else None


def _tcpr_val(tcpr: etree._Element | None, tag: str) -> str | None:
    return _trpr_val(tcpr, tag)


def _shading(shd: etree._Element | None) -> str | None:
    if shd is None:
        return None
    pattern = (shd.get(W + "val") or "clear").lower()
    if pattern == "nil":
        return None
    if pattern == "solid":  # a solid pattern shows its foreground colour
        return normalise_colour(shd.get(W + "color"))
    return normalise_colour(shd.get(W + "fill"))


def _font_colour(rpr: etree._Element | None) -> str | None:
    """The colour a run's properties set: "#RRGGBB", "" for automatic, None when unset."""
    el = rpr.find(W + "color") if rpr is not None else None
    if el is None:
        return None
    return normalise_colour(el.get(W + "val")) or ""


def _run_pieces(p: etree._Element, styles: _Styles) -> list[tuple[str, str | None]]:
    """A paragraph's runs as (text, colour): the run's own colour, its character style's,
    then its paragraph style's; None for automatic (black)."""
    ppr = p.find(W + "pPr")
    pstyle = ppr.find(W + "pStyle") if ppr is not None else None
    sid = pstyle.get(W + "val") if pstyle is not None else styles.default_paragraph
    para_colour = styles.colour(sid)
    pieces = []
    for r in p.iter(W + "r"):
        text = "".join(t.text or "" for t in r.iter(W + "t"))
        if not text:
            continue
        rpr = r.find(W + "rPr")
        colour = _font_colour(rpr)
        if colour is None and rpr is not None and (rs := rpr.find(W + "rStyle")) is not None:
            colour = styles.colour(rs.get(W + "val"))
        pieces.append((text, para_colour if colour is None else colour or None))
    return pieces


def _cell_text_colour(tc: etree._Element, styles: _Styles) -> str | None:
    """The colour the cell's characters are printed in, when most of them share one that
    is not black or grey."""
    ink: dict[str | None, int] = {}
    for p in tc.iter(W + "p"):
        for text, colour in _run_pieces(p, styles):
            ink[colour] = ink.get(colour, 0) + len("".join(text.split()))
    return dominant_text_colour(ink)


def _cell_fill(tc: etree._Element) -> str | None:
    """The cell's shading; failing that, shading or highlight that every piece of
    text in the cell shares (RAG letters are sometimes highlighted, not shaded)."""
    tcpr = tc.find(W + "tcPr")
    fill = _shading(tcpr.find(W + "shd") if tcpr is not None else None)
    if fill:
        return fill
    colours: set[str | None] = set()
    for r in tc.iter(W + "r"):
        if not "".join(t.text or "" for t in r.iter(W + "t")).strip():
            continue
        rpr = r.find(W + "rPr")
        colour = None
        if rpr is not None:
            colour = _shading(rpr.find(W + "shd"))
            hl = rpr.find(W + "highlight")
            if colour is None and hl is not None:
                colour = normalise_colour(hl.get(W + "val"))
        if colour is None:
            p = r.getparent()
            while p is not None and p.tag != W + "p":
                p = p.getparent()
            ppr = p.find(W + "pPr") if p is not None else None
            colour = _shading(ppr.find(W + "shd") if ppr is not None else None)
        colours.add(colour)
        if len(colours) > 1:
            return None
    return colours.pop() if len(colours) == 1 else None


# ---------------------------------------------------------------- entry point


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class DocxExtractor:
    suffixes = (".docx",)
    format = "docx"

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument:
        check_package(path, settings, label="DOCX", required="word/document.xml")
        try:
            document = docx.Document(str(path))
            styles_root = document.styles.element
            try:
                numbering_root = document.part.part_related_by(RT.NUMBERING).element
            except KeyError:
                numbering_root = None
            body = document.element.body
        except Exception as exc:  # python-docx raises many types for a broken package
            raise ExtractionError(
                "corrupt", f"not a readable DOCX file ({_one_line(exc)})"
            ) from None
        if body is None:
            raise ExtractionError("corrupt", "not a readable DOCX file (the document has no body)")
        styles = _Styles(styles_root)
        reader = _Reader(path.name, styles, _Numbering.from_xml(numbering_root, styles), settings)
        try:
            reader.read(body)
        except RecursionError:
            raise ExtractionError(
                "unreadable", "tables or text boxes are nested too deeply to read"
            ) from None
        if not reader.blocks:
            raise ExtractionError("empty", "the document has no text (images only, or blank)")
        warnings = ()
        if reader.n_truncated:
            warnings = (truncation_warning(reader.n_truncated, settings.max_cell_chars),)
        return LayoutDocument(
            source=path.name,
            format=self.format,
            blocks=tuple(reader.blocks),
            pages=None,
            metadata=_metadata(document),
            warnings=warnings,
        )


def _metadata(document: DocxDocument) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        props = document.core_properties
        values = {"title": props.title, "author": props.author, "created": props.created}
    except Exception:  # a malformed core.xml costs the metadata, not the document
        return meta
    for key, value in values.items():
        if value:
            meta[key] = (
                value.isoformat() if hasattr(value, "isoformat") else normalise_space(str(value))
            )
    return meta
