"""Draw a sample `Document` as a PDF with reportlab platypus.

Tables are bordered grids (GRID), fills are BACKGROUND, merges are SPAN,
repeated headers are repeatRows. Every page carries a running header and a
"Page N" footer that an extractor must drop. ``invariant=1`` keeps the bytes
the same run to run. Each cell paragraph records the page it is drawn on, so
the expected records can say on which page an action starts and which rows
split over a page break.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from _doc import (
    BOLD_RE,
    CARD_TITLE_FILL,
    Card,
    CardGrid,
    Document,
    Grid,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    SectionBreak,
    TableBlock,
)
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak

# Embedded TrueType (shipped with reportlab) so bullets, dashes and quotes extract as
# themselves, as they do from a word processor's PDF; the standard Type 1 fonts do not.
for _name, _file in (
    ("Vera", "Vera.ttf"),
    ("Vera-Bold", "VeraBd.ttf"),
    ("Vera-Italic", "VeraIt.ttf"),
    ("Vera-BoldItalic", "VeraBI.ttf"),
):
    pdfmetrics.registerFont(TTFont(_name, _file))
pdfmetrics.registerFontFamily(
    "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
)
FONT, FONT_BOLD, FONT_ITALIC = "Vera", "Vera-Bold", "Vera-Italic"


def _register_arrow_font() -> str:
    """The standard Symbol font with its own glyph names written out (/Differences), so a
    drawn arrow extracts as the character it is ("↑"), as a slide deck's arrow glyphs do."""
    name = "PlanxSymbol"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    symbol = pdfmetrics.getEncoding("SymbolEncoding")
    encoding = pdfmetrics.Encoding("PlanxSymbolDifferences", "StandardEncoding")
    for code, glyph in enumerate(symbol.vector):
        if glyph:
            encoding[code] = glyph
    encoding.freeze()
    font = pdfmetrics.Font(name, "Symbol", "SymbolEncoding")  # encodes text as Symbol does
    font.encoding = encoding  # ... and writes the glyph names into the PDF
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


ARROW_FONT = _register_arrow_font()

MARGIN = 1.8 * cm
ROW_SPLIT_MIN = 24  # points: a split row keeps at least two lines on each page

BODY = ParagraphStyle(
    "body", fontName=FONT, bulletFontName=FONT, fontSize=10, leading=13, spaceAfter=6
)
TITLE = ParagraphStyle(
    "title", fontName=FONT_BOLD, fontSize=20, leading=26, spaceAfter=10, spaceBefore=6
)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT_ITALIC, fontSize=14, leading=18, spaceAfter=10)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, spaceAfter=4)
H1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6)
H2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
LIST = ParagraphStyle("list", parent=BODY, leftIndent=18, bulletIndent=4, spaceAfter=3)
PARA_STYLES = {"body": BODY, "title": TITLE, "subtitle": SUBTITLE, "small": SMALL}


@dataclass
class PdfInfo:
    """What the renderer saw: page count and the pages each table cell was drawn on."""

    pages: int = 0
    cell_pages: dict[tuple[str, int, int], list[int]] = field(default_factory=dict)

    def row_pages(self, grid: str, row: int) -> list[int]:
        found = sorted(
            {p for (g, r, _), ps in self.cell_pages.items() if g == grid and r == row for p in ps}
        )
        return found

    def first_page_of_cell(self, grid: str, row: int, col: int) -> int | None:
        ps = self.cell_pages.get((grid, row, col))
        return min(ps) if ps else None


class _KeyedParagraph(Paragraph):
    """A paragraph that logs the page it is drawn on (its split parts too)."""

    _key: tuple[str, int, int] | None = None
    _log: dict | None = None

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        parts = super().split(availWidth, availHeight)
        for p in parts:
            p._key, p._log = self._key, self._log
        return parts

    def draw(self):
        if self._key is not None and self._log is not None:
            pages = self._log.setdefault(self._key, [])
            page = self.canv.getPageNumber()
            if page not in pages:
                pages.append(page)
        super().draw()


ARROWS_RE = re.compile("([↑↓→←↔]+)")


