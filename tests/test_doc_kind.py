"""Document kind: plan, performance report, inspection report or other, from content and records."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from planx.extractors import extract
from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.doc_kind import document_kind, inspection_cues, load_cues
from planx.pipeline.nlp.statuses import legend_with_meanings
from planx.schemas.records import (
    KPI,
    Action,
    LegendEntry,
    Plan,
    RecordProvenance,
    Status,
    StatusLegend,
)
from tests.layout_builders import document, heading, para, table

PROV = RecordProvenance(source="test.pdf")


def _plan(**fields) -> Plan:
    return Plan(plan_id="p", source="test.pdf", sha256="s", format="pdf", **fields)


def _actions(n: int) -> list[Action]:
    return [Action(text=f"Action {i}", provenance=PROV) for i in range(n)]


def _kpis(n: int, *, rated: bool = False, target: str = "") -> list[KPI]:
    status = Status(raw="Green") if rated else Status()
    return [
        KPI(measure=f"Measure {i}", status=status, target_raw=target, provenance=PROV)
        for i in range(n)
    ]


INSPECTION_FRONT = [
    heading("Inspection of Testshire local authority children’s services"),
    para("Inspection dates: 1 to 12 May 2024"),
    para("Lead inspector: A Person, His Majesty’s Inspector"),
    table(
        [
            ["Judgement", "Grade"],
            ["The impact of leaders on practice", "Requires improvement to be good"],
            ["The experiences of children who need help", "Good"],
            ["The experiences of children in care", "Inadequate"],
            ["Overall effectiveness", "Requires improvement to be good"],
        ]
    ),
]


def test_cue_data_loads():
    cues = load_cues()
    assert len(cues.inspection) >= 5 and cues.min_grade_cells >= 2
    assert cues.plan_title and cues.performance_title
    assert cues.grade.match("Requires improvement to be good")


def test_inspection_front_page_is_an_inspection_report():
    doc = document(*INSPECTION_FRONT)
    assert inspection_cues(doc) == [
        "inspection heading",
        "inspection dates",
        "lead inspector",
        "overall judgement",
        "judgement grades",
    ]
    kind = document_kind(doc, _plan())
    assert kind.kind == "inspection_report"
    assert kind.basis.startswith("inspection cues: inspection heading")


def test_inspection_cues_are_read_on_the_first_pages_only():
    # The same cues on page 9 (a plan's appendix quoting its inspection) are not read.
    late = [replace(b, prov=replace(b.prov, page=9)) for b in INSPECTION_FRONT]
    doc = document(heading("Children's Services Improvement Plan 2024-25"), *late)
    assert inspection_cues(doc) == []
    assert document_kind(doc, _plan()).kind == "plan"


def test_a_plan_that_quotes_its_inspection_stays_a_plan():
    # The plan's opening page quotes the inspection; its records outweigh the cues.
    doc = document(heading("Improvement Plan 2024-25"), *INSPECTION_FRONT)
    kind = document_kind(doc, _plan(title="Improvement Plan 2024-25", actions=_actions(40)))
    assert kind.kind == "plan"
    assert kind.basis == "40 actions; title names a plan"


def test_rated_kpis_outnumbering_actions_make_a_performance_report():
    doc = document(heading("Quarterly report"))
    kind = document_kind(doc, _plan(kpis=_kpis(12, rated=True), actions=_actions(2)))
    assert (kind.kind, kind.basis) == ("performance_report", "12 of 12 KPIs rated")
    # The same KPIs beside more actions: a plan that reports its measures.
    assert document_kind(doc, _plan(kpis=_kpis(12, rated=True), actions=_actions(30))).kind == (
        "plan"
    )


def test_reported_indicator_counts_make_a_performance_report():
    doc = document(para("17 of the 38 indicators are rated as Green."))
    kind = document_kind(
        doc, _plan(reported_status_counts={"green": 17}, reported_counts_of="indicators")
    )
    assert (kind.kind, kind.basis) == ("performance_report", "reports status counts of indicators")
    kind = document_kind(
        doc, _plan(reported_status_counts={"green": 17}, reported_counts_of="actions")
    )
    assert (kind.kind, kind.basis) == ("plan", "reports status counts of actions")


def test_a_key_for_measures_and_a_profile_title_make_a_performance_report():
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="green", label="significantly better than the comparator"),
            LegendEntry(colour="amber", label="not significantly different from the comparator"),
            LegendEntry(colour="red", label="significantly worse than the comparator"),
        ]
    )
    doc = document(heading("Local Health Profile for Testshire"))
    kind = document_kind(doc, _plan(legend=legend))
    assert kind.kind == "performance_report"
    assert kind.basis == "status key rates measures; title names a data profile"
    # A key for work ("completed", "on track") is no evidence of a performance report.
    work = StatusLegend(
        entries=[
            LegendEntry(colour="blue", label="Completed"),
            LegendEntry(colour="green", label="On track"),
        ]
    )
    assert document_kind(document(para("Notes")), _plan(legend=work)).kind == "other"


def test_listed_unrated_kpis_and_a_strategy_title_make_a_plan():
    doc = document(heading("Testshire Tobacco Control Strategy 2019-22"))
    assert document_kind(doc, _plan()).basis == "title names a strategy"
    kind = document_kind(document(para("Appendix")), _plan(kpis=_kpis(5, target="80%")))
    assert (kind.kind, kind.basis) == ("plan", "5 KPIs listed, none rated, 5 with targets")


def test_nothing_plan_like_is_other():
    doc = document(heading("Notice Report"), table([["Date", "Company"], ["1 May", "Acme"]]))
    kind = document_kind(doc, _plan())
    assert kind.kind == "other"
    assert kind.basis.startswith("no plan or report evidence (0 actions, 0 KPIs")


def test_kind_never_suppresses_extraction():
    # An inspection report's layout with an action table in it: the actions are still read.
    doc = document(
        *INSPECTION_FRONT,
        table(
            [
                ["Ref", "Action", "Lead", "Due date", "RAG"],
                [
                    "1.1",
                    "Review the front door thresholds",
                    "Head of Service",
                    "March 2025",
                    "Green",
                ],
            ],
            index=1,
        ),
    )
    plan = interpret(doc, plan_id="p", sha256="s")
    assert plan.doc_kind == "inspection_report"
    assert [a.ref for a in plan.actions] == ["1.1"]


# --- real documents (../shared) --------------------------------------------------------------------

# A few of each kind, chosen to keep the suite's time down; every Ofsted report, plan and
# third-party PDF in ../shared was checked by hand too (see README).
REAL = {
    "realdocs/ofsted-ilacs/cheshire-east_16-may-2024.pdf": "inspection_report",  # ILACS
    "realdocs/ofsted-ilacs/worcestershire_24-january-2017.pdf": "inspection_report",  # SIF
    "realdocs/plans/H4F-2019-Horsham-CYP-Local-Health-Profile.pdf": "performance_report",
    "realdocs/pdf-tables/cupertino_usd_4-6-16.pdf": "other",
    "realdocs/pdf-tables/2023-06-20-PV.pdf": "other",
}


def _kind_of(path: str) -> tuple[str, str, dict[str, str]]:
    """Kind, basis, and the status key's meanings (colour -> meaning) of one document."""
    plan = interpret(extract(path), plan_id="p", sha256="s")
    key = {e.colour: e.meaning for e in legend_with_meanings(plan.legend).entries}
    return plan.doc_kind, plan.doc_kind_basis, key


