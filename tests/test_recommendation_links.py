"""Linking inspection recommendations to plans' actions and KPIs: the field's reading of text,
citations (named, quoted, through an outcome mapping), which plans answer which inspection,
coverage, the authority summary's inspection columns, and the development pairs in ../shared
against their hand-checked expectations (tests/expected/links/).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from planx.pipeline.compare_inspections import inspections_to_plans
from planx.pipeline.recommendation_links import (
    LinkSettings,
    cited_numbers,
    recommendation_scores,
    text_to_terms,
    theme_number,
)
from tests.link_expectations import expected_hits, mapping_recall
from tests.view_helpers import views_with

SETTINGS = LinkSettings(addressed_threshold=0.3, top_n=5, min_quote_words=6)


def _settings(threshold: float = 0.3, top_n: int = 5) -> pd.DataFrame:
    """compare_settings: no as-of date, the addressed threshold, how many links to keep."""
    return pd.DataFrame({"as_of": [None], "addressed_threshold": [threshold], "top_n": [top_n]})


def scores_to_links(scores: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The links v_compare_recommendation_links keeps of `scores`."""
    scores = scores.assign(authority="Wexcombe", source="insp.pdf")
    views = views_with(
        {"compare_recommendation_scores": scores, "compare_settings": _settings(top_n=top_n)}
    )
    return views["compare_recommendation_links"]


def test_terms_expand_the_fields_abbreviations_and_names():
    terms = text_to_terms("Tackle CSE and improve PEPs for LAC")
    assert "child sexual exploit" in terms  # the lexicon's expansion, as one phrase
    assert "person educ plan" in terms  # stemmed: personal education plans
    assert "care" in terms and "children" not in terms  # looked after children -> children in care
    # The plan's own glossary wins over the lexicon.
    assert "front door" in text_to_terms("the FFD", {"FFD": "front door"})
    assert "famili front door" not in text_to_terms("the FFD", {"FFD": "front door"})


def test_other_names_for_one_thing_share_their_terms():
    a = set(text_to_terms("Children looked after have a pathway plan"))
    b = set(text_to_terms("Children in care have pathway plans"))
    assert a == b
    assert set(text_to_terms("young people leaving care")) & set(text_to_terms("care leavers"))


def test_cited_numbers_read_the_ways_plans_name_recommendations():
    assert cited_numbers("Ofsted rec 5") == {5}
    assert cited_numbers("Addresses recommendations 2 and 7") == {2, 7}
    assert cited_numbers("Recommendation no. 3; rec. 12") == {3, 12}
    assert cited_numbers("Review 3 plans by March") == set()


def test_theme_numbers_of_outcomes_and_workstreams():
    assert theme_number("Outcome 3 - Have a range of measures") == "3"
    assert theme_number("3 Commitment to continuous improvement") == "3"
    assert theme_number("Theme 12: Workforce") == "12"
    assert theme_number("1.2 Improve recording") == ""  # a numbered objective, not a theme
    assert theme_number("Care leavers") == ""


def _recs(*texts: str, labels=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": "insp.pdf",
            "authority": "Wexcombe",
            "n": range(1, len(texts) + 1),
            "label": labels or [f"{i}." for i in range(1, len(texts) + 1)],
            "text": list(texts),
            "about": "local authority",
        }
    )


def _items(rows: list[dict]) -> pd.DataFrame:
    base = {
        "plan_id": "p1", "item_kind": "action", "item_ref": "", "cited": "", "theme": "",
        "table_index": 0, "status_meaning": "unknown", "item_source": "plan.docx", "item_page": 1,
    }  # fmt: skip
    frame = pd.DataFrame([base | r for r in rows])
    frame["match_text"] = frame["text"] + " . " + frame["theme"]
    frame["theme_number"] = frame["theme"].map(theme_number)
    return frame