def markup(text: str) -> str:
    """Escape text for a reportlab paragraph, turn **bold** into <b>, and set arrows in the
    font that has them."""
    text = BOLD_RE.sub(r"<b>\1</b>", escape(text))
    return ARROWS_RE.sub(rf'<font name="{ARROW_FONT}">\1</font>', text)


def _cell_styles(grid: Grid) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    size = grid.font_size
    base = ParagraphStyle(
        f"cell-{size}",
        fontName=FONT,
        bulletFontName=FONT,
        fontSize=size,
        leading=round(size * 1.22, 2),
        spaceAfter=1,
    )
    bold = ParagraphStyle(f"cellb-{size}", parent=base, fontName=FONT_BOLD)
    bullet = ParagraphStyle(f"celll-{size}", parent=base, leftIndent=10, bulletIndent=2)
    return base, bold, bullet


def grid_to_table(grid: Grid, width: float, log: dict) -> Table:
    base, bold, bullet = _cell_styles(grid)
    data = []
    for r, row in enumerate(grid.rows):
        out_row: list = []
        for c, gc in enumerate(row):
            if gc is None:
                out_row.append("")
                continue
            flow = []
            for para in gc.paras:
                style = bullet if para.bullet else bold if gc.bold else base
                p = _KeyedParagraph(
                    markup(para.text), style, bulletText="•" if para.bullet else None
                )
                p._key, p._log = (grid.name, r, c), log
                flow.append(p)
            out_row.append(flow)
        data.append(out_row)
    cmds: list = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    last_col = grid.n_cols - 1
    if grid.split_rows:
        # Close the grid at an in-row page break, as a word processor does.
        cmds += [
            ("LINEBELOW", (0, "inrowsplitstart"), (last_col, "inrowsplitstart"), 0.5, colors.black),
            ("LINEABOVE", (0, "inrowsplitend"), (last_col, "inrowsplitend"), 0.5, colors.black),
        ]
    for r, row in enumerate(grid.rows):
        for c, gc in enumerate(row):
            if gc is None:
                continue
            if gc.fill:
                cmds.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(gc.fill)))
            if gc.rowspan > 1 or gc.colspan > 1:
                cmds.append(("SPAN", (c, r), (c + gc.colspan - 1, r + gc.rowspan - 1)))
    return Table(
        data,
        colWidths=[w * width for w in grid.col_widths],
        repeatRows=grid.header_rows if grid.repeat_header else 0,
        splitByRow=0 if grid.split_rows else 1,
        splitInRow=ROW_SPLIT_MIN if grid.split_rows else 0,
        style=TableStyle(cmds),
        hAlign="LEFT",
    )


CARD_HEIGHT = 330.0
CARD_OUTLINE = "#BFBFBF"
CARD_BAR = "#8EA9C1"
CARD_STRIP = "#F2F2F2"
CARD_TITLE = ParagraphStyle("card-title", fontName=FONT_BOLD, fontSize=12, leading=15)


