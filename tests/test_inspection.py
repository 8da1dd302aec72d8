"""Inspection reports: the layouts the reader knows (small layout-model documents), the tables
it fills, and every real report in ../shared/realdocs/ofsted-ilacs/ against its hand-checked
expected file (tests/expected/ofsted/: counts, dates, grades, and for each recommendation its
page, word count, first and last word and a sha256 of its text, never the text itself).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from planx.pipeline.flatten import records_to_frames
from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.inspection import cited_cells, normalise_grade, read_inspection
from planx.schemas.layout import Block, LayoutProvenance
from planx.schemas.table_columns import JUDGEMENT_AREAS
from tests.layout_builders import SOURCE, document, heading, item, para, table

EXPECTED = Path(__file__).resolve().parent / "expected" / "ofsted"
EXPECTED_FILES = sorted(EXPECTED.glob("*.json"))


def numbered(label: str, text: str, page: int = 1) -> Block:
    """A list item whose number the format computed ("1.", "126.")."""
    return Block(
        kind="list_item", text=text, level=0, list_label=label, prov=LayoutProvenance(SOURCE, page)
    )


def _ilacs_layout() -> list[Block]:
    return [
        heading("Inspection of Wexcombe local authority children’s services"),
        para("Inspection dates: 3 to 14 June 2024"),
        para("Lead inspector: A Person, His Majesty’s Inspector"),
        table(
            [
                ["Judgement", "Grade"],
                [
                    "The impact of leaders on social work practice with children and families",
                    "Good",
                ],
                ["The experiences and progress of children who need help and protection", "Good"],
                [
                    "The experiences and progress of children in care",
                    "Requires improvement to be good",
                ],
                ["The experiences and progress of care leavers", "Inadequate"],
                ["Overall effectiveness", "Requires improvement to be good"],
            ]
        ),
        para("Since the last inspection services have improved."),
        heading("What needs to improve?1", page=2, level=2),
        item("The quality of plans for children in need.", page=2),
        item("The sufficiency of placements for children in care, including", page=2),
        para("1 The areas for improvement are cross-referenced with a framework.", page=2),
        para("those with complex needs.", page=3),
        item("The timeliness of pathway plans for care leavers.", page=3),
        heading(
            "The experiences and progress of children in care: requires improvement to be good",
            page=3,
            level=2,
        ),
        item("Children in care are visited often.", page=3),
    ]


def test_ilacs_layout_dates_grades_and_bulleted_recommendations():
    found = read_inspection(document(*_ilacs_layout(), pages=3))
    assert found.framework == "ILACS"
    assert (found.inspection_start, found.inspection_end) == (
        dt.date(2024, 6, 3),
        dt.date(2024, 6, 14),
    )
    assert found.published is None  # not printed
    assert found.overall == "Requires improvement to be good"
    grades = {j.area: j.grade for j in found.judgements}
    assert grades == {
        "leadership": "Good",
        "help_and_protection": "Good",
        "children_in_care": "Requires improvement to be good",
        "care_leavers": "Inadequate",
        "overall": "Requires improvement to be good",
    }
    recs = found.recommendations
    # Three items: the second carried over a footnote and a page; the findings after the
    # next heading are not recommendations.
    assert [r.n for r in recs] == [1, 2, 3]
    assert recs[1].text.endswith("including those with complex needs.")
    assert [r.page for r in recs] == [2, 2, 3]
    assert {r.about for r in recs} == {"local authority"}
    assert all(r.label == "" for r in recs)  # bullets are not numbers


def _sif_layout() -> list[Block]:
    return [
        heading("Wexcombe County Council"),
        heading(
            "Inspection of services for children in need of help and protection, children looked after and care leavers",
            level=3,
        ),
        heading("Review of the effectiveness of the Local Safeguarding Children Board1", level=3),
        heading("Inspection date: 30 September – 22 October 2014", level=3),
        heading("Report published: 5 December 2014", level=3),
        heading("The overall judgement is that children’s services require improvement", level=3),
        table(
            [
                ["The judgements on areas of the service", "", ""],
                ["1. Children who need help and protection", "", "Requires improvement"],
                ["2. Children looked after and achieving permanence", "", "Good"],
                ["", "2.1 Adoption performance", "Good"],
                ["", "2.2 Experiences and progress of care leavers", "Inadequate"],
                ["3. Leadership, management and governance", "", "Requires improvement"],
            ],
            header_rows=0,
        ),
        heading("What does the local authority need to improve?", page=4, level=3),
        heading("Priority and immediate action", page=4, level=3),
        para("Outcomes for care leavers", page=4),
        numbered("1.", "Ensure that each care leaver has a pathway plan.", page=4),
        numbered("2.", "Take action to re-establish contact with care leavers.", page=4),
        heading("Areas for improvement", page=5, level=3),
        para("Leadership, management and governance", page=5),
        numbered("3.", "Improve the quality of performance information.", page=5),
        heading("The local authority’s strengths", page=6, level=3),
        numbered("4.", "Early help services are well targeted.", page=6),
        heading("The Local Safeguarding Children Board (LSCB)", page=30, level=2),
        heading("The Local Safeguarding Children Board requires improvement", page=30, level=3),
        heading("Recommendations", page=31, level=3),
        item("The board should ensure rigorous monitoring of action plans.", page=31),
        para("12. The board should evaluate the impact of its training.", page=31),
        heading("Inspection findings", page=31, level=3),
        numbered("13.", "The chair has strengthened the board.", page=31),
    ]


def test_sif_layout_sentence_grades_numbered_lists_and_the_boards_part():
    found = read_inspection(document(*_sif_layout(), pages=31))
    assert found.framework == "SIF"
    assert found.inspection_start == dt.date(2014, 9, 30)
    assert found.inspection_end == dt.date(2014, 10, 22)
    assert found.published == dt.date(2014, 12, 5)
    assert found.overall == "Requires improvement"  # "require improvement" in the sentence
    grades = {j.area: j.grade for j in found.judgements}
    assert grades == {
        "help_and_protection": "Requires improvement",
        "children_in_care": "Good",
        "adoption": "Good",
        "care_leavers": "Inadequate",
        "leadership": "Requires improvement",
        "lscb": "Requires improvement",
    }
    recs = found.recommendations
    assert [(r.n, r.label, r.about) for r in recs] == [
        (1, "1.", "local authority"),
        (2, "2.", "local authority"),
        (3, "3.", "local authority"),
        (4, "", "LSCB"),
        (5, "12.", "LSCB"),  # a number written into a paragraph's text
    ]
    assert [r.section for r in recs[:3]] == [
        "Priority and immediate action",
        "Priority and immediate action",
        "Areas for improvement",
    ]
    assert recs[4].text == "The board should evaluate the impact of its training."


def test_an_lscb_heading_makes_its_list_the_boards():
    doc = document(
        heading("What does the LSCB need to improve?"),
        item("Develop a single overarching business plan."),
        heading("Inspection judgement about the LSCB"),
    )
    assert [r.about for r in read_inspection(doc).recommendations] == ["LSCB"]


def test_without_a_grade_table_the_section_headings_give_the_judgements():
    doc = document(
        heading("Inspection of Wexcombe local authority children’s services"),
        para("Children’s services in Wexcombe are good"),
        heading("The experiences and progress of children who need help and protection: good"),
        heading("The experiences and progress of care leavers: requires improvement to be good"),
        heading("Background: a note"),
    )
    found = read_inspection(doc)
    assert {j.area: j.grade for j in found.judgements} == {
        "help_and_protection": "Good",
        "care_leavers": "Requires improvement to be good",
    }
    assert found.overall == "Good"
    assert found.recommendations == []


def test_a_grade_table_drawn_as_lines_of_text():
    doc = document(
        heading("Inspection of Wexcombe local authority children’s services"),
        para("Inspection dates: 3 to 14 June 2024"),
        para("The impact of leaders on social work practice with children and families Good"),
        para("The experiences and progress of care leavers Requires improvement to be good"),
        para("Overall effectiveness Good"),
        para("Services for children in care are good"),  # a sentence, not a judgement
    )
    found = read_inspection(doc)
    assert {j.area: j.grade for j in found.judgements} == {
        "leadership": "Good",
        "care_leavers": "Requires improvement to be good",
        "overall": "Good",
    }
    assert found.overall == "Good"


def test_grades_are_written_as_the_tables_write_them():
    assert normalise_grade("require improvement") == "Requires improvement"
    assert normalise_grade("INADEQUATE.") == "Inadequate"
    assert normalise_grade("requires improvement to be good") == "Requires improvement to be good"


def test_a_plans_recommendation_column_is_kept_as_cited():
    extra = {"Ofsted Recommendations (2017 Report)": "2. Implement the strategy", "Notes": "x"}
    assert cited_cells(extra) == "2. Implement the strategy"
    assert cited_cells({"Notes": "Recommendation 3"}) == ""  # other columns are read in compare


def test_interpret_reads_an_inspection_report_into_the_tables():
    plan = interpret(document(*_ilacs_layout(), pages=3), plan_id="p1", sha256="0" * 64)
    assert plan.doc_kind == "inspection_report"
    frames = records_to_frames([plan], [])
    row = frames["inspections"].iloc[0]
    assert row["framework"] == "ILACS"
    assert row["overall"] == "Requires improvement to be good"
    assert row["care_leavers"] == "Inadequate" and row["adoption"] == ""
    assert row["inspection_end"] == dt.date(2024, 6, 14)
    assert int(row["n_recommendations"]) == 3
    recs = frames["recommendations"]
    assert list(recs["n"]) == [1, 2, 3]
    assert list(recs["about"]) == ["local authority"] * 3


def test_a_plan_has_no_inspection_rows():
    plan = interpret(
        document(heading("Improvement plan"), para("Actions to take.")),
        plan_id="p2",
        sha256="1" * 64,
    )
    assert plan.inspection is None
    frames = records_to_frames([plan], [])
    assert frames["inspections"].empty and frames["recommendations"].empty


# --------------------------------------------------------------------------- real reports


def _words(text: str) -> list[str]:
    return " ".join(text.split()).split()


def test_every_real_report_has_an_expected_file(shared_dir: Path):
    reports = {p.stem for p in (shared_dir / "realdocs" / "ofsted-ilacs").glob("*.pdf")}
    assert reports and reports == {p.stem for p in EXPECTED_FILES}


@pytest.fixture(scope="module")
def read_tables(ofsted_batch: Path) -> dict[str, pd.DataFrame]:
    """The batch's plans, inspections and recommendations tables, as written."""
    return {
        name: pd.read_parquet(ofsted_batch / f"{name}.parquet")
        for name in ("plans", "inspections", "recommendations")
    }


