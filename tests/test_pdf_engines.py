"""The two PDF engines (PDFium, the default, and pdfplumber, the reference) read every
PDF we hold to the same layout model: block kinds and texts, tables, cell texts and
fills, and the same one-line errors for files that cannot be read. Where they differ
the difference is listed below with its reason; the listed count of changed blocks
holds it from growing."""

from __future__ import annotations

import difflib
import hashlib
from functools import cache
from pathlib import Path

import pandas as pd
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.pdf import PdfExtractor
from planx.extractors.pdf import pdfium_page as pdfium_page_module
from planx.extractors.pdf.objects import RECT, from_pdfplumber
from planx.extractors.pdf.pdfium_page import PdfiumPages, UnusableFont
from planx.extractors.pdf.reader import FALLBACK_NOTE
from planx.schemas.layout import LayoutDocument

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SAMPLE_PLAN = SAMPLES / "plans" / "northam_vale_2017-18_improvement_plan.pdf"

# Documents the engines read differently, by the first 12 hex digits of their SHA-256
# (the shared folder's names name councils): the most blocks that may differ, and why.
ACCEPTED: dict[str, tuple[int, str]] = {
    # A notice in many scripts (a rendered plan): pdfminer writes "(cid:N)" for Bengali
    # glyphs PDFium maps to text, and PDFium mirrors brackets in right-to-left lines.
    "1b7d152aa129": (4, "PDFium maps glyphs pdfminer cannot; bidi brackets"),
    # A US listing whose dates are drawn with spaces between the digits at the same
    # places: pdfminer reads "0 3 / 2 5 / 2 0 16", PDFium drops the overlaid spaces and
    # reads "03/25/2016". Every row of the one long table differs; PDFium is right.
    "f52f80bd0573": (633, "PDFium drops spaces drawn over digits"),
    # Three-column register pages: PDFium's bullets sit 2pt lower (the two libraries
    # take the bullet font's descent from different metrics) and it leaves out spaces
    # pdfminer reports, so two column runs join differently.
    "ac419e4e084e": (16, "bullet font metrics; spaces PDFium leaves out"),
    # A strategy with a chart whose labels are set a letter at a time in turned text:
    # the two libraries put two letters of one label ("iv", "vi") in different orders.
    "d1fa3095c5b8": (1, "turned chart label letters ordered differently"),
    # A needs assessment whose cover has a stray white "&" that PDFium's text page
    # leaves out (so the heading levels shift by one) and whose pages draw runs of
    # spaces PDFium leaves out.
    "4a7b119e98f0": (7, "clipped cover glyph; spaces left out"),
    # A strategy with a ligature font without a Unicode map: pdfminer writes
    # "(cid:354)", PDFium the raw code ("Ţ"); PDFium also puts a space in a TJ gap.
    "b1dbc82f9008": (1, "unmapped ligatures read differently"),
}

Summary = list[tuple]


def pdfs_under(root: Path) -> list[Path]:
    """Every PDF in a folder, recursively, in name order."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def summary(doc: LayoutDocument) -> Summary:
    """What a user reads of a layout: block kinds and texts, table rows cell by cell."""
    out: Summary = []
    for b in doc.blocks:
        if b.table is None:
            out.append((b.kind, b.text, b.level, b.bold, b.list_label, b.colour_runs))
            continue
        out.append(("table", b.table.n_header_rows, b.table.pages))
        for row in b.table.rows:
            out.append(
                tuple(
                    (c.text, c.fill, c.bold, c.text_colour, c.icon_fill, c.row_span, c.col_span)
                    for c in row
                )
            )
    return out


@cache
def read_with(path: Path, engine: str) -> tuple[Summary, tuple[str, ...]]:
    """The layout summary and warnings of one engine's reading, or its one-line error."""
    try:
        doc = PdfExtractor().extract(path, ExtractSettings(pdf_engine=engine))
    except ExtractionError as exc:
        return [("error", exc.kind, exc.message)], ()
    return summary(doc), doc.warnings


def changed_blocks(a: Summary, b: Summary) -> int:
    """How many entries differ between two summaries (replaced, added or dropped)."""
    matcher = difflib.SequenceMatcher(
        a=[repr(x) for x in a], b=[repr(x) for x in b], autojunk=False
    )
    return sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )


