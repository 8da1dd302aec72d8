"""Cross-authority comparison: the tables (each a SQL view's rows), KPI matching, and the
report's escaping.

Two corpora: a crafted one built from records here (every number hand-checked
below), and the committed samples plus the shared real seeds run through
extract + compare once per session.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planx.pipeline.batch import run_extract
from planx.pipeline.compare import CompareSettings, read_tables, run_compare
from planx.pipeline.enrich import enrich_plans
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.kpi_match import (
    KpiMatchSettings,
    measures_to_matches,
    text_to_normalised,
)
from planx.pipeline.report import write_report
from planx.pipeline.sinks import write_tables
from planx.schemas.records import (
    KPI,
    Action,
    DateValue,
    Inspection,
    Judgement,
    Lead,
    LegendEntry,
    Plan,
    Recommendation,
    RecordProvenance,
    Status,
    StatusLegend,
)
from planx.schemas.table_columns import NO_AS_OF_NOTE

AS_OF = dt.date(2017, 1, 31)
XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("x")'
COMMON = {"red": "off_track", "amber": "at_risk", "green": "on_track", "blue": "complete"}
VIEWS = [
    "theme_counts", "status_mix", "lead_roles", "due_quarters", "overdue", "kpi_targets",
    "kpi_pivot", "authority_summary", "recommendation_links", "recommendation_coverage",
    "changes", "lineages",
]  # fmt: skip

# --------------------------------------------------------------------------- crafted corpus


def _legend() -> StatusLegend:
    return StatusLegend(
        entries=[LegendEntry(colour=c, label=c, meaning=m) for c, m in COMMON.items()]
    )


def _lead(name: str, family: str) -> Lead:
    return Lead(raw=name, name=name, kind="role", role_family=family)


def _action(plan: str, source: str, n: int, theme: str, ref: str, text: str, due, colour, leads=()):
    return Action(
        id=f"{plan}-A{n:04d}",
        plan_id=plan,
        theme=theme,
        ref=ref,
        text=text,
        lead_raw="; ".join(lead.name for lead in leads),
        leads=list(leads),
        due=DateValue(raw=due.isoformat() if due else "TBC", date=due),
        status=Status(raw=colour or "", colour=colour, meaning=COMMON.get(colour, "unknown")),
        provenance=RecordProvenance(source=source, page=n, table_index=0, row_index=n),
    )


def _kpi(plan: str, source: str, n: int, measure: str, target: str) -> KPI:
    return KPI(
        id=f"{plan}-K{n:04d}",
        plan_id=plan,
        measure=measure,
        target_raw=target,
        provenance=RecordProvenance(source=source, page=10 + n),
    )


def _testshire(plan_id: str, source: str) -> Plan:
    hos, director = _lead("Head of Service", "Head of Service"), _lead("Director", "Director")
    tm = _lead("Team Manager", "Team Manager")
    d = dt.date
    actions = [
        _action(plan_id, source, 1, "Front door and MASH", "1.1", "Review MASH thresholds with partners", d(2017, 3, 31), "green", [hos]),
        _action(plan_id, source, 2, "Front door and MASH", "1.2", "Audit referrals to the front door", d(2016, 12, 31), "red", [director, tm]),
        _action(plan_id, source, 3, "Care leavers", "2.1", "Pathway plans for all care leavers", d(2016, 10, 31), "blue", [hos]),
        _action(plan_id, source, 4, "Care leavers", "2.2", "Agree a staying put policy", None, "amber").model_copy(
            update={"extra": {"Ofsted recommendation": "Rec 3"}}
        ),
        _action(plan_id, source, 5, "Workforce", FORMULA, f"{XSS} recruit permanent social workers", d(2016, 11, 30), "red"),
    ]  # fmt: skip
    kpis = [
        _kpi(plan_id, source, 1, "% Repeat Referrals to children's social work", "24%"),
        _kpi(plan_id, source, 2, "% CiC with an up to date health check", "90%"),
    ]
    return Plan(
        plan_id=plan_id, source=source, sha256=plan_id * 4, format=source.rsplit(".", 1)[1],
        authority="Testshire", authority_la_code="990", region="SW", actions=actions, kpis=kpis, legend=_legend(),
    )  # fmt: skip


def crafted_plans() -> list[Plan]:
    d = dt.date
    sampleton = Plan(
        plan_id="bbbbbbbbbbbbbbbb", source="sampleton_report.docx", sha256="b" * 64, format="docx",
        authority="Sampleton", authority_la_code="991", region="NW", legend=_legend(),
        reported_status_counts={"amber": 20, "green": 45, "red": 0, "blue": 2},
        actions=[
            _action("bbbbbbbbbbbbbbbb", "sampleton_report.docx", 1, "Early help", "A1", "Launch the early help hub", d(2017, 2, 15), "green"),
            _action("bbbbbbbbbbbbbbbb", "sampleton_report.docx", 2, "Workforce", "A2", "Reduce agency social workers", d(2017, 5, 1), "amber"),
        ],
        kpis=[
            _kpi("bbbbbbbbbbbbbbbb", "sampleton_report.docx", 1,
                 "Percentage of referrals to FFD where case previously referred to social care in preceding 12 months", "22%"),
            _kpi("bbbbbbbbbbbbbbbb", "sampleton_report.docx", 2,
                 "Percentage of looked after children with an up to date health assessment", "95%"),
            _kpi("bbbbbbbbbbbbbbbb", "sampleton_report.docx", 3, "Number of new foster carers approved", "30"),
        ],
    )  # fmt: skip
    unnamed = Plan(
        plan_id="cccccccccccccccc", source="unnamed.txt", sha256="c" * 64, format="text",
        actions=[_action("cccccccccccccccc", "unnamed.txt", 1, "Early help", "1", "Improve the early help offer", d(2018, 1, 15), None)],
    )  # fmt: skip
    # Testshire's inspection report: listed in compare_plans, never compared; its
    # recommendations are linked to the Testshire plan's actions (cited, by text, or none).
    inspection = Plan(
        plan_id="eeeeeeeeeeeeeeee", source="testshire_inspection.pdf", sha256="e" * 64, format="pdf",
        authority="Testshire", doc_kind="inspection_report", doc_kind_basis="inspection cues: ...",
        actions=[_action("eeeeeeeeeeeeeeee", "testshire_inspection.pdf", 1, "Early help", "", "Improve the early help offer", None, None)],
        inspection=Inspection(
            framework="ILACS", inspection_start=d(2016, 6, 6), inspection_end=d(2016, 6, 17),
            overall="Requires improvement to be good",
            judgements=[Judgement(area="care_leavers", label="Care leavers", grade="Inadequate")],
            recommendations=[
                Recommendation(n=1, text="Ensure that MASH thresholds are understood and applied by partners.", page=2),
                Recommendation(n=2, text="Improve pathway plans for care leavers.", page=2),
                Recommendation(n=3, text="Increase the use of staying put arrangements.", page=2),
                Recommendation(n=4, text="Strengthen the oversight of privately fostered children.", page=3),
            ],
        ),
    )  # fmt: skip
    # A performance report that gives counts of its indicators, not of actions.
    scorecard = Plan(
        plan_id="ffffffffffffffff", source="scoreshire_scorecard.pdf", sha256="f" * 64, format="pdf",
        authority="Scoreshire", doc_kind="performance_report", reported_counts_of="indicators",
        reported_status_counts={"green": 17, "amber": 12, "red": 9},
    )  # fmt: skip
    # The same Testshire plan read from two files: one must be left out as a copy.
    return [
        _testshire("aaaaaaaaaaaaaaaa", "testshire_plan.pdf"),
        _testshire("dddddddddddddddd", "testshire_plan.docx"),
        sampleton,
        unnamed,
        inspection,
        scorecard,
    ]


@pytest.fixture(scope="session")
def crafted_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crafted_base")
    write_tables(records_to_frames(enrich_plans(crafted_plans()), []), out)
    return out


def _compare_copy(base: Path, dest: Path, **kwargs) -> Path:
    shutil.copytree(base, dest)
    write_report(run_compare(dest, **kwargs))
    return dest


@pytest.fixture(scope="session")
def crafted(crafted_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _compare_copy(crafted_base, tmp_path_factory.mktemp("crafted") / "out", as_of=AS_OF)


def _csv(outdir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(outdir / f"{name}.csv", dtype=str, keep_default_na=False)


def _counts(frame: pd.DataFrame, key: list[str], value: str) -> dict:
    return {tuple(r[k] for k in key): int(r[value]) for _, r in frame.iterrows()}


def test_crafted_actions_per_authority_and_copies(crafted: Path):
    summary = _csv(crafted, "compare_authority_summary").set_index("authority")
    assert summary["n_actions"].to_dict() == {
        "Testshire": "5",
        "Sampleton": "2",
        "Scoreshire": "0",
        "[unnamed.txt]": "1",
    }
    assert summary.loc["Testshire", "n_plans"] == "1"
    assert summary.loc["Testshire", "n_copies_skipped"] == "1"
    assert summary.loc["Testshire", "authority_la_code"] == "990"
    assert summary.loc["Sampleton", "n_reported"] == "67"
    plans = _csv(crafted, "compare_plans")
    testshire = plans[plans["authority"] == "Testshire"].set_index("source")
    assert sorted(testshire["copy_of"] == "") == [False, True, True]
    # Only plans and performance reports are compared; the rest say why they are not.
    assert testshire["excluded_reason"].to_dict() == {
        "testshire_inspection.pdf": "doc_kind: inspection_report",
        "testshire_plan.docx": "",
        "testshire_plan.pdf": "copy",
    }
    assert testshire.loc["testshire_inspection.pdf", "doc_kind"] == "inspection_report"
    assert set(plans.loc[plans["excluded_reason"] == "", "doc_kind"]) == {
        "plan",
        "performance_report",
    }


def test_crafted_theme_shares_sum_to_one(crafted: Path):
    themes = pd.read_parquet(crafted / "compare_theme_counts.parquet")
    assert themes.groupby("authority")["share"].sum().round(9).eq(1).all()
    testshire = themes[themes["authority"] == "Testshire"].set_index("theme_std")["n_actions"]
    assert sorted(testshire.tolist()) == [1, 2, 2]
    assert testshire.sum() == 5


def test_crafted_status_mix_with_prose_counts(crafted: Path):
    mix = _counts(
        _csv(crafted, "compare_status_mix"), ["authority", "source", "status_meaning"], "n_actions"
    )
    assert {k[2]: v for k, v in mix.items() if k[:2] == ("Testshire", "extracted")} == {
        "complete": 1,
        "on_track": 1,
        "at_risk": 1,
        "off_track": 2,
    }
    assert {k[2]: v for k, v in mix.items() if k[:2] == ("Sampleton", "reported")} == {
        "complete": 2,
        "on_track": 45,
        "at_risk": 20,
        "off_track": 0,
    }
    assert mix[("[unnamed.txt]", "extracted", "unknown")] == 1
    # Counts of indicators are kept apart from counts of actions.
    assert {k[1:]: v for k, v in mix.items() if k[0] == "Scoreshire"} == {
        ("reported_indicators", "on_track"): 17,
        ("reported_indicators", "at_risk"): 12,
        ("reported_indicators", "off_track"): 9,
    }


def test_crafted_lead_roles_and_quarters(crafted: Path):
    roles = pd.read_parquet(crafted / "compare_lead_roles.parquet")
    testshire = roles[roles["authority"] == "Testshire"].set_index("role_family")
    assert testshire["n_leads"].to_dict() == {
        "Director": 1,
        "Head of Service": 2,
        "Team Manager": 1,
    }
    assert testshire["share"].to_dict() == {
        "Director": 0.25,
        "Head of Service": 0.5,
        "Team Manager": 0.25,
    }
    quarters = _counts(
        _csv(crafted, "compare_due_quarters"), ["authority", "due_quarter"], "n_actions"
    )
    assert {k[1]: v for k, v in quarters.items() if k[0] == "Testshire"} == {
        "2016-Q4": 3,
        "2017-Q1": 1,
        "no date": 1,
    }
    assert quarters[("Sampleton", "2017-Q2")] == 1


def test_crafted_overdue_as_of(crafted: Path):
    overdue = pd.read_parquet(crafted / "compare_overdue.parquet")
    # Due before 31 Jan 2017 and not complete: 1.2 (Dec 2016) and the crafted row (Nov 2016);
    # 2.1 is complete, so not overdue.
    assert overdue["ref"].tolist() == [FORMULA, "1.2"]
    assert overdue["due_date"].astype(str).tolist() == ["2016-11-30", "2016-12-31"]
    assert set(overdue["basis"]) == {"as_of"}
    assert overdue["page"].tolist() == [5, 2]


def test_overdue_without_as_of_writes_a_note(crafted_base: Path, tmp_path: Path):
    out = _compare_copy(crafted_base, tmp_path / "out")
    overdue = _csv(out, "compare_overdue")
    assert len(overdue) == 1 and overdue.loc[0, "note"] == NO_AS_OF_NOTE
    assert overdue.loc[0, "action_id"] == ""


def test_overdue_column_used_without_as_of(crafted_base: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(crafted_base, out)
    actions = pd.read_parquet(out / "actions.parquet")
    actions["overdue"] = pd.array([r == "1.2" for r in actions["ref"]], dtype="boolean")
    actions.to_parquet(out / "actions.parquet", index=False)
    run_compare(out)
    overdue = _csv(out, "compare_overdue")
    assert overdue["ref"].tolist() == ["1.2"] and overdue["basis"].tolist() == ["overdue column"]


def test_crafted_recommendations_linked_cited_by_text_or_not_at_all(crafted: Path):
    links = _csv(crafted, "compare_recommendation_links")
    assert set(links["authority"]) == {"Testshire"}
    top = links[links["rank"] == "1"].set_index("rec_n")
    # The plan's "Ofsted recommendation" column cites recommendation 3 beside action 2.2.
    assert (top.loc["3", "item_ref"], top.loc["3", "basis"]) == ("2.2", "cited")
    assert top.loc["3", "terms"].startswith("names recommendation 3")
    # The others by their words: thresholds at the MASH, care leavers' pathway plans.
    assert (top.loc["1", "item_ref"], top.loc["1", "basis"]) == ("1.1", "text")
    assert top.loc["2", "item_ref"] == "2.1"
    assert "pathway plan" in top.loc["2", "terms"]
    # Only the kept copy of the plan is linked.
    assert set(links["item_source"]) == {"testshire_plan.docx"}
    cover = _csv(crafted, "compare_recommendation_coverage").set_index("rec_n")
    assert list(cover["addressed"]) == ["True", "True", "True", "False"]
    assert list(cover["basis"]) == ["text", "text", "cited", ""]
    assert set(cover["n_plans"]) == {"1"}
    summary = _csv(crafted, "compare_authority_summary").set_index("authority")
    assert summary.loc["Testshire", "inspection_overall"] == "Requires improvement to be good"
    assert summary.loc["Testshire", "inspection_end"] == "2016-06-17"
    assert summary.loc["Testshire", "inspection_basis"] == "testshire_inspection.pdf"
    assert summary.loc["Sampleton", "inspection_basis"] == ""  # not in the register either


def test_crafted_kpis_matched_across_councils(crafted: Path):
    targets = _csv(crafted, "compare_kpi_targets")
    by_key = targets.groupby("measure_key")
    repeat = by_key.get_group("repeat_referrals").set_index("authority")["target_raw"].to_dict()
    assert repeat == {"Sampleton": "22%", "Testshire": "24%"}
    health = (
        by_key.get_group("cic_health_assessments").set_index("authority")["target_raw"].to_dict()
    )
    assert health == {"Sampleton": "95%", "Testshire": "90%"}
    foster = targets[targets["measure"].str.contains("foster")]
    assert foster["measure_key"].str.startswith("other:").all() and foster[
        "n_authorities"
    ].tolist() == ["1"]
    pivot = _csv(crafted, "compare_kpi_pivot").set_index("measure_key")
    assert pivot.loc["repeat_referrals", "Testshire"] == "24%"
    assert pivot.loc["repeat_referrals", "Sampleton"] == "22%"
    assert pivot.loc["repeat_referrals", "n_authorities"] == "2"


def test_csv_fallback_gives_the_same_tables(crafted_base: Path, crafted: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(crafted_base, out)
    for p in out.glob("*.parquet"):
        p.unlink()
    (out / "plans.duckdb").unlink()
    tables = read_tables(out)
    assert (
        tables["actions"]["ref"].tolist().count(FORMULA) == 2
    )  # the CSV's defusing quote is undone
    run_compare(out, as_of=AS_OF)
    for name in (
        "compare_status_mix",
        "compare_overdue",
        "compare_kpi_targets",
        "compare_authority_summary",
    ):
        pd.testing.assert_frame_equal(_csv(out, name), _csv(crafted, name))


def test_missing_tables_raise_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"no actions\.parquet or actions\.csv"):
        run_compare(tmp_path)


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="copy_threshold"):
        CompareSettings(copy_threshold=0)
    with pytest.raises(ValueError, match="min_score"):
        KpiMatchSettings(min_score=120)
    assert CompareSettings.resolve({"kpi": {"cluster_threshold": 90}}).kpi.cluster_threshold == 90


def _views_in_fresh_process(db: Path) -> dict[str, list]:
    """Each view's columns and row count, queried from the database file alone."""
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "con.execute('SET enable_progress_bar = false')  # a slow machine's bar would go to stdout\n"
        f"names = {VIEWS!r}\n"
        "out = {}\n"
        "for n in names:\n"
        "    cur = con.execute(f'SELECT * FROM v_compare_{n}')\n"
        "    out[n] = [[d[0] for d in cur.description], len(cur.fetchall())]\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_database_holds_every_comparison_as_a_view(crafted: Path):
    """A reader of plans.duckdb alone gets every comparison from its view."""
    views = _views_in_fresh_process(crafted / "plans.duckdb")
    for name in VIEWS:
        frame = _csv(crafted, f"compare_{name}")
        assert views[name] == [list(frame.columns), len(frame)], name


