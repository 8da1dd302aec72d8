"""Layout features the samples' renderers do not draw, added around them (never changed).

Each feature is a context manager that patches one name in a sample renderer
module for the duration of a rendering:

- ``colour_markup()``: ``[[#RRGGBB|text]]`` in a paragraph or cell is drawn as
  text in that FONT colour (a DOCX run colour, an HTML ``<span style="color:..">``);
- ``nested_docx_tables(titles)``: in a DOCX, each named grid is drawn inside a
  borderless 1x1 outer layout table whose first paragraph is the title;
- ``log_paragraph_pages()``: records the PDF page each body paragraph is drawn on,
  so plans without tables still know on which page an action starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

import _render_docx
import _render_html
import _render_pdf
from _render_pdf import _KeyedParagraph
from docx.shared import Mm, RGBColor

COLOUR_RE = re.compile(r"\[\[(#[0-9A-Fa-f]{6})\|(.+?)\]\]")


def coloured(colour: str, text: str) -> str:
    """Markup for ``text`` drawn in font colour ``colour`` ("#RRGGBB")."""
    return f"[[{colour}|{text}]]"


def strip_colour(text: str) -> str:
    """The text a person reads, without the colour markup."""
    return COLOUR_RE.sub(r"\2", text)


def font_colours(text: str) -> list[tuple[str, str]]:
    """(colour, text) of every coloured run in ``text``."""
    return [(m.group(1).upper(), m.group(2)) for m in COLOUR_RE.finditer(text)]


@contextmanager
def colour_markup() -> Iterator[None]:
    docx_runs = _render_docx._add_runs
    html_inline = _render_html._inline

    def add_runs(paragraph, text: str, bold: bool = False) -> None:
        pos = 0
        for m in COLOUR_RE.finditer(text):
            if m.start() > pos:
                docx_runs(paragraph, text[pos : m.start()], bold)
            run = paragraph.add_run(m.group(2))
            if bold:
                run.bold = True
            run.font.color.rgb = RGBColor.from_string(m.group(1)[1:].upper())
            pos = m.end()
        if pos < len(text):
            docx_runs(paragraph, text[pos:], bold)

    def inline(text: str) -> str:
        parts, pos = [], 0
        for m in COLOUR_RE.finditer(text):
            parts.append(html_inline(text[pos : m.start()]))
            parts.append(f'<span style="color:{m.group(1)}">{html_inline(m.group(2))}</span>')
            pos = m.end()
        parts.append(html_inline(text[pos:]))
        return "".join(parts)

    with (
        mock.patch.object(_render_docx, "_add_runs", add_runs),
        mock.patch.object(_render_html, "_inline", inline),
    ):
        yield


@dataclass(frozen=True)
class _CellHost:
    """What the sample DOCX table writer needs from a document, served by a table cell."""

    cell: object
    styles: object

    def add_table(self, rows: int, cols: int):
        return self.cell.add_table(rows, cols)


@contextmanager
def nested_docx_tables(titles: dict[str, str]) -> Iterator[None]:
    """Draw each grid named in ``titles`` inside a 1x1 layout table headed by its title."""
    inner = _render_docx.grid_to_table

    def outer(document, grid, width) -> None:
        title = titles.get(grid.name)
        if title is None:
            inner(document, grid, width)
            return
        frame = document.add_table(rows=1, cols=1)  # no style: an invisible layout table
        frame.autofit = False
        host = frame.cell(0, 0)
        host.width = width
        run = host.paragraphs[0].add_run(title)
        run.bold = True
        inner(_CellHost(host, document.styles), grid, width - Mm(4))

    with mock.patch.object(_render_docx, "grid_to_table", outer):
        yield


@dataclass
class ParagraphPages:
    """Body paragraphs in drawing order and the PDF pages each was drawn on."""

    texts: list[str] = field(default_factory=list)
    pages: dict[tuple[str, int, int], list[int]] = field(default_factory=dict)

    def first_page(self, prefix: str) -> int | None:
        """Page of the first paragraph whose text starts with ``prefix``."""
        for i, text in enumerate(self.texts):
            if text.startswith(prefix):
                found = self.pages.get(("para", i, 0))
                return min(found) if found else None
        return None


@contextmanager
def log_paragraph_pages(log: ParagraphPages) -> Iterator[None]:
    def paragraph(text, style, *args, **kwargs):
        p = _KeyedParagraph(text, style, *args, **kwargs)
        p._key, p._log = ("para", len(log.texts), 0), log.pages
        log.texts.append(text)
        return p

    with mock.patch.object(_render_pdf, "Paragraph", paragraph):
        yield
