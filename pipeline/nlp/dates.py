"""Dates as councils write them in plan cells: UK day-first, months, quarters, seasons, years.

`parse_date` turns a cell into a `DateValue`: an ISO date (the LAST day of a period for a due
date, the FIRST day for a start date or a point in time), its precision, a recurrence when
the cell gives a frequency instead of a date ("Report quarterly"), and flags for what a
reviewer should look at ("unparseable", "outside_plan_period", "year_missing", "tbc").
Fast regular forms are tried first; dateparser is the last resort, for texts that name a
month and a year in some other way. Results are cached by (text, role, context).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from planx.schemas.records import DateValue

Role = Literal["due", "start", "point"]
ROLES: tuple[str, ...] = ("due", "start", "point")
# A date further than this from the plan's period is flagged, not silently accepted.
OUTSIDE_PERIOD_YEARS = 2
MIN_YEAR, MAX_YEAR = 1990, 2100
CACHE_SIZE = 65536

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        MONTHS[_name.lower()] = _i
        MONTHS[_name.lower()[:3]] = _i
MONTHS.update({"sept": 9, "febuary": 2, "feburary": 2, "juli": 7})
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH = rf"(?P<{{}}>{_MONTH_RE})\.?"

_FLAG_TBC = "tbc"


@dataclass(frozen=True)
class DateContext:
    """What a cell's plan tells us about its dates: the plan's period and date, and the
    column a milestone sat in ("March"). Hashable, so parses can be cached by it."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    plan_date: dt.date | None = None
    column: str = ""

    def window(self) -> tuple[dt.date, dt.date] | None:
        """The span a plan's dates should fall in, before the tolerance is added."""
        start = self.period_start or self.plan_date or self.period_end
        end = self.period_end or self.plan_date or self.period_start
        if start is None or end is None:
            return None
        return (start, end) if start <= end else (end, start)


@dataclass(frozen=True)
class _Span:
    """A parsed period: its first and last day and how precise the text was."""

    first: dt.date
    last: dt.date
    precision: str


@dataclass(frozen=True)
class DateMatch:
    """A parse with the character offsets of the text it came from (for tagged spans)."""

    date: dt.date | None = None
    precision: str | None = None
    recurrence: str | None = None
    flags: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    label: str = ""

    def to_value(self, raw: str) -> DateValue:
        return DateValue(
            raw=raw,
            date=self.date,
            precision=self.precision,
            recurrence=self.recurrence,
            flags=list(self.flags),
        )


# --- small calendar helpers ----------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> _Span:
    return _Span(dt.date(year, month, 1), _month_end(year, month), "month")


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _months_span(year: int, month: int, n: int, precision: str) -> _Span:
    ey, em = _add_months(year, month, n - 1)
    return _Span(dt.date(year, month, 1), _month_end(ey, em), precision)


def _year4(text: str) -> int | None:
    """'2017' -> 2017, '17' or "'17" -> 2017; None when out of the plausible range."""
    digits = text.lstrip("'’")
    if not digits.isdigit():
        return None
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 70 else 1900
    elif len(digits) != 4:
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _second_year(first: int, text: str) -> int | None:
    """The second year of '2017/18' or '2017-2018': two digits take the first's century."""
    if len(text) == 2:
        year = first // 100 * 100 + int(text)
        return year if year > first else None
    year = _year4(text)
    return year if year is not None and year > first else None


def _day(year: int, month: int, day: int) -> _Span | None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return _Span(d, d, "day")


# --- choosing a year when the text has none ------------------------------------------------------


def _pick_year(make: Callable[[int], _Span | None], ctx: DateContext | None) -> _Span | None:
    """The year that puts a yearless date ("09 Mar") inside the plan's period, else nearest
    to it; with only a plan date, the year nearest that date."""
    if ctx is None:
        return None
    if ctx.period_start and ctx.period_end:
        ps, pe = ctx.period_start, ctx.period_end
        best: tuple[int, _Span] | None = None
        for year in range(ps.year - 1, pe.year + 2):
            span = make(year)
            if span is None:
                continue
            if span.first <= pe and span.last >= ps:
                return span  # earliest year that overlaps the period
            gap = min(abs((span.first - pe).days), abs((ps - span.last).days))
            if best is None or gap < best[0]:
                best = (gap, span)
        return best[1] if best else None
    anchor = ctx.plan_date or ctx.period_start or ctx.period_end
    if anchor is None:
        return None
    choices = [s for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (s := make(y))]
    if not choices:
        return None
    # Nearest to the anchor; a tie goes to the later year (plans look forward).
    return min(
        choices,
        key=lambda s: (
            min(abs((s.first - anchor).days), abs((s.last - anchor).days)),
            -s.first.year,
        ),
    )


