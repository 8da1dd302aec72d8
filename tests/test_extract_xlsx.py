"""The XLSX reader: one table per sheet, title rows above it, merged ranges,
fills (RGB, theme + tint, indexed), displayed values, hostile packages."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from planx.extractors import extract
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.xlsx import XlsxExtractor, apply_tint, value_to_text
from planx.schemas.layout import LayoutDocument
from tests.test_extract_docx import check_layout, layout_cases


def read(path: Path, **settings) -> LayoutDocument:
    return XlsxExtractor().extract(path, ExtractSettings(**settings))


def solid(colour: str | Color) -> PatternFill:
    return PatternFill(fill_type="solid", fgColor=colour)


def test_xlsx_samples_match_expected_layout(samples_dir: Path) -> None:
    cases = layout_cases(samples_dir, "xlsx", (".xlsx", ".xlsm"))
    assert cases, "the committed samples include XLSX plans"
    for path, tables in cases:
        check_layout(read(path), tables)


# ---------------------------------------------------------------- real workbooks


def test_corrective_action_plan_workbook(shared_dir: Path) -> None:
    doc = read(shared_dir / "realdocs" / "xlsx-action-plans" / "corrective-action-plan-171944.xlsx")
    assert doc.format == "xlsx" and doc.pages is None
    assert doc.metadata["sheet:Coversheet"] == "visible" and doc.metadata["sheet:Form"] == "visible"
    assert [b.text for b in doc.blocks if b.kind == "heading"] == ["Coversheet", "Form"]
    cover, form = doc.tables
    # a key/value cover sheet: labels down the left, no header row
    assert cover.n_header_rows == 0
    assert cover.cell(1, 0).text == "Version" and cover.cell(1, 1).text == "1.0.2"
    assert cover.cell(1, 0).fill == "#0066CC" and cover.cell(1, 0).bold
    # the form: 5000 formatted rows trimmed to the 30 filled in
    assert (form.n_rows, form.n_cols, form.n_header_rows) == (31, 3, 1)
    assert form.header_texts()[:2] == [
        "Audit Finding Reference Number",
        "Planned Corrective Action",
    ]
    assert form.cell(0, 0).fill == "#0066CC"
    assert form.cell(1, 0).text == "2022-020" and form.cell(1, 2).text == "N"
    assert form.cell(1, 1).text.startswith("Corrective action plan:")
    table_block = next(b for b in doc.blocks if b.table is form)
    assert table_block.prov.sheet == "Form" and table_block.prov.page is None
    assert all(c.page is None for row in form.rows for c in row)


def test_authority_register_workbook(shared_dir: Path) -> None:
    doc = read(shared_dir / "reference" / "ofsted_csc_ilacs_overview.xlsx")
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols, table.n_header_rows) == (154, 20, 1)
    headers = table.header_texts()
    assert headers[:4] == ["urn", "la_code", "region_code", "ltla23cd"]
    la = headers.index("local_authority")
    assert table.cell(1, la).text == "barnsley"
    assert table.cell(1, headers.index("la_code")).text == "370"


# ---------------------------------------------------------------- built workbooks


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws["A1"] = "Improvement Plan 2024/25"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["A2"] = "Updated monthly"
    header = ["Ref", "Action", "Lead", "Due", "Progress", "RAG"]
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=4, column=c, value=text)
        cell.font = Font(bold=True)
        cell.fill = solid("FFD9D9D9")
    ws["A5"] = "Theme 1: Workforce"
    ws.merge_cells("A5:F5")
    ws["A5"].fill = solid(Color(theme=4, tint=0.3999755851924192))
    rows = [
        ("1.1", "Recruit social workers", "HR", dt.datetime(2024, 9, 30), 0.8, "FF00B050"),
        ("1.2", "Reduce caseloads", "Ops", dt.datetime(2024, 12, 1, 14, 30), 0.25, "FFFFC000"),
        ("1.3", "Train managers", "L&D", dt.date(2025, 3, 31), 1, "FFFF0000"),
    ]
    for r, (ref, action, lead, due, progress, rag) in enumerate(rows, start=6):
        ws.cell(row=r, column=1, value=ref)
        ws.cell(row=r, column=2, value=action)
        ws.cell(row=r, column=3, value=lead)
        ws.cell(row=r, column=4, value=due)
        ws.cell(row=r, column=5, value=progress).number_format = "0%"
        ws.cell(row=r, column=6).fill = solid(rag)  # RAG by colour alone: an empty filled cell
    ws["C6"].fill = solid(Color(indexed=5))  # yellow from the legacy palette
    ws.merge_cells("B7:B8")
    ws["B9"] = None
    ws["H40"].fill = solid("FF123456")  # formatting far below the data does not extend the table
    hidden = wb.create_sheet("Lookups")
    hidden.sheet_state = "hidden"
    hidden["A1"], hidden["B1"] = "Code", "Meaning"
    hidden["A2"], hidden["B2"] = "G", "On track"
    wb.create_sheet("Blank")
    wb.properties.title = "Tracker"
    wb.properties.creator = "Tester"
    path = tmp_path / "tracker.xlsx"
    wb.save(path)
    return path


def test_title_rows_become_blocks_above_the_table(tracker: Path) -> None:
    doc = read(tracker)
    plan_blocks = [(b.kind, b.level, b.text) for b in doc.blocks[:4]]
    assert plan_blocks == [
        ("heading", 1, "Plan"),
        ("heading", 2, "Improvement Plan 2024/25"),
        ("paragraph", None, "Updated monthly"),
        ("table", None, ""),
    ]
    table = doc.tables[0]
    assert table.n_header_rows == 1
    assert table.header_texts() == ["Ref", "Action", "Lead", "Due", "Progress", "RAG"]
    assert table.n_rows == 5 and table.n_cols == 6


def test_merges_fills_and_displayed_values(tracker: Path) -> None:
    table = read(tracker).tables[0]
    theme_row = table.rows[1]
    assert theme_row[0].text == "Theme 1: Workforce" and theme_row[0].col_span == 6
    assert theme_row[0].fill == "#95B3D7"  # accent 1, lighter 40%
    assert all(c.merged_from == (1, 0) for c in theme_row[1:])
    assert table.texts()[1][1:] == [""] * 5
    assert table.cell(0, 0).fill == "#D9D9D9" and table.cell(0, 0).bold
    assert [table.cell(r, 5).fill for r in (2, 3, 4)] == ["#00B050", "#FFC000", "#FF0000"]
    assert [table.cell(r, 5).text for r in (2, 3, 4)] == ["", "", ""]
    assert table.cell(2, 2).fill == "#FFFF00"
    assert [table.cell(r, 3).text for r in (2, 3, 4)] == [
        "2024-09-30",
        "2024-12-01 14:30",
        "2025-03-31",
    ]
    assert [table.cell(r, 4).text for r in (2, 3, 4)] == ["80%", "25%", "100%"]
    assert table.cell(3, 1).row_span == 2 and table.cell(4, 1).merged_from == (3, 1)
    assert table.texts()[4][1] == "Reduce caseloads"


def test_hidden_sheets_are_read_and_blank_sheets_skipped(tracker: Path) -> None:
    doc = read(tracker)
    assert doc.metadata["sheet:Lookups"] == "hidden"
    assert doc.metadata["sheet:Blank"] == "visible"
    assert doc.metadata["title"] == "Tracker" and doc.metadata["author"] == "Tester"
    assert [b.text for b in doc.blocks if b.kind == "heading" and b.level == 1] == [
        "Plan",
        "Lookups",
    ]
    lookups = doc.tables[1]
    assert lookups.index == 1 and lookups.texts() == [["Code", "Meaning"], ["G", "On track"]]


def test_value_to_text_formats() -> None:
    assert value_to_text(0.805, "0.0%") == "80.5%"
    assert value_to_text(1234.5, "#,##0.00") == "1,234.50"
    assert value_to_text(1234.5, '"£"#,##0') == "£1,234"
    assert value_to_text(42.0) == "42" and value_to_text(0.1 + 0.2) == "0.3"
    assert value_to_text(True) == "TRUE"
    assert value_to_text(dt.datetime(2017, 3, 1)) == "2017-03-01"
    assert value_to_text("  two\n  lines ") == "two\nlines"
    assert value_to_text("<ul><li>one</li><li>two</li></ul>") == "• one\n• two"


def test_tint_matches_excel_palette() -> None:
    assert apply_tint("4F81BD", -0.249977111117893) == "376092"
    assert apply_tint("FFFFFF", -0.1499984740745262) == "D9D9D9"
    assert apply_tint("C0504D", 0.5999938962981048) == "E6B9B8"


def test_long_cell_truncated_with_warning(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Action", "Lead"])
    ws.append(["y" * 300, "Me"])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    doc = read(path, max_cell_chars=50)
    assert len(doc.tables[0].cell(1, 0).text) == 50
    assert doc.warnings == ("1 cell(s) longer than 50 characters were truncated",)


def test_font_colours(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Action", "Status"])
    fonts = [
        Font(color="FF00B050"),  # RGB as Excel writes it (ARGB)
        Font(color=Color(theme=5)),  # a theme colour (accent 2 of the theme openpyxl writes)
        Font(color=Color(indexed=10)),  # the legacy palette's red
        Font(color="FF595959"),  # grey is ordinary text
        Font(),  # automatic
    ]
    for i, font in enumerate(fonts):
        ws.append([f"Action {i}", "✓"])
        ws.cell(row=i + 2, column=2).font = font
    path = tmp_path / "fonts.xlsx"
    wb.save(path)
    table = read(path).tables[0]
    assert [table.cell(r, 1).text_colour for r in range(1, 6)] == [
        "#00B050",
        "#C0504D",
        "#FF0000",
        None,
        None,
    ]
    assert table.cell(0, 1).text_colour is None


# ---------------------------------------------------------------- hostile files


def test_empty_workbook_is_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["B3"].fill = solid("FFFF0000")  # formatting alone is not content
    wb.create_sheet("Second")
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    with pytest.raises(ExtractionError) as err:
        read(path)
    assert err.value.kind == "empty"


def test_size_limit_and_entities_are_refused(tracker: Path, tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as err:
        read(tracker, max_unzipped_bytes=5_000)
    assert err.value.kind == "too_large" and err.value.message.startswith("XLSX expands to")
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(tracker) as zin, zipfile.ZipFile(evil, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE w [<!ENTITY x "x">]><workbook', 1)
            zout.writestr(info.filename, data)
    with pytest.raises(ExtractionError) as err:
        read(evil)
    assert err.value.kind == "unreadable" and "entity" in err.value.message


def test_broken_workbook_is_corrupt(tmp_path: Path) -> None:
    not_zip = tmp_path / "plan.xlsx"
    not_zip.write_bytes(b"Ref,Action\n1,Do it\n")
    with pytest.raises(ExtractionError) as err:
        read(not_zip)
    assert err.value.kind == "corrupt"
    hollow = tmp_path / "hollow.xlsx"
    with zipfile.ZipFile(hollow, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExtractionError) as err:
        read(hollow)
    assert err.value.kind == "corrupt" and "\n" not in err.value.message


def test_registry_reads_xlsm_suffix(tracker: Path, tmp_path: Path) -> None:
    xlsm = tmp_path / "tracker.xlsm"
    xlsm.write_bytes(tracker.read_bytes())
    assert ".xlsm" in XlsxExtractor.suffixes
    doc = extract(xlsm)
    assert doc.format == "xlsx" and doc.tables[0].cell(0, 1).text == "Action"
