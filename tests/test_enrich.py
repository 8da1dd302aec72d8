"""The enrichment stage: theme areas and reported counts by meaning are set on the records
(so they reach the cache, the tables and the JSON Schema), and the tables only flatten them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planx.pipeline.enrich import enrich_plan
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.process import process_file
from planx.schemas.json_schema import output_json_schema
from planx.schemas.records import (
    Action,
    LegendEntry,
    Plan,
    RecordProvenance,
    StatusLegend,
    Theme,
)

PROV = RecordProvenance(source="plan.docx")


def _plan(**fields) -> Plan:
    return Plan(plan_id="p", source="plan.docx", sha256="0" * 64, format="docx", **fields)


def test_actions_take_their_themes_area_else_their_texts():
    plan = enrich_plan(
        _plan(
            themes=[Theme(name="Care leavers")],
            actions=[
                Action(theme="Front door", text="Review the thresholds", provenance=PROV),
                Action(theme="", text="Update every pathway plan", provenance=PROV),
                Action(theme="", text="Hold a team away day", provenance=PROV),
            ],
        )
    )
    first, second, third = plan.actions
    assert (first.theme_std, first.theme_rule) == (
        "front door, MASH and thresholds",
        "theme:front door",
    )
    assert (second.theme_std, second.theme_rule) == ("care leavers", "text:pathway plan*")
    assert (third.theme_std, third.theme_rule) == ("unclassified", "")
    assert plan.themes[0].theme_std == "care leavers"


def test_reported_counts_read_through_the_plans_key_else_the_common_reading():
    legend = StatusLegend(
        entries=[LegendEntry(colour="amber", label="Behind", meaning="off_track")]
    )
    plan = enrich_plan(
        _plan(legend=legend, reported_status_counts={"amber": 3, "red": 2, "green": 5})
    )
    # amber is behind by the plan's own key; red and green as they usually read.
    assert plan.reported_meaning_counts == {"off_track": 5, "on_track": 5}
    row = records_to_frames([plan], [])["plans"].iloc[0]
    assert (row["reported_off_track"], row["reported_on_track"]) == (5, 5)
    assert pd.isna(row["reported_at_risk"])  # nothing reported as at risk


def test_the_tables_flatten_what_the_records_hold():
    action = Action(
        theme="Care leavers", text="x", theme_std="early help", theme_rule="mine", provenance=PROV
    )
    row = records_to_frames([_plan(actions=[action])], [])["actions"].iloc[0]
    assert (row["theme_std"], row["theme_rule"]) == ("early help", "mine")


def test_a_processed_file_carries_its_theme_areas(samples_dir: Path):
    plan = process_file(samples_dir / "plans" / "eastmarsh_2018-19_rag_summary.txt").plan
    assert plan is not None and plan.actions
    assert all(a.theme_std for a in plan.actions)
    assert {a.theme_std for a in plan.actions} - {"unclassified"}


def test_the_json_schema_describes_theme_areas():
    defs = output_json_schema()["$defs"]
    assert {"theme_std", "theme_rule"} <= set(defs["Action"]["properties"])
    assert "reported_meaning_counts" in defs["Plan"]["properties"]