# --- the regular forms -----------------------------------------------------------------------------

_SP = r"\s*"
_ORD = r"(?:st|nd|rd|th)?"
_YY = r"(?P<y>\d{4}|['’]?\d{2})"

_RE_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
_RE_NUMERIC = re.compile(
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})"
)
_RE_NUMERIC_NOYEAR = re.compile(r"(?P<d>\d{1,2})\s*[/.]\s*(?P<m>\d{1,2})")
_RE_MONTH_NUM_YEAR = re.compile(r"(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})")
_RE_DMY = re.compile(
    rf"(?P<d>\d{{1,2}}){_ORD}(?:\s+of)?{_SP}[-/ ]?{_SP}{MONTH.format('m')}(?:,?{_SP}[-/ ]?{_SP}{_YY})?"
)
_RE_MDY = re.compile(rf"{MONTH.format('m')}\s+(?P<d>\d{{1,2}}){_ORD},?(?:\s+(?P<y>\d{{4}}))?")
_RE_MY = re.compile(rf"{MONTH.format('m')},?{_SP}[-/]?{_SP}{_YY}")
_RE_M = re.compile(MONTH.format("m"))
_RE_YEAR = re.compile(r"(?P<y>\d{4})")
_RE_SHORT_FY = re.compile(r"(?P<a>\d{2})\s*/\s*(?P<b>\d{2})")
_RE_FY = re.compile(
    r"(?:fy|financial year|f/y)?\s*(?P<a>\d{4})\s*(?:/|-|–|—|to)\s*(?P<b>\d{4}|\d{2})|fy\s*(?P<c>\d{2})\s*/\s*(?P<e>\d{2})"
)
_RE_QUARTER = re.compile(
    r"(?:q|qtr|quarter)\s*(?P<q>[1-4])(?:\s+of)?(?:\s*(?:fy|financial year))?"
    r"(?:\s*(?P<a>\d{4}|\d{2})\s*(?:/|-|–)\s*(?P<b>\d{4}|\d{2})|\s*(?P<y>\d{4}))?"
)
# "academic year 2010/11", "2010/11 academic year": September to August, as schools count.
_RE_ACADEMIC = re.compile(
    r"(?:academic|school)\s+year\s*(?P<a>\d{4})\s*(?:/|-|–)\s*(?P<b>\d{4}|\d{2})"
    r"|(?P<c>\d{4})\s*(?:/|-|–)\s*(?P<d>\d{4}|\d{2})\s+(?:academic|school)\s+year"
)
_RE_YEAR_QUARTER = re.compile(r"(?P<y>(?:19|20)\d\d)\s*,?\s*(?:q|qtr|quarter)\s*(?P<q>[1-4])")
_RE_QUARTER_AFTER = re.compile(
    r"(?P<a>\d{4})\s*(?:/|-)\s*(?P<b>\d{2}|\d{4})\s*,?\s*(?:q|qtr|quarter)\s*(?P<q>[1-4])"
)
_RE_SEASON = re.compile(
    r"(?P<s>spring|summer|autumn|fall|winter)(?P<t>\s+term)?"
    r"(?:\s*(?P<a>\d{4})\s*(?:/|-)\s*(?P<b>\d{2}|\d{4})|,?\s*(?P<y>\d{4}|['’]\d{2}))?"
)
_RE_WEEK = re.compile(
    r"(?:w/c|w\.c\.?|wc|w/b|week\s+(?:commencing|beginning|starting))\s*:?\s*(?P<rest>.+)"
)
_RE_WEEK_END = re.compile(r"(?:w/e|w\.e\.?|week\s+ending)\s*:?\s*(?P<rest>.+)")
_WEEKDAY = re.compile(r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+")
_PREFIX = re.compile(
    r"(?:due\s+by|due|by|before|deadline|target(?:\s+date)?|completion(?:\s+date)?|complete\s+by|no\s+later\s+than|"
    r"from|starting|start(?:ing)?\s+in|in|during|circa|c\.|approx\.?|expected|revised(?:\s+to)?|now|date)\s*:?\s+"
)
_EDGE = re.compile(
    r"(?P<e>end\s+of|end|by\s+end\s+of|by\s+the\s+end\s+of|the\s+end\s+of|close\s+of|start\s+of|beginning\s+of|early|mid|late)[\s-]+(?P<rest>.+)"
)
_TENTATIVE = re.compile(r"\s*(?:\(\s*(?:tbc|provisional|estimated|approx\.?)\s*\)|tbc|\?)$")
_RANGE_SEP = re.compile(r"\s*(?:–|—|-|/|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*")

_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# School terms: autumn Sep-Dec, spring Jan-Apr, summer Apr-Jul.
_TERMS = {"autumn": (9, 4), "fall": (9, 4), "spring": (1, 4), "summer": (4, 4)}

_PLACEHOLDERS: dict[str, tuple[str | None, str]] = {}
for _w in (
    "tbc",
    "tba",
    "tbd",
    "tbc.",
    "to be confirmed",
    "to be agreed",
    "to be determined",
    "to be decided",
    "tbc/ongoing",
):
    _PLACEHOLDERS[_w] = (None, _FLAG_TBC)
for _w in (
    "n/a",
    "na",
    "n.a.",
    "not applicable",
    "none",
    "-",
    "--",
    "–",
    "—",
    "?",
    "??",
    "unknown",
    "not known",
    "various",
    "nil",
):
    _PLACEHOLDERS[_w] = (None, "not_applicable")
for _w in ("complete", "completed", "done", "achieved", "closed"):
    _PLACEHOLDERS[_w] = (None, "completed")

FREQUENCIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "6-monthly",
            r"\b(?:six|6)[- ]?monthly\b|\bevery (?:six|6) months\b|\bhalf[- ]?year(?:ly)?\b|\bbi-?annual(?:ly)?\b|"
            r"\bsemi-?annual(?:ly)?\b|\btwice (?:a|per|each|every) year\b|\btwice[- ]yearly\b|\b(?:six|6)[- ]month(?:ly)? basis\b",
        ),
        (
            "2-monthly",
            r"\bbi-?monthly\b|\b(?:two|2)[- ]monthly\b|\bevery (?:two|2) months\b|\balternate months\b",
        ),
        (
            "quarterly",
            r"\bquarterly\b|\bevery (?:three|3) months\b|\b(?:three|3)[- ]monthly\b|\b(?:every|each|per) quarter\b",
        ),
        (
            "fortnightly",
            r"\bfortnightly\b|\bbi-?weekly\b|\bevery (?:two|2) weeks\b|\b(?:every|each) fortnight\b",
        ),
        ("weekly", r"\bweekly\b|\b(?:every|each|per) week\b|\bonce a week\b"),
        ("daily", r"\bdaily\b|\b(?:every|each|per) day\b"),
        ("monthly", r"\bmonthly\b|\b(?:every|each|per) month\b|\bonce a month\b"),
        ("termly", r"\btermly\b|\b(?:every|each|per) term\b"),
        (
            "annual",
            r"\bannual(?:ly)?\b|\byearly\b|\b(?:every|each|per) year\b|\bper annum\b|\bonce a year\b|\b(?:12|twelve)[- ]monthly\b",
        ),
        (
            "ongoing",
            r"\bon-?going\b|\bcontinuous(?:ly)?\b|\bcontinual(?:ly)?\b|\bthroughout\b|\bregular(?:ly)?\b",
        ),
        ("ad hoc", r"\bad[- ]hoc\b|\bas (?:and when )?(?:required|needed|necessary)\b"),
    )
)


