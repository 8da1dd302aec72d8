"""Excel (.xlsx/.xlsm) reader: each sheet's used range as one table.

openpyxl loads the full model (not read-only) because merged ranges and fills
are needed; `data_only` gives formulas' cached values. Each sheet becomes a
heading (the sheet name), any title rows above the table as heading/paragraph
blocks, then the table.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import re
import warnings
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.cell.cell import MergedCell
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planx.extractors._grid import GridCell, cells_to_rows, guess_header_rows
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.colours import dominant_text_colour, normalise_colour
from planx.extractors.html_text import html_fragment_to_text
from planx.extractors.text_cleanup import clip_text, normalise_space, truncation_warning
from planx.extractors.zip_safety import check_package
from planx.schemas.layout import Block, LayoutDocument, LayoutProvenance, Table

MAX_SHEET_CELLS = 1_000_000  # a dense grid past this is a mistake or an attack, not a plan
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# Office 2007-2010 theme colours, used when a workbook carries no theme part,
# in Excel's theme-index order (lt1, dk1, lt2, dk2, accent1-6, hlink, folHlink).
DEFAULT_THEME = (
    "FFFFFF",
    "000000",
    "EEECE1",
    "1F497D",
    "4F81BD",
    "C0504D",
    "9BBB59",
    "8064A2",
    "4BACC6",
    "F79646",
    "0000FF",
    "800080",
)
_HTML_IN_CELL = re.compile(r"<(?:ul|ol|li|p|br|div)\b[^>]*>", re.IGNORECASE)


# ---------------------------------------------------------------- colours


def theme_colours(theme_xml: bytes | None) -> tuple[str, ...]:
    """The workbook's theme colours in Excel's index order, or the Office defaults."""
    if not theme_xml:
        return DEFAULT_THEME
    try:
        root = etree.fromstring(theme_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return DEFAULT_THEME
    scheme = root.find(f"{_A}themeElements/{_A}clrScheme")
    if scheme is None:
        return DEFAULT_THEME
    found: dict[str, str] = {}
    for el in scheme:
        tag = etree.QName(el).localname
        for c in el:
            value = c.get("lastClr") if etree.QName(c).localname == "sysClr" else c.get("val")
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                found[tag] = value.upper()
    order = (
        "lt1",
        "dk1",
        "lt2",
        "dk2",
        "accent1",
        "accent2",
        "accent3",
        "accent4",
        "accent5",
        "accent6",
    )
    order += ("hlink", "folHlink")
    return tuple(
        found.get(name, default) for name, default in zip(order, DEFAULT_THEME, strict=True)
    )


def apply_tint(hex6: str, tint: float) -> str:
    """Excel's tint: darken (tint < 0) or lighten (tint > 0) the colour's luminance."""
    if not tint:
        return hex6
    r, g, b = (int(hex6[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lum)), s)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


def colour_to_hex(colour, theme: tuple[str, ...], palette: list[str]) -> str | None:
    """An openpyxl Color as "#RRGGBB" (None for automatic, system or white)."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str):
        return normalise_colour(colour.rgb)
    if kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(theme):
        return normalise_colour(apply_tint(theme[colour.theme], float(colour.tint or 0)))
    if (
        kind == "indexed"
        and isinstance(colour.indexed, int)
        and 0 <= colour.indexed < min(len(palette), 64)
    ):
        return normalise_colour(palette[colour.indexed])
    return None  # "auto", system colours (indexed 64/65) and anything unreadable


# ---------------------------------------------------------------- values


def _decimals(section: str) -> int:
    m = re.search(r"\.([0#?]+)", section)
    return len(m.group(1)) if m else 0


def _currency(fmt: str) -> str:
    if m := re.search(r"\[\$([^\]-]+)", fmt):
        return m.group(1)
    for symbol in ("£", "$", "€"):
        if symbol in fmt:
            return symbol
    return ""