def fingerprint(path: Path) -> str:
    """The first 12 hex digits of a file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def check_engines_agree(path: Path) -> None:
    """Both engines read `path` alike, or within its accepted difference."""
    pdfium_reading, pdfium_warnings = read_with(path, "pdfium")
    plumber_reading, plumber_warnings = read_with(path, "pdfplumber")
    assert pdfium_warnings == plumber_warnings
    key = fingerprint(path)
    if key not in ACCEPTED:
        if pdfium_reading != plumber_reading:
            diff = difflib.unified_diff(
                [repr(x)[:200] for x in plumber_reading],
                [repr(x)[:200] for x in pdfium_reading],
                lineterm="",
                n=0,
            )
            pytest.fail(f"{path.name} ({key}) reads differently:\n" + "\n".join(list(diff)[:20]))
        return
    bound, _reason = ACCEPTED[key]
    assert pdfium_reading[0][0] != "error" and plumber_reading[0][0] != "error"
    n = changed_blocks(plumber_reading, pdfium_reading)
    assert 0 < n <= bound, f"{path.name} ({key}): {n} blocks differ, {bound} accepted"


@pytest.mark.parametrize("path", pdfs_under(SAMPLES), ids=lambda p: p.name)
def test_engines_read_every_sample_pdf_alike(path):
    check_engines_agree(path)


@pytest.mark.parametrize("folder", ["rendered", "realdocs"])
def test_engines_read_every_shared_pdf_alike(shared_dir, folder):
    paths = pdfs_under(shared_dir / folder)
    assert paths
    for path in paths:
        check_engines_agree(path)


def test_accepted_differences_are_all_still_met(shared_dir):
    """No stale entry: every accepted difference is a file we still read."""
    held = {fingerprint(p) for root in (SAMPLES, shared_dir) for p in pdfs_under(root)}
    assert set(ACCEPTED) <= held


def test_pdfium_objects_match_pdfplumbers_on_a_sample_page():
    """Character boxes, fonts and colours, and the rules of tables, as pdfminer measures them."""
    with pdfplumber.open(SAMPLE_PLAN) as pdf:
        reference = from_pdfplumber(pdf.pages[0])
    pages = PdfiumPages(SAMPLE_PLAN)
    try:
        fast = pages.page(0)
    finally:
        pages.close()
    assert fast.bbox == pytest.approx(reference.bbox)
    assert len(fast.chars) == len(reference.chars)
    # PDFium keeps a font's widths as whole thousandths of an em where pdfminer keeps
    # the fractions, so along a line a glyph drifts up to half a point from where
    # pdfminer puts it: less than a word's gap (~2.5pt), and the same on every line.
    drift = []
    for a, b in zip(fast.chars, reference.chars, strict=True):
        assert (a.text, a.bold, a.colour, a.upright) == (b.text, b.bold, b.colour, b.upright)
        assert a.x1 - a.x0 == pytest.approx(b.x1 - b.x0, abs=0.02)
        assert a.bottom - a.top == pytest.approx(b.bottom - b.top, abs=0.02)
        drift.append(max(abs(a.x0 - b.x0), abs(a.top - b.top)))
    assert max(drift) < 1.0
    assert sum(drift) / len(drift) < 0.3
    fills = sorted((s.x0, s.top, s.fill_colour) for s in fast.shapes if s.kind == RECT and s.fill)
    expected = sorted(
        (s.x0, s.top, s.fill_colour) for s in reference.shapes if s.kind == RECT and s.fill
    )
    assert [f[2] for f in fills] == [e[2] for e in expected]
    corners = [c for f in fills for c in f[:2]]
    assert corners == pytest.approx([c for e in expected for c in e[:2]], abs=0.05)
    assert len(fast.edges) == len(reference.edges)


def test_a_font_pdfium_cannot_map_falls_back_to_pdfplumber_with_a_warning(monkeypatch):
    def unmappable(self, index):
        raise UnusableFont("40 characters have no Unicode mapping")

    monkeypatch.setattr(PdfiumPages, "page", unmappable)
    doc = PdfExtractor().extract(SAMPLE_PLAN, ExtractSettings(pdf_engine="pdfium"))
    reference = PdfExtractor().extract(SAMPLE_PLAN, ExtractSettings(pdf_engine="pdfplumber"))
    assert summary(doc) == summary(reference)
    assert doc.warnings[0] == (
        f"{FALLBACK_NOTE}: a font on page 1 maps to no text (40 characters have no Unicode mapping)"
    )


def test_a_file_pdfium_cannot_open_is_read_by_pdfplumber_and_the_warning_reaches_errors_csv(
    monkeypatch, tmp_path
):
    from planx.pipeline.batch import run_extract

    def cannot_open(self, path):
        raise pdfium.PdfiumError("Failed to load document", err_code=pdfium_c.FPDF_ERR_FORMAT)

    monkeypatch.setattr(pdfium_page_module.PdfiumPages, "__init__", cannot_open)
    run_extract([SAMPLE_PLAN], tmp_path / "out", batch={"workers": 1, "cache": False})
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    assert list(errors.severity) == ["warning"]
    assert list(errors.error) == [
        f"{FALLBACK_NOTE}: PDFium could not open it (Failed to load document)"
    ]
    actions = pd.read_csv(tmp_path / "out" / "actions.csv", keep_default_na=False)
    assert len(actions) > 0


def test_an_encrypted_pdf_is_one_line_with_either_engine():
    for engine in ("pdfium", "pdfplumber"):
        with pytest.raises(ExtractionError) as info:
            PdfExtractor().extract(
                SAMPLES / "bad" / "encrypted.pdf", ExtractSettings(pdf_engine=engine)
            )
        assert info.value.kind == "encrypted"
        assert info.value.message == "PDF is password-protected; save an unprotected copy"


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="pdf_engine"):
        ExtractSettings(pdf_engine="mupdf")
