"""The PDF reader: ruled and unruled tables, joins across pages, split rows,
merged cells, fills, headers, headings and lists, running text, rotated pages,
and one-line errors for files that cannot be read."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from planx.extractors import extract
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.pdf import PdfExtractor
from planx.schemas.layout import LayoutDocument, Table

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


@lru_cache(maxsize=32)
def _read(path: str, drop_running_text: bool = True) -> LayoutDocument:
    return PdfExtractor().extract(Path(path), ExtractSettings(drop_running_text=drop_running_text))


def read(path: Path, **settings) -> LayoutDocument:
    if settings:
        return PdfExtractor().extract(path, ExtractSettings(**settings))
    return _read(str(path))


def error_of(path: Path, **settings) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        PdfExtractor().extract(path, ExtractSettings(**settings))
    return info.value


def texts(doc: LayoutDocument, kind: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if b.kind != "table" and (kind is None or b.kind == kind)]


def origins(table: Table) -> list:
    return [c for row in table.rows for c in row if c.merged_from is None]


def row_starting(table: Table, prefix: str) -> int:
    return next(r for r, row in enumerate(table.rows) if row[0].text.startswith(prefix))


# ---------------------------------------------------------------- the generated samples
# samples/expected/<stem>.json has a "layout" section; its "pdf" part lists the
# tables a reader must find (rows after page joins, header rows and labels,
# fills and spans of origin cells) and the pages each table touches.


def _sample_cases() -> list:
    expected_dir, plans_dir = SAMPLES / "expected", SAMPLES / "plans"
    cases = []
    if expected_dir.is_dir() and plans_dir.is_dir():
        for exp in sorted(expected_dir.glob("*.json")):
            pdf = plans_dir / f"{exp.stem}.pdf"
            if pdf.is_file():
                cases.append(pytest.param(pdf, exp, id=exp.stem))
    return cases or [
        pytest.param(None, None, marks=pytest.mark.skip(reason="samples not generated"))
    ]


@pytest.mark.parametrize(("pdf", "expected"), _sample_cases())
def test_sample_tables_match_expected_layout(pdf: Path, expected: Path) -> None:
    truth = json.loads(expected.read_text(encoding="utf-8"))
    layout = truth["layout"]["pdf"]
    doc = read(pdf)
    assert doc.pages == layout["pages"]
    assert len(doc.tables) == len(layout["tables"])
    for table, want, pages in zip(doc.tables, layout["tables"], layout["table_pages"], strict=True):
        name = want["name"]
        assert (table.n_rows, table.n_cols) == (want["rows"], want["cols"]), name
        assert table.n_header_rows == want["header_rows"], name
        assert table.header_texts() == want["header"], name
        fills = {f"{c.row},{c.col}": c.fill for c in origins(table) if c.fill}
        assert fills == want["fills"], name
        spans = sorted(
            [c.row, c.col, c.row_span, c.col_span]
            for c in origins(table)
            if c.row_span > 1 or c.col_span > 1
        )
        assert spans == sorted(want["spans"]), name
        assert list(table.pages) == pages, name


@pytest.mark.parametrize(("pdf", "expected"), _sample_cases())
def test_sample_actions_read_whole_on_their_page(pdf: Path, expected: Path) -> None:
    """Each action's text is in one cell (split rows joined), on the page it starts on."""
    truth = json.loads(expected.read_text(encoding="utf-8"))
    doc = read(pdf)

    def norm(s: str) -> str:
        return " ".join(s.replace("•", " ").split())

    cells = [c for t in doc.tables for c in origins(t)]
    for action in truth["actions"]:
        want = norm(action["action"])
        holders = [c for c in cells if want in norm(c.text)]
        assert holders, f"{pdf.name} {action['ref']}: action text not found in one cell"
        if action["page"]:
            assert holders[0].page == action["page"], action["ref"]


@pytest.mark.parametrize(("pdf", "expected"), _sample_cases())
def test_sample_running_header_and_page_numbers_dropped(pdf: Path, expected: Path) -> None:
    layout = json.loads(expected.read_text(encoding="utf-8"))["layout"]["pdf"]
    doc = read(pdf)
    header = layout["running_header"]
    header_pages = [b.prov.page for b in doc.blocks if b.kind != "table" and b.text == header]
    assert len(header_pages) <= 1  # at most the title on the first page, never per page
    assert not any(re.fullmatch(r"Page \d+", t) for t in texts(doc))
    assert not any(re.search(r"\bPage \d+$", t) for t in texts(doc))


