"""The workbook written as text (pipeline/workbook.py) is the one openpyxl wrote: each
sheet's XML byte for byte, and the values, types, formats and layout read back."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planx.pipeline.flatten import records_to_rows
from planx.pipeline.outputs import CSV_ORDER
from planx.pipeline.process import process_file
from planx.pipeline.sinks import XLSX_SKIP, sheet_widths
from planx.pipeline.table_stream import BinaryTables, TableShape, _shown_column
from planx.pipeline.workbook import Workbook, column_letter
from planx.schemas.table_columns import TABLE_COLUMNS

SAMPLE_PLANS = (
    "northam_vale_2017-18_improvement_plan.pdf",
    "wexcombe_2019-20_improvement_tracker.xlsx",
    "harrowden_2018-19_family_support_plan.docx",
)


def openpyxl_sheet(columns, kinds, values, widths) -> bytes:
    """A sheet as planx wrote it with openpyxl's write-only mode (the writer this one
    replaced): bold frozen header, widths, typed cells, filters."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("t")
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in zip(*values, strict=True):
        cells = []
        for kind, value in zip(kinds, row, strict=True):
            if kind == "date":
                cell = WriteOnlyCell(ws, value=value or dt.datetime(2000, 1, 1))
                cell.number_format = "yyyy-mm-dd"
                if value is None:
                    cell.value = None
                value = cell
            elif kind == "bool" and value is not None:
                value = int(value)
            cells.append(value)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(values[0]) + 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def planx_sheet(tmp_path: Path, columns, kinds, values, widths) -> bytes:
    book = Workbook()
    cell_kinds = [k if k in ("text", "date") else "number" for k in kinds]
    book.add_sheet("t", columns, widths).write_columns(cell_kinds, values)
    book.save(tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as zf:
        return zf.read("xl/worksheets/sheet1.xml")


@pytest.fixture(scope="module")
def sample_tables(samples_dir: Path) -> dict[str, list[dict]]:
    plans = [process_file(samples_dir / "plans" / name).plan for name in SAMPLE_PLANS]
    return records_to_rows(plans, [])


def test_sheets_are_the_xml_openpyxl_wrote_for_the_sample_plans(tmp_path, sample_tables):
    compared = 0
    for name, rows in sample_tables.items():
        if name in XLSX_SKIP:
            continue
        shape = TableShape.of(name)
        values = shape.typed_columns(rows)
        shown = [_shown_column(k, v) for k, v in zip(shape.kinds, values, strict=True)]
        widths = sheet_widths(shape.columns, shown)
        ours = planx_sheet(tmp_path, shape.columns, shape.kinds, values, widths)
        theirs = openpyxl_sheet(shape.columns, shape.kinds, values, widths)
        assert ours == theirs, name
        compared += len(rows)
    assert compared > 100  # actions, KPIs, leads, milestones ... of three plans


def test_awkward_values_are_written_as_openpyxl_wrote_them(tmp_path):
    columns = ("text", "n", "when", "flag")
    kinds = ("text", "float", "date", "bool")
    values = [
        ["a & b < c > d", " padded ", "", "line\r\nbreak\ttab", "é ✓ 😀", "'=SUM(A1)"],
        [1.5, None, math.nan, 10**17, 0.1 + 0.2, -3.0],
        [dt.date(2019, 3, 31), None, dt.date(1900, 2, 28), dt.date(1900, 3, 1), None, None],
        [True, False, None, True, None, False],
    ]
    widths = [10, 8, 12, 6]
    ours = planx_sheet(tmp_path, columns, kinds, values, widths)
    assert ours == openpyxl_sheet(columns, kinds, values, widths)


def test_text_xml_cannot_hold_is_dropped_and_long_text_cut(tmp_path):
    book = Workbook()
    book.add_sheet("t", ["text"], [10]).write_columns(["text"], [["bell\x07 here", "x" * 40_000]])
    book.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert ws["A2"].value == "bell here"
    assert ws["A3"].value == "x" * 32_767


def test_a_workbook_reads_back_with_types_formats_and_layout(tmp_path):
    book = Workbook()
    actions = book.add_sheet("actions", ["ref", "due", "pages", "done"], [6, 12, 7, 6])
    actions.write_columns(
        ["text", "date", "number", "number"],
        [["1.1", "1.2"], [dt.date(2024, 5, 31), None], [3, None], [1, 0]],
    )
    actions.write_columns(["text", "date", "number", "number"], [["2.1"], [None], [7.5], [1]])
    book.add_sheet("kpis", ["name"], [8])  # a table with no rows: its header only
    book.save(tmp_path / "plans.xlsx")

    wb = openpyxl.load_workbook(tmp_path / "plans.xlsx")
    assert wb.sheetnames == ["actions", "kpis"]
    ws = wb["actions"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["ref", "due", "pages", "done"],
        ["1.1", dt.datetime(2024, 5, 31), 3, 1],
        ["1.2", None, None, 0],
        ["2.1", None, 7.5, 1],
    ]
    assert ws["B2"].number_format == ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D4"
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [6, 12, 7, 6]
    assert wb["kpis"].auto_filter.ref == "A1:A1"
    assert list(wb["kpis"].values) == [("name",)]
    frame = pd.read_excel(tmp_path / "plans.xlsx", sheet_name="actions", dtype={"ref": str})
    assert list(frame["ref"]) == ["1.1", "1.2", "2.1"]
    assert frame["due"].iloc[0] == pd.Timestamp("2024-05-31")


def test_the_run_writes_every_table_but_the_tags_in_order(tmp_path, sample_tables):
    tables = BinaryTables(tmp_path, ["xlsx"], chunk_rows=7)
    for name, rows in sample_tables.items():
        tables.add(name, TableShape.of(name).typed_columns(rows))
    tables.close()
    wb = openpyxl.load_workbook(tmp_path / "plans.xlsx", read_only=True)
    assert wb.sheetnames == [n for n in CSV_ORDER if n not in XLSX_SKIP]
    actions = list(wb["actions"].values)
    assert actions[0] == tuple(TABLE_COLUMNS["actions"])
    assert len(actions) == len(sample_tables["actions"]) + 1


def test_column_letters():
    assert [column_letter(i) for i in (1, 26, 27, 52, 53, 702, 703)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
