"""Dates, periods and frequencies: the case table plus property tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planx.pipeline.nlp import DateContext, parse_date, parse_period
from planx.pipeline.nlp.dates import match_date, text_to_frequency

CASES = json.loads((Path(__file__).parent / "data" / "nlp_cases.json").read_text(encoding="utf-8"))


def cases(kind: str) -> list[dict]:
    return [c for c in CASES if c["kind"] == kind]


def iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def context(spec: dict) -> DateContext | None:
    if not spec:
        return None
    start, end = (spec.get("period") or "/").split("/")
    return DateContext(
        period_start=iso(start), period_end=iso(end), plan_date=iso(spec.get("plan_date"))
    )


def test_case_table_is_large_and_mostly_real():
    assert len(CASES) >= 150
    assert sum(c["origin"] == "seed" for c in CASES) >= 150


@pytest.mark.parametrize("case", cases("date"), ids=lambda c: f"{c['role']}:{c['text']!r}")
def test_date_cases(case):
    got = parse_date(case["text"], role=case["role"], context=context(case["context"]))
    want = case["expect"]
    assert got.raw == case["text"]
    assert (got.date, got.precision, got.recurrence, got.flags) == (
        iso(want["date"]),
        want["precision"],
        want["recurrence"],
        want["flags"],
    )


@pytest.mark.parametrize("case", cases("period"), ids=lambda c: repr(c["text"]))
def test_period_cases(case):
    assert parse_period(case["text"]) == tuple(iso(v) for v in case["expect"])


@pytest.mark.parametrize("case", cases("frequency"), ids=lambda c: repr(c["text"]))
def test_frequency_cases(case):
    assert text_to_frequency(case["text"])[0] == case["expect"]


def test_due_is_last_day_and_start_first_day():
    assert parse_date("Nov 18").date == dt.date(2018, 11, 30)
    assert parse_date("Nov 18", role="start").date == dt.date(2018, 11, 1)
    assert parse_date("Dec 18").date == dt.date(2018, 12, 31)
    assert parse_date("2017").date == dt.date(2017, 12, 31)
    assert parse_date("2017", role="point").date == dt.date(2017, 1, 1)


def test_day_first_always():
    assert parse_date("03/04/2018").date == dt.date(2018, 4, 3)
    assert parse_date("12/01/2018").date == dt.date(2018, 1, 12)


def test_yearless_date_takes_the_year_inside_the_plan_period():
    ctx = DateContext(period_start=dt.date(2017, 4, 1), period_end=dt.date(2018, 3, 31))
    assert parse_date("09 Mar", context=ctx).date == dt.date(2018, 3, 9)
    assert parse_date("09 Oct", context=ctx).date == dt.date(2017, 10, 9)


def test_milestone_column_gives_the_month_of_a_bare_day():
    ctx = DateContext(plan_date=dt.date(2017, 3, 1), column="April")
    assert parse_date("14", context=ctx).date == dt.date(2017, 4, 14)


def test_financial_year_quarters():
    assert parse_date("Q1 2017/18", role="start").date == dt.date(2017, 4, 1)
    assert parse_date("Q4 2017/18").date == dt.date(2018, 3, 31)
    assert parse_date("Q1 2018", role="start").date == dt.date(2018, 1, 1)


def test_match_date_offsets_point_into_the_original_text():
    text = "  Report quarterly"
    got = match_date(text)
    assert (got.label, text[got.start : got.end]) == ("FREQ", "quarterly")
    text = "Dec 2016 revised to Mar 2017"
    got = match_date(text)
    assert text[got.start : got.end] == "Mar 2017"


def test_bad_role_is_rejected():
    with pytest.raises(ValueError):
        parse_date("Dec 2016", role="end")  # type: ignore[arg-type]


DATE_LIKE = st.sampled_from(
    [
        "Dec 2016",
        "Jun-17",
        "Mar -17",
        "09 Mar",
        "31/03/2018",
        "Q3 2017/18",
        "Spring 2018",
        "2017/18",
        "TBC",
        "Report quarterly",
        "May-June 2017",
        "1 - 18",
        "w/c 6 March",
        "end of March 2018",
        "31.3.18",
        "Sept 18",
        "ongoing",
    ]
)
CONTEXTS = st.sampled_from(
    [
        None,
        DateContext(period_start=dt.date(2017, 4, 1), period_end=dt.date(2018, 3, 31)),
        DateContext(plan_date=dt.date(2017, 3, 6)),
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), role=st.sampled_from(["due", "start", "point"]), ctx=CONTEXTS)
def test_parse_date_never_raises(text, role, ctx):
    value = parse_date(text, role=role, context=ctx)
    assert value.raw == text
    assert value.date is None or dt.date(1990, 1, 1) <= value.date <= dt.date(2101, 12, 31)
    if value.date is None and text.strip() and value.recurrence is None:
        assert value.flags  # an unread date always says why


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(DATE_LIKE, st.text(alphabet="0123456789/-. adfjmnosuyADFJMNOSUY", max_size=20)),
    left=st.text(alphabet=" \t\n", max_size=3),
    right=st.text(alphabet=" \t\n", max_size=3),
    upper=st.booleans(),
    ctx=CONTEXTS,
)
def test_parse_date_is_stable_under_whitespace_and_case(text, left, right, upper, ctx):
    base = parse_date(text, context=ctx)
    variant = parse_date(left + (text.upper() if upper else text.lower()) + right, context=ctx)
    assert (variant.date, variant.precision, variant.recurrence, variant.flags) == (
        base.date,
        base.precision,
        base.recurrence,
        base.flags,
    )
