"""A KPI's performance through the NLP stage and into the kpis table: its rating read
through the plan's own key, its actual and floor values read as targets are, and its
direction of travel as the document labels it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from planx.pipeline.flatten import plan_to_kpi_rows, records_to_frames
from planx.pipeline.nlp.directions import (
    arrow_movement,
    key_movements,
    load_direction_words,
    text_to_direction,
)
from planx.pipeline.nlp.stage import build_nlp, tag_plans
from planx.schemas.json_schema import output_json_schema
from planx.schemas.records import KPI, LegendEntry, Plan, RecordProvenance, Status, StatusLegend
from planx.schemas.table_columns import CONTRACT_COLUMNS, KPI_COLUMNS

PROV = RecordProvenance(source="report.pdf", page=3)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def kpi(**kw) -> KPI:
    return KPI(measure=kw.pop("measure", "Re-referrals within 12 months"), provenance=PROV, **kw)


def plan(kpis, **kw) -> Plan:
    return Plan(plan_id="p1", source="report.pdf", sha256="0", format="pdf", kpis=kpis, **kw)


# --- direction words --------------------------------------------------------------------------------


def test_direction_words_file_loads_with_every_direction():
    words = load_direction_words()
    names = {name for _, name in words.phrases}
    assert names == {"improving", "stable", "worsening", "up", "down"}
    # Longest first, so "no change" is found before a shorter phrase inside it.
    lengths = [len(p) for p, _ in words.phrases]
    assert lengths == sorted(lengths, reverse=True)


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Improving", "improving"),
        ("Performance has improved", "improving"),
        ("Better than last quarter", "improving"),
        ("declining", "worsening"),
        ("Worse", "worsening"),
        ("No change", "stable"),
        ("→", "stable"),
        ("↔ Same as last quarter", "stable"),
        ("►", "stable"),
        ("", None),
        ("n/a", None),
    ],
)
def test_direction_from_words_and_sideways_arrows(text, direction):
    assert text_to_direction(text).direction == direction


@pytest.mark.parametrize("text", ["↑", "▼", "Up", "increased", "⬆ 3%"])
def test_up_or_down_is_not_good_or_bad_without_the_documents_key(text):
    reading = text_to_direction(text)
    assert reading.direction is None
    assert reading.flags == ("direction_not_keyed",)


def test_up_or_down_through_the_documents_key():
    key = {"↑": "Performance improved", "↓": "Performance declined", "→": "No change"}
    assert text_to_direction("↑", key).direction == "improving"
    assert text_to_direction("↓", key).direction == "worsening"
    # Another glyph pointing the same way means what the key says of that way.
    assert text_to_direction("▲", key).direction == "improving"
    assert text_to_direction("Down", key).direction == "worsening"
    # A key where up is bad (a measure where lower is better).
    assert text_to_direction("⬆", {"⬆": "worse", "⬇": "better"}).direction == "worsening"
    assert key_movements(key, load_direction_words()) == {
        "up": "improving",
        "down": "worsening",
        "level": "stable",
    }


def test_arrow_movement_by_glyph_name():
    assert [arrow_movement(c) for c in "↑⬆▲↗"] == ["up"] * 4
    assert [arrow_movement(c) for c in "↓▼↘"] == ["down"] * 3
    assert [arrow_movement(c) for c in "→↔►"] == ["level"] * 3
    assert arrow_movement("↕") is None and arrow_movement("a") is None


# --- the NLP stage --------------------------------------------------------------------------------


def test_kpi_status_is_read_through_the_plans_own_key(nlp):
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="green", label="Target met"),
            LegendEntry(colour="amber", label="Below target, floor met", meaning="at_risk"),
            LegendEntry(colour="red", label="Floor missed", meaning="off_track"),
        ]
    )
    kpis = [
        kpi(status=Status(raw="AMBER")),
        kpi(status=Status(raw="", fill="#FF0000")),
        kpi(status=Status(raw="Green")),
        kpi(),
    ]
    out = tag_plans([plan(kpis, legend=legend)], nlp)[0].kpis
    assert (out[0].status.colour, out[0].status.meaning, out[0].status.source) == (
        "amber",
        "at_risk",
        "text",
    )
    assert out[0].status.meaning_basis == "plan_legend" and out[0].status.raw == "AMBER"
    assert (out[1].status.colour, out[1].status.source, out[1].status.meaning) == (
        "red",
        "fill",
        "off_track",
    )
    assert out[2].status.colour == "green"
    assert (out[3].status.colour, out[3].status.meaning) == (None, "unknown")


def test_kpi_status_without_a_key_takes_the_common_reading(nlp):
    out = tag_plans([plan([kpi(status=Status(raw="RED"))])], nlp)[0].kpis[0]
    assert (out.status.meaning, out.status.meaning_basis) == ("off_track", "common_reading")


def test_kpi_actual_and_floor_are_read_as_targets(nlp):
    k = kpi(
        target_raw="97%",
        actual_raw="95.5%",
        floor_raw="90%",
        previous_raw="97% (Green)",
        direction_raw="Improving",
    )
    out = tag_plans([plan([k])], nlp)[0].kpis[0]
    assert (out.target_value, out.actual_value, out.floor_value) == (97, 95.5, 90)
    assert out.previous_raw == "97% (Green)" and out.direction == "improving"
    labels = {(s.field, s.label, s.text) for s in out.spans}
    assert ("actual_raw", "ACTUAL", "95.5%") in labels
    assert ("floor_raw", "FLOOR", "90%") in labels
    assert ("direction_raw", "DIRECTION", "Improving") in labels


def test_kpi_values_that_are_not_numbers_are_flagged(nlp):
    out = tag_plans([plan([kpi(actual_raw="Not yet reported", floor_raw="n/a")])], nlp)[0].kpis[0]
    assert (out.actual_value, out.floor_value) == (None, None)
    assert {"actual_not_numeric", "floor_not_numeric"} <= set(out.flags)


def test_kpi_direction_through_the_plans_arrow_key(nlp):
    kpis = [kpi(direction_raw="↑"), kpi(direction_raw="↓"), kpi(direction_raw="→")]
    keyed = plan(kpis, direction_key={"↑": "Improved", "↓": "Declined"})
    out = tag_plans([keyed, plan(kpis)], nlp)
    assert [k.direction for k in out[0].kpis] == ["improving", "worsening", "stable"]
    assert [k.direction for k in out[1].kpis] == [None, None, "stable"]
    assert "direction_not_keyed" in out[1].kpis[0].flags


# --- tables and schema ------------------------------------------------------------------------------


def test_kpi_rows_carry_performance_columns(nlp):
    k = kpi(
        status=Status(raw="GREEN ↑", fill="#00B050"),
        target_raw="97%",
        actual_raw="97%",
        floor_raw="90%",
        previous_raw="97% (Green)",
        direction_raw="↑",
    )
    tagged = tag_plans([plan([k], direction_key={"↑": "Improving"})], nlp)[0]
    row = plan_to_kpi_rows(tagged)[0]
    assert {
        name: row[name]
        for name in (
            "status",
            "status_meaning",
            "actual_raw",
            "actual_value",
            "floor_raw",
            "floor_value",
            "previous_raw",
            "direction",
            "status_raw",
            "status_fill",
            "status_source",
            "meaning_basis",
            "direction_raw",
        )
    } == {
        "status": "green",
        "status_meaning": "on_track",
        "actual_raw": "97%",
        "actual_value": 97,
        "floor_raw": "90%",
        "floor_value": 90,
        "previous_raw": "97% (Green)",
        "direction": "improving",
        "status_raw": "GREEN ↑",
        "status_fill": "#00B050",
        "status_source": "text",
        "meaning_basis": "common_reading",
        "direction_raw": "↑",
    }
    frame = records_to_frames([tagged], [])["kpis"]
    assert list(frame.columns) == KPI_COLUMNS
    assert str(frame["actual_value"].dtype) == "Float64"


def test_contract_and_schema_name_the_kpi_performance_columns():
    contract = {
        "status",
        "status_meaning",
        "actual_raw",
        "actual_value",
        "floor_raw",
        "floor_value",
        "previous_raw",
        "direction",
    }
    assert contract <= set(CONTRACT_COLUMNS["kpis"])
    schema = output_json_schema()["properties"]["kpis"]["items"]
    assert contract <= set(schema["required"])
    assert schema["properties"]["actual_value"]["type"] == ["number", "null"]
    assert schema["properties"]["direction"]["enum"] == ["improving", "stable", "worsening", ""]
    kpi_def = output_json_schema()["$defs"]["KPI"]["properties"]
    assert {"status", "actual_raw", "floor_value", "direction"} <= set(kpi_def)


def test_kpi_status_shown_only_by_an_arrow_or_text_colour(nlp):
    kpis = [
        kpi(status=Status(icon_fill="#92D050"), direction_raw="↓"),
        kpi(status=Status(raw="At or near 95%", text_colour="#0070C0")),
        kpi(status=Status(raw="", fill="#FFC000", icon_fill="#FF0000")),
    ]
    out = tag_plans([plan(kpis)], nlp)[0].kpis
    assert [(k.status.colour, k.status.source) for k in out] == [
        ("green", "icon"),
        ("blue", "font"),
        ("amber", "fill"),  # the cell's own fill first
    ]
    # The arrow's colour is its rating; its direction (down) is not good or bad by itself.
    assert out[0].direction is None and out[0].status.icon_fill == "#92D050"
