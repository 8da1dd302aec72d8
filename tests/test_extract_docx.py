"""The DOCX reader: body order, headings, Word list numbers, merged and shaded
cells, nested tables, and refusal of hostile packages."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from planx.extractors import extract
from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.docx import DocxExtractor
from planx.schemas.layout import LayoutDocument, Table

SETTINGS = ExtractSettings()


def read(path: Path, **settings) -> LayoutDocument:
    return DocxExtractor().extract(path, ExtractSettings(**settings))


def blocks_of(doc: LayoutDocument, kind: str) -> list:
    return [b for b in doc.blocks if b.kind == kind]


# ---------------------------------------------------------------- sample expectations
# Shared with the XLSX and HTML tests: samples/expected/<stem>.json has a
# "layout" section with, per format, the tables a reader must find.


def layout_cases(
    samples_dir: Path, fmt: str, suffixes: tuple[str, ...]
) -> list[tuple[Path, list[dict]]]:
    expected_dir = samples_dir / "expected"
    plans_dir = samples_dir / "plans"
    if not expected_dir.is_dir() or not plans_dir.is_dir():
        return []
    cases = []
    for exp in sorted(expected_dir.glob("*.json")):
        layout = json.loads(exp.read_text(encoding="utf-8")).get("layout") or {}
        spec = layout.get(fmt)
        if spec is None:
            continue
        tables = spec.get("tables", []) if isinstance(spec, dict) else spec
        for suffix in suffixes:
            doc_path = plans_dir / f"{exp.stem}{suffix}"
            if doc_path.is_file():
                cases.append((doc_path, tables))
    return cases


def check_layout(doc: LayoutDocument, expected_tables: list[dict]) -> None:
    """Every expected table, in order: its size, header rows and labels, and
    exactly the fills and spans of its origin cells."""
    tables = doc.tables
    assert len(tables) == len(expected_tables), f"{doc.source}: {len(tables)} tables"
    for table, exp in zip(tables, expected_tables, strict=True):
        where = f"{doc.source} table {exp.get('name', table.index)}"
        assert (table.n_rows, table.n_cols) == (exp["rows"], exp["cols"]), where
        assert table.n_header_rows == exp["header_rows"], where
        assert _norm(table.header_texts()) == _norm(exp["header"]), where
        origins = [c for row in table.rows for c in row if c.is_origin]
        fills = {f"{c.row},{c.col}": c.fill for c in origins if c.fill}
        assert fills == exp["fills"], where
        spans = [
            [c.row, c.col, c.row_span, c.col_span]
            for c in origins
            if (c.row_span, c.col_span) != (1, 1)
        ]
        assert spans == exp["spans"], where


def _norm(texts: list[str]) -> list[str]:
    return [" ".join(t.split()).lower() for t in texts]


def test_docx_samples_match_expected_layout(samples_dir: Path) -> None:
    cases = layout_cases(samples_dir, "docx", (".docx",))
    assert cases, "the committed samples include DOCX plans"
    for path, tables in cases:
        check_layout(read(path), tables)


# ---------------------------------------------------------------- real documents


@pytest.fixture(scope="module")
def rendered(shared_dir: Path):
    cache: dict[str, LayoutDocument] = {}

    def get(stem: str) -> LayoutDocument:
        if stem not in cache:
            cache[stem] = read(shared_dir / "rendered" / f"{stem}.docx")
        return cache[stem]

    return get


def test_getting_to_good_rag_legend_and_action_tables(rendered) -> None:
    doc = rendered("bristol_2016-17_getting_to_good")
    assert doc.format == "docx" and doc.pages is None
    assert doc.metadata["title"].startswith("'Getting to Good'")
    legend = doc.tables[0]
    assert (legend.n_rows, legend.n_cols, legend.n_header_rows) == (5, 2, 1)
    assert legend.header_texts() == ["RAG Table", "Status"]
    assert [legend.cell(r, 0).text for r in range(1, 5)] == ["RED", "AMBER", "GREEN", "BLUE"]
    assert [legend.cell(r, 0).fill for r in range(1, 5)] == [
        "#FF0000",
        "#FFC000",
        "#00B050",
        "#0070C0",
    ]
    assert legend.cell(0, 0).fill == "#D9D9D9" and legend.cell(0, 0).bold
    assert legend.cell(1, 1).fill is None and not legend.cell(1, 1).bold
    action = doc.tables[1]
    assert action.header_texts() == ["Action", "KPI Ref", "Due", "Lead"]
    assert action.cell(1, 0).text.startswith("1.1 Embed") and action.cell(1, 0).bold
    assert action.cell(3, 2).text == "Dec 2016"
    assert all(c.page is None for row in action.rows for c in row)


def test_getting_to_good_split_header_and_kpi_table(rendered) -> None:
    doc = rendered("bristol_2016-17_getting_to_good")
    split = doc.tables[2]  # its "Action" header spans the ref and text columns
    assert split.n_cols == 5
    assert (split.cell(0, 0).row_span, split.cell(0, 0).col_span) == (1, 2)
    assert split.cell(0, 1).merged_from == (0, 0)
    assert split.texts()[0][:3] == ["Action", "", "KPI Ref"]
    assert split.cell(1, 0).text == "1.2.4"
    kpi = next(t for t in doc.tables if t.n_cols == 6)
    assert kpi.header_texts() == [
        "Ref",
        "Measure",
        "Responsible officer",
        "Frequency",
        "Target",
        "Target due",
    ]
    theme_row = kpi.rows[1]
    assert theme_row[0].col_span == 6 and theme_row[0].fill == "#F2F2F2"
    assert theme_row[0].text.startswith("Theme 1")
    assert all(c.merged_from == (1, 0) for c in theme_row[1:])
    assert [c.text for c in kpi.rows[2]][:1] == ["1a"] and kpi.cell(2, 4).text == "80%"


def test_getting_to_good_headings_and_lists(rendered) -> None:
    doc = rendered("bristol_2016-17_getting_to_good")
    headings = [(b.level, b.text) for b in blocks_of(doc, "heading")]
    assert (1, "Introduction") in headings
    assert (1, "Theme 5: Workforce") in headings
    numbered = [
        b for b in blocks_of(doc, "list_item") if b.list_label and b.list_label[0].isdigit()
    ]
    assert [b.list_label for b in numbered[:6]] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert numbered[0].text.startswith("Provide consistently good social work practice")
    assert not numbered[0].text.startswith("1.")
    bullets = [b for b in blocks_of(doc, "list_item") if b.list_label == "•"]
    assert len(bullets) >= 7 and all(b.level == 0 for b in bullets)
    # a table comes after the heading of its theme, in body order
    kinds = [(b.kind, b.text) for b in doc.blocks]
    theme = kinds.index(("heading", "Theme 2: Improved Outcomes for Care Leavers"))
    assert doc.blocks[theme + 1 :][2].kind == "table"


def test_scrutiny_update_two_row_header_and_rag_fills(rendered) -> None:
    doc = rendered("worcestershire_2017_scrutiny_update")
    rag = next(t for t in doc.tables if t.cell(0, 0).text == "REF")
    assert rag.n_header_rows == 2 and rag.n_cols == 6
    assert rag.header_texts() == [
        "REF",
        "WORKSTREAM DETAIL",
        "RAG",
        "COMMENTARY",
        "NEXT KEY MILESTONES / March",
        "NEXT KEY MILESTONES / April",
    ]
    assert (rag.cell(0, 0).row_span, rag.cell(0, 0).col_span) == (2, 1)
    assert rag.cell(1, 0).merged_from == (0, 0) and rag.cell(1, 0).text == "REF"
    assert (rag.cell(0, 4).row_span, rag.cell(0, 4).col_span) == (1, 2)
    workstream = rag.rows[2]
    assert workstream[0].col_span == 6 and workstream[0].text.startswith("1 Support and Develop")
    assert workstream[0].fill == "#DEEAF6"
    letters = {
        rag.cell(r, 2).text: rag.cell(r, 2).fill
        for r in range(3, rag.n_rows)
        if rag.cell(r, 2).is_origin and rag.cell(r, 2).text
    }
    assert letters == {"G": "#00B050", "A": "#FFC000", "R": "#FF0000"}
    row = next(r for r in range(rag.n_rows) if rag.cell(r, 0).text == "1.2")
    assert rag.cell(row, 4).text.split("\n")[0].startswith("13 Mar")
    assert len(rag.cell(row, 4).text.split("\n")) == 2


def test_scrutiny_update_numbered_paragraphs_and_levels(rendered) -> None:
    doc = rendered("worcestershire_2017_scrutiny_update")
    items = blocks_of(doc, "list_item")
    numbered = [b.list_label for b in items if b.list_label and b.list_label[0].isdigit()]
    assert numbered[:3] == ["1.", "2.", "3."] and "40." in numbered
    sub = [b for b in items if b.level == 1]
    assert sub and all(b.list_label == "◦" for b in sub)
    assert any(
        b.text == "Work-stream 1 - Support and Develop Our Workforce" and b.bold for b in items
    )
    levels: dict[str, int | None] = {}
    for b in blocks_of(doc, "heading"):
        levels.setdefault(b.text, b.level)
    assert (
        levels["Agenda"] == 1
        and levels["Summary"] == 2
        and levels["County Council Contact Points"] == 3
    )


def test_wellbeing_plan_vertically_merged_aim(rendered) -> None:
    doc = rendered("plan_2017-18_wellbeing_safeguarding")
    first = doc.tables[0]
    assert first.header_texts()[:3] == ["Aim", "Key Tasks", "SMT Lead"]
    assert first.n_header_rows == 1
    aim = first.cell(1, 0)
    assert aim.row_span == 5 and aim.text.startswith("Develop consistent child")
    assert [first.cell(r, 0).merged_from for r in range(2, 6)] == [(1, 0)] * 4
    # vertical copies read as the merged value
    assert first.texts()[3][0] == aim.text
    assert first.cell(1, 4).text == "September 2017"
    # numbered list inside a cell keeps Word's numbers as text
    evidence = doc.tables[2].cell(1, 5).text.split("\n")
    assert evidence[0].startswith("1. Assessments") and evidence[1].startswith("2. ")


def test_sip_report_header_table_and_prose(rendered) -> None:
    doc = rendered("city_of_london_2018_sip_report")
    assert doc.blocks[0].kind == "table"
    head = doc.tables[0]
    assert head.cell(0, 0).text == "Committees" and head.cell(1, 1).text == "19/09/2018"
    assert head.cell(2, 0).text.split("\n")[0] == "Subject:"
    assert [b.text for b in blocks_of(doc, "heading") if b.level == 2][:2] == [
        "Summary",
        "The Plan",
    ]
    assert [b.text for b in blocks_of(doc, "list_item")][:2] == [
        "20 tasks marked amber",
        "45 tasks marked green",
    ]
    assert len(doc.tables) == 1


# ---------------------------------------------------------------- built documents


def _numbering(document, xml: str) -> None:
    document.part.numbering_part.element.append(parse_xml(xml))


def _number(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def test_word_list_numbers_letters_restart_and_legal(tmp_path: Path) -> None:
    d = docx.Document()
    # abstract 90: "1." then "a)"; abstract 91: "1.1." multi-level
    _numbering(
        d,
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        "</w:abstractNum>",
    )
    _numbering(
        d,
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
        '<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        "</w:abstractNum>",
    )
    _numbering(d, f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    _numbering(d, f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    for text, num, lvl in [
        ("first", 90, 0),
        ("sub one", 90, 1),
        ("sub two", 90, 1),
        ("second", 90, 0),
        ("sub again", 90, 1),
        ("three", 91, 0),
        ("three one", 91, 1),
        ("three two", 91, 1),
        ("four", 91, 0),
    ]:
        _number(d.add_paragraph(text), num, lvl)
    path = tmp_path / "lists.docx"
    d.save(path)
    items = [(b.list_label, b.level, b.text) for b in blocks_of(read(path), "list_item")]
    assert items == [
        ("1.", 0, "first"),
        ("a)", 1, "sub one"),
        ("b)", 1, "sub two"),
        ("2.", 0, "second"),
        ("a)", 1, "sub again"),
        ("3.", 0, "three"),
        ("3.1", 1, "three one"),
        ("3.2", 1, "three two"),
        ("4.", 0, "four"),
    ]


def test_style_lists_headings_and_bold_heading_heuristic(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "Built plan"
    d.core_properties.author = "Tester"
    d.add_heading("Plan title", 0)
    d.add_heading("Theme 1", 1)
    d.add_heading("Objective", 2)
    d.add_paragraph("alpha", style="List Number")
    d.add_paragraph("beta", style="List Number")
    d.add_paragraph("point", style="List Bullet")
    d.add_paragraph().add_run("Key actions").bold = True
    d.add_paragraph().add_run("A bold sentence that ends with a full stop.").bold = True
    d.add_paragraph("Ordinary text.")
    path = tmp_path / "styles.docx"
    d.save(path)
    doc = read(path)
    assert doc.metadata["title"] == "Built plan" and doc.metadata["author"] == "Tester"
    assert [(b.kind, b.level, b.text) for b in doc.blocks[:3]] == [
        ("heading", 1, "Plan title"),
        ("heading", 1, "Theme 1"),
        ("heading", 2, "Objective"),
    ]
    assert [(b.list_label, b.text) for b in blocks_of(doc, "list_item")] == [
        ("1.", "alpha"),
        ("2.", "beta"),
        ("•", "point"),
    ]
    tail = [(b.kind, b.level, b.text[:11]) for b in doc.blocks[-3:]]
    assert tail == [
        ("heading", 3, "Key actions"),
        ("paragraph", None, "A bold sent"),
        ("paragraph", None, "Ordinary te"),
    ]


def test_merged_shaded_header_and_nested_tables(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Before")
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "Aim", "Task", "RAG"
    for c in range(3):
        _shade(t.cell(0, c), "D9D9D9")
    t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    aim = t.cell(1, 0).merge(t.cell(3, 0))
    aim.text = "Shared aim"
    t.cell(1, 1).text, t.cell(2, 1).text = "Task one", "Task two"
    t.cell(1, 2).text = "G"
    _shade(t.cell(1, 2), "00b050")
    _shade(t.cell(2, 2), "FFFFFF")  # white is no fill
    _shade(t.cell(3, 2), "auto")
    inner = t.cell(3, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Q1", (0, 1): "Q2", (1, 0): "10%", (1, 1): "20%"}.items():
        inner.cell(r, c).text = text
    d.add_paragraph("After")
    path = tmp_path / "tables.docx"
    d.save(path)
    doc = read(path)
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "table", "paragraph"]
    outer, nested = doc.tables
    assert (outer.index, nested.index) == (0, 1)
    assert outer.n_header_rows == 1 and outer.header_texts() == ["Aim", "Task", "RAG"]
    assert outer.cell(0, 0).fill == "#D9D9D9"
    assert outer.cell(1, 0).row_span == 3 and outer.cell(3, 0).merged_from == (1, 0)
    assert outer.cell(3, 0).text == "Shared aim"
    assert [outer.cell(r, 2).fill for r in (1, 2, 3)] == ["#00B050", None, None]
    assert outer.cell(3, 1).text == "Q1 | Q2\n10% | 20%"
    assert nested.texts() == [["Q1", "Q2"], ["10%", "20%"]]
    assert doc.blocks[2].prov.table_index == 1 and doc.blocks[2].prov.page is None


def test_content_controls_keep_body_order(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("one")
    wrapped = d.add_paragraph("two (inside a content control)")
    d.add_paragraph("three")
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    wrapped._p.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(wrapped._p)
    path = tmp_path / "sdt.docx"
    d.save(path)
    assert [b.text for b in read(path).blocks] == ["one", "two (inside a content control)", "three"]


def test_long_cell_is_truncated_with_warning(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Action", "Lead"
    t.cell(1, 0).text = "x" * 500
    path = tmp_path / "long.docx"
    d.save(path)
    doc = read(path, max_cell_chars=100)
    assert len(doc.tables[0].cell(1, 0).text) == 100
    assert doc.warnings == ("1 cell(s) longer than 100 characters were truncated",)


# ---------------------------------------------------------------- hostile files


def _copy_with(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return dst


@pytest.fixture
def small_docx(tmp_path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("hello")
    path = tmp_path / "small.docx"
    d.save(path)
    return path


def test_unzipped_size_over_limit_is_refused(small_docx: Path) -> None:
    with pytest.raises(ExtractionError) as err:
        read(small_docx, max_unzipped_bytes=10_000)
    assert err.value.kind == "too_large"
    assert "possible zip bomb" in str(err.value)


def test_highly_compressed_member_is_refused_before_parsing(
    small_docx: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.docx"
    _copy_with(small_docx, bomb, lambda name, data: data)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    with pytest.raises(ExtractionError) as err:
        read(bomb, max_unzipped_bytes=4 * 1024 * 1024)
    assert err.value.kind == "too_large" and "DOCX expands to 8.8 MB" in str(err.value)


def test_entity_declaration_is_refused(small_docx: Path, tmp_path: Path) -> None:
    def add_entities(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        return data.replace(b"<w:document", b'<!DOCTYPE d [<!ENTITY lol "lol">]><w:document', 1)

    evil = _copy_with(small_docx, tmp_path / "evil.docx", add_entities)
    with pytest.raises(ExtractionError) as err:
        read(evil)
    assert err.value.kind == "unreadable"
    assert "XML entity declarations are not allowed" in str(err.value)


def test_not_a_zip_and_zip_without_document_are_corrupt(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"this is not a word document")
    with pytest.raises(ExtractionError) as err:
        read(fake)
    assert err.value.kind == "corrupt"
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError) as err:
        read(other)
    assert err.value.kind == "corrupt" and "word/document.xml" in str(err.value)
    # through the registry too: a broken package never becomes a traceback
    with pytest.raises(ExtractionError) as err:
        extract(other)
    assert err.value.kind == "corrupt"


def test_truncated_package_is_corrupt(small_docx: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.docx"
    data = small_docx.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as err:
        read(cut)
    assert err.value.kind == "corrupt"
    assert "\n" not in str(err.value)


def test_registry_reads_docx(small_docx: Path) -> None:
    doc = extract(small_docx)
    assert doc.format == "docx" and [b.text for b in doc.blocks] == ["hello"]
    assert isinstance(doc.tables, list) and not doc.tables
    assert Table  # the model type used above


def test_font_colours_of_status_glyphs(tmp_path: Path) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    d = docx.Document()
    amber = d.styles.add_style("Amber mark", WD_STYLE_TYPE.CHARACTER)
    amber.font.color.rgb = RGBColor(0xFF, 0xC0, 0x00)
    red_para = d.styles.add_style("Red note", WD_STYLE_TYPE.PARAGRAPH)
    red_para.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    t = d.add_table(rows=6, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Action", "Status"
    marks = t.cell(1, 1).paragraphs[0].add_run("✓")
    marks.font.color.rgb = RGBColor(0x00, 0xB0, 0x50)  # a direct run colour
    t.cell(2, 1).paragraphs[0].add_run("●", style="Amber mark")  # from a character style
    t.cell(3, 1).paragraphs[0].style = red_para
    t.cell(3, 1).paragraphs[0].add_run("Late")  # from the paragraph style
    grey = t.cell(4, 1).paragraphs[0].add_run("Not started")
    grey.font.color.rgb = RGBColor(0x59, 0x59, 0x59)  # grey is ordinary text
    para = t.cell(5, 1).paragraphs[0]
    para.add_run("See the appendix for the detail of each ")
    para.add_run("item").font.color.rgb = RGBColor(0x00, 0x00, 0xFF)  # one word of a sentence
    for r in range(1, 6):
        t.cell(r, 0).text = f"Action {r}"
    path = tmp_path / "colours.docx"
    d.save(path)
    table = read(path).tables[0]
    assert [table.cell(r, 1).text_colour for r in range(6)] == [
        None,
        "#00B050",
        "#FFC000",
        "#C00000",
        None,
        None,
    ]
    assert all(table.cell(r, 0).text_colour is None for r in range(6))


def test_paragraph_colour_runs(tmp_path: Path) -> None:
    from docx.shared import RGBColor

    d = docx.Document()
    p = d.add_paragraph("Key: ")
    for mark, rgb, label in [("✓", (0, 0xB0, 0x50), " Achieved "), ("●", (0xFF, 0, 0), " Late")]:
        p.add_run(mark).font.color.rgb = RGBColor(*rgb)
        p.add_run(label)
    d.add_paragraph("Plain text.")
    path = tmp_path / "key.docx"
    d.save(path)
    doc = read(path)
    assert [b.colour_runs for b in doc.blocks] == [
        (("✓", "#00B050"), ("●", "#FF0000")),
        (),
    ]
