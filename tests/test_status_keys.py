"""Status keys: tables and prose sentences, keys for work and keys for measures."""

from __future__ import annotations

import json
from pathlib import Path

from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.front_matter import find_legend, is_legend_table
from planx.pipeline.nlp.lexicon import load_status_words
from planx.pipeline.nlp.statuses import fill_to_colour, legend_with_meanings
from planx.schemas.records import MEANINGS
from tests.layout_builders import document, heading, item, para, table

STATUS_WORDS = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "status_words.json"


def _meanings(doc) -> dict[str, str]:
    legend = legend_with_meanings(find_legend(doc, fill_to_colour=fill_to_colour))
    return {e.colour: e.meaning for e in legend.entries}


def test_key_phrases_load_as_data():
    groups = load_status_words().key_phrases
    raw = json.loads(STATUS_WORDS.read_text(encoding="utf-8"))["key_phrases"]["groups"]
    assert len(groups) == len(raw) >= 4
    assert all(meaning in MEANINGS and phrases for meaning, phrases in groups)


def test_key_table_for_measures():
    doc = document(
        table(
            [
                ["Rating", "Meaning"],
                ["Green", "Target met or exceeded"],
                ["Amber", "Below target but within tolerance"],
                ["Red", "Below floor"],
                ["Blue", "Target exceeded by a wide margin"],
            ]
        )
    )
    assert _meanings(doc) == {
        "red": "off_track",
        "amber": "at_risk",
        "green": "on_track",
        "blue": "on_track",
    }


def test_prose_key_for_measures_on_one_line():
    doc = document(
        para("RAG rating: Green = target achieved; Amber = floor met; Red = floor not met.")
    )
    assert _meanings(doc) == {"red": "off_track", "amber": "at_risk", "green": "on_track"}


def test_key_for_work_keeps_its_reading():
    doc = document(
        para("Status key: Blue = completed; Green = on track; Amber = some slippage; Red = stuck.")
    )
    assert _meanings(doc) == {
        "red": "off_track",
        "amber": "at_risk",
        "green": "on_track",
        "blue": "complete",
    }


def test_key_written_as_one_sentence_per_colour():
    doc = document(
        heading("Interpretation"),
        para("Values are compared with the national average."),
        para("Blue arrows are shown where either of these holds:"),
        item("the significance of a difference cannot be determined, or"),
        item("no value judgement should be made."),
        para(
            "Green text or arrows indicate that an area is significantly better than the comparator."
        ),
        para("Yellow text or arrows indicate that an area does not differ significantly from it."),
        para(
            "Red text or arrows indicate that an area is significantly worse than the comparator."
        ),
    )
    legend = find_legend(doc)
    blue = next(e for e in legend.entries if e.colour == "blue")
    assert "cannot be determined" in blue.label  # the list items after the ':' belong to it
    assert _meanings(doc) == {
        "red": "off_track",
        "amber": "at_risk",
        "green": "on_track",
        "blue": "unknown",
    }


def test_one_sentence_starting_with_a_colour_is_no_key():
    doc = document(
        para("Red arrows indicate that the value fell."),
        para("The next section describes the data."),
    )
    assert find_legend(doc).entries == []


def test_rows_of_one_fill_are_no_key():
    # Two banner rows of a styled table share one blue fill: not a key telling statuses apart.
    block = table(
        [["", "Infant deaths per 1,000 births"], ["", "2007-2016"]],
        header_rows=0,
        fills={(0, 0): "#057DD3", (1, 0): "#057DD3"},
    )
    doc = document(block)
    assert not is_legend_table(block.table)
    assert find_legend(doc, fill_to_colour=fill_to_colour).entries == []
    keyed = table(
        [["", "Completed"], ["", "Off track"]],
        header_rows=0,
        fills={(0, 0): "#0070C0", (1, 0): "#FF0000"},
    )
    assert _meanings(document(keyed)) == {"blue": "complete", "red": "off_track"}


def test_count_beside_a_colour_is_no_key_wording():
    doc = document(table([["Rating", "Number"], ["Green", "17"], ["Amber", "12"], ["Red", "9"]]))
    assert find_legend(doc).entries == []
    plan = interpret(doc, plan_id="p", sha256="s")
    assert plan.reported_status_counts == {"green": 17, "amber": 12, "red": 9}


def test_key_of_status_words_alone_is_set_aside():
    # A text export keeps a key's words but not its fills: a status word beside what it means.
    key = table(
        [
            ["Status", "What it means"],
            ["Complete", "Delivered and signed off"],
            ["On track", "Progressing to plan"],
            ["At risk", "Some slippage"],
            ["Not started", "Work has not begun"],
        ]
    ).table
    assert is_legend_table(key)
    doc = document(
        heading("Status key"),
        table(key.texts()),
        heading("Actions"),
        table(
            [
                ["Ref", "Action", "Lead", "Due", "Status"],
                [
                    "1",
                    "Review the thresholds with partners",
                    "Head of Service",
                    "Mar 2020",
                    "On track",
                ],
                ["2", "Publish the early help offer", "Head of Early Help", "Jun 2020", "At risk"],
            ],
            index=1,
        ),
    )
    plan = interpret(doc, plan_id="p", sha256="0" * 64)
    assert [a.ref for a in plan.actions] == ["1", "2"]


def test_actions_with_status_words_are_no_key():
    # Longer tables, or status words beside only one meaning, are records, not a key.
    rows = [
        ["Status", "Action"],
        *[["On track", f"Review the plan for area {n}"] for n in range(9)],
    ]
    assert not is_legend_table(table(rows).table)
    assert not is_legend_table(
        table([["Status", "Action"], ["On track", "Review"], ["In progress", "Audit"]]).table
    )