def test_sample_bad_pdfs_give_their_error_kind() -> None:
    manifest = SAMPLES / "bad" / "manifest.json"
    assert manifest.is_file(), "samples/bad/manifest.json is committed"
    kinds = json.loads(manifest.read_text(encoding="utf-8"))
    checked = 0
    for name, entry in kinds.items():
        path = SAMPLES / "bad" / name
        if path.suffix != ".pdf" or entry["kind"] is None:
            continue
        assert error_of(path).kind == entry["kind"], name
        checked += 1
    assert checked >= 3


# ---------------------------------------------------------------- real rendered plans


@pytest.fixture(scope="module")
def bristol(shared_dir: Path) -> LayoutDocument:
    return read(shared_dir / "rendered" / "bristol_2016-17_getting_to_good.pdf")


@pytest.fixture(scope="module")
def scrutiny(shared_dir: Path) -> LayoutDocument:
    return read(shared_dir / "rendered" / "worcestershire_2017_scrutiny_update.pdf")


@pytest.fixture(scope="module")
def wellbeing(shared_dir: Path) -> LayoutDocument:
    return read(shared_dir / "rendered" / "plan_2017-18_wellbeing_safeguarding.pdf")


def test_theme_table_continues_over_three_pages_as_one(bristol: LayoutDocument) -> None:
    theme1 = next(t for t in bristol.tables if t.rows[1][0].text.startswith("1.1 "))
    assert theme1.pages == (4, 5, 6)
    assert theme1.header_texts() == ["Action", "KPI Ref", "Due", "Lead"]
    assert theme1.n_header_rows == 1
    assert theme1.n_rows == 22  # the header repeated on pages 5 and 6 is dropped
    assert sum(row[0].text == "Action" for row in theme1.rows) == 1
    # Page 5 draws the ref in its own column; it is folded back into "Action".
    r = row_starting(theme1, "1.2.4")
    assert theme1.rows[r][0].text.startswith("1.2.4 Train")
    assert theme1.rows[r][0].page == 5
    assert theme1.rows[r][2].text == "Jan 2017"


def test_cell_line_breaks_kept_only_between_entries(bristol: LayoutDocument) -> None:
    theme1 = next(t for t in bristol.tables if t.rows[1][0].text.startswith("1.1 "))
    r = row_starting(theme1, "1.2.1")
    lead = theme1.rows[r][3].text
    assert lead.split("\n") == [
        "Head of Safeguarding and Area Services",
        "Head of Service Children in Care & Care Leavers",
    ]
    assert "\n" not in theme1.rows[r][0].text  # a wrapped action reads as one line
    assert theme1.rows[row_starting(theme1, "1.1.1")][2].text == "Report quarterly"
    r = row_starting(theme1, "1.4.2")
    assert theme1.rows[r][0].text.count("\n• ") == 3  # bulleted sub-list kept, one per line


def test_kpi_table_joins_last_two_pages(bristol: LayoutDocument) -> None:
    kpis = bristol.tables[-1]
    assert kpis.pages == (14, 15)
    assert kpis.n_cols == 6
    assert kpis.n_rows == 41
    assert kpis.header_texts()[0] == "Ref"
    assert [row[0].text for row in kpis.rows].count("Ref") == 1
    theme = kpis.rows[1]
    assert theme[0].text.startswith("Theme 1:") and theme[0].col_span == 6
    assert theme[0].fill == "#F2F2F2"
    assert all(c.merged_from == (1, 0) and c.text == theme[0].text for c in theme[1:])
    assert kpis.rows[row_starting(kpis, "17c")][4].text == "20"


def test_rag_legend_fills(bristol: LayoutDocument) -> None:
    legend = bristol.tables[0]
    assert {row[0].text: row[0].fill for row in legend.rows[1:]} == {
        "RED": "#FF0000",
        "AMBER": "#FFC000",
        "GREEN": "#00B050",
        "BLUE": "#0070C0",
    }
    assert legend.rows[0][0].fill == "#D9D9D9" and legend.rows[0][0].bold
    assert legend.rows[1][1].fill is None


