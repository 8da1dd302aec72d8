"""HTML (.html/.htm) reader: headings, paragraphs, lists and tables in document order.

lxml's forgiving HTML parser builds the tree. Cell colours (background and
text) come from inline styles, `bgcolor`, `<font color>` and simple class
rules in <style> blocks, because RAG tables exported to HTML usually colour
cells through a class.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from planx.extractors._grid import GridCell, cells_to_rows, guess_header_rows, place_spans
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.colours import colour_runs, dominant_text_colour, normalise_colour
from planx.extractors.html_text import (
    HTML_SKIP_TAGS,
    collapse_html_space,
    html_element_to_text,
    html_is_hidden,
    html_list_labels,
    html_table_rows,
    html_tag,
    html_walk,
)
from planx.extractors.text_cleanup import (
    clip_text,
    looks_like_heading,
    normalise_space,
    truncation_warning,
)
from planx.extractors.zip_safety import has_xml_entity_declaration
from planx.schemas.layout import Block, LayoutDocument, LayoutProvenance, Table

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BOLD_TAGS = frozenset({"b", "strong", "th", *_HEADINGS})
# Elements whose content is laid out as blocks of its own.
_CONTAINERS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure form header li main p pre section summary td th".split()
)
_BLOCKISH = ("table", "ul", "ol", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_COLOUR_TOKEN = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\b[a-zA-Z]+\b")
_SIMPLE_SELECTOR = re.compile(r"([a-zA-Z][a-zA-Z0-9]*)?((?:\.[\w-]+)*)(#[\w-]+)?")


# ---------------------------------------------------------------- decoding


def bytes_to_text(data: bytes) -> tuple[str, str | None]:
    """Decode as a browser would: BOM, then <meta charset>, then UTF-8; a file
    that is not valid UTF-8 is read as Windows-1252 with a warning."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), None
    declared = None
    if m := _META_CHARSET.search(data[:4096]):
        try:
            declared = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            declared = None
    if declared in ("latin-1", "iso8859-1", "ascii"):
        declared = "cp1252"  # what browsers do with these labels
    if declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        return data.decode(declared, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode(
            "cp1252", errors="replace"
        ), "file is not valid UTF-8; read as Windows-1252"


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Rule:
    tag: str | None
    classes: frozenset[str]
    ident: str | None
    props: dict[str, str]


_STYLE_PROPS = ("background", "background-color", "font-weight", "color")


def _declarations(text: str) -> dict[str, str]:
    props = {}
    for decl in text.split(";"):
        name, sep, value = decl.partition(":")
        if sep:
            props[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return props


def stylesheet_rules(css: str) -> list[_Rule]:
    """Rules with simple selectors (tag, .class, #id, or the last part of a
    descendant selector) that set a background, font weight or text colour."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = []
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
        props = {k: v for k, v in _declarations(m.group(2)).items() if k in _STYLE_PROPS}
        if not props:
            continue
        for selector in m.group(1).split(","):
            last = selector.strip().split()[-1] if selector.strip() else ""
            sm = _SIMPLE_SELECTOR.fullmatch(last)
            if not last or not sm:
                continue
            classes = frozenset(c for c in sm.group(2).split(".") if c)
            tag = sm.group(1).lower() if sm.group(1) else None
            ident = sm.group(3)[1:] if sm.group(3) else None
            if tag or classes or ident:
                rules.append(_Rule(tag, classes, ident, props))
    return rules


def css_background(props: dict[str, str]) -> str | None:
    for key in ("background-color", "background"):
        value = props.get(key)
        if not value:
            continue
        for token in _COLOUR_TOKEN.findall(value):
            colour = normalise_colour(token)
            if (
                colour
                or token.lower() in ("white", "transparent", "none")
                or token.lower().startswith("#")
            ):
                return colour
    return None


# ---------------------------------------------------------------- reader


class _Reader:
    def __init__(self, source: str, rules: list[_Rule], settings: ExtractSettings):
        self.source = source
        self.rules = rules
        self.settings = settings
        self.blocks: list[Block] = []
        self.n_tables = 0
        self.n_truncated = 0
        self.prov = LayoutProvenance(source=source)

    # -- styles

    def _props(self, el: etree._Element) -> dict[str, str]:
        props: dict[str, str] = {}
        bgcolor = el.get("bgcolor")
        if bgcolor:
            props["background-color"] = bgcolor.strip().lower()
        if html_tag(el) == "font" and el.get("color"):
            props["color"] = el.get("color", "").strip().lower()
        if self.rules:
            classes = set((el.get("class") or "").split())
            tag, ident = html_tag(el), el.get("id")
            for rule in self.rules:
                if (
                    (rule.tag is None or rule.tag == tag)
                    and rule.classes <= classes
                    and (rule.ident is None or rule.ident == ident)
                ):
                    props.update(rule.props)
        style = el.get("style")
        if style:
            props.update({k: v for k, v in _declarations(style).items() if k in _STYLE_PROPS})
        return props

    def _bold_of(self, el: etree._Element, inherited: bool) -> bool:
        weight = self._props(el).get("font-weight")
        if weight:
            if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
                return True
            if weight in ("normal", "lighter") or weight.isdigit():
                return False
        return inherited or html_tag(el) in _BOLD_TAGS

    def _segments(
        self, el: etree._Element, bold: bool, out: list[tuple[str, bool]], skip: frozenset[str]
    ) -> None:
        own = self._bold_of(el, bold)
        if el.text:
            out.append((el.text, own))
        for child in el:
            tag = html_tag(child)
            if tag and tag not in skip and not html_is_hidden(child):
                self._segments(child, own, out, skip)
            if child.tail:
                out.append((child.tail, own))

    def _colour_pieces(
        self, el: etree._Element, inherited: str | None, out: list[tuple[str, str | None]]
    ) -> None:
        """The element's visible text as (text, colour) pieces, in order."""
        value = self._props(el).get("color")
        keeps = not value or value in ("inherit", "currentcolor", "unset", "initial")
        own = inherited if keeps else normalise_colour(value)
        if el.text:
            out.append((el.text, own))
        for child in el:
            tag = html_tag(child)
            if tag and tag not in HTML_SKIP_TAGS and not html_is_hidden(child):
                self._colour_pieces(child, own, out)
            if child.tail:
                out.append((child.tail, own))

    def _text_colour(self, td: etree._Element, inherited: str | None) -> str | None:
        """The colour a cell's text is printed in (inline `color`, `<font color>`, class rules)."""
        pieces: list[tuple[str, str | None]] = []
        self._colour_pieces(td, inherited, pieces)
        ink: dict[str | None, int] = {}
        for text, colour in pieces:
            ink[colour] = ink.get(colour, 0) + len("".join(text.split()))
        return dominant_text_colour(ink)

    def _all_bold(
        self, el: etree._Element, skip: frozenset[str] = HTML_SKIP_TAGS, inherited: bool = False
    ) -> bool:
        out: list[tuple[str, bool]] = []
        self._segments(el, inherited, out, skip)
        inked = [b for t, b in out if t.strip()]
        return bool(inked) and all(inked)

    # -- blocks

    def read(self, el: etree._Element, bold: bool = False) -> None:
        """Walk a container: block children become blocks, runs of inline
        content between them become paragraphs."""
        inline: list[str | etree._Element] = []
        if el.text:
            inline.append(el.text)
        for child in el:
            tag = html_tag(child)
            if not tag or tag in HTML_SKIP_TAGS or html_is_hidden(child):
                pass
            elif tag in _HEADINGS:
                self._flush(inline, bold)
                text = html_element_to_text(child)
                if text:
                    self.blocks.append(
                        Block("heading", text, level=_HEADINGS[tag], bold=True, prov=self.prov)
                    )
            elif tag in ("ul", "ol"):
                self._flush(inline, bold)
                self._list(child, 0)
            elif tag == "table":
                self._flush(inline, bold)
                self._table(child)
            elif tag == "hr":
                self._flush(inline, bold)
            elif tag in _CONTAINERS or tag in ("dl", "tbody", "thead", "tfoot", "tr", "noframes"):
                self._flush(inline, bold)
                self.read(child, self._bold_of(child, bold))
            elif any(True for _ in child.iter(*_BLOCKISH)):
                # an inline wrapper (<font>, <span>, <a>) around blocks: read it as a container
                self._flush(inline, bold)
                self.read(child, self._bold_of(child, bold))
            else:
                inline.append(child)
            if child.tail:
                inline.append(child.tail)
        self._flush(inline, bold)

    def _flush(self, inline: list[str | etree._Element], bold: bool) -> None:
        if not inline:
            return
        parts: list[str] = []
        segments: list[tuple[str, bool]] = []
        pieces: list[tuple[str, str | None]] = []
        for item in inline:
            if isinstance(item, str):
                parts.append(collapse_html_space(item))
                segments.append((item, bold))
                pieces.append((item, None))
            else:
                html_walk(item, parts, HTML_SKIP_TAGS)
                self._segments(item, bold, segments, HTML_SKIP_TAGS)
                self._colour_pieces(item, None, pieces)
        inline.clear()
        text = normalise_space("".join(parts))
        if not text:
            return
        inked = [b for t, b in segments if t.strip()]
        is_bold = bool(inked) and all(inked)
        runs = colour_runs(pieces)
        if looks_like_heading(text, bold=is_bold):
            self.blocks.append(
                Block("heading", text, level=3, bold=True, prov=self.prov, colour_runs=runs)
            )
        else:
            self.blocks.append(
                Block("paragraph", text, bold=is_bold, prov=self.prov, colour_runs=runs)
            )

    def _list(self, lst: etree._Element, level: int) -> None:
        own_only = HTML_SKIP_TAGS | {"ul", "ol", "table"}
        for li, label in html_list_labels(lst):
            if html_is_hidden(li):
                continue
            text = html_element_to_text(li, skip=own_only)
            if text:
                bold = self._all_bold(li, own_only)
                self.blocks.append(
                    Block(
                        "list_item", text, level=level, bold=bold, list_label=label, prov=self.prov
                    )
                )
            for inner in _nested(li, {"ul", "ol", "table"}):
                if html_tag(inner) == "table":
                    self._table(inner)
                else:
                    self._list(inner, level + 1)

    def _table(self, table: etree._Element) -> None:
        rows = html_table_rows(table)
        cells_per_row = [[td for td in tr if html_tag(td) in ("td", "th")] for tr in rows]
        n_cells = sum(len(r) for r in cells_per_row)
        if n_cells == 0:
            return
        if n_cells == 1 or (table.get("role") or "").lower() in ("presentation", "none"):
            # A layout table: its content is the document, not a grid.
            for caption in (c for c in table if html_tag(c) == "caption"):
                self.read(caption)
            for td in (td for row in cells_per_row for td in row):
                self.read(td, self._bold_of(td, False))
            return
        for caption in (c for c in table if html_tag(c) == "caption"):
            text = html_element_to_text(caption)
            if text:
                self.blocks.append(
                    Block("paragraph", text, bold=self._all_bold(caption), prov=self.prov)
                )
        head_rows = sum(1 for tr in rows if html_tag(tr.getparent()) == "thead")
        grid_rows: list[list[GridCell]] = []
        nested: list[etree._Element] = []
        th_run = 0
        for tr, tds in zip(rows, cells_per_row, strict=True):
            row_fill = css_background(self._props(tr))
            row_bold = self._bold_of(tr, False)
            row_colour = self._props(tr).get("color")
            row_ink = normalise_colour(row_colour) if row_colour else None
            out = []
            for td in tds:
                text, cut = clip_text(html_element_to_text(td), self.settings.max_cell_chars)
                self.n_truncated += cut
                nested.extend(_nested(td, {"table"}))
                out.append(
                    GridCell(
                        text,
                        row_span=_span(td.get("rowspan"), default_zero=len(rows)),
                        col_span=_span(td.get("colspan")),
                        fill=css_background(self._props(td)) or row_fill,
                        bold=bool(text) and self._all_bold(td, inherited=row_bold),
                        text_colour=self._text_colour(td, row_ink) if text else None,
                    )
                )
            grid_rows.append(out)
            if th_run == len(grid_rows) - 1 and tds and all(html_tag(td) == "th" for td in tds):
                th_run += 1
        grid = cells_to_rows(place_spans(grid_rows))
        if not grid:
            return
        index = self.n_tables
        self.n_tables += 1
        table_model = Table(
            rows=grid,
            n_header_rows=guess_header_rows(grid, head_rows or th_run),
            index=index,
            source=self.source,
        )
        self.blocks.append(
            Block(
                "table",
                table=table_model,
                prov=LayoutProvenance(source=self.source, table_index=index),
            )
        )
        for inner in nested:
            self._table(inner)


def _span(value: str | None, default_zero: int = 1) -> int:
    """A rowspan/colspan attribute; rowspan="0" means "to the end of the table"."""
    digits = re.match(r"\s*(\d+)", value or "")
    if not digits:
        return 1
    n = int(digits.group(1))
    return default_zero if n == 0 else n


def _nested(el: etree._Element, tags: set[str]):
    """Outermost descendants of `el` with one of `tags`, in document order."""
    for child in el:
        tag = html_tag(child)
        if tag in tags:
            yield child
        elif tag and tag not in HTML_SKIP_TAGS:
            yield from _nested(child, tags)


def _metadata(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None and (text := normalise_space(title.text_content())):
        meta["title"] = text
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip().lower()
        content = normalise_space(m.get("content") or "")
        if not content:
            continue
        if name in ("author", "dc.creator", "dcterms.creator"):
            meta.setdefault("author", content)
        elif name in ("created", "date", "dc.date", "dcterms.created"):
            meta.setdefault("created", content)
    return meta


class HtmlExtractor:
    suffixes = (".html", ".htm")
    format = "html"

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractionError(
                "unreadable", f"cannot read the file ({exc.strerror or exc})"
            ) from None
        if has_xml_entity_declaration(data):
            raise ExtractionError("unreadable", "XML entity declarations are not allowed")
        text, warning = bytes_to_text(data)
        text = re.sub(
            r"^\s*<\?xml[^>]*\?>", "", text
        )  # lxml refuses str input that declares an encoding
        if not text.strip():
            raise ExtractionError("empty", "the HTML file has no content")
        try:
            root = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise ExtractionError("corrupt", f"cannot parse the HTML ({exc})") from None
        rules = stylesheet_rules("\n".join(s.text_content() for s in root.iter("style")))
        reader = _Reader(path.name, rules, settings)
        body = root.find("body")
        try:
            reader.read(body if body is not None else root)
        except RecursionError:
            raise ExtractionError("unreadable", "the HTML is nested too deeply to read") from None
        if not reader.blocks:
            raise ExtractionError("empty", "the HTML file has no text")
        warnings = [warning] if warning else []
        if reader.n_truncated:
            warnings.append(truncation_warning(reader.n_truncated, settings.max_cell_chars))
        return LayoutDocument(
            source=path.name,
            format=self.format,
            blocks=tuple(reader.blocks),
            pages=None,
            metadata=_metadata(root),
            warnings=tuple(warnings),
        )
