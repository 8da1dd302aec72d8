"""Status counts a document reports: sentences and count tables, and what they count."""

from __future__ import annotations

import pytest

from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.counts import (
    find_reported_counts,
    number_value,
    prose_counts,
    table_counts,
)
from planx.pipeline.interpret.front_matter import find_status_counts, is_count_table
from tests.layout_builders import document, heading, item, para, table

# --- prose ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "counts", "counts_of"),
    [
        (  # a total, then the colours with number words
            ["17 of the 38 indicators are rated as Green, 12 as Amber and nine as Red."],
            {"green": 17, "amber": 12, "red": 9},
            "indicators",
        ),
        (  # the noun first, the counts after it
            ["Of the 30 measures, seventeen are green, 12 amber and one red."],
            {"green": 17, "amber": 12, "red": 1},
            "indicators",
        ),
        (  # percentages beside the counts, over two sentences
            ["Performance: 17 (45%) KPIs are rated Green; 12 (32%) are Amber. 9 are Red."],
            {"green": 17, "amber": 12, "red": 9},
            "indicators",
        ),
        (  # a lead-in line and one list item per colour
            ["There are:", "20 tasks marked amber", "45 tasks marked green", "0 tasks marked red"],
            {"amber": 20, "green": 45, "red": 0},
            "actions",
        ),
        (  # compound number words
            ["Overall twenty-one actions were rated green, ten amber and 7 red."],
            {"green": 21, "amber": 10, "red": 7},
            "actions",
        ),
        (["Yellow: 4 projects were rated yellow and 6 green"], {"amber": 4, "green": 6}, "actions"),
    ],
)
def test_prose_statements(texts, counts, counts_of):
    found = prose_counts(texts)
    assert (found.counts, found.counts_of) == (counts, counts_of)
    assert find_status_counts(texts) == counts


@pytest.mark.parametrize(
    "texts",
    [
        ["Report author: A Green, 2 Green Lane"],  # a name and an address, no statement
        ["45% of indicators are green and 30% amber"],  # shares, not counts
        ["The service has 3 green spaces and 2 red buses."],  # no count noun
    ],
)
def test_prose_without_a_statement(texts):
    assert prose_counts(texts).counts == {}


def test_number_words():
    assert [number_value(w) for w in ("nine", "Seventeen", "twenty-one", "forty two", "12")] == [
        9,
        17,
        21,
        42,
        12,
    ]
    assert number_value("several") is None


# --- count tables -----------------------------------------------------------------------------------

AREA_COUNTS = [
    ["Service area", "G", "A", "R", "↑", "↓"],
    ["Early help", "5", "2", "1", "3", "1"],
    ["Children in care", "7", "6", "4", "2", "-"],
    ["TOTAL", "12", "8", "5", "5", "1"],
]


def test_count_table_by_area_with_a_total_row():
    block = table(AREA_COUNTS)
    assert is_count_table(block.table)
    assert table_counts(block.table) == {"green": 12, "amber": 8, "red": 5}


def test_count_table_without_a_total_row_is_summed():
    block = table(
        [
            ["", "No. Green", "No. Amber", "No. Red"],
            ["Front door", "3", "1", "0"],
            ["Care leavers", "2", "2", "–"],
            ["% of all", "50", "30", "20"],
        ]
    )
    assert table_counts(block.table) == {"green": 5, "amber": 3, "red": 0}


def test_count_table_with_statuses_down_the_side():
    block = table([["Rating", "Q1", "Q2"], ["Green", "10", "12"], ["Amber", "4", "3"]])
    assert is_count_table(block.table)
    assert table_counts(block.table) == {"green": 22, "amber": 7}


@pytest.mark.parametrize(
    "rows",
    [
        # A KPI table whose status column holds colour words.
        [
            ["Measure", "Target", "RAG"],
            ["Repeat referrals", "22%", "Green"],
            ["Visits", "90%", "Red"],
        ],
        # A milestone grid ticked by status column: not whole numbers.
        [["Action", "R", "A", "G"], ["Recruit staff", "", "x", ""], ["Audit", "", "", "x"]],
        # A key: colours beside words.
        [["Green", "On track"], ["Amber", "At risk"], ["Red", "Off track"]],
        # One status column only.
        [["Area", "Green"], ["Early help", "4"]],
    ],
)
def test_tables_that_are_not_count_tables(rows):
    assert not is_count_table(table(rows).table)


def test_reported_counts_prefer_prose_then_a_count_table_and_its_noun():
    blocks = [
        heading("Summary of indicator ratings"),
        para("The table shows the position at the end of the quarter."),
        table(AREA_COUNTS),
    ]
    found = find_reported_counts(blocks)
    assert (found.counts, found.counts_of) == ({"green": 12, "amber": 8, "red": 5}, "indicators")
    prose = para("20 actions are rated green and 3 amber.")
    found = find_reported_counts([prose, *blocks])
    assert (found.counts, found.counts_of) == ({"green": 20, "amber": 3}, "actions")


def test_interpreter_skips_a_count_table_and_keeps_its_counts():
    # Headed "Indicator", the count table would otherwise be read as a table of KPIs.
    counts = [
        ["Indicator", "Green", "Amber", "Red"],
        ["Timeliness", "7", "5", "2"],
        ["Quality", "5", "3", "3"],
        ["Total", "12", "8", "5"],
    ]
    doc = document(
        heading("Performance summary"),
        para("Counts of measures by rating."),
        table(counts, index=0),
        heading("Key performance indicators"),
        table(
            [
                ["Ref", "Measure", "Target", "RAG"],
                ["1a", "Percentage of re-referrals within 12 months", "22%", "Green"],
                ["1b", "Percentage of visits in timescale", "90%", "Red"],
            ],
            index=1,
        ),
        item("Next review in March."),
    )
    plan = interpret(doc, plan_id="p", sha256="s")
    assert [k.ref for k in plan.kpis] == ["1a", "1b"]  # nothing read from the count table
    assert plan.actions == []
    assert plan.reported_status_counts == {"green": 12, "amber": 8, "red": 5}
    assert plan.reported_counts_of == "indicators"