def test_headings_paragraphs_lists_and_order(bristol: LayoutDocument) -> None:
    headings = {b.text: b.level for b in bristol.blocks if b.kind == "heading"}
    assert headings["'Getting to Good'"] == 1
    assert headings["Theme 1: Quality of Social Work Practice"] == 2
    assert headings["Outcome statement:"] == 3
    items = [b for b in bristol.blocks if b.kind == "list_item" and b.list_label == "1."]
    assert items and items[0].text.startswith("Provide consistently good social work")
    assert any(b.list_label == "•" and b.level == 0 for b in bristol.blocks)
    # A paragraph cut by the page 2/3 break is read as one.
    assert any("financial backdrop" in t and "thematic areas" in t for t in texts(bristol))
    # Reading order: the theme heading, its outcome statement, then its table.
    kinds = [(b.kind, b.text[:7]) for b in bristol.blocks]
    at = kinds.index(("heading", "Theme 1"))
    assert [k for k, _ in kinds[at : at + 4]] == ["heading", "heading", "paragraph", "table"]
    assert not any(re.fullmatch(r"Page \d+", t) for t in texts(bristol))


def test_provenance(bristol: LayoutDocument) -> None:
    for block in bristol.blocks:
        assert block.prov.source == "bristol_2016-17_getting_to_good.pdf"
        assert block.prov.page is not None and block.prov.bbox is not None
    for i, table in enumerate(bristol.tables):
        assert table.index == i and table.source == bristol.source
        block = next(b for b in bristol.blocks if b.table is table)
        assert block.prov.table_index == i and block.prov.page == table.pages[0]
        for row in table.rows:
            for cell in row:
                assert cell.page in table.pages and cell.bbox is not None


def test_rag_sheet_two_row_header_and_fills(scrutiny: LayoutDocument) -> None:
    rag = next(t for t in scrutiny.tables if t.rows[0][0].text == "REF")
    assert rag.pages == (16, 17, 18)
    assert rag.n_header_rows == 2
    labels = rag.header_texts()
    assert labels[:3] == ["REF", "WORKSTREAM DETAIL", "RAG"]
    assert labels[4:] == ["NEXT KEY MILESTONES / March", "NEXT KEY MILESTONES / April"]
    assert rag.rows[0][4].col_span == 2 and rag.rows[0][0].row_span == 2
    assert rag.rows[1][0].merged_from == (0, 0)
    status = {row[0].text: (row[2].text, row[2].fill) for row in rag.rows[2:]}
    assert status["1.1"] == ("G", "#00B050")
    assert status["1.3"] == ("A", "#FFC000")
    assert status["1.7"] == ("R", "#FF0000")
    assert status["8.4"][1] == "#FFC000"  # last row, on the third page
    # Repeated two-row header dropped on pages 17 and 18.
    assert [c.text for c in origins(rag)].count("REF") == 1


def test_row_split_by_page_break_is_joined(scrutiny: LayoutDocument) -> None:
    outcomes = next(t for t in scrutiny.tables if t.rows[0][0].text.startswith("1 – SUPPORT"))
    assert outcomes.pages == (11, 12)
    assert outcomes.n_rows == 12
    cell = next(c for row in outcomes.rows for c in row if c.text.startswith("Domestic Abuse"))
    assert "decision making" in cell.text and cell.page == 11
    assert not any(c.text.startswith("and decision making") for row in outcomes.rows for c in row)


def test_prose_report_blocks(scrutiny: LayoutDocument) -> None:
    all_text = "\n".join(texts(scrutiny))
    assert "intentionally left blank" not in all_text
    assert "Page 11" not in all_text and "Page 5" not in all_text
    numbered = [b for b in scrutiny.blocks if b.kind == "list_item" and b.list_label == "1."]
    assert numbered and numbered[0].prov.page == 5
    assert numbered[0].text.startswith("This report is intended")
    assert ("heading", "Summary") in [(b.kind, b.text) for b in scrutiny.blocks]
    # Numbered paragraphs with a hanging indent are not a table.
    assert not any(t.pages == (5,) for t in scrutiny.tables)


def test_aim_cell_spans_rows_across_pages(wellbeing: LayoutDocument) -> None:
    assert len(wellbeing.tables) == 1
    plan = wellbeing.tables[0]
    assert plan.pages == tuple(range(2, 9))
    assert plan.header_texts()[:3] == ["Aim", "Key Tasks", "SMT Lead"]
    aim = plan.rows[1][0]
    assert aim.text.startswith("Develop consistent child-centred")
    assert aim.row_span >= 9 and aim.page == 2
    later = plan.rows[aim.row_span][0]  # the last row the aim covers, pages later
    assert later.merged_from == (1, 0) and later.text == aim.text and later.page > 2
    assert plan.rows[1][4].text == "September 2017"
    assert [row[0].text for row in plan.rows].count("Aim") == 1
    permanency = next(r for r, row in enumerate(plan.rows) if row[0].text == "Permanency planning")
    assert plan.rows[-1][0].merged_from == (permanency, 0)