def test_a_mapping_table_cites_a_recommendation_for_its_outcome_and_workstream():
    recs = _recs(
        "Implement the workforce strategy as swiftly as possible to improve workforce stability.",
        "Improve the timeliness of health assessments for children in care.",
    )
    items = _items(
        [
            # Outcome 1's block of measures (table 5): the first row quotes recommendation 1.
            {"item_id": "K1", "item_kind": "kpi", "text": "Average caseload", "theme": "Outcome 1 - Workforce",
             "table_index": 5, "cited": "1. Implement the workforce strategy as swiftly as possible"},
            {"item_id": "K2", "item_kind": "kpi", "text": "Staff turnover", "theme": "Outcome 1 - Workforce", "table_index": 5},
            {"item_id": "K3", "item_kind": "kpi", "text": "Health checks in time", "theme": "Outcome 2 - Care", "table_index": 5},
            # Workstream 1's actions, in the plan's action table.
            {"item_id": "A1", "item_ref": "1.1", "text": "Recruitment project", "theme": "1 Workforce", "table_index": 2},
            {"item_id": "A2", "item_ref": "2.1", "text": "Health assessment coordinator", "theme": "2 Care", "table_index": 2},
        ]
    )  # fmt: skip
    scores = recommendation_scores(recs, items, settings=SETTINGS)
    rec1 = scores[scores["rec_n"] == 1].set_index("item_id")
    assert rec1.loc["K1", "tier"] == 0 and rec1.loc["K1", "terms"].startswith("quotes it")
    assert rec1.loc["K2", "tier"] == 1 and rec1.loc["K2", "terms"].startswith("its block cites it")
    assert rec1.loc["A1", "tier"] == 1 and rec1.loc["A1", "terms"].startswith("theme 1 cites it")
    assert "K3" not in rec1.index or rec1.loc["K3", "basis"] == "text"
    rec2 = scores[scores["rec_n"] == 2]
    assert set(rec2["basis"]) == {"text"}  # nothing cites it: linked by its words only
    links = scores_to_links(scores, 5)
    assert links[links["rec_n"] == 1]["item_id"].tolist()[:3] == ["K1", "A1", "K2"]
    assert links[links["rec_n"] == 2]["item_id"].iloc[0] in {"K3", "A2"}


def test_cited_items_are_ranked_one_block_at_a_time():
    recs = _recs(
        "Strengthen children's voices so that their views are fully considered and acted on."
    )
    quote = "1. Strengthen children's voices so that their views are fully considered"
    items = _items(
        [
            {"item_id": f"K{i}{j}", "item_kind": "kpi", "text": f"Measure {i}{j}", "theme": f"Outcome {i}",
             "table_index": 0, "cited": quote if j == 0 else ""}
            for i in (1, 2, 3) for j in (0, 1)
        ]
    )  # fmt: skip
    links = scores_to_links(recommendation_scores(recs, items, settings=SETTINGS), 5)
    first_three = links["item_id"].tolist()[:3]
    assert sorted(first_three) == ["K10", "K20", "K30"]  # each outcome before any second item


def test_citations_can_be_switched_off_to_measure_the_text_match():
    recs = _recs("Implement the workforce strategy as swiftly as possible.")
    items = _items(
        [
            {"item_id": "A1", "text": "Recruitment", "cited": "Ofsted rec 1"},
            {"item_id": "A2", "text": "Workforce strategy"},
        ]
    )
    off = LinkSettings(0.3, 5, 6, use_citations=False)
    assert set(recommendation_scores(recs, items, settings=off)["basis"]) == {"text"}
    on = recommendation_scores(recs, items, settings=SETTINGS).set_index("item_id")
    assert on.loc["A1", "basis"] == "cited"


def _inspection(source: str, authority: str, end: str | None) -> dict:
    return {"source": source, "authority": authority, "inspection_end": end, "published": None}


def _plan(plan_id: str, authority: str, date: str | None, period_end: str | None = None) -> dict:
    return {
        "plan_id": plan_id,
        "authority": authority,
        "source": f"{plan_id}.docx",
        "date": date,
        "period_end": period_end,
    }


def test_a_plan_answers_the_latest_inspection_before_it():
    inspections = pd.DataFrame(
        [
            _inspection("old.pdf", "Wexcombe", "2014-10-22"),
            _inspection("new.pdf", "Wexcombe", "2018-05-01"),
            _inspection("other.pdf", "Eastmarsh", "2016-01-01"),
        ]
    )
    plans = pd.DataFrame(
        [
            _plan("p2016", "Wexcombe", "2016-09-01"),  # after the old, before the new
            _plan("p2019", "Wexcombe", None, "2019-03-31"),  # its period ends after the new one
            _plan("undated", "Wexcombe", None),  # undated: the latest
            _plan("p2013", "Wexcombe", "2013-01-01"),  # before any inspection: none
            _plan("east", "Eastmarsh", "2015-01-01"),  # before its authority's inspection
        ]
    )
    pairs = inspections_to_plans(inspections, plans)
    assert dict(zip(pairs["plan_id"], pairs["source"], strict=True)) == {
        "p2016": "old.pdf",
        "p2019": "new.pdf",
        "undated": "new.pdf",
    }