class CardBox(Flowable):
    """A KPI card drawn as a slide deck draws one: boxes, text and shapes, no table rules.
    The badge sits at the top left under the title, the chart to its right and lower down,
    the strip along the bottom."""

    def __init__(self, card: Card, log: dict) -> None:
        super().__init__()
        self.card = card
        self.log = log

    def wrap(self, avail_width, avail_height):  # noqa: N803 - reportlab's signature
        self.width = avail_width
        return avail_width, CARD_HEIGHT

    def draw(self) -> None:
        card, c, w, top = self.card, self.canv, self.width, CARD_HEIGHT
        pages = self.log.setdefault((card.name, 0, 0), [])
        if c.getPageNumber() not in pages:
            pages.append(c.getPageNumber())
        c.saveState()
        c.setStrokeColor(colors.HexColor(CARD_OUTLINE))
        c.setLineWidth(0.75)
        c.rect(0, 0, w, CARD_HEIGHT, stroke=1, fill=0)
        # Title box.
        c.setFillColor(colors.HexColor(CARD_TITLE_FILL))
        c.rect(0, top - 44, w, 44, stroke=0, fill=1)
        title = Paragraph(markup(card.title), CARD_TITLE)
        _, th = title.wrap(w - 16, 40)
        title.drawOn(c, 8, top - 22 - th / 2)
        # Badge: the word in a filled box, the arrow beside it.
        c.setFillColor(colors.HexColor(card.badge_fill))
        c.rect(12, top - 96, 96, 36, stroke=0, fill=1)
        c.setFillColor(colors.white if card.badge != "AMBER" else colors.black)
        c.setFont(FONT_BOLD, 14)
        c.drawCentredString(60, top - 83, card.badge)
        c.setFillColor(colors.black)
        c.setFont(ARROW_FONT, 26)
        c.drawString(118, top - 88, card.arrow)
        # Chart: a bar per period, its value above and its period below.
        self._chart(160, 60, w - 180, 150)
        # Strip of labelled values.
        c.setFillColor(colors.HexColor(CARD_STRIP))
        c.rect(0, 0, w, 30, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(FONT, 10)
        c.drawString(8, 11, card.strip)
        c.restoreState()

    def _chart(self, x: float, y: float, w: float, h: float) -> None:
        c, card = self.canv, self.card
        c.setFont(FONT_ITALIC, 8)
        c.drawString(x, y + h + 14, "Quarterly trend")
        c.setStrokeColor(colors.HexColor("#7F7F7F"))
        c.line(x, y, x + w, y)
        values = [v for _, v in card.trend]
        top = max(values) * 1.15 if values else 1
        slot = w / max(len(values), 1)
        for i, (period, value) in enumerate(card.trend):
            bar_h = h * value / top
            bx = x + i * slot + slot * 0.2
            c.setFillColor(colors.HexColor(CARD_BAR))
            c.rect(bx, y, slot * 0.6, bar_h, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.setFont(FONT, 7)
            c.drawCentredString(bx + slot * 0.3, y + bar_h + 3, f"{value:g}{card.unit}")
            c.drawCentredString(bx + slot * 0.3, y - 10, period)


def render_pdf(doc: Document) -> tuple[bytes, PdfInfo]:
    """The PDF bytes of a document, and what was drawn on which page."""
    info = PdfInfo()
    buf = io.BytesIO()

    def running(canvas, template_doc) -> None:
        page = canvas.getPageNumber()
        info.pages = max(info.pages, page)
        w, h = canvas._pagesize
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#595959"))
        canvas.drawString(MARGIN, h - MARGIN * 0.6, doc.header)
        canvas.drawString(MARGIN, MARGIN * 0.45, doc.footer)
        canvas.drawRightString(w - MARGIN, MARGIN * 0.45, f"Page {page}")
        canvas.restoreState()

    templates = {}
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id=name)
        templates[name] = PageTemplate(id=name, frames=[frame], onPage=running, pagesize=size)
    first = "landscape" if doc.landscape else "portrait"
    order = [templates[first], templates["portrait" if first == "landscape" else "landscape"]]
    template = BaseDocTemplate(
        buf,
        pagesize=order[0].pagesize,
        pageTemplates=order,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=doc.title,
        author=doc.author,
        subject=doc.subject,
        creator="Microsoft Word",
        invariant=1,
    )
    story: list = []
    landscape_now = doc.landscape
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(markup(block.text), H1 if block.level == 1 else H2))
        elif isinstance(block, Para):
            story.append(Paragraph(markup(block.text), PARA_STYLES[block.style]))
        elif isinstance(block, ListBlock):
            for i, item in enumerate(block.items, 1):
                label = f"{i}." if block.numbered else "•"
                story.append(Paragraph(markup(item), LIST, bulletText=label))
            story.append(Spacer(1, 4))
        elif isinstance(block, TableBlock):
            size = landscape(A4) if landscape_now else A4
            story.append(grid_to_table(block.grid, size[0] - 2 * MARGIN, info.cell_pages))
            story.append(Spacer(1, 10))
        elif isinstance(block, CardGrid):
            for card in block.cards:
                story.append(CardBox(card, info.cell_pages))
                story.append(Spacer(1, 12))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(block, SectionBreak):
            landscape_now = block.landscape
            story.append(NextPageTemplate("landscape" if block.landscape else "portrait"))
            story.append(RLPageBreak())
    template.build(story)
    return buf.getvalue(), info