def test_committee_report_header_table_and_bullets(shared_dir: Path) -> None:
    doc = read(shared_dir / "rendered" / "city_of_london_2018_sip_report.pdf")
    assert doc.tables[0].rows[1][1].text == "19/09/2018"
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert "20 tasks marked amber" in items
    assert [b.text for b in doc.blocks if b.kind == "heading"][0] == "Summary"
    assert doc.metadata == {} or isinstance(doc.metadata, dict)


# ---------------------------------------------------------------- third-party PDFs


def test_rotated_page_reads_like_the_upright_one(shared_dir: Path) -> None:
    tables_dir = shared_dir / "realdocs" / "pdf-tables"
    upright = read(tables_dir / "nics-background-checks-2015-11.pdf").tables
    rotated = read(tables_dir / "nics-background-checks-2015-11-rotated.pdf").tables
    assert len(rotated) == 1
    assert (rotated[0].n_rows, rotated[0].n_cols) == (17, 25)
    assert rotated[0].texts() == upright[0].texts()
    assert rotated[0].rows[0][0].col_span == 25  # the title row spans every column


def test_long_report_table_joins_fifteen_pages(shared_dir: Path) -> None:
    doc = read(
        shared_dir / "realdocs" / "pdf-tables" / "WARN-Report-for-7-1-2015-to-03-25-2016.pdf"
    )
    assert len(doc.tables) == 2
    notices, summary = doc.tables
    assert notices.pages == tuple(range(1, 16)) and notices.n_cols == 7
    assert notices.rows[0][0].text == "Notice Date"
    assert summary.pages == (15, 16) and summary.n_cols == 9
    assert summary.rows[1][0].text == "July 2015"


def test_merged_header_cells_in_a_dense_grid(shared_dir: Path) -> None:
    doc = read(shared_dir / "realdocs" / "pdf-tables" / "issue-336-example.pdf")
    first = doc.tables[0]
    assert first.n_header_rows == 2
    assert first.rows[2][0].row_span == 3
    assert first.rows[4][0].merged_from == (2, 0)
    assert first.texts()[4][0] == first.rows[2][0].text  # each row knows its value