def test_coverage_addressed_by_citation_or_score_and_unanswered_inspections():
    recs = pd.DataFrame(
        {
            "source": ["a.pdf"] * 3 + ["b.pdf"],
            "authority": ["Wexcombe"] * 3 + ["Eastmarsh"],
            "n": [1, 2, 3, 1],
            "about": "local authority",
            "text": "t",
            "page": 1,
        }
    )
    scores = pd.DataFrame(
        {
            "source": "a.pdf", "authority": "Wexcombe", "rec_n": [1, 2, 2],
            "item_kind": ["action", "action", "kpi"], "item_id": ["A1", "A2", "K1"],
            "tier": [0, 2, 2], "block_round": 0, "score": [0.05, 0.5, 0.1],
            "basis": ["cited", "text", "text"],
        }
    )  # fmt: skip
    pairs = pd.DataFrame({"source": ["a.pdf"], "plan_id": ["p1"]})
    views = views_with(
        {
            "recommendations": recs,
            "compare_recommendation_scores": scores,
            "compare_inspection_plans": pairs,
            "compare_settings": _settings(threshold=0.3),
        }
    )
    cover = views["compare_recommendation_coverage"].set_index(["source", "rec_n"])
    assert cover.loc[("a.pdf", 1), "basis"] == "cited" and cover.loc[("a.pdf", 1), "addressed"]
    assert cover.loc[("a.pdf", 2), "basis"] == "text"
    assert (
        cover.loc[("a.pdf", 2), "n_linked_actions"] == 1
        and cover.loc[("a.pdf", 2), "n_linked_kpis"] == 0
    )
    assert not cover.loc[("a.pdf", 3), "addressed"] and pd.isna(
        cover.loc[("a.pdf", 3), "best_score"]
    )
    assert cover.loc[("b.pdf", 1), "n_plans"] == 0 and not cover.loc[("b.pdf", 1), "addressed"]


def test_summary_takes_the_latest_report_read_else_the_register():
    plans = pd.DataFrame(
        {
            "plan_id": ["p1", "p2", "p3"],
            "authority": ["Wexcombe", "Bristol", "Nowhere"],
            "authority_la_code": ["", "801", ""],
            "source": ["w.docx", "b.docx", "n.docx"],
        }
    )
    compared = plans[["plan_id", "authority", "source"]].assign(excluded_reason="", copy_of="")
    inspections = pd.DataFrame(
        [
            _inspection("old.pdf", "Wexcombe", "2014-10-22")
            | {"overall": "Good", "published": "2014-12-01"},
            _inspection("new.pdf", "Wexcombe", "2018-05-01")
            | {"overall": "Inadequate", "published": None},
        ]
    )
    register = pd.DataFrame(
        {
            "la_code": ["801"],
            "overall": ["good"],
            "inspection_end": [dt.date(2023, 1, 1)],
            "published": [dt.date(2023, 3, 1)],
        }
    )
    views = views_with(
        {
            "plans": plans,
            "compare_plans": compared,
            "inspections": inspections,
            "compare_register": register,
        }
    )
    out = views["compare_authority_summary"].set_index("authority")
    assert out.loc["Wexcombe", "inspection_overall"] == "Inadequate"
    assert out.loc["Wexcombe", "inspection_basis"] == "new.pdf"
    assert out.loc["Bristol", "inspection_overall"] == "good"
    assert out.loc["Bristol", "inspection_basis"] == "register"
    assert out.loc["Bristol", "inspection_published"] == dt.date(2023, 3, 1)
    assert out.loc["Nowhere", "inspection_overall"] == ""


# --------------------------------------------------------------------------- development pairs


@pytest.fixture(scope="module")
def links(ofsted_batch: Path) -> pd.DataFrame:
    return pd.read_parquet(ofsted_batch / "compare_recommendation_links.parquet")


def test_worcestershire_links_reproduce_the_plans_own_mapping(ofsted_batch: Path, links):
    hits, total, missed = mapping_recall(ofsted_batch, links, k=3)
    assert total == 21
    assert hits / total >= 0.9, missed


def test_bristol_expected_actions_are_in_the_top_three(ofsted_batch: Path, links):
    hits, total, missed = expected_hits(ofsted_batch, links, k=3)
    assert total == 15
    assert hits / total >= 0.8, missed


def test_real_coverage_and_summary(ofsted_batch: Path):
    cover = pd.read_csv(
        ofsted_batch / "compare_recommendation_coverage.csv", dtype=str, keep_default_na=False
    )
    assert len(cover) == 113  # every recommendation of the nine reports
    answered = cover[cover["n_plans"] != "0"]
    assert set(answered["authority"]) == {"Bristol", "Worcestershire", "City of London"}
    worcs = answered[
        (answered["authority"] == "Worcestershire") & (answered["about"] == "local authority")
    ]
    assert (worcs["basis"] == "cited").sum() == 13  # the 13 its appendix maps
    # City of London's plan is prose only: nothing to link, so nothing addressed.
    assert set(answered.loc[answered["authority"] == "City of London", "addressed"]) == {"False"}
    summary = pd.read_csv(
        ofsted_batch / "compare_authority_summary.csv", dtype=str, keep_default_na=False
    )
    summary = summary.set_index("authority")
    assert summary.loc["Bristol", "inspection_overall"] == "Requires improvement"
    assert summary.loc["Bristol", "inspection_published"] == "2014-12-05"
    assert summary.loc["Worcestershire", "inspection_basis"] == "worcestershire_24-january-2017.pdf"
