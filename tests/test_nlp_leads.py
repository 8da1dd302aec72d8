"""Leads: the case table through the real pipeline, plus the pure helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planx.pipeline.nlp.leads import name_case, role_family
from planx.pipeline.nlp.stage import build_nlp, tag_plans
from planx.schemas.records import KPI, Action, GlossaryEntry, Lead, Plan, RecordProvenance

CASES = [
    c
    for c in json.loads(
        (Path(__file__).parent / "data" / "nlp_cases.json").read_text(encoding="utf-8")
    )
    if c["kind"] == "lead"
]
PROV = RecordProvenance(source="test.txt")


def make_plan(
    plan_id: str, cells: list[str], glossary: dict[str, str] | None = None, owners: list[str] = ()
) -> Plan:
    return Plan(
        plan_id=plan_id,
        source="test.txt",
        sha256="0",
        format="txt",
        glossary=[GlossaryEntry(abbreviation=a, expansion=e) for a, e in (glossary or {}).items()],
        actions=[
            Action(text=f"action {i}", lead_raw=c, provenance=PROV) for i, c in enumerate(cells)
        ],
        kpis=[KPI(measure=f"kpi {i}", owner_raw=o, provenance=PROV) for i, o in enumerate(owners)],
    )


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def table_results(nlp):
    """Every lead case, grouped into one plan per group (a plan's other cells are evidence),
    tagged in one call."""
    groups: dict[str, list[dict]] = {}
    for case in CASES:
        groups.setdefault(case["group"], []).append(case)
    plans = []
    for name, group in groups.items():
        glossary = next((c["glossary"] for c in group if c.get("glossary")), None)
        plans.append(make_plan(name, [c["text"] for c in group], glossary))
    tagged = tag_plans(plans, nlp)
    out = {}
    for plan, group in zip(tagged, groups.values(), strict=True):
        for case, action in zip(group, plan.actions, strict=True):
            out[(case["group"], case["text"])] = action.leads
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['group']}:{c['text']!r}")
def test_lead_cases(case, table_results):
    leads = table_results[(case["group"], case["text"])]
    assert [[lead.name, lead.kind, lead.role_family] for lead in leads] == case["expect"]
    for lead in leads:
        assert lead.raw and lead.raw in " ".join(case["text"].split())


def test_only_the_plan_glossary_expands_a_lead(nlp):
    # The output contract: abbreviations expanded where the plan defines them, kept as
    # written otherwise; the sector lexicon only says what kind of lead they are.
    plan = make_plan(
        "g",
        ["DCS", "IRO", "LADO", "IRO Manager", "DCS Office"],
        {"DCS": "Director of Children and Families"},
    )
    leads = [a.leads[0] for a in tag_plans([plan], nlp)[0].actions]
    assert (leads[0].name, leads[0].expanded_from) == ("Director of Children and Families", "plan")
    assert [(x.name, x.kind, x.role_family, x.expanded_from) for x in leads[1:4]] == [
        ("IRO", "role", "Other", None),
        ("LADO", "role", "Other", None),
        ("IRO Manager", "role", "Other", None),
    ]
    assert (leads[4].name, leads[4].expanded_from) == (
        "Director of Children and Families Office",
        "plan",
    )


@pytest.mark.parametrize(
    ("cell", "name", "family"),
    [
        ("DCS", "DCS", "Director"),
        ("HoS Early Help", "HoS Early Help", "Head of Service"),
        ("Safeguarding GM", "Safeguarding GM", "Service/Group Manager"),
        ("TMs", "TMs", "Team Manager"),
        ("Tom Hadley - HoS", "Tom Hadley - HoS", "Head of Service"),
    ],
)
def test_the_lexicon_fills_the_role_family_not_the_name(nlp, cell, name, family):
    lead = tag_plans([make_plan("f", [cell])], nlp)[0].actions[0].leads[0]
    assert (lead.name, lead.role_family, lead.expanded_from) == (name, family, None)


def test_undefined_initials_are_kept_as_written(nlp):
    plan = make_plan("i", ["JH/GC", "KP"])
    tagged = tag_plans([plan], nlp)[0]
    assert [lead.name for lead in tagged.actions[0].leads] == ["JH", "GC"]
    assert all(
        lead.expanded_from is None and lead.kind == "initials" for lead in tagged.actions[0].leads
    )


def test_two_spellings_of_one_role_become_one_name(nlp):
    plan = make_plan(
        "s",
        [
            "Head of Safeguarding & Area Services",
            "Head of Safeguarding and Area Services",
            "Head of Safeguarding and Area Services",
            "PSw",
            "Principal Social Worker",
            "Principle Social Worker",
        ],
    )
    names = [a.leads[0].name for a in tag_plans([plan], nlp)[0].actions]
    assert names[:3] == ["Head of Safeguarding and Area Services"] * 3
    assert names[3:] == ["PSw", "Principal Social Worker", "Principal Social Worker"]


def test_undefined_initials_keep_their_name_beside_the_role_they_abbreviate(nlp):
    plan = make_plan(
        "p", ["TR", "TINA RUSSELL", "HFS", "Head of Family Safeguarding"], owners=["Tina Russell"]
    )
    tagged = tag_plans([plan], nlp)[0]
    got = [(a.leads[0].name, a.leads[0].kind, a.leads[0].role_family) for a in tagged.actions]
    assert got == [
        ("TR", "initials", None),
        ("Tina Russell", "person", None),
        # The one role in the plan that HFS abbreviates tells its family, not its name.
        ("HFS", "initials", "Head of Service"),
        ("Head of Family Safeguarding", "role", "Head of Service"),
    ]
    assert [lead.name for lead in tagged.kpis[0].owners] == ["Tina Russell"]


def test_role_abbreviation_is_initials_in_a_plan_written_in_initials(nlp):
    initials_plan = make_plan("a", ["TM", "GC", "KP/RW"])
    roles_plan = make_plan("b", ["TM", "HoS", "Principal Social Worker"])
    a, b = tag_plans([initials_plan, roles_plan], nlp)
    assert (a.actions[0].leads[0].name, a.actions[0].leads[0].kind) == ("TM", "initials")
    assert (b.actions[0].leads[0].name, b.actions[0].leads[0].kind) == ("TM", "role")
    assert b.actions[0].leads[0].role_family == "Team Manager"


def test_name_case():
    assert name_case("TINA RUSSELL") == "Tina Russell"
    assert name_case("MARTHA McCARRON") == "Martha McCarron"
    assert name_case("O'BRIEN SMITH-JONES") == "O'Brien Smith-Jones"
    assert name_case("Rachel Green") == "Rachel Green"


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Director of Children's Services", "Director"),
        ("Executive Director People", "Director"),
        ("Assistant Director Children's Social Care", "Assistant Director"),
        ("Head of Service Children in Care", "Head of Service"),
        ("Virtual School Head", "Virtual School Head"),
        ("Headteacher, Virtual School", "Virtual School Head"),
        ("Group Manager Court Team", "Service/Group Manager"),
        ("Team Manager, Fostering", "Team Manager"),
        ("Principal Social Worker", "Principal Social Worker"),
        ("Business Support Officer", "Other"),
    ],
)
def test_role_family(title, family):
    assert role_family(title) == family


def test_role_family_of_teams_and_initials():
    assert role_family("Local Safeguarding Children Board", "team") == "Board/Partnership"
    assert role_family("Early Help Service", "team") is None
    assert role_family("JH", "initials") is None


def test_leads_are_lead_records(table_results):
    assert all(isinstance(lead, Lead) for leads in table_results.values() for lead in leads)


def test_a_line_break_follows_the_plans_own_leads(nlp):
    # Each line is a whole lead (both complete, no connecting word); what decides is how the
    # plan writes its other cells: the two lines as one lead, or each line alone.
    cell = "Head of Service\nEarly Help Team"
    joined = make_plan("j", [cell, "Head of Service Early Help Team"])
    apart = make_plan("a", [cell, "Head of Service", "Early Help Team"])
    j, a = tag_plans([joined, apart], nlp)
    assert [x.name for x in j.actions[0].leads] == ["Head of Service Early Help Team"]
    assert [x.name for x in a.actions[0].leads] == ["Head of Service", "Early Help Team"]


def test_an_agency_on_its_own_line_is_a_lead(nlp):
    plan = make_plan("y", ["Head of Service\nPolice", "Head of Service\nFostering"])
    got = [[x.name for x in a.leads] for a in tag_plans([plan], nlp)[0].actions]
    assert got == [["Head of Service", "Police"], ["Head of Service Fostering"]]


def test_starred_lead_partners_keep_the_whole_cell_as_raw(nlp):
    cell = "Northshire PCT*; Northshire County Council; Northshire Police*"
    plan = make_plan("s", [], owners=[cell])
    kpi = tag_plans([plan], nlp)[0].kpis[0]
    assert kpi.owner_raw == cell
    assert [(x.raw, x.name) for x in kpi.owners] == [
        ("Northshire PCT", "Northshire PCT"),
        ("Northshire Police", "Northshire Police"),
    ]


def test_starred_partners_of_a_real_kpi_table(nlp, shared_dir):
    """The partner column of a real plan's target table (lead partners starred, cells
    wrapped over lines) gives the gold file's owners."""
    pdfplumber = pytest.importorskip("pdfplumber")
    plans = shared_dir / "realdocs" / "plans"
    gold_path = plans / "gold" / "west-sussex_lac_needs_assessment_2008.json"
    gold = {
        k["ref"]: k["owner"]
        for k in json.loads(gold_path.read_text(encoding="utf-8"))["kpis"]
        if k.get("owner")
    }
    pdf_path = plans / "needs_assessment_of_vulnerable_and_looked_after_children___full_report.pdf"
    with pdfplumber.open(pdf_path, pages=[119]) as pdf:
        rows = [
            (row[0], next(c for c in row if c and "*" in c))
            for table in pdf.pages[0].extract_tables()
            for row in table
            if row[0] and row[0] in gold
        ]
    assert len(rows) == len(gold) == 8
    plan = make_plan("ni", [], owners=[cell for _, cell in rows])
    got = ["; ".join(o.name for o in k.owners) for k in tag_plans([plan], nlp)[0].kpis]
    assert got == [gold[ref] for ref, _ in rows]
