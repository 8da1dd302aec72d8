"""The XLSX workbook, written as SpreadsheetML text: a sheet per table, rows as they come.

openpyxl's write-only mode made a Python cell object per value and spent ~80% of the sink
process's time on it (twice the time of Parquet and DuckDB together). A sheet of typed
columns is regular enough to write as text a column at a time: each sheet's XML is what
openpyxl wrote for the same rows, byte for byte (tests/test_workbook.py holds the two side
by side), about fifteen times faster. The workbook's other parts (styles, relationships)
are small and fixed.

Cells: text as inline strings (as openpyxl wrote them; no shared-strings table to hold
in memory), numbers as numbers, dates as day numbers shown yyyy-mm-dd, a missing date as
an empty cell with the date style, other missing values as no cell at all. Text that
XML cannot hold (control characters other than tab and line breaks) is dropped and text
is cut at Excel's 32,767 characters. Unlike openpyxl, text that reads like an Excel error
code ("#N/A") stays text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Literal

__all__ = ["CellKind", "Workbook", "column_letter"]

CellKind = Literal["text", "number", "date"]

MAX_TEXT = 32_767  # Excel's limit on a cell's characters
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # not allowed in XML 1.0
_EPOCH = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (Windows dates)
_SECONDS_PER_DAY = 86_400

# Deflate's fastest level: a run's workbook is zipped after its last file is read, while the
# run waits; on 60 plans (27 MB of sheet XML) 0.13 s against 0.30 s at zlib's default
# level, for a file ~30% larger (3.6 MB against 2.8 MB).
ZIP_LEVEL = 1

# Style ids (styles.xml's cellXfs): the header row bold; dates and date-times formatted.
_BOLD, _DATE, _DATETIME = 1, 2, 3


def column_letter(index: int) -> str:
    """The spreadsheet name of column `index` (1 = A, 27 = AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    """Text as XML character data, escaped as lxml (openpyxl's writer) escapes it."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if not text.isascii():  # lxml wrote the sheets in ASCII, other characters as numbers
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text


# What _escape changes, besides characters outside ASCII: most cells have none of either.
_ESCAPED = re.compile(r"[&<>\r\000-\010\013\014\016-\037]")


def _text_cell(ref: str, text: str) -> str:
    text = text[:MAX_TEXT]
    if not text:
        return f'<c r="{ref}" t="inlineStr"></c>'
    # Leading or trailing whitespace (text != text.strip()) is kept by xml:space.
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    if not text.isascii() or _ESCAPED.search(text):
        text = _escape(text)
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number(value: float | int) -> str:
    """A number as openpyxl formats one; NaN and infinities have no value in a sheet."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return f"{float(value):.16g}"


def _serial(value: dt.date) -> str:
    """A date (or date-time) as Excel's day number, with the 1900 leap-year fix-up for
    the first two months of 1900 as openpyxl makes it."""
    days = value.toordinal() - _EPOCH
    if 0 < days <= 60:
        days -= 1
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return _number(days + (seconds + value.microsecond * 10**-6) / _SECONDS_PER_DAY)
    return _number(days)


def _date_cell(ref: str, value: Any, style: int = _DATE) -> str:
    if value is None or _is_nat(value):
        return f'<c r="{ref}" s="{style}" t="n"></c>'
    return f'<c r="{ref}" s="{style}" t="n"><v>{_serial(value)}</v></c>'


def _is_nat(value: Any) -> bool:
    return value != value  # pandas' NaT, like NaN, is not equal to itself


def _any_cell(ref: str, value: Any, date_column: bool) -> str:
    """One cell of any value, as openpyxl types it (a whole frame's path: see sinks.py)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, dt.date):
        if date_column:
            return _date_cell(ref, value)
        return "" if _is_nat(value) else _date_cell(ref, value, _DATETIME)
    return f'<c r="{ref}" t="n"><v>{_number(value)}</v></c>'


def _text_cells(letter: str, first_row: int, values: list[str | None]) -> list[str]:
    """A text column's cells: _text_cell's, with the common cases (no value, empty, plain
    text) written here without a call each."""
    cells: list[str] = []
    add = cells.append
    for r, v in enumerate(values, first_row):
        if v is None:
            add("")
        elif not v:
            add(f'<c r="{letter}{r}" t="inlineStr"></c>')
        elif (
            len(v) <= MAX_TEXT
            and v.isascii()
            and not v[0].isspace()
            and not v[-1].isspace()
            and not _ESCAPED.search(v)
        ):
            add(f'<c r="{letter}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
        else:
            add(_text_cell(f"{letter}{r}", v))
    return cells


def _column_cells(kind: CellKind, letter: str, first_row: int, values: list[Any]) -> list[str]:
    """A typed column's cells, one string per row ("" for no cell)."""
    if kind == "text":
        return _text_cells(letter, first_row, values)
    if kind == "date":
        return [_date_cell(f"{letter}{r}", v) for r, v in enumerate(values, first_row)]
    return [
        "" if v is None else f'<c r="{letter}{r}" t="n"><v>{_number(v)}</v></c>'
        for r, v in enumerate(values, first_row)
    ]


class Sheet:
    """One sheet's XML, written to a temporary file as rows come."""

    def __init__(self, name: str, file: IO[str], columns: Sequence[str], widths: Sequence[int]):
        self.name = name
        self.file = file
        self.letters = [column_letter(i) for i in range(1, len(columns) + 1)]
        self.rows = 0  # data rows written, below the header
        cols = "".join(
            f'<col width="{width}" customWidth="1" min="{i}" max="{i}"/>'
            for i, width in enumerate(widths, 1)
        )
        file.write(_SHEET_TOP.format(cols=f"<cols>{cols}</cols>" if cols else ""))
        header = "".join(
            f'<c r="{letter}1" s="{_BOLD}" t="inlineStr"><is><t>{_escape(str(col))}</t></is></c>'
            for letter, col in zip(self.letters, columns, strict=True)
        )
        file.write(f'<row r="1">{header}</row>')

    def write_columns(self, kinds: Sequence[CellKind], columns: Sequence[list[Any]]) -> None:
        """Rows given a list per column, each column of one kind."""
        first = self.rows + 2
        cells = [
            _column_cells(kind, letter, first, values)
            for kind, letter, values in zip(kinds, self.letters, columns, strict=True)
        ]
        self._write_rows(first, list(zip(*cells, strict=True)))

    def write_values(self, dates: Sequence[bool], rows: Sequence[Sequence[Any]]) -> None:
        """Rows of values of any type (as a pandas frame gives them); `dates` marks the
        date columns, whose missing values are empty date cells."""
        first = self.rows + 2
        cells = [
            [
                _any_cell(f"{letter}{r}", value, is_date)
                for letter, value, is_date in zip(self.letters, row, dates, strict=True)
            ]
            for r, row in enumerate(rows, first)
        ]
        self._write_rows(first, cells)

    def _write_rows(self, first: int, rows: Sequence[Sequence[str]]) -> None:
        """Rows of cells (as XML, "" for no cell), the first numbered `first`."""
        self.file.write(
            "".join(f'<row r="{r}">{"".join(row)}</row>' for r, row in enumerate(rows, first))
        )
        self.rows += len(rows)

    def finish(self) -> None:
        """The sheet's end: filters over the header and every row."""
        last = self.letters[-1] if self.letters else "A"
        self.file.write(_SHEET_TAIL.format(ref=f"A1:{last}{max(1, self.rows + 1)}"))
        self.file.close()


class Workbook:
    """Sheets added in order, each written to a temporary file; `save` zips them with the
    workbook's fixed parts."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="planx-xlsx-")
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, columns: Sequence[str], widths: Sequence[int]) -> Sheet:
        path = Path(self._folder.name) / f"sheet{len(self.sheets) + 1}.xml"
        sheet = Sheet(name[:31], path.open("w", encoding="utf-8"), columns, widths)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        """The workbook at `path` (a file the caller moves into place)."""
        names = [sheet.name for sheet in self.sheets]
        for sheet in self.sheets:
            if not sheet.file.closed:
                sheet.finish()
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as book:
            book.writestr("[Content_Types].xml", _content_types(len(names)))
            book.writestr("_rels/.rels", _ROOT_RELS)
            book.writestr("docProps/app.xml", _APP)
            book.writestr("docProps/core.xml", _CORE.format(now=now))
            book.writestr("xl/workbook.xml", _workbook_xml(self.sheets))
            book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
            book.writestr("xl/styles.xml", _STYLES)
            for i, sheet in enumerate(self.sheets, 1):
                with (
                    open(sheet.file.name, "rb") as src,
                    book.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as dst,
                ):
                    shutil.copyfileobj(src, dst, 1 << 20)
        self.close()

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.file.close()
        self._folder.cleanup()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument"

_SHEET_TOP = (
    f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
    '<pageSetUpPr/></sheetPr><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>{cols}<sheetData>'
)
_SHEET_TAIL = (
    '</sheetData><autoFilter ref="{ref}"/><pageMargins left="0.75" right="0.75" top="1" '
    'bottom="1" header="0.5" footer="0.5"/></worksheet>'
)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><name val="Calibri"/><family val="2"/><sz val="11"/></font>'
    '<font><b val="1"/><name val="Calibri"/><family val="2"/><sz val="11"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs><cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_ROOT_RELS = (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>planx</Application></Properties>'
)
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>planx</dc:creator>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
    "</cp:coreProperties>"
)


def _content_types(n_sheets: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.'
        'sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.'
        'styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
        'openxmlformats-package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.'
        'extended-properties+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    listed = "".join(
        f'<sheet name="{_escape(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, 1)
    )
    # Excel keeps a sheet's filter range as this hidden name too.
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_quoted_sheet(s.name)}!$A$1:${s.letters[-1]}${max(1, s.rows + 1)}</definedName>"
        for i, s in enumerate(sheets)
        if s.letters
    )
    names = f"<definedNames>{filters}</definedNames>" if filters else ""
    return (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets>{listed}</sheets>{names}<calcPr calcId="124519" fullCalcOnLoad="1"/>'
        "</workbook>"
    )


def _quoted_sheet(name: str) -> str:
    return "'" + _escape(name).replace("'", "''") + "'"


def _workbook_rels(n_sheets: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    )
    styles = f'<Relationship Id="rId{n_sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'<Relationships xmlns="{_PKG_REL}">{sheets}{styles}</Relationships>'
