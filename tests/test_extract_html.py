"""The HTML reader: blocks in document order, list labels, table spans and
colours (inline, bgcolor, class rules), encodings, and the shared
HTML-fragment-to-text helper the text reader uses for cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from planx.extractors import extract
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.colours import normalise_colour
from planx.extractors.html import HtmlExtractor
from planx.extractors.html_text import html_fragment_to_text
from planx.schemas.layout import LayoutDocument
from tests.test_extract_docx import check_layout, layout_cases


def read(path: Path, **settings) -> LayoutDocument:
    return HtmlExtractor().extract(path, ExtractSettings(**settings))


def write(
    tmp_path: Path, body: str, *, head: str = "", name: str = "plan.html", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(
        f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode(encoding)
    )
    return path


def test_html_samples_match_expected_layout(samples_dir: Path) -> None:
    cases = layout_cases(samples_dir, "html", (".html", ".htm"))
    assert cases, "the committed samples include HTML plans"
    for path, tables in cases:
        check_layout(read(path), tables)


PLAN = """
<nav><a href="/">Home</a> | <a href="/plans">Plans</a></nav>
<script>document.write("<p>not text</p>")</script>
<h1>Improvement Plan</h1>
<p>Our plan has <b>six</b> themes.</p>
<div>Loose text in a div<br>on two lines</div>
<p><strong>Key actions</strong></p>
<h2>Theme 1: Workforce</h2>
<ol start="3"><li>Third<ul><li>detail a</li><li>detail b</li></ul></li><li>Fourth</li></ol>
<ol type="a"><li>alpha</li><li value="4">delta</li></ol>
<p hidden>Hidden paragraph</p>
<table>
  <caption>Actions</caption>
  <thead>
    <tr><th rowspan="2">Ref</th><th rowspan="2">Action</th><th colspan="2">Next key milestones</th></tr>
    <tr><th>March</th><th>April</th></tr>
  </thead>
  <tbody>
    <tr><td colspan="4" style="background-color: rgb(222, 234, 246)"><strong>1 Workstream</strong></td></tr>
    <tr><td>1.1</td><td>Recruit<br>and retain<ul><li>adverts</li><li>bonus</li></ul></td>
        <td class="rag red">R</td><td class="rag amber"></td></tr>
    <tr><td>1.2</td>
        <td><table><tr><td>Q1</td><td>Q2</td></tr><tr><td>10%</td><td>20%</td></tr></table></td>
        <td bgcolor="#00b050">G</td><td style="background: #FFF">Caf&eacute; &ndash; done</td></tr>
  </tbody>