def text_to_frequency(text: str) -> tuple[str | None, tuple[int, int]]:
    """The normalised frequency a text states ("Report quarterly" -> "quarterly"), with the
    character span of the words that said so; (None, (0, 0)) when it states none."""
    low = _lower_same_length(text)
    for name, pattern in FREQUENCIES:
        m = pattern.search(low)
        if m:
            return name, m.span()
    return None, (0, 0)


def _lower_same_length(text: str) -> str:
    """Lower-case and turn every whitespace character into a space without changing any
    offset, so spans found in the result index the original text."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return "".join(" " if c.isspace() else c for c in low)


# --- parsing one expression (the whole stripped string) ----------------------------------------------


def _single(s: str, ctx: DateContext | None) -> tuple[_Span | None, tuple[str, ...]] | None:
    """One date expression that is the whole of `s`; None when `s` is not one."""
    if m := _RE_ISO.fullmatch(s):
        span = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        return (span, ()) if span else (None, ("unparseable",))
    if m := _RE_NUMERIC.fullmatch(s):
        year = _year4(m["y"])
        span = _day(year, int(m["m"]), int(m["d"])) if year else None
        return (span, ()) if span else (None, ("unparseable",))
    if m := _RE_MONTH_NUM_YEAR.fullmatch(s):
        year, month = _year4(m["y"]), int(m["m"])
        if year and 1 <= month <= 12:
            return _month_span(year, month), ()
        return None
    if m := _RE_QUARTER.fullmatch(s):
        return _quarter(int(m["q"]), m["a"], m["b"], m["y"], ctx)
    if m := _RE_QUARTER_AFTER.fullmatch(s):
        return _quarter(int(m["q"]), m["a"], m["b"], None, ctx)
    if m := _RE_YEAR_QUARTER.fullmatch(s):  # "2019 Q1": a calendar quarter, year first
        return _quarter(int(m["q"]), None, None, m["y"], ctx)
    if m := _RE_ACADEMIC.fullmatch(s):
        first = _year4(m["a"] or m["c"])
        second = _second_year(first, m["b"] or m["d"]) if first else None
        if first and second:
            return _Span(dt.date(first, 9, 1), dt.date(second, 8, 31), "year"), ()
    if m := _RE_FY.fullmatch(s):
        if m["c"]:
            first, second = _year4(m["c"]), _year4(m["e"])
            second = second if first and second and second > first else None
        else:
            first = _year4(m["a"])
            second = _second_year(first, m["b"]) if first else None
        if first and second:
            return _Span(dt.date(first, 4, 1), dt.date(second, 3, 31), "year"), ()
        return None
    if (m := _RE_SHORT_FY.fullmatch(s)) and int(m["b"]) == int(m["a"]) + 1 and int(m["b"]) > 12:
        first = _year4(m["a"])  # "17/18": month 18 cannot be, so a financial year
        return (
            (_Span(dt.date(first, 4, 1), dt.date(first + 1, 3, 31), "year"), ()) if first else None
        )
    if m := _RE_YEAR.fullmatch(s):
        year = _year4(m["y"])
        return (_Span(dt.date(year, 1, 1), dt.date(year, 12, 31), "year"), ()) if year else None
    if m := _RE_SEASON.fullmatch(s):
        return _season(m["s"], bool(m["t"]), m["a"], m["b"], m["y"], ctx)
    if m := _RE_MY.fullmatch(s):
        month, year = MONTHS[m["m"]], _year4(m["y"])
        raw_y = m["y"].lstrip("'’")
        # "Mar 14": a day when read as a year it falls far outside the plan's period.
        if len(raw_y) == 2 and m["y"][0] not in "'’" and year and 1 <= int(raw_y) <= 31 and ctx:
            if _outside(_month_span(year, month).last, ctx):
                span = _pick_year(lambda y: _day(y, month, int(raw_y)), ctx)
                if span:
                    return span, ()
        if year:
            return _month_span(year, month), ()
        return None
    if m := _RE_DMY.fullmatch(s):
        return _day_month(int(m["d"]), MONTHS[m["m"]], m["y"], ctx)
    if m := _RE_MDY.fullmatch(s):
        return _day_month(int(m["d"]), MONTHS[m["m"]], m["y"], ctx)
    if m := _RE_M.fullmatch(s):
        month = MONTHS[m["m"]]
        span = _pick_year(lambda y: _month_span(y, month), ctx)
        return (span, ()) if span else (None, ("year_missing",))
    if m := _RE_NUMERIC_NOYEAR.fullmatch(s):
        day, month = int(m["d"]), int(m["m"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            span = _pick_year(lambda y: _day(y, month, day), ctx)
            return (span, ()) if span else (None, ("year_missing",))
        return None
    if s.isdigit() and len(s) <= 2 and ctx and ctx.column:
        month = MONTHS.get(ctx.column.strip().lower().rstrip("."))
        if month:
            day = int(s)
            span = _pick_year(lambda y: _day(y, month, day), ctx)
            return (span, ()) if span else None
    return None


def _day_month(day: int, month: int, year_text: str | None, ctx: DateContext | None):
    if year_text:
        year = _year4(year_text)
        span = _day(year, month, day) if year else None
        return (span, ()) if span else (None, ("unparseable",))
    if not 1 <= day <= 31:
        return None
    span = _pick_year(lambda y: _day(y, month, day), ctx)
    return (span, ()) if span else (None, ("year_missing",))


def _quarter(q: int, a: str | None, b: str | None, y: str | None, ctx: DateContext | None):
    if a and b:  # financial-year quarter: Q1 Apr-Jun ... Q4 Jan-Mar
        first = _year4(a)
        second = _second_year(first, b) if first and len(b) == 2 and len(a) == 4 else _year4(b)
        if not first or not second or second != first + 1:
            return None
        year, month = _add_months(first, 4, 3 * (q - 1))
        return _months_span(year, month, 3, "quarter"), ()
    if y:  # calendar quarter
        year = _year4(y)
        return (_months_span(year, 3 * q - 2, 3, "quarter"), ()) if year else None
    # "Q3" alone: financial quarters when the plan's period runs from April, else calendar.
    if ctx and ctx.period_start and ctx.period_start.month == 4:
        fy_first = ctx.period_start.year
        year, month = _add_months(fy_first, 4, 3 * (q - 1))
        return _months_span(year, month, 3, "quarter"), ()
    span = _pick_year(lambda yr: _months_span(yr, 3 * q - 2, 3, "quarter"), ctx)
    return (span, ()) if span else (None, ("year_missing",))


def _season(
    name: str, term: bool, a: str | None, b: str | None, y: str | None, ctx: DateContext | None
):
    if term:
        start_month, n = _TERMS[name]

        def make(year: int) -> _Span:
            return _months_span(year, start_month, n, "season")
    else:
        start_month, n = _SEASONS[name], 3

        def make(year: int) -> _Span:
            return _months_span(year, start_month, n, "season")

    if a and b:  # "Winter 2017/18": the winter that starts in 2017; other seasons by academic year
        first = _year4(a)
        if not first:
            return None
        year = first if start_month >= 9 else first + 1
        return make(year), ()
    if y:
        year = _year4(y)
        return (make(year), ()) if year else None
    span = _pick_year(make, ctx)
    return (span, ()) if span else (None, ("year_missing",))


def _edge_span(span: _Span, edge: str) -> _Span:
    """'end of March' is its last day, 'early'/'start of' its first, 'mid' its middle."""
    if edge in ("end of", "end", "by end of", "by the end of", "the end of", "close of", "late"):
        return _Span(span.last, span.last, span.precision)
    if edge in ("start of", "beginning of", "early"):
        return _Span(span.first, span.first, span.precision)
    mid = span.first + (span.last - span.first) / 2
    return _Span(mid, mid, span.precision)


def _expression(s: str, ctx: DateContext | None) -> tuple[_Span | None, tuple[str, ...]] | None:
    """A whole expression, allowing weekday names, lead-in words, 'end of', 'w/c' and ranges."""
    got = _single(s, ctx)
    if got is not None:
        return got
    if m := _WEEKDAY.match(s):
        return _expression(s[m.end() :], ctx)
    if m := _PREFIX.match(s):
        return _expression(s[m.end() :], ctx)
    if m := _RE_WEEK.fullmatch(s):
        got = _expression(m["rest"].strip(), ctx)
        if got and got[0] and got[0].precision == "day":
            d = got[0].first
            return _Span(d, d + dt.timedelta(days=6), "week"), got[1]
        return got
    if m := _RE_WEEK_END.fullmatch(s):
        got = _expression(m["rest"].strip(), ctx)
        if got and got[0] and got[0].precision == "day":
            d = got[0].first
            return _Span(d - dt.timedelta(days=6), d, "week"), got[1]
        return got
    if m := _EDGE.fullmatch(s):
        got = _expression(m["rest"].strip(), ctx)
        if got and got[0]:
            return _edge_span(got[0], m["e"]), got[1]
        return got
    return _range(s, ctx)


def _range(s: str, ctx: DateContext | None) -> tuple[_Span | None, tuple[str, ...]] | None:
    """'May-June 2017', 'April 2018 - March 2019', '6-10 March 2018': from the first of the
    left side to the last of the right. The right side lends its year to the left."""
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()].strip(), s[sep.end() :].strip()
        if not left or not right:
            continue
        rgot = _single(right, ctx) or (_expression(right, ctx) if len(right) < len(s) else None)
        if not rgot or rgot[0] is None:
            continue
        rspan = rgot[0]
        lgot = _left_of_range(left, rspan, ctx)
        if lgot is None or lgot.first > rspan.last:
            continue
        precision = rspan.precision
        return _Span(lgot.first, rspan.last, precision), rgot[1] + ("range",)
    return None


def _left_of_range(left: str, right: _Span, ctx: DateContext | None) -> _Span | None:
    ry = right.last.year
    if m := _RE_M.fullmatch(left):  # "May" in "May-June 2017"
        month = MONTHS[m["m"]]
        year = ry if month <= right.last.month else ry - 1
        return _month_span(year, month)
    if (
        left.isdigit() and right.precision == "day" and 1 <= int(left) < right.first.day
    ):  # "6-10 March"
        return _day(right.first.year, right.first.month, int(left))
    if m := _RE_DMY.fullmatch(left):  # "6 March - 10 April 2018"
        if not m["y"]:
            month = MONTHS[m["m"]]
            year = ry if month <= right.last.month else ry - 1
            return _day(year, month, int(m["d"]))
    got = _single(left, DateContext(right.first, right.last) if ctx is None else ctx)
    return got[0] if got else None


@cache
def _date_data_parser():
    # Built on first use only: dateparser is slow to import and to set up.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["month", "year"],
            "PARSERS": ["custom-formats", "absolute-time"],
            "RELATIVE_BASE": dt.datetime(2000, 1, 1),
        },
    )


_HAS_MONTH = re.compile(rf"\b(?:{_MONTH_RE})")
_HAS_YEAR = re.compile(r"(?:19|20)\d\d|['’]\d\d\b")


def _library(s: str) -> _Span | None:
    """Last resort for month-and-year texts the regular forms miss."""
    if len(s) > 60 or not _HAS_MONTH.search(s) or not _HAS_YEAR.search(s):
        return None
    try:
        data = _date_data_parser().get_date_data(s)
    except Exception:  # a library failure must never stop a batch
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return None
    if data.period == "year":
        return _Span(dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), "year")
    if data.period == "month":
        return _month_span(d.year, d.month)
    return _Span(d, d, "day")


def _search(s: str, ctx: DateContext | None) -> list[tuple[int, int, _Span]]:
    """Date expressions inside a longer text ('Report quarterly from Dec 2016')."""
    found: list[tuple[int, int, _Span]] = []
    pos = 0
    while pos < len(s):
        best = None
        for pattern in _SEARCH_PATTERNS:
            m = pattern.search(s, pos)
            if m and (
                best is None
                or m.start() < best.start()
                or (m.start() == best.start() and m.end() > best.end())
            ):
                best = m
        if best is None:
            break
        got = _single(best.group(0).strip(), ctx)
        if got and got[0]:
            found.append((best.start(), best.end(), got[0]))
            pos = best.end()
        else:
            pos = best.start() + 1
    return found


_B = r"(?<![\w/])"
_E = r"(?![\w/])"
_SEARCH_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(_B + p + _E)
    for p in (
        r"(?:academic|school)\s+year\s*\d{4}\s*(?:/|-|–)\s*(?:\d{4}|\d{2})",
        r"\d{4}\s*(?:/|-|–)\s*(?:\d{4}|\d{2})\s+(?:academic|school)\s+year",
        r"\d{4}-\d{1,2}-\d{1,2}",
        r"\d{1,2}\s*([/.\-])\s*\d{1,2}\s*\1\s*(?:\d{4}|\d{2})",
        r"(?:q|qtr|quarter)\s*[1-4](?:\s*(?:\d{4}|\d{2})\s*(?:/|-)\s*(?:\d{4}|\d{2})|\s*\d{4})?",
        r"(?:19|20)\d\d\s*,?\s*(?:q|qtr|quarter)\s*[1-4]",
        r"\d{4}\s*(?:/|-)\s*(?:\d{4}|\d{2})",
        r"(?:spring|summer|autumn|winter)(?:\s+term)?(?:\s*\d{4}(?:\s*/\s*\d{2})?)?",
        rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s*[-/ ]?\s*(?:{_MONTH_RE})\.?,?\s*[-/ ]?\s*(?:\d{{4}}|['’]?\d{{2}})",
        # Without a year: not "may" ("phase 2 may start" is no date).
        rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s*[-/ ]?\s*(?!may\b)(?:{_MONTH_RE})\.?",
        # "March 28, 2023", "February 8,2023": month first, as US-written plans give it.
        rf"(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,\s*\d{{4}}",
        rf"(?:{_MONTH_RE})\.?,?\s*[-/]?\s*(?:\d{{4}}|['’]?\d{{2}})",
        r"(?:19|20)\d\d",
    )
)


# --- the public helpers ------------------------------------------------------------------------------


def _outside(d: dt.date, ctx: DateContext | None) -> bool:
    window = ctx.window() if ctx else None
    if window is None:
        return False
    lo, hi = window
    try:
        lo = lo.replace(year=lo.year - OUTSIDE_PERIOD_YEARS)
        hi = hi.replace(year=hi.year + OUTSIDE_PERIOD_YEARS)
    except ValueError:  # 29 February
        lo = lo.replace(year=lo.year - OUTSIDE_PERIOD_YEARS, day=28)
        hi = hi.replace(year=hi.year + OUTSIDE_PERIOD_YEARS, day=28)
    return d < lo or d > hi


def _choose(span: _Span, role: str) -> dt.date:
    return span.last if role == "due" else span.first


@lru_cache(maxsize=CACHE_SIZE)
def _match(stripped: str, role: str, ctx: DateContext | None) -> DateMatch:
    """Parse a lower-cased, stripped cell; offsets are relative to `stripped`."""
    n = len(stripped)
    if not stripped:
        return DateMatch()
    bare = stripped.rstrip(" .;,")
    if bare in _PLACEHOLDERS:
        _, flag = _PLACEHOLDERS[bare]
        return DateMatch(flags=(flag,), start=0, end=len(bare), label="PLACEHOLDER")
    flags: tuple[str, ...] = ()
    body = bare
    if (t := _TENTATIVE.search(body)) and t.start() > 0:
        body, flags = body[: t.start()].rstrip(" ,-"), ("tentative",)
        if body in _PLACEHOLDERS:
            return DateMatch(flags=(_PLACEHOLDERS[body][1],), start=0, end=n, label="PLACEHOLDER")
    got = _expression(body, ctx)
    start, end = 0, len(body)
    if got is None and (span := _library(body)):
        got = (span, ())
    if got is None:
        found = _search(body, ctx)
        if found:
            if len(found) > 1:
                flags += ("multiple_dates",)
            start, end, span = found[
                -1
            ]  # the latest written is the current one ("Dec 16 revised to Mar 17")
            got = (span, ())
    frequency, (fs, fe) = text_to_frequency(body)
    if got is None or (span := got[0]) is None:
        extra = got[1] if got else ()
        if frequency:
            return DateMatch(recurrence=frequency, flags=flags, start=fs, end=fe, label="FREQ")
        return DateMatch(
            flags=flags + (extra or ("unparseable",)), start=0, end=len(body), label=""
        )
    extra = got[1]
    flags += tuple(f for f in extra if f != "range")
    d = _choose(span, role)
    if _outside(d, ctx):
        flags += ("outside_plan_period",)
    return DateMatch(
        date=d,
        precision=span.precision,
        recurrence=frequency if frequency != "ongoing" else None,
        flags=flags,
        start=start,
        end=end,
        label="DATE",
    )


def clear_date_cache() -> None:
    """Forget cached parses (benchmarks measure a cold cache with it)."""
    _match.cache_clear()


_WRAPPED_YEAR = re.compile(r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{1,3})(\s+)(\d{1,3})(?!\d)")


def _rejoin_wrapped_year(text: str) -> str:
    """'31/07/201 9' (a narrow cell broke the year) -> '31/07/2019 ', keeping the length so
    offsets still point into the text as written."""

    def join(m: re.Match[str]) -> str:
        digits = len(re.split(r"[/.-]", m.group(1))[-1]) + len(m.group(3))
        if digits not in (2, 4):
            return m.group(0)
        return m.group(1) + m.group(3) + m.group(2)

    return _WRAPPED_YEAR.sub(join, text)


def match_date(text: str, *, role: Role = "due", context: DateContext | None = None) -> DateMatch:
    """Like `parse_date`, with the span of `text` that was read (offsets into `text`)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    low = _rejoin_wrapped_year(_lower_same_length(text or ""))
    lead = len(low) - len(low.lstrip())
    got = _match(low.strip(), role, context)
    if lead and got.end:
        return DateMatch(
            got.date,
            got.precision,
            got.recurrence,
            got.flags,
            got.start + lead,
            got.end + lead,
            got.label,
        )
    return got