def value_to_text(value: object, number_format: str | None = "General") -> str:
    """A cell value as Excel displays it, near enough: ISO dates, "80%" for a
    percent format, fixed decimals and thousands separators from the format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _number_to_text(
            float(value) if isinstance(value, float) else value, number_format or "General"
        )
    text = str(value)
    if "<" in text and _HTML_IN_CELL.search(text):
        return html_fragment_to_text(text)
    return normalise_space(text)


def _number_to_text(value: int | float, fmt: str) -> str:
    section = fmt.split(";")[0]
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", section)  # drop literals and [codes]
    if "%" in bare:
        return f"{value * 100:.{_decimals(bare)}f}%"
    if fmt == "General" or not re.search(r"[0#?]", bare):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}" if isinstance(value, float) else str(value)
    places = _decimals(bare)
    text = f"{value:,.{places}f}" if "," in bare.split(".")[0] else f"{value:.{places}f}"
    symbol = _currency(section)
    if symbol and text.startswith("-"):
        return f"-{symbol}{text[1:]}"
    return f"{symbol}{text}"


# ---------------------------------------------------------------- sheets


class _SheetReader:
    def __init__(self, wb: Workbook, source: str, settings: ExtractSettings):
        self.source = source
        self.settings = settings
        self.theme = theme_colours(getattr(wb, "loaded_theme", None))
        self.palette = list(getattr(wb, "_colors", None) or COLOR_INDEX)
        self.n_tables = 0
        self.n_truncated = 0
        self.warnings: list[str] = []

    def read(self, ws: Worksheet) -> list[Block]:
        # Sparse walk of the cells that exist: iter_rows would visit the whole
        # rectangle, which a stray far-away cell makes enormous.
        cells = ws._cells
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        used = [
            key
            for key, cell in cells.items()
            if not isinstance(cell, MergedCell)
            and cell.value is not None
            and str(cell.value).strip()
        ]
        if not used:
            return []
        prov = LayoutProvenance(source=self.source, sheet=ws.title)
        blocks = [Block("heading", ws.title, level=1, prov=prov)]
        by_row: dict[int, list[int]] = {}
        for r, c in used:
            by_row.setdefault(r, []).append(c)
        rows_in_order = sorted(by_row)
        start = self._table_start(rows_in_order, by_row)
        for i, r in enumerate(r for r in rows_in_order if r < start):
            text = " ".join(self._text(cells[(r, c)]) for c in sorted(by_row[r]))
            kind = "heading" if i == 0 else "paragraph"
            blocks.append(Block(kind, text, level=2 if kind == "heading" else None, prov=prov))
        body = [key for key in used if key[0] >= start]
        if not body:
            return blocks
        top = start
        bottom = max(r for r, _ in body)
        left = min(c for _, c in body)
        right = max(c for _, c in body)
        for (r, c), m in merged.items():  # a merged value may reach past the last value
            if (
                top <= r <= bottom
                and left <= c <= right
                and (r, c) in cells
                and cells[(r, c)].value is not None
            ):
                bottom, right = max(bottom, m.max_row), max(right, m.max_col)
        n_rows, n_cols = bottom - top + 1, right - left + 1
        if n_rows * n_cols > MAX_SHEET_CELLS:
            n_rows = max(1, MAX_SHEET_CELLS // n_cols)
            bottom = top + n_rows - 1
            self.warnings.append(
                f"sheet '{ws.title}': only the first {n_rows:,} rows were read (sheet too large)"
            )
        grid: list[GridCell] = []
        for (r, c), cell in cells.items():
            if not (top <= r <= bottom and left <= c <= right) or isinstance(cell, MergedCell):
                continue
            text = self._text(cell)
            fill = self._fill(cell)
            if not text and not fill:
                continue
            text, cut = clip_text(text, self.settings.max_cell_chars)
            self.n_truncated += cut
            m = merged.get((r, c))
            grid.append(
                GridCell(
                    text,
                    r - top,
                    c - left,
                    row_span=(min(m.max_row, bottom) - r + 1) if m else 1,
                    col_span=(min(m.max_col, right) - c + 1) if m else 1,
                    fill=fill,
                    bold=bool(cell.font and cell.font.b) and bool(text),
                    text_colour=self._text_colour(cell, text),
                )
            )
        rows = cells_to_rows(grid, n_rows=n_rows, n_cols=n_cols)
        index = self.n_tables
        self.n_tables += 1
        table = Table(
            rows=rows, n_header_rows=guess_header_rows(rows), index=index, source=self.source
        )
        tprov = LayoutProvenance(source=self.source, table_index=index, sheet=ws.title)
        blocks.append(Block("table", table=table, prov=tprov))
        return blocks

    @staticmethod
    def _table_start(rows_in_order: list[int], by_row: dict[int, list[int]]) -> int:
        """The first row with two or more values; rows above it with a single
        value (a plan title, a date line) are titles, not table rows."""
        if max(len(v) for v in by_row.values()) < 2:
            return rows_in_order[0]  # a one-column list: all of it is the table
        for r in rows_in_order:
            if len(by_row[r]) >= 2:
                return r
        return rows_in_order[0]

    def _text(self, cell) -> str:
        return value_to_text(cell.value, cell.number_format)

    def _text_colour(self, cell, text: str) -> str | None:
        """The cell's font colour when it is a colour (not automatic, black or grey)."""
        colour = getattr(cell.font, "color", None) if text.strip() else None
        if colour is None:
            return None
        return dominant_text_colour({colour_to_hex(colour, self.theme, self.palette): 1})

    def _fill(self, cell) -> str | None:
        fill = cell.fill
        if fill is None or getattr(fill, "patternType", None) != "solid":
            return None
        return colour_to_hex(fill.fgColor, self.theme, self.palette)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class XlsxExtractor:
    suffixes = (".xlsx", ".xlsm")
    format = "xlsx"

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument:
        check_package(path, settings, label="XLSX", required="xl/workbook.xml")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about every unsupported extension
                wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken package
            raise ExtractionError(
                "corrupt", f"not a readable XLSX file ({_one_line(exc)})"
            ) from None
        try:
            reader = _SheetReader(wb, path.name, settings)
            blocks: list[Block] = []
            metadata = _metadata(wb)
            for ws in wb.worksheets:
                metadata[f"sheet:{ws.title}"] = ws.sheet_state or "visible"
                try:
                    blocks.extend(reader.read(ws))
                except Exception as exc:  # one broken sheet should not cost the others
                    reader.warnings.append(
                        f"sheet '{ws.title}' could not be read: {_one_line(exc)}"
                    )
        finally:
            wb.close()
        if not blocks:
            if reader.warnings:
                raise ExtractionError("corrupt", reader.warnings[0])
            raise ExtractionError("empty", "the workbook has no cell values")
        if reader.n_truncated:
            reader.warnings.append(truncation_warning(reader.n_truncated, settings.max_cell_chars))
        return LayoutDocument(
            source=path.name,
            format=self.format,
            blocks=tuple(blocks),
            pages=None,
            metadata=metadata,
            warnings=tuple(reader.warnings),
        )


def _metadata(wb: Workbook) -> dict[str, str]:
    meta: dict[str, str] = {}
    props = wb.properties
    for key, value in (
        ("title", props.title),
        ("author", props.creator),
        ("created", props.created),
    ):
        if value:
            meta[key] = (
                value.isoformat() if hasattr(value, "isoformat") else normalise_space(str(value))
            )
    return meta
