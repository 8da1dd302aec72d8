"""Draw a sample `Document` as a Word file with python-docx.

Real Word tables in the "Table Grid" style; merges with ``cell.merge`` (gridSpan
and vMerge); fills as ``w:shd``; header rows marked ``w:tblHeader`` when they
repeat; Heading 1/2, "List Bullet"/"List Number" paragraphs; landscape sections.
Core properties carry fixed dates, and the zip is rewritten with fixed
timestamps, so the bytes are the same run to run.
"""

from __future__ import annotations

import io

from _doc import (
    CardGrid,
    Document,
    Grid,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    SectionBreak,
    TableBlock,
    runs_of,
)
from _zipfix import normalise_zip
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

A4_SHORT, A4_LONG = Mm(210), Mm(297)
MARGIN = Mm(18)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    tc_pr.append(shd)


def _mark_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _add_runs(paragraph, text: str, bold: bool = False) -> None:
    for chunk, is_bold in runs_of(text):
        run = paragraph.add_run(chunk)
        if bold or is_bold:
            run.bold = True


def _set_orientation(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    )
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _page_field(paragraph) -> None:
    """A PAGE field, so Word shows the page number."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def grid_to_table(document, grid: Grid, width) -> None:
    table = document.add_table(rows=len(grid.rows), cols=grid.n_cols)
    table.style = "Table Grid"
    table.autofit = False
    widths = [int(width * w) for w in grid.col_widths]
    for row in table.rows:
        for c, tc in enumerate(row.cells):
            tc.width = widths[c]
    # Merge first: python-docx joins the text of merged cells, so write after.
    for r, row in enumerate(grid.rows):
        for c, gc in enumerate(row):
            if gc is not None and (gc.rowspan > 1 or gc.colspan > 1):
                table.cell(r, c).merge(table.cell(r + gc.rowspan - 1, c + gc.colspan - 1))
    for r, row in enumerate(grid.rows):
        if grid.repeat_header and r < grid.header_rows:
            _mark_header(table.rows[r])
        for c, gc in enumerate(row):
            if gc is None:
                continue
            tc = table.cell(r, c)
            if gc.fill:
                _shade(tc, gc.fill)
            for i, para in enumerate(gc.paras):
                p = tc.paragraphs[0] if i == 0 else tc.add_paragraph()
                if para.bullet:
                    p.style = document.styles["List Bullet"]
                _add_runs(p, para.text, bold=gc.bold)


def render_docx(doc: Document) -> bytes:
    document = new_docx()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name in ("Heading 1", "Heading 2", "Title", "Subtitle"):
        document.styles[name].font.name = "Arial"
        document.styles[name].font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    props = document.core_properties
    props.title = doc.title
    props.author = doc.author
    props.subject = doc.subject
    props.last_modified_by = doc.author
    props.created = doc.created
    props.modified = doc.created
    props.last_printed = doc.created
    props.revision = 1

    section = document.sections[0]
    _set_orientation(section, doc.landscape)
    section.header.paragraphs[0].text = doc.header
    footer = section.footer.paragraphs[0]
    footer.text = f"{doc.footer}\tPage "
    _page_field(footer)

    landscape = doc.landscape
    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            style = {"title": "Title", "subtitle": "Subtitle"}.get(block.style)
            p = document.add_paragraph(style=style)
            _add_runs(p, block.text)
        elif isinstance(block, ListBlock):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                _add_runs(document.add_paragraph(style=style), item)
        elif isinstance(block, TableBlock):
            page_width = A4_LONG if landscape else A4_SHORT
            grid_to_table(document, block.grid, page_width - 2 * MARGIN)
            document.add_paragraph()
        elif isinstance(block, CardGrid):
            # A word processor stacks the cards, two to a page, one small table each.
            page_width = A4_LONG if landscape else A4_SHORT
            for i, card in enumerate(block.cards):
                if i and i % 2 == 0:
                    document.add_page_break()
                grid_to_table(document, card.grid(), page_width - 2 * MARGIN)
                document.add_paragraph()
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, SectionBreak):
            landscape = block.landscape
            _set_orientation(document.add_section(WD_SECTION.NEW_PAGE), landscape)
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue(), doc.created)