def parse_date(text: str, *, role: Role = "due", context: DateContext | None = None) -> DateValue:
    """Read a date cell the way a UK reader would.

    role "due": a month or year means its LAST day ("Dec 18" -> 2018-12-31); "start" and
    "point": its FIRST day. A text with no date but a frequency ("Report quarterly") gives
    recurrence and no date; "TBC" gives no date and flag "tbc"; anything else unreadable
    gives flag "unparseable". A year-less date ("09 Mar") takes the year that puts it in
    the plan's period (from `context`), or is flagged "year_missing".
    """
    return match_date(text, role=role, context=context).to_value(text or "")


_PERIOD_MONTHS = re.compile(
    rf"(?P<m1>{_MONTH_RE})\.?\s*(?P<y1>\d{{4}})\s*(?:-|–|—|to|until)\s*(?P<m2>{_MONTH_RE})\.?\s*(?P<y2>\d{{4}})"
)
_PERIOD_YEARS = re.compile(
    r"(?<!\d)(?P<a>(?:19|20)\d\d)\s*(?:-|–|—|/|to)\s*(?P<b>(?:19|20)\d\d|\d\d)(?!\d)"
)
_PERIOD_YEAR = re.compile(r"(?<!\d)(?P<a>(?:19|20)\d\d)(?!\d)")


