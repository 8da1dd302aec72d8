"""Statuses: colours from text or fill, meanings through the plan's own legend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.nlp import build_nlp, tag_plans
from pipeline.nlp.statuses import fill_to_colour, label_to_meaning, legend_with_meanings
from schemas.records import Action, LegendEntry, Plan, Provenance, Status, StatusLegend

CASES = json.loads((Path(__file__).parent / "data" / "nlp_cases.json").read_text(encoding="utf-8"))
PROV = Provenance(source="test.txt")

# Legends worded as the seed plans word them (meanings left "unknown", as the interpreter hands them).
LEGENDS = {
    "none": StatusLegend(),
    "brag_amber_ontrack": StatusLegend(
        entries=[
            LegendEntry(
                colour="red", label="Tasks and or outcomes have not been met or timescale slipped"
            ),
            LegendEntry(
                colour="amber",
                label="Tasks and outcomes are on track, milestones met but full action(s) not completed",
            ),
            LegendEntry(
                colour="green", label="Tasks and outcomes are completed or performance is on target"
            ),
            LegendEntry(colour="blue", label="Completed"),
        ]
    ),
    "brag_prose": StatusLegend(
        entries=[
            LegendEntry(colour="red", label="fully stuck"),
            LegendEntry(colour="amber", label="more work needed or resolvable issue in sight"),
            LegendEntry(colour="green", label="in progress, no barriers to continuing"),
            LegendEntry(colour="blue", label="fully completed"),
        ]
    ),
    "criteria": StatusLegend(
        entries=[
            LegendEntry(
                colour="red", label="To RAG a project red TWO or MORE criteria must not be in place"
            ),
            LegendEntry(
                colour="amber", label="To RAG a project amber ONE criteria must not be in place"
            ),
            LegendEntry(
                colour="green", label="To RAG a project green ALL criteria must be in place"
            ),
        ],
        criteria=[
            "Clear Scope (Critical requirement)",
            "Clear Resource Requirements",
            "Resource allocated",
        ],
    ),
}


def cases(kind: str) -> list[dict]:
    return [c for c in CASES if c["kind"] == kind]


@pytest.fixture(scope="module")
def tagged_statuses():
    """All status cases, one plan per legend, through one tag_plans call."""
    by_legend: dict[str, list[dict]] = {}
    for case in cases("status"):
        by_legend.setdefault(case["legend"], []).append(case)
    plans = [
        Plan(
            plan_id=name,
            source="t",
            sha256="0",
            format="txt",
            legend=LEGENDS[name],
            actions=[
                Action(text="a", status=Status(raw=c["text"], fill=c["fill"]), provenance=PROV)
                for c in group
            ],
        )
        for name, group in by_legend.items()
    ]
    out = {}
    for plan, group in zip(tag_plans(plans, build_nlp()), by_legend.values(), strict=True):
        for case, action in zip(group, plan.actions, strict=True):
            out[(case["legend"], case["text"], case["fill"])] = action
    return out


@pytest.mark.parametrize(
    "case", cases("status"), ids=lambda c: f"{c['legend']}:{c['text']!r}:{c['fill']}"
)
def test_status_cases(case, tagged_statuses):
    action = tagged_statuses[(case["legend"], case["text"], case["fill"])]
    s, want = action.status, case["expect"]
    assert (s.colour, s.meaning, s.source, s.meaning_basis) == (
        want["colour"],
        want["meaning"],
        want["source"],
        want["meaning_basis"],
    )
    assert (s.raw, s.fill) == (case["text"], case["fill"])
    assert [f for f in action.flags if f in ("mixed_status", "status_text_fill_disagree")] == want[
        "flags"
    ]


@pytest.mark.parametrize("case", cases("legend_label"), ids=lambda c: repr(c["text"][:40]))
def test_legend_label_cases(case):
    assert label_to_meaning(case["text"]) == case["expect"]


@pytest.mark.parametrize("case", cases("fill"), ids=lambda c: c["text"])
def test_fill_cases(case):
    assert fill_to_colour(case["text"]) == case["expect"]


def test_legend_fills_win_over_the_standard_palette():
    # A plan whose key shows amber as orange and green as a teal: fills are read against it.
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="amber", label="at risk", fill="#F79646"),
            LegendEntry(colour="green", label="on track", fill="#4BACC6"),
        ]
    )
    assert fill_to_colour("#4BACC6") == "blue"
    assert fill_to_colour("#4BACC6", legend) == "green"
    assert fill_to_colour("#F79646", legend) == "amber"


def test_plan_legend_meanings_are_filled_in():
    legend = legend_with_meanings(LEGENDS["brag_prose"])
    assert {e.colour: e.meaning for e in legend.entries} == {
        "red": "off_track",
        "amber": "at_risk",
        "green": "on_track",
        "blue": "complete",
    }
    assert all(e.meaning == "unknown" for e in LEGENDS["brag_prose"].entries)  # input untouched


def test_the_same_colour_means_what_each_plan_says(tagged_statuses):
    amber_a = tagged_statuses[("brag_amber_ontrack", "AMBER", None)].status
    amber_b = tagged_statuses[("brag_prose", "amber", None)].status
    assert (amber_a.colour, amber_b.colour) == ("amber", "amber")
    assert (amber_a.meaning, amber_b.meaning) == ("on_track", "at_risk")


def test_tagged_plan_carries_its_legend_meanings():
    plan = Plan(
        plan_id="x",
        source="t",
        sha256="0",
        format="txt",
        legend=LEGENDS["criteria"],
        actions=[Action(text="a", status=Status(raw="A"), provenance=PROV)],
    )
    out = tag_plans([plan], build_nlp())[0]
    assert [e.meaning for e in out.legend.entries] == ["off_track", "at_risk", "on_track"]
    assert out.legend.criteria == LEGENDS["criteria"].criteria