def _iso(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)[:10]


@pytest.mark.parametrize("expected_file", EXPECTED_FILES, ids=lambda p: p.stem)
def test_real_report_judgements_dates_and_recommendations(read_tables, expected_file: Path):
    want = json.loads(expected_file.read_text(encoding="utf-8"))
    plans, inspections = read_tables["plans"], read_tables["inspections"]
    assert plans.loc[plans["source"] == want["report"], "doc_kind"].tolist() == [
        "inspection_report"
    ]
    got = inspections[inspections["source"] == want["report"]]
    assert len(got) == 1
    got = got.iloc[0]
    assert got["authority"] == want["authority"]
    assert got["authority_la_code"] != ""  # codes from the register
    assert got["framework"] == want["framework"]
    assert _iso(got["inspection_start"]) == want["inspection_start"]
    assert _iso(got["inspection_end"]) == want["inspection_end"]
    assert _iso(got["published"]) == want["published"]
    assert got["overall"] == want["overall"]
    grades = {area: got[area] for area in JUDGEMENT_AREAS if got[area]}
    assert grades == want["judgements"]
    recs = read_tables["recommendations"]
    recs = recs[recs["source"] == want["report"]].sort_values("n")
    assert int(got["n_recommendations"]) == len(recs) == want["n_recommendations"]
    assert int(got["n_recommendations_lscb"]) == want["n_recommendations_lscb"]
    assert (recs["about"] == "LSCB").sum() == want["n_recommendations_lscb"]
    for (_, r), w in zip(recs.iterrows(), want["recommendations"], strict=True):
        words = _words(r["text"])
        assert (r["n"], r["about"], r["label"], r["page"]) == (
            w["n"],
            w["about"],
            w["label"],
            w["page"],
        )
        assert len(words) == w["words"], (r["n"], r["text"])
        assert re.sub(r"\W+$", "", words[0]) == w["first"]
        assert re.sub(r"^\W+|\W+$", "", words[-1]) == w["last"]
        assert hashlib.sha256(" ".join(words).encode()).hexdigest() == w["sha256"], r["n"]


def test_inspection_tables_validate_against_the_json_schema(ofsted_batch: Path):
    import jsonschema

    from planx.schemas.json_schema import output_json_schema

    schema = output_json_schema()
    for name in ("inspections", "recommendations"):
        frame = pd.read_parquet(ofsted_batch / f"{name}.parquet")
        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        for row in rows:
            for key in ("inspection_start", "inspection_end", "published"):
                if isinstance(row.get(key), str):
                    row[key] = row[key][:10]
        jsonschema.validate(rows, schema["properties"][name])
    assert "Inspection" in schema["$defs"] and "Recommendation" in schema["$defs"]