def test_hostile_pdfs(shared_dir: Path, tmp_path: Path) -> None:
    tables_dir = shared_dir / "realdocs" / "pdf-tables"
    err = error_of(tables_dir / "password-example.pdf")
    assert err.kind == "encrypted" and "password" in err.message
    assert error_of(tables_dir / "empty.pdf").kind == "empty"
    doc = read(tables_dir / "malformed-from-issue-932.pdf")
    assert any("2021" in t for t in texts(doc))
    data = (shared_dir / "rendered" / "city_of_london_2018_sip_report.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    err = error_of(cut)
    assert err.kind == "corrupt" and err.message.startswith("PDF is damaged or truncated: ")
    assert "\n" not in err.message


def test_prose_reports_keep_few_tables(shared_dir: Path) -> None:
    ofsted = shared_dir / "realdocs" / "ofsted-ilacs"
    doc = read(ofsted / "halton_12-july-2024.pdf")
    assert len(doc.tables) == 1  # the judgements grid on page 1
    assert doc.tables[0].header_texts() == ["Judgement", "Grade"]
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "What needs to improve?" in headings
    assert any(b.list_label == "◼" for b in doc.blocks)
    title = "Inspection of Halton local authority children’s services"
    assert [b.prov.page for b in doc.blocks if b.text == title] == [1]  # footer copies dropped
    assert not any(re.fullmatch(r"\d+", t) for t in texts(doc))
    # Text highlights drawn as filled boxes are not tables.
    assert len(read(ofsted / "tameside_13-february-2024.pdf").tables) == 1


def test_list_item_cut_by_page_break_is_one_item(shared_dir: Path) -> None:
    doc = read(shared_dir / "realdocs" / "ofsted-ilacs" / "halton_12-july-2024.pdf")
    item5 = next(b for b in doc.blocks if b.kind == "list_item" and b.list_label == "5.")
    assert "powers of protection" in item5.text  # its last lines are on the next page
    assert not any(t.startswith("happens when police") for t in texts(doc))


def test_multi_column_prose_reads_column_by_column(shared_dir: Path) -> None:
    doc = read(shared_dir / "realdocs" / "pdf-tables" / "federal-register-2020-17221.pdf")
    assert all(set(t.pages) <= {5, 6} for t in doc.tables)  # only the two ruled tables
    # Three columns are read one after the other, so a column's lines join up.
    assert "AGENCY: Federal Aviation Administration (FAA), DOT." in texts(doc)
    assert texts(doc)[0] == "Proposed Rules"


# ---------------------------------------------------------------- generated PDFs


def _unruled_table_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    ss = getSampleStyleSheet()
    data: list[list[object]] = [["Ref", "Action", "Lead", "Due"]]
    for i in range(1, 7):
        text = f"Review the case files for team {i} and report what was found to the board."
        data.append([f"2.{i}", Paragraph(text, ss["BodyText"]), "Head of Service", "Mar 2018"])
    style = TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    )
    story = [
        Paragraph("Plan without rules", ss["Heading1"]),
        Paragraph(
            "An introduction that runs over more than one line of text. " * 4, ss["BodyText"]
        ),
        Table(data, colWidths=[40, 260, 110, 70], style=style),
        Paragraph("1. A numbered paragraph that follows the table and wraps. " * 3, ss["BodyText"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_table_from_text_alignment(tmp_path: Path) -> None:
    doc = read(_unruled_table_pdf(tmp_path / "unruled.pdf"))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.n_rows, table.n_cols) == (7, 4)
    assert table.header_texts() == ["Ref", "Action", "Lead", "Due"]
    assert table.n_header_rows == 1
    assert table.rows[6][0].text == "2.6"
    assert table.rows[6][1].text.endswith("to the board.")  # the last row's wrapped line too
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "table", "list_item"]


def _numbered_paragraphs_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle(
        "n", fontName="Helvetica", fontSize=10, leading=13, leftIndent=30, spaceAfter=6
    )
    story = [
        Paragraph(
            "Findings from the review of front door arrangements and thresholds. " * 3,
            style,
            bulletText=f"{i}.",
        )
        for i in range(1, 7)
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_numbered_paragraphs_stay_list_items(tmp_path: Path) -> None:
    doc = read(_numbered_paragraphs_pdf(tmp_path / "numbered.pdf"))
    assert doc.tables == []
    assert [b.list_label for b in doc.blocks] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert all(b.kind == "list_item" and b.text.startswith("Findings") for b in doc.blocks)


def test_running_text_kept_when_asked(tmp_path: Path, shared_dir: Path) -> None:
    path = shared_dir / "rendered" / "bristol_2016-17_getting_to_good.pdf"
    kept = read(path, drop_running_text=False)
    assert "Page 4" in texts(kept)
    assert "Page 4" not in texts(read(path))


def test_limits_and_empty_documents(shared_dir: Path, tmp_path: Path) -> None:
    path = shared_dir / "rendered" / "bristol_2016-17_getting_to_good.pdf"
    err = error_of(path, max_pages=10)
    assert err.kind == "too_large" and "15 pages" in err.message
    from reportlab.pdfgen import canvas

    blank = tmp_path / "drawing.pdf"
    c = canvas.Canvas(str(blank))
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    assert error_of(blank).kind == "no_text_layer"
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    assert error_of(zero).kind == "empty"


def test_a_damaged_page_becomes_a_warning(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pdfplumber.utils.exceptions import PdfminerException

    import planx.extractors.pdf.reader as pdf_module

    real = pdf_module.read_page

    def flaky(page, number, carried=None):
        if number == 2:
            raise PdfminerException("bad content stream")
        return real(page, number, carried)

    monkeypatch.setattr(pdf_module, "read_page", flaky)
    doc = PdfExtractor().extract(
        shared_dir / "rendered" / "city_of_london_2018_sip_report.pdf",
        ExtractSettings(pdf_engine="pdfplumber"),
    )
    assert doc.warnings == ("page 2 could not be read: bad content stream",)
    assert {b.prov.page for b in doc.blocks} == {1, 3}


def test_a_page_pdfium_cannot_load_becomes_a_warning(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    from planx.extractors.pdf.pdfium_page import PdfiumPages

    real = PdfiumPages.page

    def flaky(self, index):
        if index == 1:
            raise pdfium.PdfiumError("Failed to load page.")
        return real(self, index)

    monkeypatch.setattr(PdfiumPages, "page", flaky)
    doc = PdfExtractor().extract(
        shared_dir / "rendered" / "city_of_london_2018_sip_report.pdf",
        ExtractSettings(pdf_engine="pdfium"),
    )
    assert doc.warnings == ("page 2 could not be read: Failed to load page.",)
    assert {b.prov.page for b in doc.blocks} == {1, 3}


def test_registry_reads_pdf_by_content(shared_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "letter.docx"
    renamed.write_bytes(
        (shared_dir / "rendered" / "city_of_london_2018_sip_report.pdf").read_bytes()
    )
    doc = extract(renamed)
    assert doc.format == "pdf" and doc.tables and doc.warnings


def test_colour_conversion() -> None:
    from planx.extractors.pdf.tables import color_to_hex

    assert color_to_hex((1.0, 0.0, 0.0)) == "#FF0000"
    assert color_to_hex((0.0, 0.6901960784, 0.3137254901)) == "#00B050"
    assert color_to_hex((0.5,)) == "#808080"
    assert color_to_hex(0) == "#000000"
    assert color_to_hex((0.0, 0.25, 1.0, 0.0)) == "#FFBF00"  # CMYK
    assert color_to_hex((1.0, 1.0, 1.0)) is None  # white is no fill
    assert color_to_hex((0.0, 0.0, 0.0, 0.0)) is None
    assert color_to_hex(None) is None
    assert color_to_hex(("P0",)) is None  # a pattern
    assert color_to_hex((3,)) is None  # an index into a palette we cannot see


def test_turned_column_heading_reads_as_a_word(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "turned.pdf"
    c = canvas.Canvas(str(path))
    xs, ys = [100, 200, 350, 450], [700, 620, 590, 560]
    for x in xs:
        c.line(x, ys[-1], x, ys[0])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(105, 690, "Ref")
    c.drawString(205, 690, "Action")
    c.saveState()
    c.translate(400, 630)
    c.rotate(90)
    c.drawString(0, 0, "Status")
    c.restoreState()
    c.setFont("Helvetica", 10)
    for i, y in enumerate([605, 575]):
        c.drawString(105, y, f"1.{i + 1}")
        c.drawString(205, y, f"Do thing {i + 1}")
        c.drawString(355, y, "Green")
    c.showPage()
    c.save()
    table = read(path).tables[0]
    assert table.header_texts() == ["Ref", "Action", "Status"]
    assert table.texts()[2] == ["1.2", "Do thing 2", "Green"]


def _continued_table_pdf(path: Path, note_size: float) -> Path:
    """A ruled table whose first-column cell runs over the page break (drawn open at the
    top of page 2), with a note set at `note_size` under the table on page 1."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    xs = [60, 200, 360, 540]
    c.setFont("Helvetica", 12)
    for i, y in enumerate([790, 775, 760]):
        c.drawString(60, y, f"An opening paragraph in the body text, line {i + 1} of three.")
    ys = [740, 715, 640, 560]  # header, then one merged first-column cell over two rows
    for x in xs:
        c.line(x, ys[-1], x, ys[0])
    c.line(xs[0], ys[0], xs[-1], ys[0])
    c.line(xs[0], ys[1], xs[-1], ys[1])
    c.line(xs[1], ys[2], xs[-1], ys[2])  # no rule under the first column: it is merged
    c.line(xs[0], ys[3], xs[-1], ys[3])
    c.setFont("Helvetica-Bold", 10)
    for x, label in zip(xs, ["Priority", "Action", "Outcome"], strict=False):
        c.drawString(x + 5, ys[0] - 15, label)
    c.setFont("Helvetica", 10)
    c.drawString(xs[0] + 5, ys[1] - 15, "First priority")
    c.drawString(xs[1] + 5, ys[1] - 15, "Write the new guidance")
    c.drawString(xs[2] + 5, ys[1] - 15, "Guidance agreed")
    c.drawString(xs[1] + 5, ys[2] - 15, "Train the staff in")
    c.drawString(xs[2] + 5, ys[2] - 15, "Courses were run for")
    c.setFont("Helvetica", note_size)
    c.drawString(60, 120, "1 A note on where the figures in the table come from.")
    c.drawString(60, 108, "2 A second note on the same page.")
    c.showPage()
    ys = [790, 750, 680]  # the first row continues the row cut at the foot of page 1
    for x in xs:
        c.line(x, ys[-1], x, ys[0])
    c.line(xs[1], ys[0], xs[-1], ys[0])  # the merged cell is open at the top
    for y in ys[1:]:
        c.line(xs[0], y, xs[-1], y)
    c.setFont("Helvetica", 10)
    c.drawString(xs[1] + 5, ys[0] - 15, "every team")
    c.drawString(xs[2] + 5, ys[0] - 15, "all staff")
    c.drawString(xs[0] + 5, ys[1] - 15, "Second priority")
    c.drawString(xs[1] + 5, ys[1] - 15, "Audit the case files")
    c.drawString(xs[2] + 5, ys[1] - 15, "Audit reported")
    c.setFont("Helvetica", 12)
    c.drawString(60, 600, "A closing paragraph in the body text after the table.")
    c.showPage()
    c.save()
    return path


def test_cell_open_across_a_page_break_continues_the_table(tmp_path: Path) -> None:
    doc = read(_continued_table_pdf(tmp_path / "continued.pdf", note_size=8))
    assert len(doc.tables) == 1  # footnotes under the table do not end it
    table = doc.tables[0]
    assert table.pages == (1, 2) and table.n_cols == 3 and table.n_header_rows == 1
    assert table.texts() == [
        ["Priority", "Action", "Outcome"],
        ["First priority", "Write the new guidance", "Guidance agreed"],
        ["First priority", "Train the staff in every team", "Courses were run for all staff"],
        ["Second priority", "Audit the case files", "Audit reported"],
    ]
    assert table.rows[2][0].merged_from == (1, 0)
    notes = [t for t in texts(doc) if t.startswith(("1 A note", "2 A second"))]
    assert len(notes) == 2  # the notes stay text


def test_body_text_under_a_table_ends_it(tmp_path: Path) -> None:
    doc = read(_continued_table_pdf(tmp_path / "not-continued.pdf", note_size=12))
    assert [t.pages for t in doc.tables] == [(1,), (2,)]


def test_open_cells_need_ruled_sides() -> None:
    from planx.extractors.pdf.tables import TableGrid, close_open_cells

    def edge(orient: str, at: float, lo: float, hi: float) -> dict:
        if orient == "v":
            return {"orientation": "v", "x0": at, "x1": at, "top": lo, "bottom": hi}
        return {"orientation": "h", "top": at, "bottom": at, "x0": lo, "x1": hi}

    # Two columns, two rows; the top-left cell has no top rule.
    cells = [(100.0, 10.0, 200.0, 50.0), (0.0, 50.0, 100.0, 90.0), (100.0, 50.0, 200.0, 90.0)]
    ruled = [edge("v", x, 10, 90) for x in (0, 100, 200)]
    ruled += [edge("h", 10, 100, 200), edge("h", 50, 0, 200), edge("h", 90, 0, 200)]
    closed = TableGrid(close_open_cells(cells, ruled))
    assert not closed.ragged and closed.locate(50, 30) == 3
    # Highlighted runs of text: the hole's outer side is not ruled, so it stays a hole.
    boxes = [edge("v", 0, 10, 90), edge("v", 100, 10, 90), edge("v", 200, 50, 90)]
    boxes += [edge("h", 10, 0, 100), edge("h", 50, 0, 200), edge("h", 90, 0, 200)]
    cells = [(0.0, 10.0, 100.0, 50.0), (0.0, 50.0, 100.0, 90.0), (100.0, 50.0, 200.0, 90.0)]
    assert TableGrid(close_open_cells(cells, boxes)).ragged


def test_real_table_continued_with_an_open_cell(shared_dir: Path) -> None:
    doc = read(shared_dir / "realdocs" / "plans" / "Suicide-Prevention-Strategy-2017-2020.pdf")
    table = next(t for t in doc.tables if 36 in t.pages)
    assert table.pages == (35, 36)
    assert (table.n_rows, table.n_cols, table.n_header_rows) == (8, 3, 1)
    assert not any(36 in t.pages and t is not table for t in doc.tables)


def _coloured_marks_pdf(path: Path) -> Path:
    """A ruled table whose status cells show their colour only as a glyph's colour or a
    small shape: an arrow polygon, a dot on a shaded cell, red text, a blue link word."""
    from reportlab.lib.colors import Color, black
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    xs, ys = [60, 140, 400], [780, 755, 725, 695, 665, 635]
    c.setFillColor(Color(0.8, 0.8, 0.8))
    c.rect(xs[0], ys[3], xs[1] - xs[0], ys[2] - ys[3], stroke=0, fill=1)  # a shaded cell
    c.setFillColor(black)
    for x in xs:  # rules drawn as thin filled rects, as Word's PDF export does
        c.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1], stroke=0, fill=1)
    for y in ys:
        c.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(xs[0] + 5, ys[0] - 16, "Trend")
    c.drawString(xs[1] + 5, ys[0] - 16, "Measure")
    c.setFillColor(Color(0.57, 0.82, 0.31))  # an upward arrow
    arrow = c.beginPath()
    for i, (x, y) in enumerate([(95, 730), (105, 740), (115, 730), (108, 730), (108, 720)]):
        (arrow.moveTo if i == 0 else arrow.lineTo)(x, y)
    arrow.lineTo(102, 720)
    arrow.lineTo(102, 730)
    arrow.close()
    c.drawPath(arrow, stroke=0, fill=1)
    c.setFillColor(Color(0.92, 0.22, 0.25))
    c.circle(100, 710, 5, stroke=0, fill=1)  # a dot on the shaded cell
    c.setFont("Helvetica", 10)
    c.drawString(xs[0] + 5, ys[3] - 20, "Worse")  # red text
    c.setFillColor(black)
    for i, y in enumerate(ys[1:-1]):
        c.drawString(xs[1] + 5, y - 20, f"Measure number {i + 1}")
    c.drawString(xs[0] + 5, ys[4] - 20, "See")
    c.setFillColor(Color(0.0, 0.3, 0.9))
    c.drawString(xs[0] + 25, ys[4] - 20, "x")  # a short link in an ordinary cell
    c.setFillColor(black)
    c.drawString(xs[0] + 32, ys[4] - 20, "the notes")
    c.showPage()
    c.save()
    return path


def test_glyph_colours_and_icon_fills(tmp_path: Path) -> None:
    table = read(_coloured_marks_pdf(tmp_path / "marks.pdf")).tables[0]
    first = [table.rows[r][0] for r in range(1, 5)]
    assert [c.icon_fill for c in first] == ["#91D14F", "#EB3840", None, None]
    assert [c.text_colour for c in first] == [None, None, "#EB3840", None]
    assert first[1].fill == "#CCCCCC"  # the shading stays the fill; the dot is an icon
    assert all(c.icon_fill is None and c.text_colour is None for c in table.rows[0])
    assert all(row[1].text_colour is None and row[1].icon_fill is None for row in table.rows)


def test_real_arrows_and_blue_text(shared_dir: Path) -> None:
    path = shared_dir / "realdocs" / "plans" / "H4F-2019-Horsham-CYP-Local-Health-Profile.pdf"
    tables = [t for t in read(path).tables if t.pages == (47,)]
    icons = [c.icon_fill for t in tables for row in t.rows for c in row if c.merged_from is None]
    assert sorted(i for i in icons if i) == ["#92D050"] * 6 + ["#EA393F"] + ["#FFC000"] * 5
    coloured = [c for t in tables for row in t.rows for c in row if c.text_colour]
    assert {c.text_colour for c in coloured} == {"#2703D0"}


def test_key_of_coloured_marks_keeps_their_colours(tmp_path: Path) -> None:
    from reportlab.lib.colors import Color, black
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        pytest.skip("no TrueType font with the marks (DejaVu Sans) on this machine")
    pdfmetrics.registerFont(TTFont("MarksFont", str(font)))
    path = tmp_path / "key.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("MarksFont", 10)
    c.drawString(60, 800, "Key:")
    for x, mark, colour, label in [
        (90, "▲", Color(0.57, 0.82, 0.31), "Better"),
        (160, "●", Color(0.92, 0.22, 0.25), "Worse"),
        (230, "○", Color(0.5, 0.5, 0.5), "No data"),
    ]:
        c.setFillColor(colour)
        c.drawString(x, 800, mark)
        c.setFillColor(black)
        c.drawString(x + 12, 800, label)
    c.drawString(60, 770, "A plain paragraph.")
    c.showPage()
    c.save()
    doc = read(path)
    key = next(b for b in doc.blocks if b.text.startswith("Key"))
    assert key.colour_runs == (("▲", "#91D14F"), ("●", "#EB3840"))
    assert all(b.colour_runs == () for b in doc.blocks if b is not key)
