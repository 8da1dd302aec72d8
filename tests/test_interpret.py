"""The interpreter on the real seed exports: counts, hierarchy, raw fields, front matter."""

from __future__ import annotations

import pytest

from planx.extractors import extract
from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.columns import headers_to_roles
from planx.pipeline.interpret.table_records import split_milestones


@pytest.fixture(scope="module")
def seed_plans(shared_dir):
    plans = {}
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        plans[path.stem.split("_")[0]] = interpret(extract(path), plan_id="p", sha256="s")
    return plans


def by_ref(plan):
    return {a.ref: a for a in plan.actions}


def test_column_roles_from_headers():
    roles = headers_to_roles(
        [
            "Aim",
            "Key Tasks",
            "SMT Lead",
            "Progress against key tasks.",
            "Completion date",
            "Evidence and impact",
        ]
    )
    assert roles.by_role == {
        "theme": 0,
        "action": 1,
        "lead": 2,
        "progress": 3,
        "due": 4,
        "evidence": 5,
    }
    roles = headers_to_roles(
        ["Ref", "Measure", "Responsible officer", "Frequency", "Target", "Target due"]
    )
    assert roles.kind == "kpi"
    assert (roles.get("target"), roles.get("target_due"), roles.get("lead")) == (4, 5, 2)
    roles = headers_to_roles(
        ["REF", "WORKSTREAM DETAIL", "RAG", "COMMENTARY", "NEXT KEY MILESTONES / March", "April"]
    )
    assert roles.by_role == {"ref": 0, "action": 1, "status": 2, "progress": 3}
    assert roles.months == {4: "March", 5: "April"}
    assert headers_to_roles(["Item No", "Subject", "Page No"]).kind == "other"


def test_milestones_split_on_their_dates():
    assert split_milestones("13 Mar - Mock up ready 21 Mar - World Social Worker Day") == [
        ("13 Mar", "Mock up ready"),
        ("21 Mar", "World Social Worker Day"),
    ]


def test_numbered_theme_plan(seed_plans):
    plan = seed_plans["bristol"]
    assert plan.authority == "Bristol" and plan.authority_la_code == "801"
    assert plan.period == "2016 - 2017" and plan.version == "Version 1.3"
    assert len(plan.actions) == 58 and len(plan.kpis) == 34
    actions = by_ref(plan)
    # Objective rows (1.1, 1.2 ...) parent actions; they are not actions themselves.
    assert "1.1" not in actions and "1.2" not in actions
    assert actions["1.2.4"].objective.startswith(
        "1.2 Improve the quality"
    )  # objective sat in the table before
    assert actions["1.1.1"].theme == "Theme 1: Quality of Social Work Practice"
    assert actions["1.1.1"].due.raw == "Report quarterly"
    assert actions["6.3.1"].lead_raw == "Head of Safeguarding and Area Services"
    assert actions["1.2.5"].text.startswith(
        "Configure LCS"
    )  # ref in its own column, text beside it
    kpis = {k.ref: k for k in plan.kpis}
    assert (kpis["16"].target_raw, kpis["16"].target_due.raw) == ("4 / 7", "Mar -17")
    assert kpis["17a"].theme == "Theme 4: Leadership, Management and Governance"
    assert [e.colour for e in plan.legend.entries] == ["red", "amber", "green", "blue"]
    assert plan.legend.entries[3].label == "Completed"


def test_rag_summary_sheet(seed_plans):
    plan = seed_plans["worcestershire"]
    assert plan.authority == "Worcestershire"
    actions = by_ref(plan)
    assert len(actions) == 47  # projects 1.1 .. 8.4
    a = actions["1.2"]
    assert a.theme == "1 Support and Develop Our Workforce"
    assert a.status.raw == "G"
    assert [(m.column, m.date.raw) for m in a.milestones] == [
        ("March", "13 Mar"),
        ("March", "21 Mar"),
        ("April", "10 Apr"),
        ("April", "24 Apr"),
    ]
    assert actions["8.2"].status.raw == "R"
    # The RAG rating rules after the table are the plan's own legend; the criteria are kept.
    assert {e.colour for e in plan.legend.entries} == {"red", "amber", "green"}
    assert plan.legend.criteria[0].startswith("Clear Scope")
    # Outcome-to-measures table: measures without targets, outcome carried down.
    measures = [k for k in plan.kpis if k.theme.startswith("Outcome 1 ")]
    assert len(measures) == 7 and measures[1].measure == "ASYE - number with more than 12 cases"


def test_aim_grid_with_initials(seed_plans):
    plan = seed_plans["plan"]
    assert plan.authority == ""  # the document never names its council
    assert plan.period == "2017/18"
    assert len(plan.actions) == 22
    first = plan.actions[0]
    assert first.theme.startswith("Develop consistent child-centred")
    assert (first.lead_raw, first.due.raw) == ("GC", "September 2017")
    assert plan.actions[-1].theme == "Permanency planning"
    assert [a.lead_raw for a in plan.actions].count("JH/GC") == 3


def test_prose_report_records_status_counts(seed_plans):
    plan = seed_plans["city"]
    assert plan.authority == "City of London"
    assert plan.actions == [] and plan.kpis == []
    assert plan.reported_status_counts == {"amber": 20, "green": 45, "red": 0, "blue": 2}
    assert {e.colour: e.label for e in plan.legend.entries}["blue"] == "fully completed"


def test_fields_written_inside_the_action_text():
    from planx.pipeline.interpret.inline import text_to_inline_fields

    text = (
        "We will review the reports annually. Implementation date(s): June 2023 "
        "Responsible persons: Chief Financial Officer"
    )
    assert text_to_inline_fields(text) == {"due": "June 2023", "lead": "Chief Financial Officer"}
    glued = (
        "Training is planned.Name of the contact person responsible for corrective action: A Person"
    )
    assert text_to_inline_fields(glued) == {"lead": "A Person"}
    assert text_to_inline_fields("Corrective action plan: nothing labelled here") == {}


def test_real_action_plan_workbooks_give_leads_and_dates_from_the_text(shared_dir):
    from planx.pipeline.process import process_file

    folder = shared_dir / "realdocs" / "xlsx-action-plans"
    plan = process_file(folder / "corrective-action-plan-171944.xlsx").plan
    assert len(plan.actions) == 30
    first = plan.actions[0]
    assert first.ref == "2022-020"
    assert first.due.date.isoformat() == "2023-06-30"
    assert first.lead_raw.startswith("Chief Information Officer")
    by_ref = {a.ref: a for a in plan.actions}
    assert (
        by_ref["2022-017"].due.date.isoformat() == "2023-03-28"
    )  # "March 28, 2023 for refresher ..."
    plan = process_file(folder / "corrective-action-plan-134732.xlsx").plan
    leads = {a.ref: a.lead_raw for a in plan.actions}
    assert leads["2021-002"] == "Tiffany Sewell"
    assert {a.ref: a.due.date.isoformat() for a in plan.actions}["2021-002"] == "2022-12-31"