@pytest.fixture(scope="module")
def real_kinds(shared_dir: Path) -> dict[str, tuple[str, str, dict[str, str]]]:
    paths = [str(shared_dir / rel) for rel in REAL]
    with ProcessPoolExecutor(max_workers=2) as pool:
        return dict(zip(REAL, pool.map(_kind_of, paths), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("rel", list(REAL), ids=lambda r: Path(r).stem[:40])
def test_real_document_kinds(real_kinds, rel):
    kind, basis, _ = real_kinds[rel]
    assert kind == REAL[rel], basis
    assert basis


@pytest.mark.slow
def test_real_profile_key_written_as_sentences(real_kinds):
    # One sentence per colour on the profile's interpretation page; yellow is amber, and
    # blue marks indicators where no judgement is made.
    _, basis, key = real_kinds["realdocs/plans/H4F-2019-Horsham-CYP-Local-Health-Profile.pdf"]
    assert key == {"red": "off_track", "amber": "at_risk", "green": "on_track", "blue": "unknown"}
    assert "status key rates measures" in basis


def test_real_plans_in_the_corpus_are_plans(shared_dir: Path, samples_dir: Path):
    # The seeds' text exports are quick to read; their renderings give the same kind.
    for path in sorted((shared_dir / "seeds").glob("*.txt")):
        plan = interpret(extract(path), plan_id="p", sha256="s")
        assert plan.doc_kind == "plan", (path.name, plan.doc_kind_basis)
