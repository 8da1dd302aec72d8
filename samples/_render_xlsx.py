"""Write sample grids as an XLSX workbook with openpyxl.

Each sheet has a few title lines, then the grid: a bold filled header row, solid
fills, merged ranges for spans, real dates where a cell has a date value and
text elsewhere. Fixed document properties and zip timestamps keep the bytes stable.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from _doc import Grid, GridCell
from _zipfix import normalise_zip
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Sheet:
    name: str
    title_lines: tuple[str, ...]
    grid: Grid
    total_width: int = 160  # characters across the sheet

    @property
    def first_row(self) -> int:
        """1-based worksheet row of the grid's first (header) row."""
        return len(self.title_lines) + 2 if self.title_lines else 1


def _value(gc: GridCell) -> object:
    if gc.value is not None:
        return gc.value
    lines = [("• " if p.bullet else "") + " ".join(p.text.split()) for p in gc.paras]
    return "\n".join(lines) if lines else None


def render_xlsx(sheets: list[Sheet], title: str, author: str, created: dt.datetime) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.created = created
    wb.properties.modified = created
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for i, line in enumerate(sheet.title_lines, 1):
            c = ws.cell(row=i, column=1, value=line)
            c.font = Font(bold=i == 1, size=14 if i == 1 else 11)
        if sheet.title_lines:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=sheet.grid.n_cols)
        top = sheet.first_row
        grid = sheet.grid
        for c, w in enumerate(grid.col_widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = max(6, round(w * sheet.total_width))
        for r, row in enumerate(grid.rows):
            for c, gc in enumerate(row):
                target = ws.cell(row=top + r, column=c + 1)
                target.border = BORDER
                if gc is None:
                    continue
                target.value = _value(gc)
                target.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(gc.value, dt.date):
                    target.number_format = "DD/MM/YYYY"
                if gc.bold:
                    target.font = Font(bold=True)
                if gc.fill:
                    rgb = gc.fill.lstrip("#").upper()
                    target.fill = PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)
        # Borders on covered cells first, then merge (openpyxl keeps the origin's value).
        for r, c, rs, cs in grid.spans():
            ws.merge_cells(
                start_row=top + r, start_column=c + 1, end_row=top + r + rs - 1, end_column=c + cs
            )
        if grid.header_rows:
            ws.freeze_panes = ws.cell(row=top + grid.header_rows, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), created)
