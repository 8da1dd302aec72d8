"""Tables drawn without rules (slides, word-processor tables with borders off, tab stops),
pages that must stay text, and boxes side by side read one after the other.

The PDFs are generated here with reportlab (tests/borderless_pdfs.py), fictional text only.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from planx.extractors import extract
from planx.extractors.pdf.borderless import line_spans
from planx.extractors.pdf.boxes import reading_order, side_by_side_boxes
from planx.extractors.pdf.text import Glyph, glyphs_to_line
from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.cards import cards_to_kpis
from planx.schemas.layout import LayoutDocument, Table
from tests import borderless_pdfs as gen

REPO = Path(__file__).resolve().parents[1]


def tables_of(doc: LayoutDocument) -> list[Table]:
    return doc.tables


def texts(table: Table) -> list[list[str]]:
    return table.texts()


def prose_texts(doc: LayoutDocument) -> list[str]:
    return [b.text for b in doc.blocks if b.table is None]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("borderless")


# --- slides -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("middle", "mixed"),
    [(False, False), (True, False), (True, True)],
    ids=["top", "centred", "centred-mixed-fonts"],
)
def test_slide_table_with_banded_header_and_wrapped_cells(
    folder: Path, middle: bool, mixed: bool
) -> None:
    path = folder / f"slides-{middle}-{mixed}.pdf"
    doc = extract(gen.slide_deck(path, middle=middle, row_space=14, mixed=mixed))
    (table,) = tables_of(doc)
    assert table.pages == (1, 2)  # the header repeated on the second slide is dropped
    assert (table.n_rows, table.n_cols, table.n_header_rows) == (7, 5, 1)
    assert table.header_texts() == list(gen.SLIDE_HEADER)
    assert table.rows[0][0].fill == "#1F4E79" and table.rows[0][0].bold
    rows = texts(table)
    assert [row[0] for row in rows[1:]] == [row[0] for row in gen.SLIDE_ROWS]
    assert [row[1] for row in rows[1:]] == [row[1] for row in gen.SLIDE_ROWS]
    # A cell holding two "• " items keeps them apart, each item's wrapped lines joined.
    assert rows[4][3] == "• Reviews done on time for 95% of children\n• Fewer moves of placement"
    assert all(c.bbox is not None and c.page in (1, 2) for row in table.rows for c in row)
    assert {c.page for c in table.rows[4]} == {2}


def test_slide_table_reads_as_actions(folder: Path) -> None:
    doc = extract(gen.slide_deck(folder / "slides-actions.pdf"))
    plan = interpret(doc, plan_id="p", sha256="s")
    assert [a.text for a in plan.actions] == [row[0] for row in gen.SLIDE_ROWS]
    assert [a.lead_raw for a in plan.actions] == [row[1] for row in gen.SLIDE_ROWS]
    assert plan.kpis == []


def test_slide_table_without_a_band_and_on_one_slide(folder: Path) -> None:
    doc = extract(
        gen.slide_deck(
            folder / "plain.pdf", rows_per_slide=(6,), header_band=False, banded_rows=False
        )
    )
    (table,) = tables_of(doc)
    assert (table.n_rows, table.n_header_rows) == (7, 1)
    assert table.rows[0][0].fill is None and table.rows[0][0].bold  # bold is enough
    assert prose_texts(doc) == ["Our commitments for children and families"]


# --- a word processor's table, text at tab stops -------------------------------------------------


def test_word_table_with_borders_off(folder: Path) -> None:
    doc = extract(gen.word_table(folder / "word.pdf"))
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "table", "paragraph"]
    (table,) = tables_of(doc)
    assert table.header_texts() == ["Action", "Lead", "By when"]
    assert texts(table)[1:] == [list(row) for row in gen.WORD_ROWS]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_word_table_continued_over_a_page_break_is_one_table(
    folder: Path, repeat_header: bool
) -> None:
    path = gen.word_table(
        folder / f"long-{repeat_header}.pdf", repeats=6, repeat_header=repeat_header
    )
    doc = extract(path)
    (table,) = tables_of(doc)
    assert table.pages == (1, 2)
    assert (table.n_rows, table.n_header_rows) == (1 + 6 * len(gen.WORD_ROWS), 1)
    assert texts(table)[1:] == [list(row) for row in gen.WORD_ROWS] * 6


def test_tab_aligned_list(folder: Path) -> None:
    doc = extract(gen.tab_list(folder / "tabs.pdf"))
    (table,) = tables_of(doc)
    assert texts(table) == [["Milestone", "Owner", "Date", "Status"], *map(list, gen.TAB_ROWS)]
    assert prose_texts(doc)[-1] == "Dates will be reviewed each quarter."


# --- pages that stay text ------------------------------------------------------------------------


def test_prose_stays_text(folder: Path) -> None:
    doc = extract(gen.prose(folder / "prose.pdf"))
    assert tables_of(doc) == []
    assert [b.kind for b in doc.blocks] == ["heading"] + ["paragraph"] * 5


def test_two_columns_of_prose_stay_text_read_column_by_column(folder: Path) -> None:
    doc = extract(gen.two_column_prose(folder / "twocol.pdf"))
    assert tables_of(doc) == []
    areas = [t for t in prose_texts(doc) if t.startswith("Area ")]
    assert areas == [f"Area {i} of the review" for i in range(1, 7)]
    assert all(t.startswith(("Area ", gen.PROSE[:40])) for t in prose_texts(doc))


def test_bulleted_list_stays_list_items(folder: Path) -> None:
    doc = extract(gen.bulleted_list(folder / "bullets.pdf"))
    assert tables_of(doc) == []
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert len(items) == 9
    assert {b.list_label for b in items} == {"•", "–"}


def test_title_block_stays_text(folder: Path) -> None:
    doc = extract(gen.title_block(folder / "title.pdf"))
    assert tables_of(doc) == []
    assert "March 2024" in prose_texts(doc)


def test_label_value_lines_stay_paragraphs(folder: Path) -> None:
    doc = extract(gen.label_values(folder / "labels.pdf"))
    assert tables_of(doc) == []
    assert "Lead officer: Head of Adolescent Services" in prose_texts(doc)
    assert "By: June 2024" in prose_texts(doc)


# --- boxes side by side ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framed", "rounded"),
    [(True, False), (True, True), (False, False)],
    ids=["boxes", "rounded-boxes", "column-blocks"],
)
def test_cards_two_across_are_read_card_by_card(folder: Path, framed: bool, rounded: bool) -> None:
    path = gen.card_pairs(folder / f"cards-{framed}-{rounded}.pdf", framed=framed, rounded=rounded)
    doc = extract(path)
    assert tables_of(doc) == []
    lines = prose_texts(doc)
    for title, badge, _, strip in gen.CARDS:
        at = lines.index(title)
        assert lines[at + 1 : at + 5] == ["Quarterly trend", badge, "Q3 Q4 Q1 Q2", strip]
    kpis = cards_to_kpis(doc)
    # Framed cards are read row by row; unframed blocks column by column (1, 3, 2, 4).
    assert sorted((k.ref, k.status.raw, k.actual_raw, k.floor_raw) for k in kpis) == [
        ("PI 01", "GREEN", "97%", "90%"),
        ("PI 02", "AMBER", "81%", "75%"),
        ("PI 03", "RED", "62%", "80%"),
        ("PI 04", "GREEN", "92%", "85%"),
    ]


def _sample_module(name: str):
    samples = str(REPO / "samples")
    if samples not in sys.path:
        sys.path.insert(0, samples)
    return importlib.import_module(name)


def test_sample_report_cards_drawn_two_across(folder: Path) -> None:
    """The sample performance report's own cards, drawn as its renderer draws them, but two
    to a row (a table with no rules holding two card boxes) instead of one."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    saltmere = _sample_module("_plan_saltmere")
    render = _sample_module("_render_pdf")
    story: list = []
    expected = []
    i = 0
    width = landscape(A4)[0] - 72
    for group in saltmere.PLAN.kpi_groups:
        story.append(Paragraph(group.theme, render.H1))
        cards = []
        for k in group.kpis:
            cards.append(render.CardBox(saltmere.card_of(i, k), {}))
            expected.append((k.ref, k.badge, k.actual, k.target))
            i += 1
        for n in range(0, len(cards), 2):
            pair = cards[n : n + 2] + [Spacer(1, 1)] * (2 - len(cards[n : n + 2]))
            story.append(RLTable([pair], colWidths=[width / 2] * 2))
    path = folder / "saltmere-two-across.pdf"
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=36, rightMargin=36).build(story)
    kpis = cards_to_kpis(extract(path))
    got = [(k.ref, k.status.raw, k.actual_raw, k.target_raw) for k in kpis]
    assert got == expected


