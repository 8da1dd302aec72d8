"""Small generated PDFs whose tables have no rules, and pages that must stay text.

Each function draws one document with reportlab (fictional text only) and returns its
path. They vary the way real documents do: slides exported from a presentation program
(landscape, a title, a banded header, cells that wrap, rows parted only by space), a word
processor's table with its borders switched off, a list laid out with tabs; and, as
counter-examples, prose, two columns of prose, a bulleted list, a title block and
label:value lines. KPI cards drawn two across a page (boxes, no grid inside) are here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

# Embedded TrueType fonts, as an office program's export has: bullets and dashes extract as
# themselves.
for _name, _file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf")):
    pdfmetrics.registerFont(TTFont(_name, _file))
FONT, BOLD = "Vera", "Vera-Bold"

SLIDE = (960.0, 540.0)  # a 16:9 slide in points
SLIDE_HEADER = ("What we will do", "Led by", "Timescale", "How we will know", "Shared outcome")
SLIDE_ROWS = (
    (
        "Open one front door for early help requests so that families are given the right "
        "support the first time they ask for it",
        "Head of Early Help",
        "By March 2025",
        "Requests screened within one working day",
        "Families get help early",
    ),
    (
        "Train every social worker in the new practice model, with refresher sessions for "
        "team managers each quarter",
        "Principal Social Worker",
        "Quarterly from June 2024",
        "All staff trained; audit grades improve",
        "Practice is good everywhere",
    ),
    (
        "Agree a joint protocol with housing for care leavers aged 18 to 21",
        "Service Manager, Leaving Care",
        "September 2024",
        "Protocol signed by both services",
        "Young people have a safe home",
    ),
    (
        "Review every plan for children in care for more than two years and record the "
        "outcome of each review on the child's file so that drift is seen early",
        "Head of Children in Care",
        "December 2024",
        "• Reviews done on time for 95% of children\n• Fewer moves of placement",
        "Children have permanence",
    ),
    (
        "Publish a short guide for schools on making a referral",
        "Education Safeguarding Lead",
        "By July 2024",
        "Guide sent to all schools",
        "Partners know how to help",
    ),
    (
        "Set up a panel that meets monthly to track children missing education and agree "
        "who will act",
        "Assistant Director, Education",
        "From May 2024",
        "Panel minutes show actions agreed and closed",
        "Children attend school",
    ),
)
SLIDE_WIDTHS = (0.36, 0.16, 0.13, 0.19, 0.16)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width)


def _cell_lines(text: str, size: float, width: float, font: str = FONT) -> list[tuple[float, str]]:
    """A cell's lines with their indent: paragraphs wrapped; a "• " item's first line keeps
    its bullet (drawn apart, before a tab) and its wrapped lines hang under its text."""
    out: list[tuple[float, str]] = []
    for para in text.split("\n"):
        if para.startswith("• "):
            body = _wrap(para[2:], font, size, width - 12)
            out += [(0.0, "•\t" + line) if k == 0 else (12.0, line) for k, line in enumerate(body)]
        else:
            out += [(0.0, line) for line in _wrap(para, font, size, width)]
    return out


def slide_deck(
    path: Path,
    *,
    rows_per_slide: Sequence[int] = (3, 3),
    title: str = "Our commitments for children and families",
    banded_rows: bool = True,
    header_band: bool = True,
    middle: bool = False,
    row_space: float = 6.0,
    mixed: bool = False,
) -> Path:
    """Slides with a title and a borderless 5-column table: a filled header band with white
    bold labels, wrapped cells (a cell may hold "• " items, one a line), rows parted only
    by space (and light bands on every other row); the table runs on over the next slide
    under its header repeated. `middle` centres each cell's text in its row, as a slide's
    table often does; `mixed` sets the first column larger and bold, the others smaller,
    so that the columns' lines do not share baselines."""
    c = Canvas(str(path), pagesize=SLIDE, invariant=1)
    x0, width, pad, size, lead = 36.0, 888.0, 7.2, 11.0, 13.2
    xs = [x0]
    for w in SLIDE_WIDTHS:
        xs.append(xs[-1] + w * width)
    start = 0
    for slide, n_rows in enumerate(rows_per_slide, 1):
        c.setFont(BOLD, 26)
        c.setFillColor(colors.HexColor("#1F3864"))
        c.drawString(x0, SLIDE[1] - 52, title)
        y = SLIDE[1] - 80  # top of the table
        band_h = 26.0
        if header_band:
            c.setFillColor(colors.HexColor("#1F4E79"))
            c.rect(x0, y - band_h, width, band_h, stroke=0, fill=1)
        c.setFillColor(colors.white if header_band else colors.black)
        c.setFont(BOLD, 12)
        for i, label in enumerate(SLIDE_HEADER):
            c.drawString(xs[i] + pad, y - 17, label)
        y -= band_h
        styles = (
            [(BOLD, 12.0, 15.0)] + [(FONT, 10.0, 12.0)] * 4 if mixed else [(FONT, size, lead)] * 5
        )
        for r, row in enumerate(SLIDE_ROWS[start : start + n_rows]):
            cells = [
                _cell_lines(text, styles[i][1], (xs[i + 1] - xs[i]) - 2 * pad, styles[i][0])
                for i, text in enumerate(row)
            ]
            height = max(len(lines) * styles[i][2] for i, lines in enumerate(cells))
            height += 2 * 3.6 + row_space
            if banded_rows and r % 2:
                c.setFillColor(colors.HexColor("#DEEAF6"))
                c.rect(x0, y - height, width, height, stroke=0, fill=1)
            c.setFillColor(colors.black)
            for i, lines in enumerate(cells):
                font, fsize, flead = styles[i]
                c.setFont(font, fsize)
                drop = (height - 2 * 3.6 - row_space - len(lines) * flead) / 2 if middle else 0.0
                for k, (indent, line) in enumerate(lines):
                    base = y - 3.6 - fsize - drop - k * flead
                    if line.startswith("•\t"):
                        c.drawString(xs[i] + pad, base, "•")
                        line, indent = line[2:], 12.0
                    c.drawString(xs[i] + pad + indent, base, line)
            y -= height
        start += n_rows
        c.setFont(FONT, 9)
        c.setFillColor(colors.grey)
        c.drawRightString(SLIDE[0] - 24, 18, str(slide))
        c.showPage()
    c.save()
    return path


