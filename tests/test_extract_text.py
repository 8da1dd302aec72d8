"""The text-export reader, on the real seed exports and on small crafted files."""

from __future__ import annotations

from pathlib import Path

import pytest

from planx.extractors import ExtractionError, extract


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tab_lines_make_a_table_with_header(tmp_path):
    doc = extract(
        write(
            tmp_path,
            "p.txt",
            "Intro text.\n\nRef\tAction\tLead\n1.1\tDo a thing\tDCS\n1.2\tDo more\tPSW\n",
        )
    )
    [table] = doc.tables
    assert table.n_header_rows == 1
    assert table.header_texts() == ["Ref", "Action", "Lead"]
    assert table.texts()[2] == ["1.2", "Do more", "PSW"]


def test_repeated_header_after_blank_line_joins_the_table(tmp_path):
    text = "Ref\tAction\n1\tOne\n\nRef\tAction\n2\tTwo\n"
    [table] = extract(write(tmp_path, "p.txt", text)).tables
    assert [r[0] for r in table.texts()] == ["Ref", "1", "2"]


def test_heading_between_runs_becomes_a_group_row_spanning_the_table(tmp_path):
    text = "Ref\tMeasure\tTarget\n\nTheme 1: Workforce\n\n1a\tTurnover\t16%\n\nTheme 2: Care\n\n2a\tVisits\t90%\n"
    [table] = extract(write(tmp_path, "p.txt", text)).tables
    assert table.n_rows == 5
    group = table.rows[1][0]
    assert group.text == "Theme 1: Workforce" and group.col_span == 3
    assert table.rows[1][2].merged_from == (1, 0)


def test_sub_header_row_makes_the_parent_header_span(tmp_path):
    text = (
        "REF\tDETAIL\tNEXT KEY MILESTONES\t\n\t\tMarch\tApril\n1.1\tThing\t09 Mar - x\t10 Apr - y\n"
    )
    [table] = extract(write(tmp_path, "p.txt", text)).tables
    assert table.n_header_rows == 2
    assert table.rows[0][2].col_span == 2
    assert table.header_texts()[2:] == [
        "NEXT KEY MILESTONES / March",
        "NEXT KEY MILESTONES / April",
    ]


def test_html_fragments_and_markdown_are_cleaned(tmp_path):
    text = "**Key Tasks**\tEvidence\nA task\t<p>Chronology on file.</p>\n"
    [table] = extract(write(tmp_path, "p.txt", text)).tables
    assert table.texts()[0][0] == "Key Tasks"
    assert table.texts()[1][1] == "Chronology on file."


def test_empty_text_file_is_an_error(tmp_path):
    with pytest.raises(ExtractionError) as info:
        extract(write(tmp_path, "p.txt", "\n\n  \n"))
    assert info.value.kind == "empty"


def test_seed_exports_give_their_tables(shared_dir):
    doc = extract(shared_dir / "seeds" / "bristol_2016-17_getting_to_good.txt")
    tables = doc.tables
    assert tables[0].header_texts() == ["RAG Table", "Status"]
    kpi = tables[-1]
    assert kpi.header_texts() == [
        "Ref",
        "Measure",
        "Responsible officer",
        "Frequency",
        "Target",
        "Target due",
    ]
    # The KPI table's theme headings became group rows; its repeated header was dropped.
    assert kpi.texts()[1][0].startswith("Theme 1:")
    assert sum(1 for row in kpi.texts() if row[0] == "Ref") == 1
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Theme 5: Workforce" in headings


def test_seed_rag_sheet_has_two_header_rows(shared_dir):
    doc = extract(shared_dir / "seeds" / "worcestershire_2017_scrutiny_update.txt")
    rag = next(t for t in doc.tables if t.header_texts()[:3] == ["REF", "WORKSTREAM DETAIL", "RAG"])
    assert rag.n_header_rows == 2
    assert rag.header_texts()[4:] == ["NEXT KEY MILESTONES / March", "NEXT KEY MILESTONES / April"]