</table>
<footer>Copyright notice</footer>
"""
STYLE = """<title>Plan &amp; KPIs</title><meta name="author" content="Tester">
<style>
  /* RAG classes */
  td.red { background-color: #FF0000; }
  .amber { background: #ffc000 url(bg.png) no-repeat }
  @media print { .rag { font-weight: bold } }
</style>"""


@pytest.fixture
def plan(tmp_path: Path) -> LayoutDocument:
    return read(write(tmp_path, PLAN, head=STYLE))


def test_blocks_in_order_and_chrome_ignored(plan: LayoutDocument) -> None:
    assert plan.format == "html" and plan.pages is None
    assert plan.metadata == {"title": "Plan & KPIs", "author": "Tester"}
    text = "\n".join(plan.iter_text())
    for unwanted in ("Home", "not text", "Copyright", "Hidden paragraph"):
        assert unwanted not in text
    kinds = [(b.kind, b.level, b.text) for b in plan.blocks[:4]]
    assert kinds == [
        ("heading", 1, "Improvement Plan"),
        ("paragraph", None, "Our plan has six themes."),
        ("paragraph", None, "Loose text in a div\non two lines"),
        ("heading", 3, "Key actions"),
    ]
    assert plan.blocks[4].text == "Theme 1: Workforce" and plan.blocks[4].level == 2


def test_list_labels_and_levels(plan: LayoutDocument) -> None:
    items = [(b.list_label, b.level, b.text) for b in plan.blocks if b.kind == "list_item"]
    assert items == [
        ("3.", 0, "Third"),
        ("•", 1, "detail a"),
        ("•", 1, "detail b"),
        ("4.", 0, "Fourth"),
        ("a.", 0, "alpha"),
        ("d.", 0, "delta"),
    ]


def test_table_spans_header_fills_and_bold(plan: LayoutDocument) -> None:
    caption = next(i for i, b in enumerate(plan.blocks) if b.text == "Actions")
    assert plan.blocks[caption + 1].kind == "table"
    table = plan.tables[0]
    assert (table.n_rows, table.n_cols, table.n_header_rows) == (5, 4, 2)
    assert table.header_texts() == [
        "Ref",
        "Action",
        "Next key milestones / March",
        "Next key milestones / April",
    ]
    assert (table.cell(0, 0).row_span, table.cell(0, 2).col_span) == (2, 2)
    assert table.cell(1, 0).merged_from == (0, 0) and table.cell(0, 3).merged_from == (0, 2)
    assert table.cell(0, 0).bold and not table.cell(3, 0).bold
    band = table.rows[2]
    assert band[0].col_span == 4 and band[0].fill == "#DEEAF6" and band[0].bold
    assert table.cell(3, 1).text == "Recruit\nand retain\n• adverts\n• bonus"
    assert table.cell(3, 2).fill == "#FF0000" and table.cell(3, 2).bold  # class rules
    assert table.cell(3, 3).fill == "#FFC000" and table.cell(3, 3).text == ""
    assert table.cell(4, 2).fill == "#00B050"
    assert table.cell(4, 3).fill is None and table.cell(4, 3).text == "Café – done"


def test_nested_table_flattened_and_emitted(plan: LayoutDocument) -> None:
    outer, nested = plan.tables
    assert outer.cell(4, 1).text == "Q1 | Q2\n10% | 20%"
    assert nested.index == 1 and nested.texts() == [["Q1", "Q2"], ["10%", "20%"]]
    order = [b.kind for b in plan.blocks if b.kind == "table"]
    assert order == ["table", "table"]


def test_header_rows_from_th_or_heuristics(tmp_path: Path) -> None:
    doc = read(
        write(
            tmp_path,
            "<table><tr><th>Ref</th><th>Measure</th></tr><tr><td>1a</td><td>Visits</td></tr></table>"
            "<table><tr><td>Lead</td><td>Due</td></tr><tr><td>A long description of the work</td>"
            "<td>March 2025</td></tr></table>"
            "<table><tr><td>This row is a sentence about the work to be done.</td><td>x</td></tr>"
            "<tr><td>1</td><td>2</td></tr></table>",
        )
    )
    assert [t.n_header_rows for t in doc.tables] == [1, 1, 0]


def test_layout_table_is_read_as_content(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "<table><tr><td><h2>Inside</h2><p>Body text</p></td></tr></table>"))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Inside"),
        ("paragraph", "Body text"),
    ]


def test_meta_charset_and_utf8_fallback(tmp_path: Path) -> None:
    body = "<p>£5 – naïve</p>"
    declared = write(
        tmp_path, body, head='<meta charset="windows-1252">', name="a.html", encoding="cp1252"
    )
    assert read(declared).blocks[0].text == "£5 – naïve"
    undeclared = write(tmp_path, body, name="b.htm", encoding="cp1252")
    doc = read(undeclared)
    assert doc.blocks[0].text == "£5 – naïve"
    assert doc.warnings == ("file is not valid UTF-8; read as Windows-1252",)
    utf16 = tmp_path / "c.html"
    utf16.write_bytes(b"\xff\xfe" + "<p>Ünïcode</p>".encode("utf-16-le"))
    assert read(utf16).blocks[0].text == "Ünïcode"


def test_entity_declarations_refused_but_doctype_html_allowed(tmp_path: Path) -> None:
    evil = tmp_path / "evil.html"
    evil.write_text('<!DOCTYPE html [<!ENTITY a "aaaaaaaa">]><html><body><p>&a;</p></body></html>')
    with pytest.raises(ExtractionError) as err:
        read(evil)
    assert err.value.kind == "unreadable" and "entity" in err.value.message
    fine = write(tmp_path, "<p>fine</p>", name="fine.html")
    assert read(fine).blocks[0].text == "fine"


def test_empty_and_blank_html(tmp_path: Path) -> None:
    blank = tmp_path / "blank.html"
    blank.write_text("   \n ")
    with pytest.raises(ExtractionError) as err:
        read(blank)
    assert err.value.kind == "empty"
    chrome_only = write(tmp_path, "<nav>Menu</nav><script>x()</script>", name="chrome.html")
    with pytest.raises(ExtractionError) as err:
        read(chrome_only)
    assert err.value.kind == "empty"


def test_long_cell_truncated_with_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"<table><tr><th>A</th><th>B</th></tr><tr><td>{'z' * 80}</td><td>b</td></tr></table>",
    )
    doc = read(path, max_cell_chars=30)
    assert doc.tables[0].cell(1, 0).text == "z" * 30
    assert doc.warnings == ("1 cell(s) longer than 30 characters were truncated",)


def test_registry_reads_html(tmp_path: Path) -> None:
    doc = extract(write(tmp_path, "<h1>Plan</h1><p>Text</p>"))
    assert doc.format == "html" and [b.kind for b in doc.blocks] == ["heading", "paragraph"]


# ---------------------------------------------------------------- shared helpers


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<ul><li>First</li><li>Second <b>bold</b></li></ul>", "• First\n• Second bold"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        ("<p>Para one</p><p>Para  two</p>", "Para one\nPara two"),
        ("Intro:<ul><li>A</li></ul>after", "Intro:\n• A\nafter"),
        ("Line<br/>break", "Line\nbreak"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("x < y and y > z", "x < y and y > z"),
        ("", ""),
    ],
)
def test_html_fragment_to_text(fragment: str, text: str) -> None:
    assert html_fragment_to_text(fragment) == text


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        ("FF0000", "#FF0000"),
        ("#f00", "#FF0000"),
        ("FF00B050", "#00B050"),
        ("rgb(222, 234, 246)", "#DEEAF6"),
        ("Green", "#008000"),
        ("auto", None),
        ("FFFFFF", None),
        ("#ffffff", None),
        ("rgba(255, 0, 0, 0)", None),
        ("not a colour", None),
        (None, None),
    ],
)
def test_normalise_colour(value: str | None, colour: str | None) -> None:
    assert normalise_colour(value) == colour


def test_text_colours_from_styles_font_tags_and_classes(tmp_path: Path) -> None:
    rows = [
        '<td style="color: #00B050">&#10003;</td>',  # an inline style
        '<td><font color="red">&#10007;</font></td>',  # a <font> tag
        '<td class="late">Late</td>',  # a class rule
        '<td><span style="color:rgb(255,192,0)">On track</span> (see note)</td>',
        "<td>Long sentence about the work with one <a style='color:blue'>link</a> in it</td>",
        '<td style="color:#595959">Not started</td>',  # grey is ordinary text
    ]
    body = "<table><tr><th>Action</th><th>Status</th></tr>" + "".join(
        f"<tr><td>Action {i}</td>{cell}</tr>" for i, cell in enumerate(rows)
    )
    head = "<style>td.late { color: #C00000 }</style>"
    table = read(write(tmp_path, body + "</table>", head=head)).tables[0]
    assert [table.cell(r, 1).text_colour for r in range(1, 7)] == [
        "#00B050",
        "#FF0000",
        "#C00000",
        "#FFC000",
        None,
        None,
    ]
    assert all(table.cell(r, 0).text_colour is None for r in range(7))


def test_dominant_text_colour_rule() -> None:
    from planx.extractors.colours import dominant_text_colour

    assert dominant_text_colour({"#00B050": 1}) == "#00B050"
    assert dominant_text_colour({"#00B050": 1, None: 2}) == "#00B050"  # a third is enough
    assert dominant_text_colour({"#00B050": 1, None: 3}) is None  # one word of several
    assert dominant_text_colour({"#000000": 5, "#7F7F7F": 5}) is None  # black and grey
    assert dominant_text_colour({"#FF0000": 2, "#00B050": 3}) == "#00B050"
    assert dominant_text_colour({}) is None


def test_colour_runs_rule() -> None:
    from planx.extractors.colours import colour_runs

    pieces = [
        ("Key: ", None),
        ("✓", "#00B050"),
        (" Achieved ", None),
        ("On", "#FFC000"),
        (" ", None),  # a plain space inside one coloured phrase
        ("track", "#FFC000"),
        (" ", None),
        ("○", "#808080"),  # grey is ordinary text
        (" Not yet started", "#000000"),
    ]
    assert colour_runs(pieces) == (("✓", "#00B050"), ("On track", "#FFC000"))


def test_paragraph_colour_runs(tmp_path: Path) -> None:
    body = (
        '<p>Key: <span style="color:#00B050">&#10003;</span> Achieved '
        '<font color="#FF0000">&#9679;</font> Not progressing</p><p>Plain text.</p>'
    )
    doc = read(write(tmp_path, body))
    assert [b.colour_runs for b in doc.blocks] == [
        (("✓", "#00B050"), ("●", "#FF0000")),
        (),
    ]
