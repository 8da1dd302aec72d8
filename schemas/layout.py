"""The layout model every extractor produces and the interpreter reads.

A document is an ordered stream of blocks. A block is a heading, a paragraph, a
list item or a table. A table is a dense grid: every row has the same number of
cells, and a merged cell's area is filled with copies that point back to the
cell they came from (``merged_from``), so each row knows its value.

``None`` means "no such thing" (no page in a DOCX, no fill); ``""`` means an
empty cell. All classes are frozen: stages build new objects, never edit old ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin
BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True)
class LayoutProvenance:
    """Where a block, row or cell came from; enough to find it again by eye."""

    source: str
    page: int | None = None  # 1-based; None for formats without pages
    table_index: int | None = None  # 0-based among the document's tables
    row_index: int | None = None  # 0-based within its table, after page joins
    bbox: BBox | None = None
    sheet: str | None = None  # XLSX sheet name


@dataclass(frozen=True)
class Cell:
    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    fill: str | None = None  # "#RRGGBB", upper case, or None when unfilled/white
    bold: bool = False
    # A status is often only a coloured glyph or icon: the text's own colour when it is not
    # black, and the fill of a small shape (arrow, dot, badge) drawn inside the cell.
    text_colour: str | None = None
    icon_fill: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    merged_from: tuple[int, int] | None = None  # (row, col) of the origin when this is a copy

    @property
    def is_origin(self) -> bool:
        return self.merged_from is None


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    n_header_rows: int = 0  # rows at the top that are column headers (0 if unknown)
    index: int = 0  # 0-based among the document's tables
    pages: tuple[int, ...] = ()  # every page the table touches, in order
    source: str = ""
    bbox: BBox | None = None  # on the first page

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def cell(self, row: int, col: int) -> Cell:
        return self.rows[row][col]

    def texts(self, *, horizontal_copies: bool = False) -> list[list[str]]:
        """The grid as strings. Vertical merges are expanded (each row sees the
        merged value); horizontal copies are blanked unless asked for, so a
        title row spanning every column reads as one cell."""
        grid = []
        for r, row in enumerate(self.rows):
            out = []
            for c, cell in enumerate(row):
                if (
                    cell.merged_from is not None
                    and not horizontal_copies
                    and cell.merged_from[0] == r
                    and cell.merged_from[1] != c
                ):
                    out.append("")
                else:
                    out.append(cell.text)
            grid.append(out)
        return grid

    def header_texts(self) -> list[str]:
        """One label per column, joining stacked header rows ("Next key milestones / March")."""
        labels = []
        for c in range(self.n_cols):
            parts: list[str] = []
            for r in range(self.n_header_rows):
                t = self.rows[r][c].text.strip()
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
            labels.append(" / ".join(parts))
        return labels

    def row_provenance(self, row: int) -> LayoutProvenance:
        first = self.rows[row][0] if self.rows and self.rows[row] else None
        pages = [c.page for c in self.rows[row] if c.page is not None] if first else []
        return LayoutProvenance(
            source=self.source,
            page=min(pages) if pages else None,
            table_index=self.index,
            row_index=row,
            bbox=_union(
                [
                    c.bbox
                    for c in self.rows[row]
                    if c.bbox and c.page == (min(pages) if pages else None)
                ]
            ),
        )


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    level: int | None = None  # heading level (1 = top) or list nesting level (0 = top)
    table: Table | None = None
    bold: bool = False
    list_label: str | None = None  # "1.", "(a)", "•" where the format computes it
    prov: LayoutProvenance = field(default_factory=lambda: LayoutProvenance(source=""))
    # Pieces of the text printed in a colour (not black, white or grey), in order, with their
    # colour "#RRGGBB": a key of coloured symbols ("● Progressing") is read from them.
    colour_runs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LayoutDocument:
    source: str  # file name
    format: str  # "pdf", "docx", "text", "xlsx", "html"
    blocks: tuple[Block, ...]
    pages: int | None = None
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    warnings: tuple[str, ...] = ()  # parts read only in part, e.g. one bad sheet

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.kind == "table" and b.table is not None]

    def iter_text(self) -> Iterator[str]:
        for b in self.blocks:
            if b.table is not None:
                for row in b.table.texts():
                    yield "\t".join(row)
            else:
                yield b.text
