"""Inputs that must fail (or read as nothing) cleanly: each is what its name claims."""

from __future__ import annotations

import io
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
USER_PASSWORD = "planx-user"

# What a reader should report for each file (the `kind` of its error record).
MANIFEST = {
    "empty.pdf": {"kind": "empty", "what": "0 bytes"},
    "truncated.pdf": {"kind": "corrupt", "what": "the first half of a sample plan PDF"},
    "encrypted.pdf": {"kind": "encrypted", "what": "PDF with a user password"},
    "scanned_no_text.pdf": {
        "kind": "no_text_layer",
        "what": "one page that is only an image of text",
    },
    "not_a_zip.docx": {"kind": "corrupt", "what": "plain text bytes named .docx"},
    "wrong_extension.docx": {
        "kind": None,
        "what": "a one-page PDF letter named .docx: read as PDF with a warning; no actions",
    },
    "unsupported.rtf": {"kind": "unsupported", "what": "a small RTF file"},
}


def _letter_pdf(lines: list[str], encrypt: StandardEncryption | None = None) -> bytes:
    buf = io.BytesIO()
    style = ParagraphStyle("letter", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=8)
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, encrypt=encrypt, title="Letter")
    doc.build([Paragraph(t, style) if t else Spacer(1, 12) for t in lines])
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    return _letter_pdf(
        [
            "Kestrel Bay Council – Service Improvement Plan 2018-2019 (restricted draft)",
            "This draft is protected. Theme 1: Quality of practice.",
        ],
        StandardEncryption(USER_PASSWORD, ownerPassword="planx-owner", canPrint=0),
    )


def letter_pdf() -> bytes:
    return _letter_pdf(
        [
            "Wexcombe Council, Children's Services, Civic Centre, Wexcombe",
            "",
            "Dear colleague,",
            "Thank you for attending the improvement planning workshop on 12 September 2019. The "
            "notes of the session and the agreed next steps will be circulated with the papers for the "
            "next Improvement Board.",
            "Yours sincerely,",
            "Improvement Programme Office",
        ]
    )


def scanned_pdf() -> bytes:
    """An A4 page whose only content is a picture of a plan table: no text layer."""
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    big = ImageFont.truetype(str(VERA), 36)
    small = ImageFont.truetype(str(VERA), 22)
    draw.text((100, 120), "Harrowden Council – Improvement Plan (scanned copy)", font=big, fill=0)
    x0, x1, y = 100, 1140, 220
    cols = (100, 260, 820, 1000, 1140)
    rows = [
        ("Ref", "Action", "Lead", "Due"),
        ("1.1", "Appoint a Principal Social Worker", "DB", "Jul 2018"),
        ("1.2", "Agree practice standards", "RT", "Sep 2018"),
        ("1.3", "Publish a team scorecard", "MF", "Jun 2018"),
    ]
    for r, row in enumerate(rows):
        top = y + r * 60
        draw.line((x0, top, x1, top), fill=0, width=2)
        for c, text in enumerate(row):
            draw.text((cols[c] + 12, top + 16), text, font=small, fill=0)
    bottom = y + len(rows) * 60
    draw.line((x0, bottom, x1, bottom), fill=0, width=2)
    for x in cols:
        draw.line((x, y, x, bottom), fill=0, width=2)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


RTF = (
    r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0\fs22"
    r"{\b Northam Vale Council}\par "
    r"Children's Services Improvement Plan 2017/18 - summary for members\par "
    r"1.1.1 Publish revised practice standards\tab PSW\tab Sep 2017\par }"
)


def bad_files(sample_pdf: bytes) -> dict[str, bytes]:
    """File name -> bytes for samples/bad/."""
    return {
        "empty.pdf": b"",
        "truncated.pdf": sample_pdf[: len(sample_pdf) // 2],
        "encrypted.pdf": encrypted_pdf(),
        "scanned_no_text.pdf": scanned_pdf(),
        "not_a_zip.docx": b"This is not a Word document: it is plain text saved with a .docx name.\n",
        "wrong_extension.docx": letter_pdf(),
        "unsupported.rtf": RTF.encode("ascii"),
    }