# --- the pieces -----------------------------------------------------------------------------------


def glyphs(text: str, x: float, top: float = 100.0, size: float = 10.0) -> list[Glyph]:
    """A word's glyphs, 0.5 em each, from x."""
    out = []
    for ch in text:
        out.append(Glyph(x, x + size / 2, top, top + size, ch, size, False, "F"))
        x += size / 2
    return out


def test_spans_part_where_the_space_is_far_wider_than_a_word_space() -> None:
    run = glyphs("Review", 0) + glyphs("plans", 33) + glyphs("Head", 80)
    spans = line_spans(run)
    assert [("".join(g.text for g in s.glyphs), s.x0) for s in spans] == [
        ("Reviewplans", 0),
        ("Head", 80),
    ]


def test_boxes_side_by_side_need_space_between_text_and_a_neighbour() -> None:
    def rows_in(*boxes):
        out = []
        for x0, top, _, _ in boxes:
            out += [glyphs("text", x0 + 5, top + 5 + 15 * k) for k in range(3)]
        return out

    left, right = (0, 0, 200, 120), (220, 0, 420, 120)
    band = (0, 0, 200, 30)  # a title band inside the left box
    assert side_by_side_boxes([left, right, band], [], 600, rows_in(left, right)) == [left, right]
    # Stacked boxes read top to bottom anyway; cells that touch are a table's shading.
    below = (0, 140, 200, 260)
    assert side_by_side_boxes([left, below], [], 600, rows_in(left, below)) == []
    touching = (200, 0, 400, 120)
    assert side_by_side_boxes([left, touching], [], 600, rows_in(left, touching)) == []
    # Boxes without a few lines of text are badges, bars or charts.
    assert side_by_side_boxes([left, right], [], 600, []) == []
    # Inside a ruled table they are its cells.
    assert side_by_side_boxes([left, right], [(0, 0, 420, 120)], 600, rows_in(left, right)) == []


def test_reading_order_takes_each_box_whole() -> None:
    def line(text: str, x: float, top: float):
        return glyphs_to_line(glyphs(text, x, top))

    title = line("Title", 0, 0)
    note = line("Note", 0, 300)
    boxes = [(0, 20, 200, 200), (220, 20, 420, 200)]
    left = [line("A1", 5, 30), line("A2", 5, 60)]
    right = [line("B1", 225, 30), line("B2", 225, 60)]
    order = reading_order([title, note], [left, right], boxes)
    assert [ln.text for ln in order] == ["Title", "A1", "A2", "B1", "B2", "Note"]
