"""KPI targets as written ("80%", "4 / 7", "439", "< 10%", "20 days") -> value, unit, flags."""

from __future__ import annotations

import re
from dataclasses import dataclass

RATIO_DIGITS = 4

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_COMPARATORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (flag, re.compile(p))
    for flag, p in (
        (
            "target_at_most",
            r"<=|≤|=<|\bno\s+more\s+than\b|\bat\s+most\b|\bmax(?:imum)?\b|\bup\s+to\b|\bnot\s+(?:to\s+)?exceed\b",
        ),
        (
            "target_at_least",
            r">=|≥|=>|\bat\s+least\b|\bmin(?:imum)?\b|\bno\s+(?:less|fewer)\s+than\b|\d\s*%?\s*\+|\bor\s+(?:more|above|higher)\b",
        ),
        (
            "target_less_than",
            r"<|\bless\s+than\b|\bfewer\s+than\b|\bbelow\b|\bunder\b|\blower\s+than\b|\breduce\w*\s+(?:to\s+)?(?:below|under)\b",
        ),
        (
            "target_more_than",
            r">|\bmore\s+than\b|\babove\b|\bover\b|\bgreater\s+than\b|\bhigher\s+than\b|\bexceed",
        ),
    )
)
_RATIO = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)\s*(?:/|\bout\s+of\b|\bof\b)\s*(?P<b>\d+(?:\.\d+)?)(?!\s*[/.\-]\s*\d)"
)
_COLON_RATIO = re.compile(r"(?<![\d:])(?P<a>\d+)\s*:\s*(?P<b>\d+)(?![\d:])")
_RANGE = re.compile(
    _NUM.replace("?P<n>", "?P<lo>")
    + r"\s*%?\s*(?:-|–|to)\s*"
    + _NUM.replace("?P<n>", "?P<hi>")
    + r"\s*%?"
)
_NUMBER = re.compile(_NUM)
_DATE_LIKE = re.compile(r"\s*\d{1,2}\s*([/.\-])\s*\d{1,2}\s*\1\s*\d{2,4}\s*")
_MONEY = re.compile(r"£\s*" + _NUM + r"\s*(?P<mult>k|m|bn|million|thousand|billion)?\b")
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_UNITS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (unit, re.compile(p))
    for unit, p in (
        ("percent", r"^\s*%|^\s*per\s*cent\b|^\s*percent\b|^\s*pc\b"),
        ("working_days", r"^\s*(?:working|work|business)\s+days?\b"),
        ("days", r"^\s*(?:calendar\s+)?days?\b"),
        ("weeks", r"^\s*(?:weeks?|wks?)\b"),
        ("months", r"^\s*months?\b"),
        ("years", r"^\s*(?:years?|yrs?)\b"),
        ("hours", r"^\s*(?:hours?|hrs?)\b"),
        ("per_10000", r"^\s*per\s+10,?000\b"),
        ("per_1000", r"^\s*per\s+1,?000\b"),
        ("per_100000", r"^\s*per\s+100,?000\b"),
    )
)


@dataclass(frozen=True)
class Target:
    value: float | None = None
    unit: str = ""
    flags: tuple[str, ...] = ()
    start: int = 0
    end: int = 0


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def text_to_target(text: str) -> Target:
    """Read a target cell.

    "80%" -> 80 percent; "2.5%" -> 2.5 percent; "4 / 7" -> 0.5714 ratio; "439" -> 439 count;
    "20 days" -> 20 days; "< 10%" -> 10 percent with flag "target_less_than"; "80-85%" ->
    80 percent with flag "target_range"; text without a number -> None, flag
    "target_not_numeric".
    """
    raw = text or ""
    low = raw.lower()
    if not low.strip():
        return Target()
    if _DATE_LIKE.fullmatch(low):
        return Target(flags=("target_is_date",), start=0, end=len(raw))
    flags: list[str] = []
    for flag, pattern in _COMPARATORS:
        if pattern.search(low):
            flags.append(flag)
            break
    if m := _MONEY.search(low):
        value = _number(m["n"]) * _MULT.get(m["mult"] or "", 1.0)
        return Target(value, "GBP", tuple(flags), m.start(), m.end())
    if (m := _RATIO.search(low)) and "%" not in low[m.end() : m.end() + 2]:
        a, b = float(m["a"]), float(m["b"])
        if b > 0 and a <= b:
            return Target(round(a / b, RATIO_DIGITS), "ratio", tuple(flags), m.start(), m.end())
    if m := _COLON_RATIO.search(low):
        a, b = float(m["a"]), float(m["b"])
        if b > 0:
            return Target(round(a / b, RATIO_DIGITS), "ratio", tuple(flags), m.start(), m.end())
    if m := _RANGE.search(low):
        lo, hi = _number(m["lo"]), _number(m["hi"])
        if lo < hi:
            unit = _unit_after(low, m.end()) or ("percent" if "%" in m.group(0) else "count")
            return Target(lo, unit, tuple(flags) + ("target_range",), m.start(), m.end())
    if m := _NUMBER.search(low):
        value = _number(m["n"])
        unit = _unit_after(low, m.end()) or "count"
        end = m.end()
        if unit != "count":
            end += _unit_length(low, m.end())
        return Target(value, unit, tuple(flags), m.start(), end)
    return Target(flags=tuple(flags) + ("target_not_numeric",), start=0, end=len(raw))


def _unit_after(low: str, pos: int) -> str | None:
    rest = low[pos:]
    for unit, pattern in _UNITS:
        if pattern.match(rest):
            return unit
    return None


def _unit_length(low: str, pos: int) -> int:
    rest = low[pos:]
    for _, pattern in _UNITS:
        if m := pattern.match(rest):
            return m.end()
    return 0


__all__ = ["Target", "text_to_target"]