def parse_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    """A plan's period as (first day, last day).

    "April 2018 - March 2019" runs from the first of April to the end of March; a span of
    years ("2016-17", "2017/18", "2016 - 2017") is financial-year style, 1 April - 31 March;
    a lone year is that calendar year. (None, None) when the text gives no period.
    """
    low = _lower_same_length(text or "")
    if m := _PERIOD_MONTHS.search(low):
        y1, y2 = int(m["y1"]), int(m["y2"])
        first = dt.date(y1, MONTHS[m["m1"]], 1)
        last = _month_end(y2, MONTHS[m["m2"]])
        if first <= last:
            return first, last
    for m in _PERIOD_YEARS.finditer(low):
        a = int(m["a"])
        b = _second_year(a, m["b"])
        if b is not None and b - a <= 10:
            return dt.date(a, 4, 1), dt.date(b, 3, 31)
    if m := _PERIOD_YEAR.search(low):
        a = int(m["a"])
        if MIN_YEAR <= a <= MAX_YEAR:
            return dt.date(a, 1, 1), dt.date(a, 12, 31)
    return None, None


def text_to_context(
    period: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    plan_date: dt.date | None = None,
) -> DateContext:
    """The date context of a plan: its stated period (parsed from text when not given)."""
    if period_start is None and period_end is None and period:
        period_start, period_end = parse_period(period)
    return DateContext(period_start=period_start, period_end=period_end, plan_date=plan_date)


__all__ = [
    "DateContext",
    "DateMatch",
    "clear_date_cache",
    "FREQUENCIES",
    "match_date",
    "parse_date",
    "parse_period",
    "text_to_context",
    "text_to_frequency",
]