WORD_ROWS = (
    (
        "Agree the threshold document with partners and publish it on the partnership website",
        "Partnership Manager",
        "April 2024",
    ),
    (
        "Audit twenty case files each month and share the learning with team managers at "
        "the practice forum",
        "Head of Quality Assurance",
        "Monthly",
    ),
    ("Recruit six permanent team managers", "HR Business Partner", "June 2024"),
    (
        "Bring supervision records onto the case system so that each record can be seen "
        "from the child's file, and report compliance to the board",
        "Head of Service, Safeguarding",
        "September 2024",
    ),
    (
        "Run two workshops for foster carers on contact arrangements",
        "Fostering Team Manager",
        "October 2024",
    ),
)


def word_table(
    path: Path, *, repeats: int = 1, intro: bool = True, repeat_header: bool = True
) -> Path:
    """A word processor's page: a heading, a paragraph, a 3-column table with its borders
    off (bold header, wrapped cells, spacing after each row), then a closing paragraph.
    `repeats` lengthens the table so it runs over a page break, where its header is
    printed again when `repeat_header`."""
    ss = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=ss["BodyText"], fontName=FONT, fontSize=10.5)
    bold = ParagraphStyle("h", parent=body, fontName=BOLD)
    data: list[list[object]] = [[Paragraph(t, bold) for t in ("Action", "Lead", "By when")]]
    for _ in range(repeats):
        for text, lead, due in WORD_ROWS:
            data.append([Paragraph(text, body), Paragraph(lead, body), Paragraph(due, body)])
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5.4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5.4),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    story: list[object] = [Paragraph("Improving the front door", ss["Heading1"])]
    if intro:
        story.append(
            Paragraph(
                "This section sets out what we will do over the next year to make sure that "
                "every contact about a child is looked at quickly and by the right person.",
                body,
            )
        )
    story += [
        Table(
            data,
            colWidths=[250, 140, 90],
            style=style,
            repeatRows=1 if repeat_header else 0,
            hAlign="LEFT",
        ),
        Spacer(1, 8),
        Paragraph(
            "Progress against these actions will be reported to the improvement board "
            "every two months, with an exception report for anything that has slipped.",
            body,
        ),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


TAB_ROWS = (
    ("Practice standards signed off", "Director", "15 April 2024", "Done"),
    ("New referral form live", "Head of Front Door", "1 May 2024", "On track"),
    ("First quarterly audit report", "Head of Quality", "31 July 2024", "On track"),
    ("Foster carer survey closes", "Fostering Manager", "30 August 2024", "Delayed"),
    ("Annual review to the board", "Director", "March 2025", "Not started"),
)


def tab_list(path: Path) -> Path:
    """A list laid out with tab stops: a bold header line and one line per milestone."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(BOLD, 16)
    c.drawString(72, 770, "Key milestones")
    c.setFont(FONT, 10)
    c.drawString(72, 748, "The dates below were agreed at the board meeting in March.")
    stops = (72, 260, 390, 490)
    y = 720
    c.setFont(BOLD, 10)
    for x, label in zip(stops, ("Milestone", "Owner", "Date", "Status"), strict=True):
        c.drawString(x, y, label)
    c.setFont(FONT, 10)
    for row in TAB_ROWS:
        y -= 16
        for x, text in zip(stops, row, strict=True):
            c.drawString(x, y, text)
    c.drawString(72, y - 30, "Dates will be reviewed each quarter.")
    c.showPage()
    c.save()
    return path


# --- pages that must stay text ---------------------------------------------------------------

PROSE = (
    "The service has made steady progress since the last visit. Caseloads are lower, and "
    "most children are now seen by a worker who knows them well. Managers check the work "
    "regularly and the quality of plans has improved, although some plans still describe "
    "tasks rather than the difference they will make for the child. "
)


def prose(path: Path) -> Path:
    """A page of justified prose under a heading."""
    ss = getSampleStyleSheet()
    style = ParagraphStyle("j", parent=ss["BodyText"], alignment=TA_JUSTIFY, fontSize=10.5)
    story: list[object] = [Paragraph("Summary of progress", ss["Heading1"])]
    for _ in range(5):
        story.append(Paragraph(PROSE * 2, style))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def two_column_prose(path: Path) -> Path:
    """Prose set in two columns, a heading now and then in each."""
    ss = getSampleStyleSheet()
    style = ParagraphStyle("j", parent=ss["BodyText"], alignment=TA_JUSTIFY, fontSize=9.5)
    w, h = A4
    gap, margin = 18, 54
    col = (w - 2 * margin - gap) / 2
    frames = [
        Frame(margin, margin, col, h - 2 * margin, id="left"),
        Frame(margin + col + gap, margin, col, h - 2 * margin, id="right"),
    ]
    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate(frames=frames)])
    story: list[object] = []
    for i in range(6):
        story.append(Paragraph(f"Area {i + 1} of the review", ss["Heading3"]))
        story.append(Paragraph(PROSE * 2, style))
    doc.build(story)
    return path


def bulleted_list(path: Path) -> Path:
    """Bullets with a hanging indent, some wrapping over two or three lines, one level nested."""
    ss = getSampleStyleSheet()
    top = ParagraphStyle(
        "l0",
        parent=ss["BodyText"],
        fontName=FONT,
        bulletFontName=FONT,
        leftIndent=24,
        bulletIndent=10,
    )
    nested = ParagraphStyle("l1", parent=top, leftIndent=48, bulletIndent=34)
    story: list[object] = [Paragraph("What we will focus on", ss["Heading2"])]
    for i in range(6):
        text = "Make sure every child has a plan that is reviewed on time" + (
            " and that the review records what has changed for the child since the last one"
            * (i % 3)
        )
        story.append(Paragraph(text, top, bulletText="•"))
        if i % 2:
            story.append(Paragraph("Check it at supervision", nested, bulletText="–"))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def title_block(path: Path) -> Path:
    """A cover page: centred title lines of several sizes, a date and a version line."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    w = A4[0]
    for y, font, size, text in (
        (620, BOLD, 28, "Children's Services"),
        (585, BOLD, 28, "Improvement Plan"),
        (540, FONT, 16, "2024 to 2026"),
        (400, FONT, 11, "Version 3.1"),
        (384, FONT, 11, "Approved by the Improvement Board"),
        (368, FONT, 11, "March 2024"),
    ):
        c.setFont(font, size)
        c.drawCentredString(w / 2, y, text)
    c.setFont(FONT, 9)
    c.drawString(72, 90, "Owner: Director of Children's Services")
    c.drawRightString(w - 72, 90, "Review: March 2025")
    c.showPage()
    c.save()
    return path


def label_values(path: Path) -> Path:
    """An action written as label:value lines, the values aligned at a tab stop."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(BOLD, 13)
    c.drawString(72, 770, "Action 4: Strengthen return home interviews")
    y = 745
    for label, value in (
        ("Lead officer:", "Head of Adolescent Services"),
        ("By:", "June 2024"),
        ("Measure:", "Interviews offered within 72 hours"),
        ("Status:", "Amber"),
    ):
        c.setFont(BOLD, 10)
        c.drawString(72, y, label)
        c.setFont(FONT, 10)
        c.drawString(170, y, value)
        y -= 15
    c.setFont(FONT, 10)
    c.drawString(72, y - 10, "Interviews are offered by a worker the young person already knows.")
    c.showPage()
    c.save()
    return path


# --- KPI cards two across --------------------------------------------------------------------

CARDS = (
    (
        "PI 01 Contacts with a decision in one working day",
        "GREEN",
        "#00B050",
        "Latest: 97% | Target: 95%, Floor: 90% | Previous: 96% (Green)",
    ),
    (
        "PI 02 Assessments completed within 45 days",
        "AMBER",
        "#FFC000",
        "Latest: 81% | Target: 85%, Floor: 75% | Previous: 79% (Amber)",
    ),
    (
        "PI 03 Child protection visits on time",
        "RED",
        "#FF0000",
        "Latest: 62% | Target: 90%, Floor: 80% | Previous: 70% (Amber)",
    ),
    (
        "PI 04 Care leavers in suitable accommodation",
        "GREEN",
        "#00B050",
        "Latest: 92% | Target: 90%, Floor: 85% | Previous: 91% (Green)",
    ),
)


def card_pairs(path: Path, *, framed: bool = True, rounded: bool = False) -> Path:
    """A performance report's page of KPI cards laid two across: each card a box with a
    title band, a rating badge (the word in a filled box), a few chart labels and a strip
    of labelled values at its foot. Nothing rules a grid between them; without `framed`
    no outline is drawn either, only the title band and the strip's panel; `rounded` draws
    the outline with rounded corners (a curve, not a rectangle)."""
    w, h = landscape(A4)
    c = Canvas(str(path), pagesize=(w, h), invariant=1)
    c.setFont(BOLD, 18)
    c.drawString(36, h - 44, "Front door and assessment")
    margin, gap = 36.0, 20.0
    card_w, card_h = (w - 2 * margin - gap) / 2, 220.0
    for i, (title, badge, fill, strip) in enumerate(CARDS):
        col, row = i % 2, i // 2
        x = margin + col * (card_w + gap)
        y = h - 70 - (row + 1) * card_h - row * 14
        c.setStrokeColor(colors.HexColor("#BFBFBF"))
        if framed and rounded:
            c.roundRect(x, y, card_w, card_h, 12, stroke=1, fill=0)
        elif framed:
            c.rect(x, y, card_w, card_h, stroke=1, fill=0)
        c.setFillColor(colors.HexColor("#D9E2F3"))
        c.rect(x, y + card_h - 34, card_w, 34, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(BOLD, 11)
        c.drawString(x + 8, y + card_h - 22, title)
        c.setFillColor(colors.HexColor(fill))
        c.rect(x + 10, y + card_h - 80, 80, 30, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(BOLD, 13)
        c.drawCentredString(x + 50, y + card_h - 70, badge)
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(x + 130, y + card_h - 56, "Quarterly trend")
        c.setFont(FONT, 7)
        for k, q in enumerate(("Q3", "Q4", "Q1", "Q2")):
            c.drawCentredString(x + 150 + 50 * k, y + 44, q)
        c.setFillColor(colors.HexColor("#F2F2F2"))
        c.rect(x, y, card_w, 26, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(FONT, 9)
        c.drawString(x + 6, y + 9, strip)
    c.showPage()
    c.save()
    return path
