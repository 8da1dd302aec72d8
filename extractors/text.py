"""Text exports of plans (.txt/.md): prose, lists and tab-separated tables.

A run of lines holding tabs is a table; its first line is the header when it
reads like one. Text exports lose what the page showed, so three things are
put back here, as a person reading the export would:

- a table repeated after a blank line with the same header line is the same
  table continued (its repeated header is dropped);
- a single heading line between two runs of rows with the same width, where
  the second run has no header, is a group row inside one table (a KPI table
  grouped by theme): it becomes a row spanning every column;
- a header cell followed by empty header cells that have sub-headers beneath
  them ("NEXT KEY MILESTONES" over "March | April") spans those columns.

HTML fragments in cells (<ul>, <ol>, <li>, <p>) become list text, and markdown
emphasis and links are removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.html_text import html_fragment_to_text
from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*•‣◦]|\d{1,3}[.)]|\(?[a-zA-Z]{1,3}\))\s+(.*)$")
_RULE_ROW = re.compile(r"^[\s\t|:-]*-{3,}[\s\t|:-]*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"</?(?:ul|ol|li|p|br|div|span|b|i|strong|em)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;,]$")

MAX_HEADING_CHARS = 120
MAX_HEADER_CELL_CHARS = 60


def strip_markdown(text: str) -> str:
    """Remove markdown emphasis and links, keeping their text."""
    text = _LINK.sub(r"\1", text)
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)


def cell_text(raw: str) -> str:
    text = raw.strip()
    if _HTML_TAG.search(text):
        text = html_fragment_to_text(text)
    return strip_markdown(text).strip()


def _is_header_row(cells: list[str]) -> bool:
    """Short labels with no sentence in them, and at least two of them."""
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return False
    return all(_is_label(c) for c in filled) and not any(
        re.fullmatch(r"[\d.]+[a-z]?", c) for c in filled
    )


def _is_label(text: str) -> bool:
    """A column label: short, no sentence inside it (a lone final full stop is allowed)."""
    return (
        len(text) <= MAX_HEADER_CELL_CHARS
        and len(text.split()) <= 8
        and not re.search(r"[.;!?]\s", text)
        and not (text.endswith((",", ";")) or (text.endswith(".") and len(text.split()) > 6))
    )


@dataclass
class _Run:
    """A run of tab-separated lines as read, before it becomes a `Table`."""

    rows: list[list[str]]
    first_line: int
    n_header_rows: int = 0
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> col_span

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def header(self) -> list[list[str]]:
        return self.rows[: self.n_header_rows]


def _classify_header(run: _Run) -> None:
    rows = run.rows
    if not rows or not _is_header_row(rows[0]):
        return
    run.n_header_rows = 1
    if len(rows) < 2:
        return
    first, second = rows[0], rows[1] + [""] * (run.width - len(rows[1]))
    first = first + [""] * (run.width - len(first))
    under = [i for i, t in enumerate(second) if t]
    # A sub-header row: short labels only, at least one under a column the first row leaves open.
    if (
        not under
        or second[0]
        or any(len(second[i]) > MAX_HEADER_CELL_CHARS for i in under)
        or not any(not first[i] for i in under)
    ):
        return
    run.n_header_rows = 2
    for i, label in enumerate(first):
        if not label:
            continue
        span = 1
        while i + span < run.width and not first[i + span] and second[i + span]:
            span += 1
        if span > 1:
            run.spans[(0, i)] = span


def _read_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    if not data.strip():
        raise ExtractionError("empty", "empty file (no text)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        except UnicodeDecodeError:
            continue
    raise ExtractionError("corrupt", "text file is neither UTF-8 nor Windows-1252")


@dataclass
class _Item:
    kind: str  # "run", "heading", "paragraph", "list_item", "blank"
    text: str = ""
    run: _Run | None = None
    level: int | None = None
    label: str | None = None
    line: int = 0


def lines_to_items(lines: list[str], max_cell_chars: int) -> tuple[list[_Item], list[str]]:
    items: list[_Item] = []
    warnings: list[str] = []
    paragraph: list[str] = []
    para_start = 0

    def flush_paragraph() -> None:
        if paragraph:
            text = strip_markdown(" ".join(s.strip() for s in paragraph)).strip()
            if text:
                items.append(_Item("paragraph", text, line=para_start))
            paragraph.clear()

    for n, line in enumerate(lines, start=1):
        if "\t" in line and line.strip():
            flush_paragraph()
            if _RULE_ROW.match(line):
                continue
            cells = []
            for raw in line.split("\t"):
                text = cell_text(raw)
                if len(text) > max_cell_chars:
                    warnings.append(
                        f"line {n}: a cell of {len(text):,} characters was cut to {max_cell_chars:,}"
                    )
                    text = text[:max_cell_chars]
                cells.append(text)
            if items and items[-1].kind == "run":
                items[-1].run.rows.append(cells)  # type: ignore[union-attr]
            else:
                items.append(_Item("run", run=_Run(rows=[cells], first_line=n), line=n))
            continue
        stripped = line.strip()
        if not stripped:
            flush_paragraph()
            items.append(_Item("blank", line=n))
            continue
        if m := _MD_HEADING.match(stripped):
            flush_paragraph()
            items.append(
                _Item("heading", strip_markdown(m.group(2)), level=len(m.group(1)), line=n)
            )
            continue
        if m := _LIST_ITEM.match(line):
            flush_paragraph()
            depth = len(m.group(1).expandtabs(4)) // 2
            items.append(
                _Item(
                    "list_item",
                    strip_markdown(m.group(3)).strip(),
                    level=depth,
                    label=m.group(2),
                    line=n,
                )
            )
            continue
        if not paragraph:
            para_start = n
        paragraph.append(stripped)
    flush_paragraph()
    return items, warnings


def _looks_like_heading(item: _Item, prev: _Item | None, nxt: _Item | None) -> bool:
    """A short standalone line that does not end a sentence reads as a heading."""
    if (
        item.kind != "paragraph"
        or len(item.text) > MAX_HEADING_CHARS
        or _SENTENCE_END.search(item.text)
    ):
        return False
    if item.text.endswith(":") and len(item.text.split()) > 5:
        return False  # a sentence introducing a list
    alone_before = prev is None or prev.kind in ("blank", "heading", "run")
    alone_after = nxt is None or nxt.kind in ("blank", "run", "heading")
    return alone_before and alone_after


def _merge_runs(items: list[_Item]) -> list[_Item]:
    """Join runs that a text export split: repeated headers and group headings (see module doc)."""
    merged: list[_Item] = []
    for item in items:
        if item.kind != "run":
            merged.append(item)
            continue
        run = item.run
        assert run is not None
        _classify_header(run)
        # Find the previous run with only blanks, or blanks and one heading line, between.
        between: list[_Item] = []
        j = len(merged) - 1
        while j >= 0 and merged[j].kind in ("blank", "heading", "paragraph"):
            between.append(merged[j])
            j -= 1
        texts = [b for b in between if b.kind != "blank"]
        prev = merged[j].run if j >= 0 and merged[j].kind == "run" else None
        if prev is not None and not texts and run.n_header_rows and prev.header() == run.header():
            prev.rows.extend(run.rows[run.n_header_rows :])
            del merged[j + 1 :]
            continue
        if (
            prev is not None
            and len(texts) == 1
            and len(texts[0].text) <= MAX_HEADING_CHARS
            and not _SENTENCE_END.search(texts[0].text)
            and prev.width == run.width
            and prev.n_header_rows
            and (run.n_header_rows == 0 or run.header() == prev.header())
        ):
            group_row = [texts[0].text] + [""] * (prev.width - 1)
            prev.spans[(len(prev.rows), 0)] = prev.width
            prev.rows.append(group_row)
            prev.rows.extend(run.rows[run.n_header_rows :])
            del merged[j + 1 :]
            continue
        merged.append(item)
    return merged


def run_to_table(run: _Run, source: str, index: int) -> Table:
    width = run.width
    rows: list[tuple[Cell, ...]] = []
    for r, texts in enumerate(run.rows):
        texts = texts + [""] * (width - len(texts))
        row: list[Cell] = []
        c = 0
        while c < width:
            span = run.spans.get((r, c), 1)
            if span > 1:
                text = " ".join(t for t in texts[c : c + span] if t)
                row.append(Cell(text=text, row=r, col=c, col_span=span, bold=r < run.n_header_rows))
                row.extend(
                    Cell(text=text, row=r, col=k, merged_from=(r, c), bold=r < run.n_header_rows)
                    for k in range(c + 1, c + span)
                )
                c += span
            else:
                row.append(Cell(text=texts[c], row=r, col=c, bold=r < run.n_header_rows))
                c += 1
        rows.append(tuple(row))
    return Table(rows=tuple(rows), n_header_rows=run.n_header_rows, index=index, source=source)


class TextExtractor:
    suffixes = (".txt", ".md")
    format = "text"

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument:
        lines = _read_lines(path)
        items, warnings = lines_to_items(lines, settings.max_cell_chars)
        items = _merge_runs(items)
        blocks: list[Block] = []
        n_tables = 0
        for k, item in enumerate(items):
            prev = items[k - 1] if k else None
            nxt = items[k + 1] if k + 1 < len(items) else None
            prov = LayoutProvenance(source=path.name)
            if item.kind == "run":
                assert item.run is not None
                table = run_to_table(item.run, path.name, n_tables)
                blocks.append(
                    Block(
                        kind="table",
                        table=table,
                        prov=LayoutProvenance(source=path.name, table_index=n_tables),
                    )
                )
                n_tables += 1
            elif item.kind == "heading":
                blocks.append(Block(kind="heading", text=item.text, level=item.level, prov=prov))
            elif item.kind == "list_item":
                blocks.append(
                    Block(
                        kind="list_item",
                        text=item.text,
                        level=item.level,
                        list_label=item.label,
                        prov=prov,
                    )
                )
            elif item.kind == "paragraph":
                if _looks_like_heading(item, prev, nxt):
                    blocks.append(Block(kind="heading", text=item.text, level=2, prov=prov))
                else:
                    blocks.append(Block(kind="paragraph", text=item.text, prov=prov))
        if not blocks:
            raise ExtractionError("empty", "text file has no readable content")
        return LayoutDocument(
            source=path.name,
            format="text",
            blocks=tuple(blocks),
            pages=None,
            warnings=tuple(warnings),
        )