# --------------------------------------------------------------------------- escaping


def _embedded(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="planx-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_report_keeps_script_text_inert(crafted: Path):
    html = (crafted / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert html.count("</script>") == 2  # the data element and the report's own script
    data = _embedded(html)
    actions = data["actions"]
    texts = [row[actions["columns"].index("action")] for row in actions["rows"]]
    assert any(t.startswith(XSS) for t in texts)  # the data still holds the text as written
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


def test_spreadsheet_cells_are_defused(crafted: Path):
    with open(crafted / "compare_overdue.csv", encoding="utf-8", newline="") as fh:
        refs = [row["ref"] for row in csv.DictReader(fh)]
    assert refs[0] == "'" + FORMULA
    wb = openpyxl.load_workbook(crafted / "compare.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + FORMULA in {c.value for c in wb["overdue"]["C"]}


def test_report_embeds_traceable_rows(crafted: Path):
    data = _embedded((crafted / "report.html").read_text(encoding="utf-8"))
    cols = data["actions"]["columns"]
    assert {"source", "page", "table_index", "row_index", "action_id"} <= set(cols)
    rows = [dict(zip(cols, r, strict=True)) for r in data["actions"]["rows"]]
    assert len(rows) == 8  # the Testshire copy is left out
    overdue = {r["ref"] for r in rows if r["overdue"]}
    assert overdue == {"1.2", FORMULA}


# --------------------------------------------------------------------------- KPI matching


@pytest.mark.parametrize(
    ("a", "b", "key"),
    [
        (
            "% Repeat Referrals to children's social work",
            "Percentage of referrals to FFD where case previously referred to social care in preceding 12 months",
            "repeat_referrals",
        ),
        (
            "% CiC with an up to date health check",
            "Percentage of looked after children with an up to date health assessment",
            "cic_health_assessments",
        ),
        (
            "CP Plan - No. of children subject for 2nd or subsequent time",
            "% Repeat Child Protection Plans",
            "repeat_cp_plans",
        ),
        (
            "% of ICPCs held within 15 working days of decision for need",
            "Initial child protection conferences within 15 days of strategy discussion",
            "icpc_15_days",
        ),
        (
            "% care leavers in suitable accommodation",
            "Care leavers in suitable accommodation (19-21)",
            "care_leavers_accommodation",
        ),
        ("Social Worker vacancy rate", "Vacancies - qualified social workers", "sw_vacancy_rate"),
    ],
)
def test_kpi_pairs_share_a_measure(a: str, b: str, key: str):
    matches = measures_to_matches([("k1", a), ("k2", b)])
    assert matches["k1"].measure_key == matches["k2"].measure_key == key
    assert matches["k1"].match_kind == "common" and matches["k1"].match_score >= 85


def test_kpi_required_keywords_keep_near_misses_apart():
    matches = measures_to_matches(
        [
            ("nfa", "% Referrals to children's social work resulting in NFA"),
            ("rep", "% Repeat Referrals to children's social work"),
            ("cic", "% of Looked after Children that are NEET"),
            ("cl", "Number of Care Leavers that are NEET"),
        ]
    )
    assert matches["nfa"].measure_key == "referrals_nfa"
    assert matches["rep"].measure_key == "repeat_referrals"
    assert matches["cic"].measure_key == "cic_eet"
    assert matches["cl"].measure_key == "care_leavers_eet"


def test_unmatched_kpis_cluster_by_wording_and_order_does_not_matter():
    pairs = [
        ("a", "Number of new foster carers approved"),
        ("b", "Number of new foster carers approved in the year"),
        ("c", "Number of staff exit interviews completed"),
    ]
    forward, backward = measures_to_matches(pairs), measures_to_matches(pairs[::-1])
    assert forward == backward
    assert forward["a"].measure_key == forward["b"].measure_key != forward["c"].measure_key
    assert forward["a"].match_kind == "cluster" and forward["c"].match_kind == "unique"
    assert forward["a"].measure_key.startswith("other:")


def test_normalisation_reads_synonyms_plurals_and_basis():
    norm = text_to_normalised("% of Looked After Children's PEPs completed")
    assert norm.basis == "percent"
    assert norm.core == "cic pep completed"
    assert (
        text_to_normalised("No. of re-referrals within 12mths").core == "repeat referral 12 month"
    )


# --------------------------------------------------------------------------- samples + real seeds


@pytest.fixture(scope="session")
def corpus(shared_dir: Path, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    run_extract([samples_dir / "plans", shared_dir / "seeds"], out)
    run_compare(out, as_of=dt.date(2018, 3, 31))
    return out


def _expected_samples(samples_dir: Path, outdir: Path) -> dict[str, dict]:
    """The expected record of each authority's compared sample (of a plan published in
    several versions, the latest), keyed by the authority its files were compared under,
    with how many files of the authority were left out as copies."""
    plans = _csv(outdir, "compare_plans")
    stems = plans["source"].map(lambda s: Path(s).stem)
    out: dict[str, dict] = {}
    copies: dict[str, int] = {}
    for p in sorted((samples_dir / "expected").glob("*.json")):
        mine = plans[stems == p.stem]
        authorities = set(mine["authority"])
        assert len(authorities) == 1, (p.stem, authorities)
        authority = authorities.pop()
        expected = json.loads(p.read_text(encoding="utf-8"))
        copies[authority] = copies.get(authority, 0) + len(expected["formats"]) - 1
        if (mine["excluded_reason"] == "").any():
            out[authority] = expected
    return {a: {**e, "n_copies": copies[a]} for a, e in out.items()}


def test_corpus_actions_per_authority(corpus: Path, samples_dir: Path):
    summary = _csv(corpus, "compare_authority_summary").set_index("authority")
    for authority, expected in _expected_samples(samples_dir, corpus).items():
        assert int(summary.loc[authority, "n_actions"]) == expected["counts"]["actions"], authority
        assert int(summary.loc[authority, "n_kpis"]) == expected["counts"]["kpis"], authority
        # Every format of a sample is one plan: the others are left out as copies; of a plan
        # in several versions only the latest is compared.
        assert int(summary.loc[authority, "n_plans"]) == 1, authority
        assert int(summary.loc[authority, "n_copies_skipped"]) == expected["n_copies"]
    # Hand-counted in the seeds: the Bristol plan has 58 numbered actions (1.1.1 ...) and 34 KPIs.
    assert int(summary.loc["Bristol", "n_actions"]) == 58
    assert int(summary.loc["Bristol", "n_kpis"]) == 34


def test_corpus_status_mix(corpus: Path, samples_dir: Path):
    mix = _counts(
        _csv(corpus, "compare_status_mix"), ["authority", "source", "status_meaning"], "n_actions"
    )
    for authority, expected in _expected_samples(samples_dir, corpus).items():
        got = {k[2]: v for k, v in mix.items() if k[:2] == (authority, "extracted")}
        assert got == expected["counts"]["status_meaning"], authority
        reported = {k[2]: v for k, v in mix.items() if k[:2] == (authority, "reported")}
        want = {COMMON[c]: n for c, n in expected["status_counts"].items()}
        assert reported == want, authority
    # The committee report states its counts only in prose: 20 amber, 45 green, 0 red, 2 blue,
    # read through its own BRAG key (blue complete, red stuck, amber more work, green in progress).
    reported = {k[2]: v for k, v in mix.items() if k[:2] == ("City of London", "reported")}
    assert reported == {"complete": 2, "on_track": 45, "at_risk": 20, "off_track": 0}


def test_corpus_theme_shares_sum_to_one(corpus: Path):
    themes = pd.read_parquet(corpus / "compare_theme_counts.parquet")
    assert themes.groupby("authority")["share"].sum().round(9).eq(1).all()
    summary = pd.read_parquet(corpus / "compare_authority_summary.parquet").set_index("authority")
    assert (
        themes.groupby("authority")["n_actions"].sum()
        == summary["n_actions"][summary["n_actions"] > 0]
    ).all()


def test_corpus_kpi_pair_matched_across_plans(corpus: Path):
    targets = _csv(corpus, "compare_kpi_targets")
    repeat = targets[targets["measure_key"] == "repeat_referrals"]
    assert {"Bristol", "Worcestershire"} <= set(repeat["authority"])
    bristol = repeat[repeat["authority"] == "Bristol"]
    assert bristol["target_raw"].tolist() == ["24%"]


def test_corpus_documents_are_plans_and_all_compared(corpus: Path):
    plans = _csv(corpus, "compare_plans")
    kinds = dict(zip(plans["source"], plans["doc_kind"], strict=True))
    reports = {s for s, k in kinds.items() if k == "performance_report"}
    assert reports == {s for s in kinds if "performance_report" in s}  # the KPI-card sample
    assert set(kinds.values()) == {"plan", "performance_report"}
    assert set(plans["excluded_reason"]) == {"", "copy", "earlier_version"}
    assert ((plans["excluded_reason"] == "copy") == (plans["copy_of"] != "")).all()
    # The sample plan published in three versions: the two earlier ones are left out.
    earlier = plans.loc[plans["excluded_reason"] == "earlier_version", "source"]
    assert sorted(Path(s).stem for s in earlier) == [
        "pendlemere_2019-20_improvement_plan_2019-06",
        "pendlemere_2019-20_improvement_plan_2019-09",
    ]


def test_compare_with_no_plans_writes_empty_tables(tmp_path: Path):
    write_tables(records_to_frames([], []), tmp_path)
    result = run_compare(tmp_path)
    assert write_report(result).exists()
    assert _csv(tmp_path, "compare_theme_counts").empty
    assert _csv(tmp_path, "compare_kpi_pivot").columns.tolist()[:3] == [
        "measure_key",
        "measure_label",
        "n_authorities",
    ]
    assert _csv(tmp_path, "compare_overdue")["note"].tolist() == [NO_AS_OF_NOTE]
